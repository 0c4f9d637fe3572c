"""The parent's receive route: signed pushes kept by revision, every forgery refused unstored."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from backend.db.tables import seen_jtis, snapshot_history, snapshots
from shared_schema.sync import Snapshot, snapshot_content_hash
from tests.conftest import Node
from tests.sync_helpers import enroll, push, signed, snapshot


async def received(node: Node) -> tuple[int, int]:
    """(kept snapshots pushed by children, history rows pushed by children)."""
    async with node.db.read() as conn:
        kept = await conn.execute(
            select(func.count()).select_from(snapshots).where(snapshots.c.via != "")
        )
        hist = await conn.execute(
            select(func.count()).select_from(snapshot_history).where(snapshot_history.c.via != "")
        )
        return int(kept.scalar_one()), int(hist.scalar_one())


async def province_total(node: Node, field: str = "households_total") -> int:
    """The province's own snapshot total for 2025, as the federation view's source holds it."""
    answer = await node.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": "province"},
        headers=node.auth("tinh"),
    )
    assert answer.status_code == 200, answer.text
    rows = answer.json()
    async with node.db.read() as conn:
        body = (
            await conn.execute(
                select(snapshots.c.body).where(
                    snapshots.c.origin == "62", snapshots.c.unit_code == "62"
                )
            )
        ).scalar_one_or_none()
    assert rows[0]["unit"] == "62"
    return int(body["totals"].get(field, 0)) if body else 0


async def test_a_signed_push_is_kept_and_counted_at_the_province(node: Node):
    key = await enroll(node, "610")
    snap = snapshot("610", "610", scale=2)
    answer = await push(node, signed(key, "610", [snap]))
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == 1
    assert await province_total(node) == snap.totals["households_total"]
    view = await node.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": "district"},
        headers=node.auth("tinh"),
    )
    row = view.json()[0]
    assert row["unit"] == "610" and row["origin"] == "610" and row["villages_reported"] == 3
    assert row["last_sync_at"] and row["staleness_seconds"] is not None
    assert row["timeliness"] == "late"  # reported now, after 15/12/2025
    lenient = await node.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": "district", "deadline": "2099-12-31"},
        headers=node.auth("tinh"),
    )
    assert lenient.json()[0]["timeliness"] == "on_time"


async def test_duplicate_and_older_revisions_are_acknowledged_and_change_nothing(node: Node):
    key = await enroll(node, "610")
    newer = snapshot("610", "610", scale=3, revision=20)
    older = snapshot("610", "610", scale=1, revision=10)
    assert (await push(node, signed(key, "610", [newer]))).json()["accepted"] == 1
    for again in ([newer], [older], [older, newer]):
        answer = await push(node, signed(key, "610", again))
        assert answer.status_code == 200
        assert answer.json()["accepted"] == 0 and answer.json()["unchanged"] == len(again)
    assert await received(node) == (1, 1)
    assert await province_total(node) == newer.totals["households_total"]


async def test_a_commune_snapshot_relayed_by_its_district_is_kept_under_its_origin(node: Node):
    key = await enroll(node, "610")
    commune = snapshot("23353", "23353", level="commune")
    district = snapshot("610", "610", scale=1)
    answer = await push(node, signed(key, "610", [commune, district]))
    assert answer.json()["accepted"] == 2
    view = await node.client.get(
        "/api/federation/status",
        params={"year": 2025, "level": "commune", "sort": "-villages_reported"},
        headers=node.auth("tinh"),
    )
    first = view.json()[0]
    assert (first["unit"], first["origin"], first["reported"]) == ("23353", "23353", True)


def _forgeries(key: Ed25519PrivateKey) -> dict[str, tuple[int, str, str]]:
    """Each bad push → (status, code, token)."""
    stranger = Ed25519PrivateKey.generate()
    good = [snapshot("610", "610")]
    return {
        "unknown key": (401, "sync_signature_invalid", signed(stranger, "610", good)),
        "unknown node": (401, "sync_unknown_node", signed(stranger, "611", good)),
        "wrong audience": (403, "sync_audience_mismatch", signed(key, "610", good, aud="04")),
        "expired": (401, "sync_expired", signed(key, "610", good, exp_in=-120)),
        "too long a lifetime": (401, "sync_expired", signed(key, "610", good, exp_in=86400)),
        "not a jwt": (401, "sync_signature_invalid", "hello"),
    }


@pytest.mark.parametrize("case", list(_forgeries(Ed25519PrivateKey.generate())))
async def test_forged_pushes_are_refused_with_a_problem_and_nothing_is_stored(
    node: Node, case: str
):
    key = await enroll(node, "610")
    status, code, token = _forgeries(key)[case]
    answer = await push(node, token)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code
    assert answer.json()["message_vi"] and answer.json()["message_en"]
    assert await received(node) == (0, 0)


async def test_a_replayed_push_is_refused_and_stores_nothing_new(node: Node):
    key = await enroll(node, "610")
    token = signed(key, "610", [snapshot("610", "610")], jti="same-id")
    assert (await push(node, token)).status_code == 200
    again = await push(node, token)
    assert again.status_code == 409 and again.json()["code"] == "sync_replayed"
    assert await received(node) == (1, 1)
    async with node.db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(seen_jtis))).scalar_one() == 1


def refusals(answer: Any) -> list[tuple[int, str]]:
    """(index, code) of every refused item of a push's answer."""
    assert answer.status_code == 200, answer.text
    return [(v["index"], v["code"]) for v in answer.json()["items"] if v["verdict"] == "refused"]


async def test_a_commune_node_cannot_speak_for_its_neighbour(node: Node):
    key = await enroll(node, "23347")
    answer = await push(node, signed(key, "23347", [snapshot("23353", "23353", level="commune")]))
    assert refusals(answer) == [(0, "sync_out_of_subtree")]
    assert await received(node) == (0, 0)


async def test_a_tampered_snapshot_fails_its_content_hash(node: Node):
    key = await enroll(node, "610")
    snap = snapshot("610", "610")
    snap.totals["households_total"] += 1000
    answer = await push(node, signed(key, "610", [snap]))
    assert refusals(answer) == [(0, "sync_payload_invalid")]
    assert answer.json()["items"][0]["message_vi"] and answer.json()["items"][0]["message_en"]


async def test_one_refused_snapshot_does_not_hold_back_the_rest_of_its_push(node: Node):
    key = await enroll(node, "610")
    outside = snapshot("62", "62", level="province")
    good = [snapshot("23353", "23353", level="commune"), snapshot("610", "610", scale=2)]
    answer = await push(node, signed(key, "610", [good[0], outside, good[1]]))
    assert refusals(answer) == [(1, "sync_out_of_subtree")]
    verdicts = [v["verdict"] for v in answer.json()["items"]]
    assert verdicts == ["accepted", "refused", "accepted"]
    body = answer.json()
    assert (body["accepted"], body["unchanged"], body["refused"]) == (2, 0, 1)
    assert await received(node) == (2, 2)
    assert await province_total(node) == good[1].totals["households_total"]


def _poisoned(field: str, value: int) -> Snapshot:
    """A district snapshot with one value set out of range (and a matching content hash)."""
    snap = snapshot("610", "610")
    if field == "revision":
        snap.revision = value
    elif field == "year":
        snap.year = value
    else:
        snap.totals[field] = value
    snap.content_hash = snapshot_content_hash(snap)
    return snap


POISON = {
    "negative total": ("households_total", -1_000_000_000_000),
    "total beyond 64 bits": ("households_total", 2**64 - 1),
    "yes/no field beyond one per village": ("village_community_recognized", 10_000),
    "revision pinned at the top": ("revision", 2**63 - 1),
    "revision beyond 64 bits": ("revision", 2**63),
    "negative revision": ("revision", -1),
    "year far ahead": ("year", 99999),
    "negative year": ("year", -1),
    "year beyond 32 bits": ("year", 2**62),
}


@pytest.mark.parametrize("case", list(POISON))
async def test_received_values_out_of_range_are_refused_per_item(node: Node, case: str):
    key = await enroll(node, "610")
    field, value = POISON[case]
    fine = snapshot("23353", "23353", level="commune")
    answer = await push(node, signed(key, "610", [_poisoned(field, value), fine]))
    assert refusals(answer) == [(0, "sync_value_out_of_range")]
    assert answer.json()["items"][1]["verdict"] == "accepted"
    assert await received(node) == (1, 1)
    later = snapshot("610", "610", scale=2)  # a genuine revision is not pinned out
    assert refusals(await push(node, signed(key, "610", [later]))) == []
    assert await province_total(node) == later.totals["households_total"]


async def test_a_revoked_child_is_refused_and_stops_counting(node: Node):
    key = await enroll(node, "610")
    assert (await push(node, signed(key, "610", [snapshot("610", "610")]))).status_code == 200
    assert await province_total(node) > 0
    revoked = await node.client.post("/api/sync/children/610/revoke", headers=node.auth("admin"))
    assert revoked.json() == {"revoked": 1}
    answer = await push(node, signed(key, "610", [snapshot("610", "610", scale=2)]))
    assert answer.status_code == 401 and answer.json()["code"] == "sync_unknown_node"
    assert await province_total(node) == 0


async def test_key_rotation_signed_with_the_old_key_switches_keys(node: Node):
    import time
    import uuid

    import jwt

    from backend.relay.identity import public_pem

    old = await enroll(node, "610")
    new = Ed25519PrivateKey.generate()
    now = int(time.time())
    claims = {"iss": "610", "aud": "62", "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex}
    token = jwt.encode({**claims, "new_public_key": public_pem(new)}, old, algorithm="EdDSA")
    rotated = await node.client.post("/api/sync/rotate-key", content=token)
    assert rotated.status_code == 200, rotated.text
    refused = await push(node, signed(old, "610", [snapshot("610", "610")]))
    assert refused.json()["code"] == "sync_signature_invalid"
    assert (await push(node, signed(new, "610", [snapshot("610", "610")]))).status_code == 200


async def test_enrollment_tokens_work_once_and_only_for_their_unit(node: Node):
    from backend.relay.identity import public_pem

    pem = public_pem(Ed25519PrivateKey.generate())
    issued = await node.client.post(
        "/api/sync/enroll-tokens", json={"unit": "610"}, headers=node.auth("admin")
    )
    token = issued.json()["token"]
    wrong = await node.client.post(
        "/api/sync/enroll", json={"token": token, "unit": "23353", "public_key": pem}
    )
    assert wrong.status_code == 403 and wrong.json()["code"] == "sync_out_of_subtree"
    issued = await node.client.post(
        "/api/sync/enroll-tokens", json={"unit": "610"}, headers=node.auth("admin")
    )
    body = {"token": issued.json()["token"], "unit": "610", "public_key": pem}
    assert (await node.client.post("/api/sync/enroll", json=body)).status_code == 201
    again = await node.client.post("/api/sync/enroll", json=body)
    assert again.status_code == 401 and again.json()["code"] == "sync_enroll_token_invalid"
    officer = await node.client.post(
        "/api/sync/enroll-tokens", json={"unit": "610"}, headers=node.auth("tinh")
    )
    assert officer.status_code == 403
    listed = await node.client.get("/api/sync/children", headers=node.auth("admin"))
    assert [c["unit"] for c in listed.json()] == ["610"]


def _timed(key: Ed25519PrivateKey, iat: int, lifetime: int = 60) -> str:
    """A push token whose clock says `iat`."""
    import uuid

    import jwt

    from shared_schema.sync import snapshot_to_dict

    claims = {
        "iss": "610",
        "aud": "62",
        "iat": iat,
        "exp": iat + lifetime,
        "jti": uuid.uuid4().hex,
        "snapshots": [snapshot_to_dict(snapshot("610", "610"))],
    }
    return jwt.encode(claims, key, algorithm="EdDSA")


@pytest.mark.parametrize("skew", [3600, 15, -15, -3600])
async def test_a_skewed_child_clock_gets_its_own_problem_with_the_parents_time(
    node: Node, skew: int
):
    import time
    from datetime import datetime

    key = await enroll(node, "610")
    answer = await push(node, _timed(key, int(time.time()) + skew))
    if abs(skew) <= 30:  # inside the documented leeway: accepted
        assert answer.status_code == 200, answer.text
        return
    assert answer.status_code == 401 and answer.json()["code"] == "sync_clock_skew"
    parent_time = datetime.fromisoformat(answer.json()["parent_time"])
    assert abs(parent_time.timestamp() - time.time()) < 5
    assert abs(answer.json()["skew_seconds"] - skew) < 5
    assert answer.json()["message_vi"] and answer.json()["message_en"]
    assert await received(node) == (0, 0)


async def test_an_older_child_still_reads_the_answer_with_verdicts(node: Node):
    import msgspec

    class OldPushAck(msgspec.Struct):
        accepted: int
        unchanged: int
        received_at: str

    key = await enroll(node, "610")
    answer = await push(node, signed(key, "610", [snapshot("610", "610")]))
    old = msgspec.json.decode(answer.content, type=OldPushAck)
    assert (old.accepted, old.unchanged) == (1, 0)


async def test_a_malformed_snapshot_is_refused_alone(node: Node):
    import time
    import uuid

    import jwt

    from shared_schema.sync import snapshot_to_dict

    key = await enroll(node, "610")
    now = int(time.time())
    good = snapshot_to_dict(snapshot("610", "610"))
    claims = {
        "iss": "610",
        "aud": "62",
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
        "snapshots": ["not a snapshot", {"origin": "610", "unit": "610", "year": "soon"}, good],
    }
    answer = await push(node, jwt.encode(claims, key, algorithm="EdDSA"))
    assert refusals(answer) == [(0, "sync_payload_invalid"), (1, "sync_payload_invalid")]
    assert answer.json()["items"][2]["verdict"] == "accepted"
