@section-5
Feature: 5 Premature termination
  A packet other than a login before logging in closes the connection, and is
  delivered to no one. A client idle for longer than the idle timeout (300 s
  in the document; a profile value) is disconnected. Bytes sent before the
  close (the document's "ERROR packet", A4) are reported, not judged.

  @COP-5-1 @must
  Scenario: A public message before login closes the connection and reaches no one
    Given bob is logged in
    And mallory is connected but not logged in
    When mallory sends a public message
    Then mallory is disconnected
    And bob does not receive mallory's public message

  @COP-5-1 @must
  Scenario: A private message before login closes the connection and reaches no one
    Given bob is logged in
    And mallory is connected but not logged in
    When mallory sends a private message to bob
    Then mallory is disconnected
    And bob does not receive mallory's private message

  @COP-5-2 @must @long
  Scenario: An idle client is disconnected
    Given the idle timeout is short enough to wait for
    And alice is logged in
    When alice stays silent for longer than the idle timeout
    Then alice is disconnected
