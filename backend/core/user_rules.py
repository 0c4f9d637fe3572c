"""Who may give which role to whom: read from roles.yaml (`grant_roles`), never hard-coded."""

from __future__ import annotations

from backend.core.access import Principal, require, require_scope
from backend.core.errors import Forbidden, InvalidInput
from shared_schema.roles import load_roles


def check_role_known(role: str) -> None:
    """Refuse a role that roles.yaml does not define."""
    if load_roles().get(role) is None:
        raise InvalidInput("role_unknown", f"Vai trò không hợp lệ: {role}", f"Unknown role: {role}")


def may_grant(actor: Principal, role: str) -> bool:
    """True when the actor's role lists this role among those it may grant."""
    own = load_roles().get(actor.role)
    return own is not None and "user_manage" in own.permissions and role in own.grant_roles


def require_grant(actor: Principal, role: str) -> None:
    """Refuse giving (or managing a user who has) a role the actor may not grant."""
    check_role_known(role)
    if not may_grant(actor, role):
        raise Forbidden(
            "role_not_grantable",
            f"Bạn không được cấp hoặc quản lý vai trò {role}",
            f"You may not grant or manage the role {role}",
        )


def require_manager(actor: Principal, unit_path: str, role: str) -> None:
    """The actor manages users, covers the user's unit, and may grant the user's role."""
    require(actor, "user_manage")
    require_scope(actor, unit_path)
    require_grant(actor, role)
