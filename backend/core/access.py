"""Who is acting, and whether their role and unit allow an action on a unit."""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.errors import Forbidden
from shared_schema.roles import load_roles


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, with the request facts the audit log keeps."""

    user_id: int
    username: str
    role: str
    unit_code: str
    unit_path: str
    client_ip: str = ""
    user_agent: str = ""
    device_id: str = ""

    def can(self, permission: str) -> bool:
        """True when the caller's role grants this permission."""
        role = load_roles().get(self.role)
        return role is not None and permission in role.permissions

    def covers(self, unit_path: str) -> bool:
        """True when the unit lies in the caller's subtree."""
        return unit_path.startswith(self.unit_path)

    def may_manage_level(self, level: str) -> bool:
        """True when the caller's role may create, rename or retire units of this level."""
        role = load_roles().get(self.role)
        return (
            role is not None and "unit_manage" in role.permissions and level in role.manage_levels
        )


def require(principal: Principal, permission: str) -> None:
    """Refuse when the role lacks the permission."""
    if not principal.can(permission):
        raise Forbidden(
            "role_forbidden",
            "Vai trò của bạn không được phép thực hiện thao tác này",
            "Your role is not allowed to do this",
        )


def require_scope(principal: Principal, unit_path: str) -> None:
    """Refuse when the unit is outside the caller's subtree."""
    if not principal.covers(unit_path):
        raise Forbidden(
            "out_of_scope",
            "Đơn vị này nằm ngoài phạm vi quản lý của bạn",
            "This unit is outside your area",
        )
