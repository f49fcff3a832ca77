"""Commands that run the verifier again on what a run recorded: reproduce, capture, bisect."""
