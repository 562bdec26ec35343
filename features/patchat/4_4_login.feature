@section-4.4
Feature: 4.4 Logging in
  "The server takes the client through a login process. There is a .txt file
  that stores all previous user information. If the user chooses to use an
  existing login, this information is pulled and ensures a match for a
  username as well as that username's password. Otherwise, the option for
  creating a new user is available, where this information is then added to
  the .txt file for future use."

  chatspec uses your dialect's register and login actions. A refusal is the
  dialect's refuse pattern, or the server closing the connection; silence
  fails. Accounts must outlive a restart of the server, which chatspec can
  only do when it started the server (--exec); where and how the file is kept
  is the server's business (reading P10).

  @PAT-4.4-1 @must
  Scenario: A new account can log in on another connection
    Given alice registers an account
    When alice logs in on a new connection
    Then alice's login is accepted

  @PAT-4.4-2 @must
  Scenario: A wrong password is refused and the connection stays logged out
    Given alice registers an account
    And bob is logged in
    When mallory logs in with alice's username and a wrong password
    Then mallory is refused
    And mallory tries to say "intruder"
    And bob does not receive "intruder"

  @PAT-4.4-3 @must @serial
  Scenario: Accounts survive a restart of the server
    Given chatspec started the server itself (needed to restart it)
    And alice registers an account
    When the server restarts
    And alice logs in on a new connection
    Then alice's login is accepted

  @PAT-4.4-4 @must
  Scenario: Registering a username that is taken is refused
    Given alice registers an account
    When mallory registers alice's username with another password
    Then mallory is refused
    And alice can still log in with her own password

  @PAT-4.4-5 @should
  Scenario: One account cannot be logged in twice at once
    Given alice is logged in
    When mallory logs in with alice's username and password
    Then mallory is refused
