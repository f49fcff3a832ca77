"""In-process mocks for a system's own unit tests: the mock Koji, Bodhi and ResultsDB behind `responses`
(`fedora_mocks`, and the pytest plugin's `fedora` fixture). Needs the `testing` extra (responses)."""

from stagingqa.testing.expect import ExpectationFailed
from stagingqa.testing.mocks import PRODUCTION, FedoraMocks, fedora_mocks
from stagingqa.world import WorldInvalid

__all__ = ["PRODUCTION", "ExpectationFailed", "FedoraMocks", "WorldInvalid", "fedora_mocks"]
