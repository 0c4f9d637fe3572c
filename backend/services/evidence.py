"""Evidence files (minh chứng): content-checked uploads stored by SHA-256, served only in scope."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import zipfile
from collections.abc import AsyncIterable, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.config import Settings
from backend.core import file_types
from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput, NotFound, TooLarge, UnsupportedType
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import evidence as repo
from backend.services.units import UnitRecord, load_unit
from shared_schema.dossier_wire import EvidenceMeta
from shared_schema.framework import Framework
from shared_schema.values import UNIT_CODE_PATTERN, clean_text

ID_PREFIX = "ev-"
ALIASES = {".jpeg": ".jpg", ".jpe": ".jpg"}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNIT_CODE = re.compile(UNIT_CODE_PATTERN)


def to_meta(row: Row) -> EvidenceMeta:  # type: ignore[type-arg]
    """Row → wire."""
    return EvidenceMeta(
        row.id,
        row.unit_code,
        row.year,
        row.indicator_code,
        row.filename,
        row.media_type,
        int(row.size),
        row.sha256,
        row.uploaded_by,
        utc(row.uploaded_at),
    )


def stored_path(settings: Settings, sha256: str) -> Path:
    """Where a file's bytes live, from their content alone: data/evidence/<ab>/<sha256>."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256 digest")
    return settings.evidence_dir / sha256[:2] / sha256


def _earlier_path(settings: Settings, unit_code: str, year: int, sha256: str) -> Path:
    """Where earlier releases kept a file (<unit>/<year>/<sha256>), for well-formed codes only."""
    if not _UNIT_CODE.fullmatch(unit_code):
        return stored_path(settings, sha256)
    return settings.evidence_dir / unit_code / str(year) / sha256


def clean_filename(name: str) -> str:
    """The base name without control, format (bidi) or quote characters or path parts."""
    base = PurePosixPath(clean_text(name).replace("\\", "/")).name
    base = base.replace('"', "").strip().lstrip(".")
    return base[-200:] or "minh-chung"


def named_for_type(name: str, media_type: str) -> str:
    """The kept name ends with the extension of the type read from the content."""
    extension = file_types.EXTENSIONS[media_type]
    path = PurePosixPath(name)
    stem = path.stem if path.suffix else path.name
    return f"{stem[:190] or 'minh-chung'}{extension}"


def _check_indicator(framework: Framework, unit: UnitRecord, indicator: str) -> None:
    """Evidence belongs to an indicator of the unit's own criteria."""
    criteria = framework.criteria_for(unit.level)
    codes = {i.code for lv in (criteria.levels if criteria else []) for _c, i in lv.indicators()}
    if indicator not in codes:
        raise NotFound(
            "indicator_not_found",
            f"Không có chỉ tiêu mã {indicator} cho cấp đơn vị này",
            f"No indicator {indicator} for this unit level",
        )


def _too_large(limit: int) -> TooLarge:
    """The refusal for an oversized file, naming the limit."""
    mb = f"{limit / 1024 / 1024:g}"
    return TooLarge(
        "evidence_too_large",
        f"Tệp minh chứng vượt quá giới hạn {mb} MB",
        f"The evidence file exceeds the {mb} MB limit",
    )


async def _receive(chunks: AsyncIterable[bytes], target: Path, limit: int) -> tuple[str, int]:
    """Stream the body into a temporary file, hashing; stop (and delete it) past the limit."""
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def _sniff(path: Path, filename: str) -> str:
    """The media type from the content; the name's extension, if any, must agree."""
    with path.open("rb") as handle:
        head = handle.read(file_types.HEAD_BYTES)
    names: list[str] | None = None
    if file_types.is_zip(head):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = None
    media_type = file_types.detect(head, names)
    if media_type is None:
        raise UnsupportedType(
            "evidence_type_refused",
            "Chỉ nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX (kiểm tra theo nội dung tệp)",
            "Only PDF, JPEG, PNG, DOCX or XLSX files are accepted (checked from the content)",
        )
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = ALIASES.get(suffix, suffix)
    known = set(file_types.EXTENSIONS.values())
    if suffix in known and suffix != file_types.EXTENSIONS[media_type]:
        raise UnsupportedType(
            "evidence_type_mismatch",
            f"Nội dung tệp không khớp với phần mở rộng {suffix}",
            f"The file content does not match its {suffix} extension",
        )
    return media_type


async def upload(
    db: Database,
    settings: Settings,
    framework: Framework,
    actor: Principal,
    target: tuple[str, int, str],
    filename: str,
    chunks: AsyncIterable[bytes],
    declared_size: int | None,
) -> EvidenceMeta:
    """Check scope, size and type before anything is kept; then store bytes and metadata."""
    code, year, indicator = target
    require(actor, "assessment_write")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
    require_scope(actor, unit.path)
    _check_indicator(framework, unit, indicator)
    limit = settings.evidence_max_bytes
    if declared_size is not None and declared_size > limit:
        raise _too_large(limit)
    name = clean_filename(filename)
    incoming = settings.evidence_dir / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    temp = incoming / secrets.token_hex(12)
    sha256, size = await _receive(chunks, temp, limit)
    try:
        if size == 0:
            raise InvalidInput(
                "evidence_empty", "Tệp minh chứng rỗng", "The evidence file is empty"
            )
        media_type = _sniff(temp, name)
        name = named_for_type(name, media_type)
        return await _store(
            db, settings, actor, unit, (year, indicator), name, media_type, temp, sha256, size
        )
    finally:
        temp.unlink(missing_ok=True)


async def _store(
    db: Database,
    settings: Settings,
    actor: Principal,
    unit: UnitRecord,
    where: tuple[int, str],
    name: str,
    media_type: str,
    temp: Path,
    sha256: str,
    size: int,
) -> EvidenceMeta:
    """Insert the metadata, then move the bytes into place inside the same transaction."""
    year, indicator = where
    evidence_id = ID_PREFIX + secrets.token_hex(8)
    async with db.write() as conn:
        await repo.insert(
            conn,
            id=evidence_id,
            unit_code=unit.code,
            year=year,
            indicator_code=indicator,
            filename=name,
            media_type=media_type,
            size=size,
            sha256=sha256,
            uploaded_by=actor.username,
            uploaded_at=datetime.now(UTC),
        )
        await audit.record(
            conn,
            actor,
            "evidence.upload",
            "evidence",
            evidence_id,
            unit.code,
            year=year,
            indicator=indicator,
            filename=name,
            sha256=sha256,
            size=size,
        )
        final = stored_path(settings, sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        if not final.exists():
            os.replace(temp, final)
        row = await repo.by_id(conn, evidence_id)
    assert row is not None
    return to_meta(row)


async def list_evidence(db: Database, actor: Principal, code: str, year: int) -> list[EvidenceMeta]:
    """Metadata of a unit's files for a year."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rows = await repo.of_unit(conn, code, year)
    return [to_meta(r) for r in rows]


async def open_evidence(
    db: Database, settings: Settings, actor: Principal, evidence_id: str
) -> tuple[EvidenceMeta, Path]:
    """A file's metadata and path, only for callers whose scope covers its unit."""
    require(actor, "read")
    async with db.read() as conn:
        row = await repo.by_id(conn, evidence_id)
        if row is None:
            raise NotFound("evidence_not_found", "Không tìm thấy minh chứng", "Evidence not found")
        unit = await load_unit(conn, row.unit_code)
    require_scope(actor, unit.path)
    path = stored_path(settings, row.sha256)
    if not path.is_file():
        path = _earlier_path(settings, row.unit_code, row.year, row.sha256)
    if not path.is_file():
        raise NotFound(
            "evidence_file_missing",
            "Tệp minh chứng không còn trên máy chủ",
            "The evidence file is missing on the server",
        )
    return to_meta(row), path


async def check_cited(
    conn: AsyncConnection, unit_code: str, year: int, cited: Sequence[str]
) -> None:
    """Uploaded-evidence ids an answer cites must be this unit's files for the year; other
    strings are references to paper documents and are kept as they are."""
    ids = {c for c in cited if c.startswith(ID_PREFIX)}
    unknown = ids - await repo.existing_ids(conn, ids, unit_code, year) if ids else set()
    if unknown:
        listed = ", ".join(sorted(unknown))
        raise InvalidInput(
            "evidence_unknown",
            f"Minh chứng không có hoặc không thuộc đơn vị, năm này: {listed}",
            f"Evidence not found for this unit and year: {listed}",
        )
