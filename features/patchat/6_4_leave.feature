@section-6.4
Feature: 6.4 Leave a chatroom
  "A user can leave a chatroom by sending the remove command "r" and the room
  name. This will remove them from the list of clients that have joined the
  room. They also cannot enter the room unless they join again."

  After leaving, the user receives nothing more from the room; once it joins
  again it receives the room's messages again.

  @PAT-6.4-1 @must
  Scenario: A user who left a room receives nothing more from it until it joins again
    Given alice is in the room kitchen
    And bob is in the room kitchen
    And carol is in the room kitchen
    When bob leaves the room kitchen
    And alice says "gone" in kitchen
    Then carol receives "gone" from alice in kitchen
    And bob does not receive "gone"
    And the users carol sees in kitchen are exactly alice and carol
    When bob joins the room kitchen
    And alice says "back" in kitchen
    Then bob receives "back" from alice in kitchen
