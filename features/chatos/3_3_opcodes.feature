@section-3.3
Feature: 3.3 OP packet
  Opcodes 0 to 11 are defined. Anything else must not crash the server nor
  disturb other clients, and the offending connection should be closed.

      0c                            an undefined opcode (12)

  @COP-3.3-1 @must
  Scenario: An unknown opcode does not disturb other clients
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    When mallory sends these bytes:
      """
      0c 00000000   # opcode 12 does not exist
      """
    And alice sends a public message
    Then bob receives alice's public message

  @COP-3.3-2 @should
  Scenario: An unknown opcode closes that connection
    Given mallory is logged in
    When mallory sends these bytes:
      """
      ff
      """
    Then mallory is disconnected
