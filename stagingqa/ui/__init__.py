"""The results UI: runs, verdicts, expected-versus-posted differences, worlds and request journals."""
