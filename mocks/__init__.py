"""The mock Koji hub, Bodhi and ResultsDB, served for many isolated worlds by one host."""
