"""Load a framework folder of YAML files into a validated Framework."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec
import yaml

from shared_schema.criteria import UnitCriteria
from shared_schema.framework import Framework

FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"
DEFAULT_FRAMEWORK_ID = "vn-tt25-2023"


class FrameworkLoadError(ValueError):
    """A framework file is broken; the message names the file and the path inside it."""


def _merge_into(
    target: dict[str, Any], key_path: list[str], data: Any, origin: dict[str, Path], file: Path
) -> None:
    """Place one file's mapping under key_path, refusing keys another file already set."""
    node = target
    for key in key_path:
        node = node.setdefault(key, {})
    if not isinstance(data, dict):
        raise FrameworkLoadError(f"{file}: $ — expected a mapping at the top of the file")
    for key, value in data.items():
        dotted = ".".join([*key_path, str(key)])
        if key in node:
            raise FrameworkLoadError(f"{file}: $.{dotted} — already defined in {origin[dotted]}")
        node[key] = value
        origin[dotted] = file


def _read_folder(folder: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Merge every YAML file of the folder; sub-folder files land under their relative path."""
    merged: dict[str, Any] = {}
    origin: dict[str, Path] = {}
    for file in sorted(folder.rglob("*.yaml")):
        relative = file.relative_to(folder).with_suffix("")
        key_path = list(relative.parts[:-1]) + (
            [relative.parts[-1]] if len(relative.parts) > 1 else []
        )
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise FrameworkLoadError(f"{file}: not valid YAML — {exc}") from exc
        _merge_into(merged, key_path, data or {}, origin, file)
    return merged, origin


def _file_for(path: str, origin: dict[str, Path], folder: Path) -> Path:
    """The file that defined the deepest known prefix of an error path like $.tally.fields[3]."""
    dotted = path.removeprefix("$.").replace("[", ".[")
    parts = [p for p in dotted.split(".") if p and not p.startswith("[")]
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in origin:
            return origin[candidate]
    whole = ".".join(parts) + "."
    files = {file for key, file in origin.items() if key.startswith(whole)}
    return files.pop() if len(files) == 1 else folder


def _split_error(exc: msgspec.ValidationError) -> tuple[str, str]:
    """(path, message) of a msgspec validation error such as "Expected int - at `$.x`"."""
    message = str(exc)
    if " - at `" not in message:
        return "$", message
    text, path = message.rsplit(" - at `", 1)
    return path.rstrip("`"), text


def _convert_sections(merged: dict[str, Any]) -> None:
    """Validate dict-valued sections entry by entry, so paths read $.criteria.commune, not [...]."""
    for section, struct in (("criteria", UnitCriteria),):
        entries = merged.get(section)
        if not isinstance(entries, dict):
            continue
        for key, value in entries.items():
            try:
                msgspec.convert(value, struct)
            except msgspec.ValidationError as exc:
                path, text = _split_error(exc)
                raise msgspec.ValidationError(
                    f"{text} - at `$.{section}.{key}{path.removeprefix('$')}`"
                ) from exc


def convert_framework(merged: dict[str, Any], origin: dict[str, Path], folder: Path) -> Framework:
    """Turn the merged mapping into a checked Framework; errors name the file and the $.path."""
    try:
        _convert_sections(merged)
        framework = msgspec.convert(merged, Framework)
    except msgspec.ValidationError as exc:
        path, text = _split_error(exc)
        raise FrameworkLoadError(f"{_file_for(path, origin, folder)}: {path} — {text}") from exc
    from shared_schema.framework_checks import check_framework

    problems = check_framework(framework)
    if problems:
        raise FrameworkLoadError(
            "; ".join(f"{_file_for(p.split(' ', 1)[0], origin, folder)}: {p}" for p in problems)
        )
    return framework


def load_framework_folder(folder: Path) -> Framework:
    """Read and validate one framework folder, with errors that name file and path."""
    merged, origin = _read_folder(folder)
    return convert_framework(merged, origin, folder)


@lru_cache(maxsize=8)
def load_framework(framework_id: str = DEFAULT_FRAMEWORK_ID) -> Framework:
    """The packaged framework with this id, loaded once per process."""
    return load_framework_folder(FRAMEWORKS_DIR / framework_id)


def framework_etag(framework: Framework) -> str:
    """A stable content hash the PWA uses to cache the framework."""
    return hashlib.sha256(msgspec.json.encode(framework, order="sorted")).hexdigest()[:32]
