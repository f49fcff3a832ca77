"""Deterministic times for whatever a world leaves out, derived from its `now`, never the wall clock."""

from __future__ import annotations

import datetime as dt

from stagingqa.world.model import World

DEFAULT_NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def world_now(world: World) -> dt.datetime:
    """The world's clock."""
    return world.now or DEFAULT_NOW


def build_completed(world: World, index: int) -> dt.datetime:
    """Build `index` of the file finished one hour after the one before it, the last an hour before now."""
    build = world.builds[index]
    if build.completed:
        return build.completed
    return world_now(world) - dt.timedelta(hours=len(world.builds) - index)


def build_started(world: World, index: int) -> dt.datetime:
    """A build started half an hour before it completed unless the file says otherwise."""
    return world.builds[index].started or build_completed(world, index) - dt.timedelta(minutes=30)


def tagging_time(world: World, event: int, events: int) -> dt.datetime:
    """The `event`-th of `events` tagging events, ten seconds apart, the last ten seconds before now."""
    return world_now(world) - dt.timedelta(seconds=10 * (events - event))


def update_submitted(world: World, index: int) -> dt.datetime:
    """Updates without a submission time were submitted an hour apart, the last an hour before now."""
    update = world.updates[index]
    return update.submitted or world_now(world) - dt.timedelta(hours=len(world.updates) - index)


def comment_time(world: World, update_index: int, comment_index: int) -> dt.datetime:
    """Comments without a time follow their update's submission a minute apart."""
    comment = world.updates[update_index].comments[comment_index]
    return comment.when or update_submitted(world, update_index) + dt.timedelta(minutes=comment_index + 1)


def result_submitted(world: World, index: int) -> dt.datetime:
    """Results without a time were submitted a second apart, the last a second before now."""
    result = world.results[index]
    return result.submitted or world_now(world) - dt.timedelta(seconds=len(world.results) - index)


def history_time(world: World, index: int) -> dt.datetime:
    """History entries without a time happen a second apart after `now`."""
    entry = world.history[index]
    return entry.when or world_now(world) + dt.timedelta(seconds=index + 1)
