@section-R
Feature: Robustness
  A server must survive broken and hostile clients without disturbing the
  others. An endless line may be refused, cut to a bound, or taken in bounded
  pieces (reading P8); what fails is a crash or other clients held up. Other
  users must never receive NUL, control bytes other than tab, newline and
  carriage return, or invalid UTF-8 (P9): the message may be cleaned or
  dropped.

  @PAT-R-1 @must
  Scenario: An endless line does not stop the server serving others
    Given mallory is logged in
    When mallory sends a line of 1 MiB without a line ending
    Then the server still serves others

  @PAT-R-2 @must
  Scenario: Invalid UTF-8, NUL and control bytes never reach others unfiltered
    Given alice is in the room kitchen
    And bob is in the room kitchen
    And mallory is in the room kitchen
    When mallory says "dirty" with invalid UTF-8, NUL and control bytes in kitchen
    And bob says "clean" in kitchen
    Then alice receives "clean" from bob in kitchen
    And everything alice received is text
    And the server still serves others
