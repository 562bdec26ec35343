@section-6.5
Feature: 6.5 Exit Pat Chat
  "The user may exit the program by entering "exit" at any time. This action
  closes the socket stream."

  chatspec sends your dialect's exit action from the main command state (a
  dialect may first leave a menu, reading P7). The server must close the
  connection and the user must vanish from every room listing. A server
  that crashes on exit fails.

  @PAT-6.5-1 @must
  Scenario: Exit closes the connection and the user leaves every room listing
    Given alice is in the room kitchen
    And bob is in the room kitchen
    When bob exits
    Then bob's connection is closed
    And alice no longer sees bob among the users of kitchen
    And alice no longer sees bob among the users of the Main Room
    And the server still serves others
