"""The Buildbot master: its settings, its configuration (read by buildbot/master.cfg), and its control."""
