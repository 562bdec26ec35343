@section-2.1
Feature: 2.1 Clients
  A client is known to the server by its nickname. Nicknames are unique, no
  longer than the server's maximum (a profile value, 32 bytes by default) and
  made of allowed characters. A refusal is packet 2 carrying the refused
  nickname:

      02 00000005 616c696365        LOGIN_REFUSED "alice"

  @COP-2.1-1 @must
  Scenario: A nickname already held is refused and its holder is unaffected
    Given alice is logged in
    When bob logs in with alice's nickname
    Then bob is refused
    And alice is still logged in

  @COP-2.1-2 @must
  Scenario: A nickname one byte over the profile maximum is refused
    When bob tries to log in with a nickname one byte longer than the profile maximum
    Then bob is refused or disconnected

  @COP-2.1-2 @must
  Scenario: A 64 KiB nickname never logs in
    When bob tries to log in with a 64 KiB nickname
    Then bob is refused or disconnected
    And the server still serves other clients

  @COP-2.1-3 @should
  Scenario Outline: Nicknames that are empty or contain spaces or control characters are refused
    When bob tries to log in with <nickname>
    Then bob is refused

    Examples:
      | nickname                                |
      | an empty nickname                       |
      | a nickname containing a space           |
      | a nickname containing a control character |
