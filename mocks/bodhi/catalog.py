"""Read-only catalogues: releases, builds, packages, users."""

from __future__ import annotations

import fnmatch
from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from stagingqa.mocks.bodhi import params, queries
from stagingqa.mocks.bodhi.errors import Problems, fail
from stagingqa.mocks.bodhi.serializers import build_json, release_json, user_json
from stagingqa.mocks.bodhi.updates import base_url, world
from stagingqa.mocks.store import tables as t

bp = Blueprint("catalog", __name__)


@bp.get("/releases/")
def list_releases() -> Any:
    problems = Problems()
    page, rows = params.paging(request.args, problems)
    exclude_archived = params.boolean(request.args, "exclude_archived", problems, False)
    problems.raise_if_any()
    states = params.split_list(request.args, "state")
    pattern = request.args.get("name")
    with world().database.session() as session:
        releases = sorted(session.scalars(select(t.Release)), key=lambda r: r.name)
        releases = [
            r
            for r in releases
            if (not exclude_archived or r.state != "archived")
            and (not states or r.state in states)
            and (not pattern or fnmatch.fnmatchcase(r.name, pattern.replace("%", "*").replace("_", "?")))
        ]
        shown, paging = params.page_of(releases, page, rows)
        data = [release_json(r) for r in shown]
    return jsonify(releases=data, **paging)


@bp.get("/releases/<name>")
def get_release(name: str) -> Any:
    with world().database.session() as session:
        for release in session.scalars(select(t.Release)):
            if name in (release.name, release.long_name, release.dist_tag) or (
                name == "rawhide" and release.state == "pending"
            ):
                return jsonify(release_json(release))
    raise fail("body", "name", "No such release", 404)


@bp.get("/builds/")
def list_builds() -> Any:
    problems = Problems()
    page, rows = params.paging(request.args, problems)
    nvrs = params.split_list(request.args, "nvr")
    packages = params.split_list(request.args, "packages")
    aliases = params.split_list(request.args, "updates")
    with world().database.session() as session:
        pairs = queries.update_builds(session)
        unknown = [a for a in aliases if a not in {u.alias for _, u in pairs}]
        if unknown:
            problems.add("querystring", "updates", f"Invalid updates specified: {', '.join(unknown)}")
        problems.raise_if_any()
        found = sorted(
            {
                b.nvr: (b, u)
                for b, u in pairs
                if (not nvrs or b.nvr in nvrs)
                and (not packages or b.name in packages)
                and (not aliases or u.alias in aliases)
            }.values(),
            key=lambda pair: pair[0].nvr,
        )
        shown, paging = params.page_of(found, page, rows)
        data = [build_json(b, u.release_id) for b, u in shown]
    return jsonify(builds=data, **paging)


@bp.get("/builds/<nvr>")
def get_build(nvr: str) -> Any:
    with world().database.session() as session:
        for build, update in queries.update_builds(session):
            if build.nvr == nvr:
                return jsonify(build_json(build, update.release_id))
    raise fail("body", "nvr", "No such build", 404)


@bp.get("/packages/")
def list_packages() -> Any:
    problems = Problems()
    page, rows = params.paging(request.args, problems)
    problems.raise_if_any()
    with world().database.session() as session:
        names = sorted({b.name for b, _ in queries.update_builds(session)})
    shown, paging = params.page_of(names, page, rows)
    return jsonify(packages=[{"name": n, "type": "rpm"} for n in shown], **paging)


@bp.get("/users/<name>")
def get_user(name: str) -> Any:
    with world().database.session() as session:
        user = session.scalar(select(t.User).where(t.User.name == name))
        if user is None:
            raise fail("url", "name", "No such user", 404)
        data = user_json(user, name)
    root = base_url()
    urls = {
        "comments_by": f"{root}comments/?user={name}",
        "comments_on": f"{root}comments/?update_owner={name}",
        "recent_updates": f"{root}updates/?user={name}",
        "recent_overrides": f"{root}overrides/?user={name}",
        "comments_by_rss": f"{root}rss/comments/?user={name}",
        "comments_on_rss": f"{root}rss/comments/?update_owner={name}",
        "recent_updates_rss": f"{root}rss/updates/?user={name}",
        "recent_overrides_rss": f"{root}rss/overrides/?user={name}",
    }
    return jsonify(user=data, urls=urls)
