@section-3.1
Feature: 3.1 Data representation
  Int is 4 signed bytes and Long 8, big-endian; a String is an Int byte length
  followed by UTF-8. TCP is a stream: a frame may arrive split at any byte, and
  several frames may arrive in one segment. A login for "bob" is:

      00 00000003 626f62

  @COP-3.1-1 @must
  Scenario: Every frame the server sends decodes strictly
    Given alice is logged in
    And bob is logged in
    When alice sends a public message
    Then bob receives alice's public message
    When alice sends a private message to bob
    Then bob receives alice's private message
    When alice sends a private message to a nickname nobody holds
    Then alice receives an unknown-user answer
    And every frame received decoded strictly

  @COP-3.1-2 @must
  Scenario: Frames split at every byte boundary are understood
    Given bob is logged in
    When alice logs in one byte per write
    Then alice is accepted
    When alice sends a public message one byte per write
    Then bob receives alice's public message

  @COP-3.1-2 @must
  Scenario: Several frames in one segment are all understood
    Given bob is logged in
    When alice logs in and sends a public message in a single write
    Then alice is accepted
    And bob receives alice's public message
