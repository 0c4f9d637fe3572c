"""The node's Ed25519 key pair in its data dir, and the signed tokens made with it."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_FILE = "node_ed25519.pem"
LINK_FILE = "parent.json"
TOKEN_SECONDS = 60


def key_path(data_dir: Path) -> Path:
    """Where the private key lives."""
    return data_dir / KEY_FILE


def public_pem(private: Ed25519PrivateKey) -> str:
    """The public half as PEM text, as the parent stores it."""
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def write_key(data_dir: Path, private: Ed25519PrivateKey) -> None:
    """Write the private key (owner-only) and its public half."""
    data_dir.mkdir(parents=True, exist_ok=True)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = key_path(data_dir)
    path.write_bytes(pem)
    path.chmod(0o600)
    path.with_suffix(".pub.pem").write_text(public_pem(private))


def init_key(data_dir: Path, force: bool = False) -> tuple[str, bool]:
    """Create the key pair once; returns the public PEM and whether it was created now."""
    if key_path(data_dir).exists() and not force:
        return public_pem(load_key(data_dir)), False
    private = Ed25519PrivateKey.generate()
    write_key(data_dir, private)
    return public_pem(private), True


def load_key(data_dir: Path) -> Ed25519PrivateKey:
    """The node's private key (FileNotFoundError when `xhht keys init` was not run)."""
    key = serialization.load_pem_private_key(key_path(data_dir).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the node key is not an Ed25519 key")
    return key


def clock() -> float:
    """This node's clock in seconds (one place, so a test can set it wrong)."""
    return time.time()


def sign(
    private: Ed25519PrivateKey, issuer: str, audience: str, offset: float = 0.0, **claims: Any
) -> str:
    """A short-lived EdDSA JWT with a unique id, timed by the parent's clock (ours + offset)."""
    now = int(clock() + offset)
    body = {
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    return jwt.encode(body, private, algorithm="EdDSA")


def write_link(data_dir: Path, parent_url: str, parent_unit: str) -> None:
    """Remember the parent after enrollment (read back by Settings.from_env)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    link = {"parent_url": parent_url, "parent_unit": parent_unit}
    (data_dir / LINK_FILE).write_text(json.dumps(link, indent=2) + "\n", encoding="utf-8")
