@section-2.3
Feature: 2.3 Message
  The server names the sender of every packet it relays from the connection's
  login, never from the packet's own "from" field. A message is at most 512
  characters (Unicode code points, so "é" counts once although it is two bytes).

  @COP-2.3-1 @must
  Scenario: A forged sender on a public message is never relayed as sent
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    When mallory sends a public message claiming to be from alice
    Then bob never sees mallory's message as coming from alice

  @COP-2.3-1 @must
  Scenario: A forged sender on a private message is never relayed as sent
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    When mallory sends a private message to bob claiming to be from alice
    Then bob never sees mallory's message as coming from alice

  @COP-2.3-2 @must
  Scenario: A message of exactly 512 multi-byte characters is delivered intact
    Given alice is logged in
    And bob is logged in
    When alice sends a public message of 512 "é" characters
    Then bob receives alice's public message

  @COP-2.3-2 @must
  Scenario: A message of 513 characters is delivered to no one, not even cut short
    Given alice is logged in
    And bob is logged in
    When alice sends a public message of 513 "é" characters
    Then bob receives no trace of alice's public message
