"""stagingqa mutate: mutants of the system under test, run against the use cases, and the score."""
