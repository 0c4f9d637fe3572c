"""The password policy refuses short, common, trivial and username passwords, in both languages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.activation_codes import grouped, new_code, normalise, well_formed
from backend.core.errors import InvalidInput
from backend.services.password_policy import password_policy
from shared_schema.roles import load_roles

POLICY = password_policy()


def codes(password: str, username: str = "") -> set[str]:
    """The reasons a password is refused."""
    return {p.code for p in POLICY.problems(password, username)}


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("12345678", {"password_common", "password_trivial"}),
        ("password", {"password_common"}),
        ("        ", {"password_too_short"}),
        ("abcdefghij", {"password_trivial"}),
        ("matkhau123", {"password_common"}),
        ("anhyeuem", {"password_common"}),
        ("asdfghjkl", {"password_common", "password_trivial"}),
        ("xa_dakpek2025", {"password_has_username"}),
        ("Lúa-chiêm-xanh-2025", set()),
        ("doi-mat-khau-ngay", set()),
    ],
)
def test_known_passwords_get_their_reasons(password: str, reasons: set[str]):
    assert codes(password, "xa_dakpek") == reasons


def test_the_refusal_names_every_reason_in_vietnamese_and_english():
    with pytest.raises(InvalidInput) as refused:
        POLICY.check("12345678")
    assert refused.value.code == "password_weak"
    assert "phổ biến" in refused.value.message_vi and "liên tiếp" in refused.value.message_vi
    assert "common" in refused.value.message_en and "consecutive" in refused.value.message_en


@given(st.characters(codec="utf-8", exclude_categories=("Cs",)), st.integers(8, 40))
def test_one_character_repeated_is_always_refused(char: str, length: int):
    assert codes(char * length)


@given(st.text(min_size=0, max_size=7))
def test_anything_shorter_than_eight_is_refused(password: str):
    assert "password_too_short" in codes(password)


@given(st.integers(0, 10**10 - 1))
def test_an_activation_code_survives_grouping_and_separators(number: int):
    code = str(number).zfill(10)
    assert normalise(grouped(code)) == code and well_formed(grouped(code).replace(" ", "-"))


def test_new_codes_are_ten_digits():
    assert all(len(c) == 10 and c.isdigit() for c in (new_code() for _ in range(100)))


def test_roles_grant_only_roles_that_exist_and_never_more_than_the_granter_manages():
    book = load_roles()
    known = {r.code for r in book.roles}
    for role in book.roles:
        assert role.grant_roles <= known, role.code
        if role.grant_roles:
            assert "user_manage" in role.permissions, role.code
    assert book.get("commune_officer").grant_roles == {"village_head"}  # type: ignore[union-attr]
