@section-3.6
Feature: 3.6 Send a public message
  A public message is packet 4 (the text says "OP code 6"; the tables say 4,
  and chatspec reads 4: reading A1). The server broadcasts it with the
  real sender's nickname.

      04 00000005 616c696365 00000002 6869   alice says "hi"

  @COP-3.6-1 @must
  Scenario: Every other client receives the message with the real sender and the text intact
    Given alice is logged in
    And bob is logged in
    And carol is logged in
    When alice sends a public message
    Then bob receives alice's public message
    And carol receives alice's public message

  @COP-3.6-2 @info
  Scenario: Whether the sender receives its own public message
    Given alice is logged in
    And bob is logged in
    When alice sends a public message
    Then bob receives alice's public message
    And chatspec notes whether alice received her own public message
