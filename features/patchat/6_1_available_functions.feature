@section-6.1
Feature: 6.1 Available functions: the Main Room and switching rooms
  "The main functions of Pat Chat are to create a room, join a room, switch
  to a room, and leave a chat room. When the user initially logs in, they are
  greeted by a message that instructs them to the "Main Room.""

  The login reply must name "Main Room" (the room your dialect's login
  captures, or else the text of the reply), and the user's messages then go
  there. The document names no switch command: your dialect's switch action
  is used, and a server whose join of a room one is in makes it current is
  fine (reading P5); only where the next plain message goes is checked.

  @PAT-6.1-1 @must
  Scenario: After login the user is in the Main Room and is told so
    Given alice is logged in
    And bob is logged in
    Then alice is told she is in the Main Room
    And alice says "hello"
    And bob receives "hello" from alice in the Main Room

  @PAT-6.1-2 @must
  Scenario: A member of several rooms can switch its current room
    Given alice is in the rooms kitchen and garden
    And bob is in the room kitchen
    And carol is in the room garden
    When alice switches to the room garden
    And alice says "one"
    Then carol receives "one" from alice in garden
    And bob does not receive "one"
    When alice switches to the room kitchen
    And alice says "two"
    Then bob receives "two" from alice in kitchen
    And carol does not receive "two"
