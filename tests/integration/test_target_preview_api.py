"""The targets/roadmap preview: per-row errors, and the Đắk Glei 4.1 warning by unit name."""

from __future__ import annotations

from tests.conftest import FIXTURES, Node

ROADMAP = (FIXTURES / "roadmap-kontum-dakglei.csv").read_text(encoding="utf-8")


async def _post(node: Node, path: str, csv: str, user: str = "huyen") -> object:
    """POST a CSV body."""
    return await node.client.post(
        path, content=csv.encode(), headers=node.auth(user) | {"Content-Type": "text/csv"}
    )


def _dak_glei_2025(warnings: list[dict[str, object]]) -> dict[str, object]:
    """The warning about Đắk Glei's 2025 level-1 plan."""
    return next(w for w in warnings if w["unit"] == "610" and w["year"] == 2025)


async def test_the_dak_glei_roadmap_warns_by_name_before_and_after_committing(node: Node):
    preview = await _post(node, "/api/targets/preview", ROADMAP)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["invalid"] == 0 and body["valid"] == len(ROADMAP.strip().splitlines()) - 1
    warning = _dak_glei_2025(body["warnings"])
    assert warning["indicator"] == "4.1" and (warning["planned"], warning["total"]) == (10, 12)
    assert warning["unit_name"] == "Huyện Đắk Glei"
    assert "Huyện Đắk Glei" in warning["message_vi"] and "10/12" in warning["message_vi"]
    assert "90" in warning["message_en"]
    stored = await node.client.get(
        "/api/targets", params={"unit": "610"}, headers=node.auth("huyen")
    )
    assert stored.json() == []  # a preview stores nothing

    assert (await _post(node, "/api/targets/import", ROADMAP)).status_code == 200
    after = await node.client.get(
        "/api/targets/roadmap-check", params={"unit": "610"}, headers=node.auth("huyen")
    )
    assert _dak_glei_2025(after.json())["message_vi"] == warning["message_vi"]


async def test_each_bad_row_is_shown_with_its_reason(node: Node):
    csv = (
        "unit_code,year,target_level\n"
        "23353,2025,1\n"
        "99999,2025,1\n"
        "23353,năm,1\n"
        "23353,2025,1\n"
        "6101,2025,x\n"
    )
    preview = await _post(node, "/api/targets/preview", csv)
    rows = preview.json()["rows"]
    assert rows[0]["errors"] == [] and rows[0]["unit_name"] == "Xã Đắk Pék"
    assert [e["code"] for e in rows[1]["errors"]] == ["unit_not_found"]
    assert [e["code"] for e in rows[2]["errors"]] == ["not_integer"]
    assert [e["code"] for e in rows[3]["errors"]] == ["duplicate"]
    assert "not_level" in [e["code"] for e in rows[4]["errors"]]
    assert preview.json()["invalid"] == 4


async def test_preview_needs_target_write_and_a_known_header(node: Node):
    assert (await _post(node, "/api/targets/preview", ROADMAP, "xa_dakpek")).status_code == 403
    bad = await _post(node, "/api/targets/preview", "ma,nam\n1,2\n")
    assert bad.status_code == 422 and bad.json()["code"] == "targets_csv_invalid"
    outside = await _post(node, "/api/targets/preview", "unit_code,year,target_level\n62,2025,1\n")
    assert [e["code"] for e in outside.json()["rows"][0]["errors"]] == ["out_of_scope"]
