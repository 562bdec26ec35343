@section-4
Feature: 4 Normal termination
  A client leaves by closing all its connections. Its nickname is released and
  each of its private connections is closed on the peer's side. The document
  promises a departure notice but defines no packet for it (A5): chatspec
  reports what the server sends.

  @COP-4-1 @must
  Scenario: A departing client's nickname is released and its bridges closed
    Given alice and bob have a private connection
    When alice disconnects
    Then bob's private connection is closed
    When carol logs in with alice's nickname
    Then carol is accepted

  @COP-4-2 @info
  Scenario: What the others are told when a client leaves
    Given alice is logged in
    And bob is logged in
    When alice disconnects
    Then chatspec notes what bob received after alice left
