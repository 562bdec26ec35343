@section-R
Feature: Robustness
  A server must survive hostile and broken clients without disturbing the
  others: lying lengths, truncated frames, invalid UTF-8, slow and stalled
  peers, and many connections. Scenarios tagged @serial load the whole server
  and run alone, after the others.

  @COP-R-1 @must
  Scenario: A negative length closes that connection and others are served
    Given mallory is logged in
    When mallory sends these bytes:
      """
      04 00000001 6d 80000000   # public message whose text length is -2^31
      """
    Then mallory is disconnected
    And the server still serves other clients

  @COP-R-1 @must
  Scenario: A 2 GiB length closes that connection without the server waiting for it
    Given mallory is logged in
    When mallory sends these bytes:
      """
      04 7fffffff 00000000 00000000   # sender length 2^31-1, then a little more
      """
    Then mallory is disconnected
    And the server still serves other clients

  @COP-R-1 @must
  Scenario: A length shorter than its string makes the rest an unknown opcode
    Given mallory is logged in
    When mallory sends these bytes:
      """
      04 00000001 6d 00000003 6869 ff ff   # text length 3 covers "hi" and one ff; next ff is no opcode
      """
    Then mallory is disconnected
    And the server still serves other clients

  @COP-R-2 @must
  Scenario: A frame cut short by a disconnect affects no one
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    When mallory sends half of a public message and disconnects
    And alice sends a public message
    Then bob receives alice's public message
    And bob does not receive mallory's public message
    And the server still serves other clients

  @COP-R-3 @should
  Scenario: A string that is not UTF-8 is never relayed as it is
    Given bob is logged in
    And mallory is logged in
    When mallory sends a public message with invalid UTF-8
    Then bob does not receive mallory's public message

  @COP-R-4 @must
  Scenario: A client dripping one byte at a time does not delay others
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    When mallory starts dripping a public message one byte every 200 ms
    And alice sends a public message
    Then bob receives alice's public message

  @COP-R-4 @must
  Scenario: A client holding half a frame for longer than the wait does not delay others
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    And mallory stops reading
    When mallory sends the first half of a public message and holds the rest
    Then while mallory holds it, every public message alice sends for twice the quiet wait reaches bob

  @COP-R-4 @must @serial
  Scenario: A client that stops reading does not delay others
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    And mallory stops reading
    When alice floods 16000 public messages of 500 bytes
    Then bob receives all of alice's flood

  @COP-R-5 @should @serial
  Scenario: Hundreds of concurrent connections are served
    When 200 clients log in at once
    Then they are all accepted
    And a public message from one of them reaches all the others
