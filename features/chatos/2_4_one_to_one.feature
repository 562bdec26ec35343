@section-2.4
Feature: 2.4 One-to-one communication
  A private message goes to its recipient and to no one else.

  @COP-2.4-1 @must
  Scenario: A private message reaches its recipient only
    Given alice is logged in
    And bob is logged in
    And carol is logged in
    When alice sends a private message to bob
    Then bob receives alice's private message
    And carol does not receive alice's private message
