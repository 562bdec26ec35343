@section-6.3
Feature: 6.3 Create and join a chatroom
  "Any client can create a chat room by typing "c". If the room name is
  accepted, then the room is created successfully and they are automatically
  a member of the room. Any active member within Pat Chat can enter a newly
  created room by typing "j" and the room name. They can join multiple rooms.
  They cannot, unfortunately, see the chat history of the room up to the
  moment of joining."

  chatspec uses your dialect's create and join actions. Creating a room whose
  name is taken should be refused (a second room of the same name would make
  "j NAME" ambiguous); joining a room that does not exist must be refused.

  @PAT-6.3-1 @must
  Scenario: Creating a room makes the creator a member
    Given alice is logged in
    And bob is logged in
    When alice creates the room kitchen
    And bob joins the room kitchen
    And bob says "hello" in kitchen
    Then alice receives "hello" from bob in kitchen
    And the users bob sees in kitchen are exactly alice and bob
    And the rooms bob lists include kitchen

  @PAT-6.3-2 @should
  Scenario: Creating a room whose name is taken is refused
    Given alice is in the room kitchen
    And bob is logged in
    When bob tries to create the room kitchen
    Then bob is refused

  @PAT-6.3-3 @must
  Scenario: A user can join several existing rooms
    Given alice is in the rooms kitchen and garden
    And bob is logged in
    When bob joins the room kitchen
    And bob joins the room garden
    And alice says "first" in kitchen
    And alice says "second" in garden
    Then bob receives "first" from alice in kitchen
    And bob receives "second" from alice in garden

  @PAT-6.3-3 @must
  Scenario: Joining a room that does not exist is refused
    Given alice is logged in
    When alice tries to join a room that does not exist
    Then alice is refused

  @PAT-6.3-4 @must
  Scenario: A new member receives nothing sent before it joined
    Given alice is in the room kitchen
    And bob is in the room kitchen
    And carol is logged in
    When alice says "before" in kitchen
    And bob receives "before" from alice in kitchen
    And carol joins the room kitchen
    And alice says "after" in kitchen
    Then carol receives "after" from alice in kitchen
    And carol does not receive "before"
