@section-3.5
Feature: 3.5 Private connection with another client
  alice asks bob for a private connection (3); bob accepts (7) or refuses (8)
  and the server forwards his answer to alice. After an acceptance both get a
  connect id (9). Each then opens a new TCP connection and presents the id
  (10); once both have, each receives 11 and the two connections are bridged.
  chatspec sends 7 and 8 with the fields of the request they answer,
  (requester, receiver), unless the profile says `answer-order: reversed`.

      03 00000005 616c696365 00000003 626f62                   alice asks bob
      09 00000005 616c696365 00000003 626f62 1122334455667788  id for both
      0a 1122334455667788                                      presented on a new connection
      0b                                                       established

  Two connections have no order between them: where a stranger's id must meet
  a half that is already waiting, the waiting half first gets a quiet wait
  (nothing is owed to it yet), so that the server has read it.

  @COP-3.5-1 @must
  Scenario: A request is forwarded to its receiver
    Given alice is logged in
    And bob is logged in
    When alice asks bob for a private connection
    Then bob receives alice's private connection request

  @COP-3.5-2 @must
  Scenario: A request to a nickname nobody holds gets 6
    Given alice is logged in
    When alice asks a nickname nobody holds for a private connection
    Then alice receives an unknown-user answer

  @COP-3.5-3 @must
  Scenario: A refusal is forwarded and no id is issued
    Given alice is logged in
    And bob is logged in
    When alice asks bob for a private connection
    And bob receives alice's private connection request
    And bob refuses alice's private connection request
    Then alice receives bob's refusal
    And nobody receives a connect id

  @COP-3.5-4 @COP-3.5-5 @must
  Scenario: An acceptance is forwarded and both sides get the same id
    Given alice is logged in
    And bob is logged in
    When alice asks bob for a private connection
    And bob receives alice's private connection request
    And bob accepts alice's private connection request
    Then alice receives bob's acceptance
    And alice and bob receive the same connect id

  @COP-3.5-6 @must
  Scenario: 11 comes only once both sides presented the id
    Given alice and bob have been given a connect id
    When alice opens a new connection presenting the connect id
    Then alice does not receive "established" yet
    When bob opens a new connection presenting the connect id
    Then alice receives "established" on the private connection
    And bob receives "established" on the private connection

  @COP-3.5-7 @must
  Scenario: Each negotiation gets a fresh id
    Given alice and bob have been given a connect id
    And alice and bob have been given another connect id
    Then the two connect ids differ

  @COP-3.5-8 @must
  Scenario: An id that was never issued is not bridged
    Given alice is logged in
    When alice opens a new connection presenting a connect id that was never issued
    Then alice's new connection is not bridged

  @COP-3.5-8 @must
  Scenario: An id that was never issued is not bridged while a negotiation waits for its second half
    Given alice and bob have been given a connect id
    When alice opens a new connection presenting the connect id
    Then alice does not receive "established" yet
    When mallory opens a new connection presenting a connect id that was never issued
    Then mallory's new connection is not bridged
    And alice does not receive "established" yet
    When bob opens a new connection presenting the connect id
    Then alice receives "established" on the private connection
    And bob receives "established" on the private connection

  @COP-3.5-9 @must
  Scenario: A spent id on a third connection is not bridged while a negotiation waits for its second half
    Given alice and bob have a private connection
    And carol and dave have been given a connect id
    When carol opens a new connection presenting the connect id
    Then carol does not receive "established" yet
    When mallory opens a new connection presenting alice's connect id
    Then mallory's new connection is not bridged
    And carol does not receive "established" yet
    When dave opens a new connection presenting the connect id
    Then carol receives "established" on the private connection
    And dave receives "established" on the private connection

  @COP-3.5-9 @must
  Scenario: More connections on an id in use are not bridged
    Given alice and bob have a private connection
    When mallory opens a new connection presenting alice's connect id
    And eve opens a new connection presenting alice's connect id
    Then mallory's new connection is not bridged
    And eve's new connection is not bridged
    And bytes mallory sends on it reach neither alice nor bob

  @COP-3.5-10 @should
  Scenario: Connect ids are not guessable
    Given alice and bob have been given a connect id
    And alice and bob have been given another connect id
    And alice and bob have been given another connect id
    Then the connect ids are neither sequential nor small

  @COP-3.5-11 @should
  Scenario: An acceptance nobody asked for is ignored
    Given alice is logged in
    And bob is logged in
    When bob accepts a private connection alice never asked for
    Then alice does not receive bob's acceptance
    And nobody receives a connect id
