"""Per-branch environments kept for people: deploy, upgrade on push, verify, undeploy when the branch is
gone or merged, within a number of live environments and their time to live."""
