"""Snapshot building and merging: sums, completeness, and order-insensitive convergence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.core.federation import filter_rows, make_row, sort_rows, timeliness
from backend.core.snapshot_checks import village_bound
from backend.core.snapshots import (
    UnitFacts,
    VillageTally,
    apply_snapshots,
    content_matches,
    fold_unit,
    stamp,
)
from backend.core.unit_rollup import empty, from_snapshot
from shared_schema.framework_loader import load_framework
from shared_schema.sync import Snapshot, snapshot_from_dict, snapshot_to_dict
from tests.factories import tally_values

FRAMEWORK = load_framework()
NOW = datetime(2025, 11, 1, tzinfo=UTC)


def commune_snapshot(code: str, scales: list[int], status: str = "submitted") -> Snapshot:
    """A commune folded from villages of the given scales."""
    tallies = [
        VillageTally(f"{code}-{i}", tally_values(scale), status, NOW)
        for i, scale in enumerate(scales)
    ]
    facts = UnitFacts(code, "commune", "610", 2025, direct_villages=3, child_units=0)
    return fold_unit(FRAMEWORK, facts, tallies, [])


def test_a_district_sums_its_communes_and_computes_rates_from_the_sums():
    a, b = commune_snapshot("A", [1, 2]), commune_snapshot("B", [3])
    facts = UnitFacts("610", "district", "62", 2025, direct_villages=0, child_units=3)
    district = fold_unit(FRAMEWORK, facts, [], [a, b], missing_villages=4)
    assert district.totals["households_total"] == 120 * 6
    assert district.totals["village_count"] == 3
    assert district.completeness.villages_total == 3 + 3 + 4
    assert district.completeness.villages_reported == 3
    assert (district.completeness.children_total, district.completeness.children_reported) == (3, 2)
    rate = next(r for r in district.rates if r.code == district.rates[0].code)
    assert rate.denominator > 0 and rate.value is not None
    assert content_matches(district)


def test_returned_tallies_do_not_count_and_do_not_report():
    snap = commune_snapshot("A", [1], status="returned")
    assert snap.totals.get("households_total", 0) == 0
    assert snap.completeness.villages_reported == 0


def test_a_rebuild_with_the_same_content_makes_no_new_revision_and_a_change_does():
    first = stamp(commune_snapshot("A", [1]), "A", None, NOW)
    assert first is not None and first.revision > 0
    assert stamp(commune_snapshot("A", [1]), "A", first, NOW + timedelta(seconds=1)) is None
    second = stamp(commune_snapshot("A", [2]), "A", first, NOW)  # same clock: still grows
    assert second is not None and second.revision == first.revision + 1


def test_snapshots_survive_the_wire_unchanged():
    snap = stamp(commune_snapshot("A", [1, 1]), "A", None, NOW)
    assert snap is not None
    back = snapshot_from_dict(snapshot_to_dict(snap))
    assert back == snap and content_matches(back)


def _pushes() -> list[Snapshot]:
    """Revisions of two origins' snapshots, some with equal revisions and other content."""
    found = []
    for origin, unit in (("610", "610"), ("610", "23353"), ("23347", "23347")):
        for revision in (1, 2, 3):
            for scale in (1, 2):
                snap = commune_snapshot(unit, [scale * revision])
                snap.origin, snap.revision = origin, revision
                found.append(snap)
    return found


PUSHES = _pushes()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(range(len(PUSHES))), min_size=1, max_size=40), st.randoms())
def test_any_order_and_duplication_of_pushes_gives_the_same_parent_state(picks, random):
    chosen = [PUSHES[i] for i in picks]
    shuffled = chosen[:]
    random.shuffle(shuffled)
    doubled = shuffled + chosen[::-1]
    one, _ = apply_snapshots({}, chosen)
    two, _ = apply_snapshots({}, shuffled)
    three, _ = apply_snapshots({}, [s for s in doubled for _ in range(2)])
    assert one == two == three
    again, accepted = apply_snapshots(one, chosen)
    assert again == one and accepted == []


@settings(max_examples=50, deadline=None)
@given(st.permutations(range(len(PUSHES))))
def test_the_parent_total_after_any_order_is_the_sum_of_the_newest_revisions(order):
    state, _ = apply_snapshots({}, [PUSHES[i] for i in order])
    facts = UnitFacts("62", "province", "", 2025, direct_villages=0, child_units=3)
    total = fold_unit(FRAMEWORK, facts, [], list(state.values()))
    expected = sum(
        max(
            (p for p in PUSHES if (p.origin, p.unit) == key),
            key=lambda p: (p.revision, p.content_hash),
        ).totals["households_total"]
        for key in {(p.origin, p.unit) for p in PUSHES}
    )
    assert total.totals["households_total"] == expected


def test_timeliness_against_the_deadline_and_rows_sort_and_filter():
    deadline = datetime(2025, 12, 15, 23, 59, tzinfo=UTC)
    snap = stamp(commune_snapshot("A", [1]), "A", None, NOW)
    assert snap is not None
    reported = from_snapshot(snap, NOW)
    assert timeliness(reported, deadline) == "on_time"
    assert timeliness(reported, NOW - timedelta(days=1)) == "late"
    assert timeliness(None, deadline) == "missing"
    nothing = empty(FRAMEWORK, "B", 2025, villages=3, recognized_here=None)
    rows = [
        make_row("A", "Xã A", "commune", "610", reported, deadline, NOW),
        make_row("B", "Xã Bờ Y", "commune", "610", nothing, deadline, NOW),
    ]
    assert rows[1].villages_total == 3 and rows[1].timeliness == "missing"
    assert [r.unit for r in sort_rows(rows, "-completeness")] == ["A", "B"]
    assert [r.unit for r in sort_rows(rows, "completeness")] == ["B", "A"]  # 0 % before 100 %
    assert [r.unit for r in filter_rows(rows, timeliness_is="missing")] == ["B"]
    assert [r.unit for r in filter_rows(rows, query="bờ y")] == ["B"]


def test_the_village_bound_of_a_subtree_comes_from_the_framework():
    framework = load_framework()
    commune = next(level for level in framework.unit_levels if level.code == "commune")
    assert commune.max_villages == 300
    assert village_bound(framework, {"commune": 97, "province": 1}) == 97 * 300
    assert village_bound(framework, {}) == 300  # at least one commune's worth
