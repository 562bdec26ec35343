@section-2.5
Feature: 2.5 One-to-all
  A public message is broadcast to every logged-in client. A connection that
  has not logged in receives nothing.

  @COP-2.5-1 @must
  Scenario: A public message reaches every logged-in client and no anonymous connection
    Given alice is logged in
    And bob is logged in
    And carol is logged in
    And dave is connected but not logged in
    When alice sends a public message
    Then bob receives alice's public message
    And carol receives alice's public message
    And dave does not receive alice's public message
