@section-2.5
Feature: 2.5 One-to-all
  A public message is broadcast to every logged-in client. A connection that
  has not logged in receives nothing. The anonymous connection is opened
  first: once the others' logins are answered, the server has accepted it
  too (connections are accepted in the order they were made), so the
  message is sent while it is there to be wrongly reached.

  @COP-2.5-1 @must
  Scenario: A public message reaches every logged-in client and no anonymous connection
    Given dave is connected but not logged in
    And alice is logged in
    And bob is logged in
    And carol is logged in
    When alice sends a public message
    Then bob receives alice's public message
    And carol receives alice's public message
    And dave does not receive alice's public message
