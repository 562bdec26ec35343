@section-3.3
Feature: 3.3 OP packet
  Opcodes 0 to 11 are defined. Anything else must not crash the server nor
  disturb other clients, and the offending connection should be closed.

      0c 00000000                   an undefined opcode (12), as if followed by an empty String

  One real server uses 12 as a private extension, so each scenario tries
  three values outside 0..11, and each is reported on its own row.

  @COP-3.3-1 @must
  Scenario Outline: An unknown opcode (<opcode>) does not disturb other clients
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    When mallory sends opcode <opcode> followed by an empty string
    And alice sends a public message
    Then bob receives alice's public message

    Examples:
      | opcode |
      | 12     |
      | 0x7f   |
      | 0xff   |

  @COP-3.3-2 @should
  Scenario Outline: An unknown opcode (<opcode>) closes that connection
    Given mallory is logged in
    When mallory sends opcode <opcode> followed by an empty string
    Then mallory is disconnected

    Examples:
      | opcode |
      | 12     |
      | 0x7f   |
      | 0xff   |
