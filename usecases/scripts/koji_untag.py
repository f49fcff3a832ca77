"""Untag a build in the world's Koji, as a release engineer would during a run: koji_untag.py TAG NVR."""

import os
import sys

import koji

session = koji.ClientSession(os.environ["AUTOQA_KOJI_URL"])
session.opts.update(user="releng", password="releng")  # noqa: S106 - the mock hub's default password
session.login()
session.untagBuild(sys.argv[1], sys.argv[2])
print(f"untagged {sys.argv[2]} from {sys.argv[1]}")
