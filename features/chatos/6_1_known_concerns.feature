@section-6.1
Feature: 6.1 Known concerns: identification
  A nickname lives only as long as its connection, so once released anyone
  can take it. chatspec reports it.

  @COP-6.1-1 @info
  Scenario: A released nickname can be taken by a new connection
    Given alice is logged in
    When alice disconnects
    And mallory logs in with alice's nickname
    Then chatspec notes whether mallory was accepted
