"""Official unit lists: the vietnam-provinces package (post-2025 provinces and communes)."""

from __future__ import annotations

from backend.services.units import UnitLine


def vietnam_provinces_lines(province_code: str = "") -> list[UnitLine]:
    """Provinces and their communes/wards with GSO codes; optionally one province only."""
    import vietnam_provinces as vp

    lines = [
        UnitLine(f"{p.code.value:02d}", p.name, "province", "")
        for p in vp.Province.iter_all()
        if not province_code or f"{p.code.value:02d}" == province_code
    ]
    wanted = {line.code for line in lines}
    lines += [
        UnitLine(f"{w.code.value:05d}", w.name, "commune", f"{w.province_code.value:02d}")
        for w in vp.Ward.iter_all()
        if f"{w.province_code.value:02d}" in wanted
    ]
    return lines
