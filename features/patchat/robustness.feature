@section-R
Feature: Robustness
  A server must survive broken and hostile clients without disturbing the
  others. An endless line may be refused, cut to a bound, or taken in bounded
  pieces (reading P8); what fails is a crash or other clients held up. Other
  users must never receive NUL, control bytes other than tab, newline and
  carriage return, or invalid UTF-8 (P9): the message may be cleaned or
  dropped. Control bytes and invalid UTF-8 are sent in separate scenarios:
  a server that drops a whole line for its invalid UTF-8 must not hide that
  it relays control bytes.

  @PAT-R-1 @must
  Scenario: An endless line does not stop the server serving others
    Given mallory is logged in
    When mallory sends a line of 1 MiB without a line ending
    Then the server still serves others

  @PAT-R-2 @must
  Scenario: NUL and control bytes in otherwise valid UTF-8 never reach others raw
    Given alice is in the room kitchen
    And bob is in the room kitchen
    And mallory is in the room kitchen
    When mallory says "dirty" with BEL, ESC, NUL and 0x01 in otherwise valid UTF-8 in kitchen
    And bob says "clean" in kitchen
    Then alice receives "clean" from bob in kitchen
    And everything alice received is text
    And the server still serves others

  @PAT-R-2 @must
  Scenario: Invalid UTF-8 never reaches others as it is
    Given alice is in the room kitchen
    And bob is in the room kitchen
    And mallory is in the room kitchen
    When mallory says "dirty" with invalid UTF-8 and no control bytes in kitchen
    And bob says "clean" in kitchen
    Then alice receives "clean" from bob in kitchen
    And everything alice received is text
    And the server still serves others
