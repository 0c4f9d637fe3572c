"""Official unit lists: the vietnam-provinces package (post-2025 provinces and communes)."""

from __future__ import annotations

from backend.services.units import UnitLine

NATION = UnitLine("VN", "Việt Nam", "nation", "")


def vietnam_provinces_lines(province_code: str = "", nation: bool = False) -> list[UnitLine]:
    """Provinces and their communes/wards with GSO codes; optionally one province only.

    nation=True puts the provinces under the national unit "VN" (the Ministry's node).
    """
    import vietnam_provinces as vp

    top = NATION.code if nation else ""
    lines = [NATION] if nation else []
    lines += [
        UnitLine(f"{p.code.value:02d}", p.name, "province", top)
        for p in vp.Province.iter_all()
        if not province_code or f"{p.code.value:02d}" == province_code
    ]
    wanted = {line.code for line in lines if line.level == "province"}
    lines += [
        UnitLine(f"{w.code.value:05d}", w.name, "commune", f"{w.province_code.value:02d}")
        for w in vp.Ward.iter_all()
        if f"{w.province_code.value:02d}" in wanted
    ]
    return lines
