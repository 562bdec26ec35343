@section-3
Feature: 3 Basic information
  "The Pat Chat server runs on port 8083 by default. This can be changed as
  necessary." "A persistent TCP connection is maintained between the client
  and the server. The client can send messages through this connection and
  the server can also push messages to the client." "The protocol is
  plain-text-based." "They MAY choose to send an error message to the other
  party informing them of the reason for connection termination." "The server
  as currently constituted can serve up to 100 users."

  Plain text means valid UTF-8 with no NUL and no control byte other than
  tab, newline and carriage return; replies need not end with a newline
  (reading P1). The capacity is a profile value, 100 unless your --profile
  says otherwise (P6); the client beyond it must get a clear refusal: text
  the dialect's greeting recognises as a refusal (its refuse pattern), then
  a close. A close without a word cannot be told from a crash, and other text
  is not recognisably a refusal: both warn, as do silence and a hang. Scenarios tagged @serial load or restart the whole server and
  run alone, after the others.

  @PAT-3-1 @must
  Scenario: The server listens on port 8083 unless configured otherwise
    Given chatspec started the server itself (needed to see which port it picks when given none)
    Then the server accepts TCP connections on the port chatspec gave it
    And the default port cannot be seen, because chatspec chose the port

  @PAT-3-2 @must
  Scenario: The server pushes a room message to a client that sends nothing
    Given alice is in the room kitchen
    And bob is in the room kitchen
    When bob says "ping" in kitchen
    Then alice receives "ping" from bob in kitchen

  @PAT-3-3 @must
  Scenario: Everything the server sends is text
    Given alice is in the room kitchen
    And bob is in the rooms kitchen and garden
    When alice says "hello" in kitchen
    And bob receives "hello" from alice in kitchen
    And bob, in kitchen, broadcasts "news" to garden
    And alice receives "news" from bob in kitchen
    And the users bob sees in kitchen are exactly alice and bob
    And the rooms bob lists include the Main Room, kitchen and garden
    And bob exits
    Then everything the server sent in this scenario is text

  @PAT-3-4 @info
  Scenario: The server may say why it closes a connection
    Given alice is logged in
    When alice exits
    Then chatspec notes what alice was told before the connection closed

  @PAT-3-5 @must @serial
  Scenario: As many users as the capacity are served at once
    When as many users as the capacity are logged in at once
    Then each of them receives a room message

  @PAT-3-6 @should @serial
  Scenario: The client beyond the capacity is clearly refused
    Given as many users as the capacity are logged in at once
    When one more client connects
    Then that client is clearly refused: the dialect recognises the server's refusal, within the timeout

  @PAT-3-7 @info @serial
  Scenario: How a session ends when the server goes away
    Given chatspec started the server itself (needed to stop it under a connected client)
    And alice is logged in
    When the server restarts
    Then chatspec notes how alice's session ended
