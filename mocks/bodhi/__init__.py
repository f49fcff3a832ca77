"""Mock Bodhi 26.4: updates, releases, builds, comments and the identity provider bodhi-client needs."""
