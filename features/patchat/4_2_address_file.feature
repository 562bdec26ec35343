@section-4.2
Feature: 4.2 The server writes its address to a text file
  "The server then boots up, where it obtains its IP address ... From there,
  it exports the IP address to a .txt file that the client will then import
  to establish a connection."

  Observed, not judged. chatspec can only look for the file when it starts
  the server itself: give the file's place in the --exec command, as
  `--exec './server --port {port} --address-file {dir}/address.txt'`
  (or your server's own option); chatspec then checks that
  {dir}/address.txt exists and names the port. Otherwise the row says why it
  could not look.

  @PAT-4.2-1 @info
  Scenario: The server writes its address to a text file at start
    Given chatspec started the server itself (needed to know where the address file is)
    Then chatspec notes whether the server wrote its address to a text file
