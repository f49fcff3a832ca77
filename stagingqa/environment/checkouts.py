"""The system's components checked out side by side: which revision of each (`--ref REV` moves the
primary one, `--ref NAME=REV` any), where each lives, clone, fetch and check out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from stagingqa.environment import install
from stagingqa.spec import Component, LoadedSpec

Refs = str | Mapping[str, str] | Iterable[str] | None  # what a caller may give as --ref


def component_refs(spec: LoadedSpec, given: Refs = None) -> dict[str, str]:
    """The ref of every component: its branch unless `given` says otherwise. A plain REV is the
    primary component's; NAME=REV is component NAME's (an unknown NAME is an InputError)."""
    refs = {c.name: c.branch for c in spec.components}
    if given is None:
        return refs
    if isinstance(given, str):
        given = [given]
    items = list(given.items()) if isinstance(given, Mapping) else [_split(spec, text) for text in given]
    for name, ref in items:
        spec.component(name)  # it must exist
        if ref:
            refs[name] = ref
    return refs


def _split(spec: LoadedSpec, text: str) -> tuple[str, str]:
    """NAME=REV when NAME is a component (a ref may contain '=' too), else the primary's REV."""
    name, sep, ref = text.partition("=")
    if sep and name in {c.name for c in spec.components}:
        return name, ref
    return spec.primary.name, text


def checkout_dir(folder: Path, spec: LoadedSpec, component: Component) -> Path:
    """The primary component in `src/` (what {src} names), the others in `components/NAME/`."""
    return folder / "src" if component.name == spec.primary.name else folder / "components" / component.name


def clone_all(spec: LoadedSpec, folder: Path, refs: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Clone every component and check out its ref; what each is, as the state records it."""
    checked = {}
    for component in spec.components:
        repository = spec.repository_of(component)
        src = checkout_dir(folder, spec, component)
        src.parent.mkdir(parents=True, exist_ok=True)
        install.clone(install.repository_source(repository, spec.state_dir), src)
        revision = install.checkout(src, refs[component.name], repository)
        checked[component.name] = {
            "repository": repository,
            "ref": refs[component.name],
            "revision": revision,
        }
    return checked


def move_all(spec: LoadedSpec, folder: Path, refs: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Fetch every component and check out its new ref, in the checkouts the environment has (a component
    added to the spec since is refused as drift before this runs)."""
    moved = {}
    for component in spec.components:
        repository = spec.repository_of(component)
        src = checkout_dir(folder, spec, component)
        install.fetch(src)
        revision = install.checkout(src, refs[component.name], repository)
        moved[component.name] = {"repository": repository, "ref": refs[component.name], "revision": revision}
    return moved
