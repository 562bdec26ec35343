@section-4.5
Feature: 4.5 One thread per client
  "If the user login is successful, the server then creates a new thread for
  that specific client. This creates an asynchronous loop for each client."

  However your server does it (threads, an event loop), clients are served
  concurrently: one that is connected and silent, or that sent half a line,
  must not hold up anyone else.

  @PAT-4.5-1 @must
  Scenario: A silent client does not hold up the others
    Given mallory is connected but silent
    And alice is in the room kitchen
    And bob is in the room kitchen
    When alice says "hello" in kitchen
    Then bob receives "hello" from alice in kitchen

  @PAT-4.5-1 @must
  Scenario: A silent client does not hold up a login
    Given alice registers an account
    And mallory is connected but silent
    When alice logs in on a new connection
    Then alice's login is accepted

  @PAT-4.5-1 @must
  Scenario: A client that sent half a line does not hold up the others
    Given mallory is logged in
    And alice is in the room kitchen
    And bob is in the room kitchen
    When mallory sends half a line
    And alice says "hello" in kitchen
    Then bob receives "hello" from alice in kitchen
