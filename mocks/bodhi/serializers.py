"""Bodhi's JSON shapes, keys in the order the real server emits them (reference §6, §10, §11)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from stagingqa.mocks.store import tables as t
from stagingqa.world.tags import release_tags

BODHI_AVATAR = "https://apps.fedoraproject.org/img/icons/bodhi-24.png"


def when(value: dt.datetime | None) -> str | None:
    """Bodhi's 'YYYY-MM-DD HH:MM:SS' in UTC."""
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def user_json(user: t.User | None, name: str) -> dict[str, Any]:
    if name == "bodhi":
        return {
            "name": "bodhi",
            "email": None,
            "id": user.id if user else 0,
            "avatar": BODHI_AVATAR,
            "openid": "bodhi.id.fedoraproject.org",
            "groups": [],
        }
    email = user.email if user and user.email else f"{name}@example.com"
    digest = hashlib.sha256(email.encode()).hexdigest()
    return {
        "name": name,
        "email": email,
        "id": user.id if user else 0,
        "avatar": f"https://seccdn.libravatar.org/avatar/{digest}?s=24&d=retro",
        "openid": f"{name}.id.fedoraproject.org",
        "groups": [{"name": group} for group in (user.groups if user else [])],
    }


def release_json(release: t.Release) -> dict[str, Any]:
    tags = release_tags(release)  # type: ignore[arg-type]
    return {
        "name": release.name,
        "long_name": release.long_name,
        "version": release.version,
        "id_prefix": release.id_prefix,
        "branch": release.branch,
        "dist_tag": release.dist_tag,
        "stable_tag": tags["stable_tag"],
        "testing_tag": tags["testing_tag"],
        "candidate_tag": tags["candidate_tag"],
        "pending_signing_tag": tags["pending_signing_tag"],
        "pending_testing_tag": tags["pending_testing_tag"],
        "pending_stable_tag": tags["pending_stable_tag"],
        "override_tag": tags["override_tag"],
        "mail_template": "fedora_errata_template",
        "state": release.state,
        "composed_by_bodhi": True,
        "create_automatic_updates": False,
        "package_manager": "dnf",
        "testing_repository": "updates-testing",
        "released_on": None,
        "eol": None,
        "critpath_mandatory_days_in_testing": 14,
        "mandatory_days_in_testing": 7,
        "critpath_min_karma": 2,
        "min_karma": 2,
        "setting_status": None,
    }


def build_json(build: t.Build, release_id: int) -> dict[str, Any]:
    return {
        "nvr": build.nvr,
        "signed": True,
        "release_id": release_id,
        "type": "rpm",
        "epoch": build.epoch or 0,
    }


def nested_comment(
    comment: t.Comment, users: dict[str, t.User], with_bug_feedback: bool = True
) -> dict[str, Any]:
    user = users.get(comment.user)
    row: dict[str, Any] = {
        "karma": comment.karma,
        "karma_critpath": 0,
        "text": comment.text,
        "timestamp": when(comment.timestamp),
        "update_id": comment.update_id,
        "user_id": user.id if user else 0,
        "id": comment.id,
    }
    if with_bug_feedback:
        row["bug_feedback"] = [
            {
                "karma": f["karma"],
                "comment_id": comment.id,
                "bug_id": f["bug_id"],
                "bug": bug_json(f["bug_id"]),
            }
            for f in comment.bug_feedback or []
        ]
    row["testcase_feedback"] = []
    row["user"] = user_json(user, comment.user)
    return row


def bug_json(bug_id: int, feedback: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"bug_id": bug_id, "title": f"Bug {bug_id}", "security": False, "parent": False}
    if feedback is not None:
        row["feedback"] = feedback
    return row
