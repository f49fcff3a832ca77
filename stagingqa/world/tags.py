"""Koji tags derived from releases, merged with the tags a world declares."""

from __future__ import annotations

from stagingqa.world.model import Release, Tag, World

DERIVED_SUFFIXES = (
    "",
    "-updates",
    "-updates-testing",
    "-updates-candidate",
    "-updates-testing-pending",
    "-updates-pending",
    "-signing-pending",
    "-override",
)
BUILD_ARCHES = ["x86_64", "aarch64"]


def release_tag_prefix(release: Release) -> str:
    """`F41` -> `f41`: the stem of every tag Koji has for a release."""
    return release.name.lower()


# who inherits from whom among the derived tags, as Fedora's Koji has it (so package lists reach them all)
DERIVED_PARENTS = {
    "-updates": "",
    "-updates-testing": "-updates",
    "-updates-candidate": "-updates",
    "-updates-testing-pending": "-updates-testing",
    "-updates-pending": "-updates",
    "-signing-pending": "-updates-candidate",
}


def derived_tags(release: Release) -> list[Tag]:
    """The tags world.md derives from one release, build tag last."""
    stem = release_tag_prefix(release)
    tags = [
        Tag(
            name=stem + suffix, inherits=[stem + DERIVED_PARENTS[suffix]] if suffix in DERIVED_PARENTS else []
        )
        for suffix in DERIVED_SUFFIXES
    ]
    tags.append(
        Tag(
            name=f"{stem}-build",
            arches=list(BUILD_ARCHES),
            inherits=[f"{stem}-override", f"{stem}-updates", stem],
        )
    )
    return tags


def effective_tags(world: World) -> list[Tag]:
    """Derived tags with the declared entries applied: declared fields override, new names are added."""
    by_name: dict[str, Tag] = {}
    for release in world.releases:
        for tag in derived_tags(release):
            by_name.setdefault(tag.name, tag)
    for declared in world.tags:
        base = by_name.get(declared.name)
        if base is None:
            by_name[declared.name] = declared
        else:
            overrides = {k: getattr(declared, k) for k in declared.model_fields_set}
            by_name[declared.name] = base.model_copy(update=overrides)
    return list(by_name.values())


def release_tags(release: Release) -> dict[str, str]:
    """The tag names a Bodhi release record carries."""
    stem = release_tag_prefix(release)
    return {
        "stable_tag": f"{stem}-updates",
        "testing_tag": f"{stem}-updates-testing",
        "candidate_tag": f"{stem}-updates-candidate",
        "pending_stable_tag": f"{stem}-updates-pending",
        "pending_testing_tag": f"{stem}-updates-testing-pending",
        "pending_signing_tag": f"{stem}-signing-pending",
        "override_tag": f"{stem}-override",
        "dist_tag": release.dist_tag or stem,
    }
