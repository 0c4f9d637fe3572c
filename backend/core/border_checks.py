"""Checks of values at the border: years in the framework's window, unit codes, names, versions."""

from __future__ import annotations

import re

from backend.core.errors import InvalidInput
from shared_schema.framework import Framework
from shared_schema.values import NAME_PATTERN, UNIT_CODE_PATTERN, is_clean_text

_UNIT_CODE = re.compile(UNIT_CODE_PATTERN)
_NAME = re.compile(NAME_PATTERN)
NAME_MAX = 200


def check_year(framework: Framework, year: int) -> None:
    """A year outside the framework's reporting window is refused before anything reads it."""
    window = framework.reporting_years
    if year not in window:
        raise InvalidInput(
            "year_out_of_range",
            f"Năm báo cáo phải từ {window.first} đến {window.last}",
            f"The reporting year must be between {window.first} and {window.last}",
        )


def check_unit_code(code: str) -> None:
    """Official codes (VN, 2, 3 or 5 digits) or a village code built from one (23353-01)."""
    if not _UNIT_CODE.fullmatch(code):
        raise InvalidInput(
            "unit_code_invalid",
            "Mã đơn vị phải là mã hành chính (VN, 2, 3 hoặc 5 chữ số) hoặc mã thôn dạng 23353-01",
            "A unit code is an official code (VN, 2, 3 or 5 digits) or a village code like "
            "23353-01",
        )


def check_name(name: str) -> None:
    """Names are 1–200 printable characters: no control or invisible formatting characters."""
    if not name or len(name) > NAME_MAX or not _NAME.match(name) or not is_clean_text(name):
        raise InvalidInput(
            "name_invalid",
            "Tên phải có 1–200 ký tự và không chứa ký tự điều khiển",
            "A name has 1–200 characters and no control characters",
        )


def check_framework_version(framework: Framework, version: str) -> None:
    """A tally names the framework version it was filled against; it must be one we know."""
    if version and not framework.knows_version(version):
        raise InvalidInput(
            "framework_version_unknown",
            f"Phiên bản khung đánh giá không được hỗ trợ (đang dùng {framework.version})",
            f"Unknown framework version (this node uses {framework.version})",
        )
