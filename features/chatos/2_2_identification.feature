@section-2.2
Feature: 2.2 Client identification
  Logging in takes a nickname and nothing else: there is no password step.

  @COP-2.2-1 @must
  Scenario: A nickname alone logs a client in
    Given bob is logged in
    When alice logs in
    Then alice is accepted
    When alice sends a public message
    Then bob receives alice's public message
