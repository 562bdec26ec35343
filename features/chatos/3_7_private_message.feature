@section-3.7
Feature: 3.7 Send a private message
  A private message is packet 5 (from, to, text) on the main connection; the
  server routes it to the recipient (reading A2), or answers 6 when the
  recipient is not connected. The String of 6 may be the missing nickname or
  the requester's own: both are accepted (A6).

      05 00000005 616c696365 00000003 626f62 00000002 6869

  @COP-3.7-1 @must
  Scenario: A private message reaches its recipient with sender and text intact
    Given alice is logged in
    And bob is logged in
    When alice sends a private message to bob
    Then bob receives alice's private message

  @COP-3.7-2 @must
  Scenario: A private message to a nickname nobody holds gets 6 and reaches no one
    Given alice is logged in
    And bob is logged in
    When alice sends a private message to a nickname nobody holds
    Then alice receives an unknown-user answer
    And bob does not receive alice's private message
