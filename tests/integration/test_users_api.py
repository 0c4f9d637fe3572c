"""Officials create, edit, deactivate and reset users inside their subtree, within roles.yaml."""

from __future__ import annotations

from tests.conftest import PASSWORD, Node
from tests.integration.onboarding_helpers import NEW_PASSWORD, activate, create_user, login

HEAD = {
    "username": "thon3-dakpek",
    "full_name": "Y Blao",
    "role": "village_head",
    "unit": "23353-03",
}


async def test_commune_officer_creates_a_village_head_who_activates_with_the_code(node: Node):
    created = await create_user(node, "xa_dakpek", **HEAD, phone="0912 345 678")
    assert created.status_code == 201, created.text
    issued = created.json()
    assert len(issued["code"]) == 10 and issued["code"].isdigit()
    assert issued["activation_url"].endswith(f"/#/activate/{issued['code']}")
    listed = await node.client.get(
        "/api/users", params={"unit": "23353"}, headers=node.auth("xa_dakpek")
    )
    mine = next(u for u in listed.json() if u["username"] == "thon3-dakpek")
    assert mine["activation_pending"] and not mine["has_password"] and mine["phone"] == "0912345678"
    assert (await login(node, "thon3-dakpek", "")).status_code in (401, 422)

    answer = await activate(node, issued["code"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["user"]["unit"] == "23353-03"
    assert (await login(node, "thon3-dakpek")).status_code == 200
    history = await node.client.get(
        "/api/users/thon3-dakpek/history", headers=node.auth("xa_dakpek")
    )
    assert [e["action"] for e in history.json()] == ["user.create", "user.activate"]


async def test_roles_are_granted_only_as_roles_yaml_allows(node: Node):
    officer = await create_user(
        node, "xa_dakpek", **(HEAD | {"role": "commune_officer", "unit": "23353"})
    )
    assert officer.status_code == 403 and officer.json()["code"] == "role_not_grantable"
    by_district = await create_user(
        node, "huyen", **(HEAD | {"username": "xa-moi", "role": "commune_officer", "unit": "23353"})
    )
    assert by_district.status_code == 201
    admin_by_district = await create_user(
        node, "huyen", **(HEAD | {"username": "qt-moi", "role": "admin", "unit": "610"})
    )
    assert admin_by_district.status_code == 403
    unknown = await create_user(node, "admin", **(HEAD | {"role": "mayor"}))
    assert unknown.status_code == 422 and unknown.json()["code"] == "role_unknown"
    for reader in ("thon_dakpek_1", "xem"):
        listed = await node.client.get("/api/users", headers=node.auth(reader))
        assert listed.status_code == 403


async def test_another_communes_officer_can_neither_list_reset_nor_deactivate(node: Node):
    assert (await create_user(node, "xa_dakpek", **HEAD)).status_code == 201
    other = node.auth("xa_dakman")
    listed = await node.client.get("/api/users", params={"unit": "23353"}, headers=other)
    assert listed.status_code == 403 and listed.json()["code"] == "out_of_scope"
    for action in ("reset", "deactivate"):
        answer = await node.client.post(f"/api/users/thon3-dakpek/{action}", headers=other)
        assert answer.status_code == 403, action
    patched = await node.client.patch(
        "/api/users/thon3-dakpek", json={"full_name": "X"}, headers=other
    )
    assert patched.status_code == 403
    own = await node.client.get("/api/users", headers=other)
    assert all(u["unit"].startswith("23347") for u in own.json())


async def test_bad_user_details_are_refused_field_by_field(node: Node):
    answer = await create_user(
        node, "xa_dakpek", **(HEAD | {"username": "Có Dấu", "full_name": "a\u0001b", "phone": "12"})
    )
    assert answer.status_code == 422 and answer.json()["code"] == "user_invalid"
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"username", "full_name", "phone"}
    duplicate = await create_user(node, "xa_dakpek", **(HEAD | {"username": "thon_dakpek_1"}))
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "user_exists"


async def test_edit_changes_name_and_unit_and_is_in_the_history(node: Node):
    await create_user(node, "xa_dakpek", **HEAD)
    patched = await node.client.patch(
        "/api/users/thon3-dakpek",
        json={"full_name": "Y  Blao  Niê", "unit": "23353-02"},
        headers=node.auth("xa_dakpek"),
    )
    assert patched.status_code == 200
    assert patched.json()["full_name"] == "Y Blao Niê" and patched.json()["unit"] == "23353-02"
    out_of_scope = await node.client.patch(
        "/api/users/thon3-dakpek", json={"unit": "23347-01"}, headers=node.auth("xa_dakpek")
    )
    assert out_of_scope.status_code == 403
    promote = await node.client.patch(
        "/api/users/thon3-dakpek", json={"role": "viewer"}, headers=node.auth("xa_dakpek")
    )
    assert promote.status_code == 403
    history = await node.client.get("/api/users/thon3-dakpek/history", headers=node.auth("huyen"))
    assert history.json()[-1]["detail"] == {"full_name": "Y Blao Niê", "unit": "23353-02"}


async def test_deactivation_ends_sessions_and_reactivation_restores_login(node: Node):
    session = await login(node, "thon_dakpek_1", PASSWORD)
    refresh = session.json()["refresh_token"]
    off = await node.client.post(
        "/api/users/thon_dakpek_1/deactivate", headers=node.auth("xa_dakpek")
    )
    assert off.status_code == 200 and off.json()["active"] is False
    assert (await login(node, "thon_dakpek_1", PASSWORD)).status_code == 401
    again = await node.client.post(
        "/api/auth/refresh", json={"refresh_token": refresh, "device_id": "phone-9"}
    )
    assert again.status_code == 401
    on = await node.client.post(
        "/api/users/thon_dakpek_1/reactivate", headers=node.auth("xa_dakpek")
    )
    assert on.status_code == 200 and on.json()["active"] is True
    assert (await login(node, "thon_dakpek_1", PASSWORD)).status_code == 200
    selfish = await node.client.post(
        "/api/users/xa_dakpek/deactivate", headers=node.auth("xa_dakpek")
    )
    assert selfish.status_code == 403  # a commune officer may not manage commune officers


async def test_reset_forgets_the_password_and_issues_a_new_code(node: Node):
    reset = await node.client.post("/api/users/thon_dakpek_1/reset", headers=node.auth("xa_dakpek"))
    assert reset.status_code == 200
    assert (await login(node, "thon_dakpek_1", PASSWORD)).status_code == 401
    second = await node.client.post(
        "/api/users/thon_dakpek_1/reset", headers=node.auth("xa_dakpek")
    )
    first_again = await activate(node, reset.json()["code"])
    assert first_again.status_code == 422  # the second reset withdrew the first code
    assert (await activate(node, second.json()["code"])).status_code == 200
    assert (await login(node, "thon_dakpek_1")).status_code == 200


async def test_password_change_checks_the_current_one_and_the_policy(node: Node):
    headers = node.auth("thon_dakpek_1")
    url = "/api/auth/password"
    wrong = await node.client.post(
        url, json={"current": "nope", "new": NEW_PASSWORD}, headers=headers
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "password_current_wrong"
    weak = await node.client.post(
        url, json={"current": PASSWORD, "new": "12345678"}, headers=headers
    )
    assert weak.status_code == 422 and weak.json()["code"] == "password_weak"
    codes = {e["code"] for e in weak.json()["errors"]}
    assert codes == {"password_common", "password_trivial"}
    assert "phổ biến" in weak.json()["message_vi"] and "common" in weak.json()["message_en"]
    ok = await node.client.post(
        url, json={"current": PASSWORD, "new": NEW_PASSWORD}, headers=headers
    )
    assert ok.status_code == 204
    assert (await login(node, "thon_dakpek_1", PASSWORD)).status_code == 401
    assert (await login(node, "thon_dakpek_1")).status_code == 200
    history = await node.client.get(
        "/api/users/thon_dakpek_1/history", headers=node.auth("xa_dakpek")
    )
    assert [e["action"] for e in history.json()] == ["user.password"]


async def test_a_reason_given_for_an_account_action_is_in_its_history(node: Node):
    answer = await node.client.post(
        "/api/users/thon_dakpek_1/deactivate",
        json={"reason": "Đã chuyển công tác"},
        headers=node.auth("xa_dakpek"),
    )
    assert answer.status_code == 200
    history = await node.client.get(
        "/api/users/thon_dakpek_1/history", headers=node.auth("xa_dakpek")
    )
    assert history.json()[-1]["detail"] == {"reason": "Đã chuyển công tác"}
