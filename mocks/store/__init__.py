"""One shared world store: the tables all three mocks read and write, per world."""
