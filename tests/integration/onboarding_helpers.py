"""What the onboarding tests share: creating villages and users through the API, activating."""

from __future__ import annotations

from typing import Any

from tests.conftest import Node

NEW_PASSWORD = "Lúa-chiêm-xanh-2025"


async def add_villages(node: Node, officer: str, commune: str, numbers: range) -> None:
    """Villages commune-NN added by the commune's officer, as the app does."""
    for n in numbers:
        answer = await node.client.post(
            "/api/units",
            json={
                "code": f"{commune}-{n:02d}",
                "name": f"Thôn {n}",
                "level": "village",
                "parent_code": commune,
            },
            headers=node.auth(officer),
        )
        assert answer.status_code in (200, 201), answer.text


async def create_user(node: Node, actor: str, **body: Any) -> Any:
    """POST /api/users as an officer."""
    return await node.client.post("/api/users", json=body, headers=node.auth(actor))


async def activate(
    node: Node, code: str, password: str = NEW_PASSWORD, device: str = "phone-9"
) -> Any:
    """POST /api/auth/activate."""
    return await node.client.post(
        "/api/auth/activate", json={"code": code, "password": password, "device_id": device}
    )


async def login(node: Node, username: str, password: str = NEW_PASSWORD) -> Any:
    """POST /api/auth/login."""
    return await node.client.post(
        "/api/auth/login", json={"username": username, "password": password, "device_id": "phone-9"}
    )
