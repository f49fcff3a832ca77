"""`stagingqa world import`: a world file written from live Koji, Bodhi and ResultsDB (docs/import.md)."""
