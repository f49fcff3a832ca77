"""Requirement matching: versions, ranges, files, rpmlib."""

from autoqa.checks.depsolve import EQUAL, GREATER, LESS, RPMLIB, Dependency, Provides


def provides(*deps, files=()):
    found = Provides()
    for dep in deps:
        found.add(dep)
    found.files.update(files)
    return found


def test_unversioned_and_versioned():
    have = provides(Dependency("libfoo.so.1()(64bit)"), Dependency("foo", EQUAL, "1:2.0-3.fc41"))
    assert have.satisfies(Dependency("libfoo.so.1()(64bit)"))
    assert have.satisfies(Dependency("foo", GREATER | EQUAL, "1:2.0"))
    assert have.satisfies(Dependency("foo", LESS, "1:2.1"))
    assert not have.satisfies(Dependency("foo", GREATER, "1:2.0-3.fc41"))
    assert not have.satisfies(Dependency("foo", GREATER | EQUAL, "2:1.0"))
    assert not have.satisfies(Dependency("bar"))


def test_versions_compare_as_rpm_does():
    have = provides(Dependency("tool", EQUAL, "1.10-1"))
    assert have.satisfies(Dependency("tool", GREATER | EQUAL, "1.9"))


def test_files_and_rpmlib():
    have = provides(files={"/usr/bin/python3"})
    assert have.satisfies(Dependency("/usr/bin/python3"))
    assert not have.satisfies(Dependency("/usr/bin/perl"))
    assert have.satisfies(Dependency("rpmlib(CompressedFileNames)", LESS | EQUAL | RPMLIB, "3.0.4-1"))


def test_dependency_text():
    assert str(Dependency("foo", GREATER | EQUAL, "1.0")) == "foo >= 1.0"
    assert str(Dependency("foo")) == "foo"
