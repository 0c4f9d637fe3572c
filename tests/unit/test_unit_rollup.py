"""Which snapshot a unit's roll-up comes from, and what it says when nothing was folded yet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backend.core.snapshots import stamp
from backend.core.unit_rollup import empty, from_snapshot, pick, run_below
from shared_schema.framework_loader import load_framework
from shared_schema.sync import Snapshot
from tests.unit.test_snapshots import commune_snapshot

FRAMEWORK = load_framework()
NOW = datetime(2025, 11, 1, tzinfo=UTC)


def built(origin: str, code: str, scales: list[int], minutes: int = 0) -> Snapshot:
    """A commune snapshot stamped by an origin at NOW + minutes."""
    snap = stamp(commune_snapshot(code, scales), origin, None, NOW + timedelta(minutes=minutes))
    assert snap is not None
    return snap


def test_a_unit_run_by_a_child_node_never_shows_a_copy_built_here() -> None:
    stale_here = built("610", "23353", [1], minutes=5)  # built before 23353 ran its own node
    from_child = built("23353", "23353", [1, 2])
    assert run_below("/62/610/23353/", "610", {"23353"})
    assert pick([stale_here, from_child], "610", delegated_below=True) is from_child
    assert pick([stale_here], "610", delegated_below=True) is None


def test_a_unit_run_here_shows_the_copy_built_here_before_any_other_origin() -> None:
    here = built("610", "23347", [1])
    relayed = built("23347", "23347", [1, 2], minutes=5)
    assert not run_below("/62/610/23347/", "610", {"23353"})
    assert pick([relayed, here], "610", delegated_below=False) is here


def test_a_recognition_decided_here_wins_over_the_copy_in_the_snapshot() -> None:
    snap = built("23353", "23353", [1])
    snap.evaluation = {"level_reached": 1, "recognized_level": None, "missing": ["5.1"]}
    rollup = from_snapshot(snap, NOW, recognized_here=1)
    assert (rollup.level_reached, rollup.recognized_level, rollup.missing) == (1, 1, ("5.1",))
    assert rollup.evaluation["recognized_level"] == 1 and rollup.reported


def test_a_unit_nobody_reported_for_still_counts_its_villages() -> None:
    nothing = empty(FRAMEWORK, "23380", 2025, villages=3, recognized_here=None)
    assert nothing.completeness.villages_total == 3 and not nothing.reported
    assert nothing.totals == {} and all(r.value is None for r in nothing.rates)


CODES = ["62", "610", "23353", "23353-01", "VN", "6"]


@given(
    path=st.lists(st.sampled_from(CODES), min_size=1, max_size=5, unique=True),
    node=st.sampled_from(CODES),
    delegated=st.sets(st.sampled_from(CODES)),
)
def test_a_unit_is_run_below_exactly_when_a_delegated_code_other_than_ours_is_on_its_path(
    path: list[str], node: str, delegated: set[str]
) -> None:
    unit_path = "/" + "/".join(path) + "/"
    expected = any(code in path for code in delegated if code != node)
    assert run_below(unit_path, node, delegated) is expected
