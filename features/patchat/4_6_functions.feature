@section-4.6
Feature: 4.6 Room listing and removal of clients
  "list all chatrooms", "remove(connection, address, username)"; 4.3: "When a
  client disconnects, these lists are used to symbolize and demonstrate that a
  connection has been lost."

  Every room can be listed (your dialect's list_rooms action; other rooms may
  be listed too). A client whose connection drops without exit must leave
  every room listing; chatspec asks again until it is gone, for up to the
  timeout.

  @PAT-4.6-1 @must
  Scenario: All rooms can be listed
    Given alice is in the room kitchen
    And bob is in the room garden
    And carol is logged in
    Then the rooms carol lists include the Main Room, kitchen and garden

  @PAT-4.6-2 @must
  Scenario: A client that vanishes without exit leaves every room listing
    Given alice is in the room kitchen
    And bob is in the room kitchen
    When bob's connection drops without exit
    Then alice no longer sees bob among the users of kitchen
    And alice no longer sees bob among the users of the Main Room
