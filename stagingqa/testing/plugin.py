"""The pytest plugin (entry point `pytest11: stagingqa`): the `fedora` fixture, the `fedora_world` marker
and the `--fedora-world` option. Importing it costs nothing: the mocks load when a test asks for them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

MARKER = "fedora_world"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fedora-world",
        metavar="PATH",
        help="The world file the `fedora` fixture serves when a test names none (stagingqa.testing).",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(path, urls=None, identity=None, passthrough=()): the world file (relative to the test's "
        "folder) and options of the `fedora` fixture (stagingqa.testing)",
    )
    # in process there is no socket for requests-kerberos to take a channel binding from (bodhi-client)
    config.addinivalue_line("filterwarnings", "ignore:Failed to get raw socket for CBT")


@pytest.fixture
def fedora(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The mock Koji, Bodhi and ResultsDB of one world, in process, for this test (stagingqa.testing)."""
    from stagingqa.testing import fedora_mocks

    marker = request.node.get_closest_marker(MARKER)
    if marker is not None and marker.args:
        world: Any = marker.args[0]
        if isinstance(world, str | Path) and not Path(world).is_absolute():
            world = Path(request.node.path).parent / world
        options = dict(marker.kwargs)
    else:
        given = request.config.getoption("--fedora-world")
        if given is None:
            pytest.fail(
                f"the `fedora` fixture needs a world: @pytest.mark.{MARKER}('world.yaml') on the test, or "
                "--fedora-world PATH",
                pytrace=False,
            )
        world, options = Path(request.config.invocation_params.dir) / given, {}
    with fedora_mocks(world, **options) as mocks:
        yield mocks
