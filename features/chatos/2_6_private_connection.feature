@section-2.6
Feature: 2.6 Private connection
  Once bridged, the server relays raw bytes between the two private
  connections, unchanged and in order, both ways (they need not be ChatOS
  frames). No packet ever reveals another client's IP address or port.

  @COP-2.6-1 @must
  Scenario: A private connection relays bytes unchanged both ways
    Given alice and bob have a private connection
    When alice sends 4096 random bytes on the private connection
    Then bob receives those bytes unchanged on the private connection
    When bob sends 4096 random bytes on the private connection
    Then alice receives those bytes unchanged on the private connection

  @COP-2.6-2 @must
  Scenario: No packet carries a client's address
    Given alice and bob have a private connection
    And alice sends a public message
    And bob receives alice's public message
    Then no packet received carries a client's IP address or port
