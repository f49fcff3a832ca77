"""rpm's own comparison table (rpm's tests/rpmvercmp.at), checked against autoqa.rpmvercmp."""

import pytest
from autoqa.rpmvercmp import evr_compare, parse_evr, vercmp

CASES = [
    ("1.0", "1.0", 0),
    ("1.0", "2.0", -1),
    ("2.0", "1.0", 1),
    ("2.0.1", "2.0.1", 0),
    ("2.0", "2.0.1", -1),
    ("2.0.1a", "2.0.1a", 0),
    ("2.0.1a", "2.0.1", 1),
    ("5.5p1", "5.5p1", 0),
    ("5.5p1", "5.5p2", -1),
    ("5.5p10", "5.5p1", 1),
    ("10xyz", "10.1xyz", -1),
    ("xyz10", "xyz10.1", -1),
    ("xyz.4", "8", -1),
    ("5.6.7", "5.6.7", 0),
    ("1.10", "1.9", 1),
    ("1.9", "1.10", -1),
    ("1b.fc17", "1.fc17", -1),
    ("1.0~rc1", "1.0", -1),
    ("1.0~rc1", "1.0~rc2", -1),
    ("1.0~rc1~git123", "1.0~rc1", -1),
    ("1.0^", "1.0", 1),
    ("1.0^git1", "1.0", 1),
    ("1.0^git1", "1.01", -1),
    ("1.0^git1", "1.0^git2", -1),
    ("1.0^git1~pre", "1.0^git1", -1),
    ("1.0~rc1^git1", "1.0~rc1", 1),
    ("1.0.", "1.0", 0),
    ("a", "1", -1),
    ("007", "7", 0),
]


@pytest.mark.parametrize("a, b, expected", CASES)
def test_vercmp(a, b, expected):
    assert vercmp(a, b) == expected
    assert vercmp(b, a) == -expected


def test_epochs_win():
    assert evr_compare((1, "1.0", "1"), (None, "9.9", "9")) == 1
    assert evr_compare(parse_evr("2:1.10-3.fc41"), (2, "1.10", "3.fc41")) == 0
    assert parse_evr("1.2") == (None, "1.2", "")
