@section-3.4
Feature: 3.4 Identification
  A client logs in with packet 0. A free, valid nickname is accepted with
  packet 1 carrying it; otherwise packet 2 carries the refused nickname.

      00 00000003 626f62            LOGIN "bob"
      01 00000003 626f62            LOGIN_ACCEPTED "bob"
      02 00000003 626f62            LOGIN_REFUSED "bob"

  @COP-3.4-1 @must
  Scenario: A free valid nickname is accepted with 1 carrying it
    When alice logs in
    Then alice is accepted

  @COP-3.4-2 @must
  Scenario: A refusal is 2 carrying the refused nickname
    Given alice is logged in
    When bob logs in with alice's nickname
    Then bob is refused with the nickname he asked for

  @COP-3.4-3 @should
  Scenario: A nickname is free again once its holder has gone
    Given alice is logged in
    When alice disconnects
    And bob logs in with alice's nickname
    Then bob is accepted
