"""The stable problem codes of node-to-node sync, in Vietnamese and English."""

from __future__ import annotations

from backend.core.errors import Conflict, DomainError, Forbidden, InvalidInput, Unauthenticated


def signature_invalid(detail: str = "") -> DomainError:
    """The token is not a valid signature of an enrolled key."""
    return Unauthenticated(
        "sync_signature_invalid",
        "Chữ ký của nút gửi không hợp lệ",
        f"The sending node's signature is not valid{': ' + detail if detail else ''}",
    )


def unknown_node(unit: str) -> DomainError:
    """No active enrolment for the issuer."""
    return Unauthenticated(
        "sync_unknown_node",
        f"Nút của đơn vị {unit} chưa đăng ký hoặc đã bị thu hồi",
        f"The node of unit {unit} is not enrolled or was revoked",
    )


def audience_mismatch() -> DomainError:
    """The token was made for another parent."""
    return Forbidden(
        "sync_audience_mismatch",
        "Dữ liệu được gửi cho một nút cấp trên khác",
        "The token was addressed to another parent node",
    )


def expired() -> DomainError:
    """The token's short lifetime is over (or was too long to begin with)."""
    return Unauthenticated(
        "sync_expired",
        "Yêu cầu đồng bộ đã hết hạn",
        "The sync token has expired or its lifetime is too long",
    )


def replayed() -> DomainError:
    """The token id was seen before."""
    return Conflict(
        "sync_replayed",
        "Yêu cầu đồng bộ này đã được gửi trước đó",
        "This sync token was already used",
    )


def out_of_subtree(unit: str) -> DomainError:
    """The child spoke for a unit outside its enrolled subtree."""
    return Forbidden(
        "sync_out_of_subtree",
        f"Đơn vị {unit} không thuộc phạm vi của nút gửi",
        f"Unit {unit} is outside the sending node's subtree",
    )


def payload_invalid(detail: str) -> DomainError:
    """Claims of the wrong shape, or a content hash that does not match."""
    return InvalidInput(
        "sync_payload_invalid",
        "Dữ liệu đồng bộ sai cấu trúc",
        f"The sync payload is malformed: {detail}",
    )


def token_invalid() -> DomainError:
    """Enrollment token unknown, used or expired."""
    return Unauthenticated(
        "sync_enroll_token_invalid",
        "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn",
        "The enrollment token is wrong, used or expired",
    )


def node_unconfigured() -> DomainError:
    """The node has no unit of its own, so it cannot be anyone's parent."""
    return InvalidInput(
        "sync_node_unconfigured",
        "Nút này chưa được cấu hình đơn vị (XHHT_UNIT)",
        "This node has no unit configured (XHHT_UNIT)",
    )


def value_out_of_range(field: str, value: object, low: int, high: int) -> DomainError:
    """A received snapshot value outside what the framework allows for that unit."""
    return InvalidInput(
        "sync_value_out_of_range",
        f"Giá trị {field} = {value} nằm ngoài khoảng cho phép [{low}, {high}]",
        f"Value {field} = {value} is outside the allowed range [{low}, {high}]",
    )


def clock_skew(parent_time: str, skew_seconds: float) -> DomainError:
    """The token's times disagree with this node's clock by more than the leeway."""
    return Unauthenticated(
        "sync_clock_skew",
        f"Đồng hồ của nút gửi lệch {skew_seconds:+.0f} giây so với nút cấp trên "
        f"(giờ nút cấp trên: {parent_time}); hãy chỉnh đồng hồ (NTP)",
        f"The sending node's clock differs by {skew_seconds:+.0f} s from the parent's "
        f"(parent time: {parent_time}); set the clock right (NTP)",
        extra={"members": {"parent_time": parent_time, "skew_seconds": round(skew_seconds, 1)}},
    )
