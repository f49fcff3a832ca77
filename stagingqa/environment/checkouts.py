"""The system's components checked out side by side: which revision of each (`--ref REV` moves the
primary one, `--ref NAME=REV` any), where each lives, clone, fetch and check out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from stagingqa.environment import install, merges
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
        checked[component.name] = check_out(src, refs[component.name], repository)
    return checked


def move_all(spec: LoadedSpec, folder: Path, refs: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Fetch every component and check out its new ref, in the checkouts the environment has (a component
    added to the spec since is refused as drift before this runs)."""
    moved = {}
    for component in spec.components:
        repository = spec.repository_of(component)
        src = checkout_dir(folder, spec, component)
        install.fetch(src)
        moved[component.name] = check_out(src, refs[component.name], repository)
    return moved


def check_out(src: Path, ref: str, repository: str) -> dict[str, str]:
    """Check `ref` out in the clone `src` (HEAD+BASE: HEAD merged into BASE); what the state records of
    it. A merge commit exists only here, so its `pin` (HEADSHA+BASESHA) is what rebuilds it elsewhere."""
    parents = merges.split(src, ref)
    if parents is None:
        return {"repository": repository, "ref": ref, "revision": install.checkout(src, ref, repository)}
    head, base = parents
    label = " into ".join(ref.rsplit(merges.SEPARATOR, 1))
    revision = merges.merge(src, head, base, label)
    pin = revision if revision in parents else f"{head}{merges.SEPARATOR}{base}"
    checked = {"repository": repository, "ref": ref, "revision": revision}
    return checked | {"pin": pin, "head": head, "base": base}
