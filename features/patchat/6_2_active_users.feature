@section-6.2
Feature: 6.2 Active users in a room
  "Any client can see a list of active users in a room by typing "l". This
  function does not display all active users in Pat Chat."

  Your dialect says whether list_users reports the current room or a room
  the client names (list_users_scope, reading P4); for "current" chatspec
  switches to the room first. The list must hold exactly the room's members:
  no one missing, and no user of another room.

  @PAT-6.2-1 @must
  Scenario: The user list names exactly the members of the room
    Given alice is in the rooms kitchen and garden
    And bob is in the room kitchen
    And carol is in the room garden
    Then the users alice sees in kitchen are exactly alice and bob
    And the users alice sees in garden are exactly alice and carol
    And the users bob sees in kitchen are exactly alice and bob

  @PAT-6.2-1 @must
  Scenario: A member who left a room and joined it again is listed once
    Given alice is in the room kitchen
    And bob is in the room kitchen
    When bob leaves the room kitchen
    And bob joins the room kitchen
    Then the users alice sees in kitchen are exactly alice and bob
