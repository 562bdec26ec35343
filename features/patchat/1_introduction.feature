@section-1
Feature: 1 Introduction: rooms and broadcasts
  "Any client that messages in the room will have their message shared with
  all other connected clients in that room"; "a client can also broadcast
  messages across multiple rooms and choose to not broadcast it to whatever
  room they are currently part of."

  chatspec drives your server through its dialect (say, broadcast and
  broadcast_others actions). Whether the sender gets a copy of its own message
  is not judged. A member of two of the chosen rooms may get one copy, or one
  copy per room labelled with that room (reading P3); unlabelled or
  mislabelled duplicates fail. "Receives nothing" is checked after a round
  trip on the observer's connection and a quiet window, and any trace of the
  text on its connection counts, recognised as a room message or not.

  @PAT-1-1 @must
  Scenario: A room message reaches every other member of the room and no one outside it
    Given alice is in the room kitchen
    And bob is in the room kitchen
    And carol is in the room kitchen
    And dave is in the room garden
    When alice says "hello" in kitchen
    Then bob receives "hello" from alice in kitchen
    And carol receives "hello" from alice in kitchen
    And dave does not receive "hello"

  @PAT-1-2 @must
  Scenario: A broadcast reaches every member of each chosen room and no one else
    Given alice is in the rooms kitchen, garden and cellar
    And bob is in the room kitchen
    And carol is in the room garden
    And dave is in the rooms kitchen and garden
    And erin is in the room cellar
    When alice, in kitchen, broadcasts "news" to garden
    Then dave receives "news" from alice for kitchen and garden: one copy, or one labelled copy per room
    And bob receives "news" from alice in kitchen
    And carol receives "news" from alice in garden
    And erin does not receive "news"

  @PAT-1-3 @must
  Scenario: A broadcast can leave out the sender's current room
    Given alice is in the rooms kitchen and garden
    And bob is in the room kitchen
    And carol is in the room garden
    When alice, in kitchen, broadcasts "news" to garden but not to her current room
    Then carol receives "news" from alice in garden
    And bob does not receive "news"
