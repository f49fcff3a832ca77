"""Use cases and the verifier: run a scenario against an environment and match what was posted."""
