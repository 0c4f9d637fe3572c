"""The criteria framework data matches the seeds' tables; broken files are reported precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shared_schema.criteria import (
    AttestedIndicator,
    ChildrenShareIndicator,
    ComputedIndicator,
    EnteredLevelIndicator,
    PreviousYearIndicator,
)
from shared_schema.framework_loader import (
    FRAMEWORKS_DIR,
    FrameworkLoadError,
    load_framework,
    load_framework_folder,
)

# Seed 004's appendix table (commune level 1), read by hand: code -> (kind, threshold(s)).
SEED_004_COMMUNE_L1 = {
    "1.1": ("attested", None),
    "1.2": ("attested", None),
    "1.3": ("attested", None),
    "2.1": ("attested", None),
    "2.2": ("attested", None),
    "2.3": ("attested", None),
    "3.1": ("attested", None),
    "3.2": ("attested", None),
    "3.3": ("attested", None),
    "4.1": ("entered_level", 1),  # PCGD mầm non trẻ 5 tuổi (đạt chuẩn)
    "4.2": ("entered_level", 2),  # PCGD tiểu học mức độ 2
    "4.3": ("entered_level", 2),  # PCGD THCS mức độ 2
    "4.4": ("entered_level", 1),  # XMC mức độ 1
    "5.1": ("computed", [60]),  # ≥ 60% công dân học tập
    "5.2": ("computed", [50, 12]),  # ≥ 50% được đào tạo; ≥ 12% đại học trở lên
}

# Seed 003 appendix 3 (district levels 1 and 2), read by hand.
_DISTRICT_COMMON = {
    **{
        c: ("attested", None)
        for c in ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"]
    },
    "4.2": ("previous_year", ">"),  # thu nhập bình quân đầu người tăng
    "4.3": ("previous_year", ">"),  # tỷ lệ lao động có việc làm tăng
}
SEED_003_DISTRICT = {
    1: {**_DISTRICT_COMMON, "4.1": ("children_share", (1, 90))},
    2: {**_DISTRICT_COMMON, "4.1": ("children_share", (2, 90))},
}


def _threshold(ind: object) -> object:
    """The figure(s) an indicator is judged by, in the same shape as the tables above."""
    if isinstance(ind, ComputedIndicator):
        return [c.threshold for c in ind.checks]
    if isinstance(ind, EnteredLevelIndicator):
        return ind.required_level
    if isinstance(ind, ChildrenShareIndicator):
        return (ind.child_min_level, ind.min_share)
    if isinstance(ind, PreviousYearIndicator):
        return ind.compare
    assert isinstance(ind, AttestedIndicator)
    return None


def _table(unit_level: str, level: int) -> dict[str, tuple[str, object, str]]:
    """code -> (kind, threshold, source) for one level of the packaged framework."""
    criteria = load_framework().criteria[unit_level].level(level)
    assert criteria is not None
    return {
        i.code: (str(type(i).__struct_config__.tag), _threshold(i), i.source)
        for _, i in criteria.indicators()
    }


def test_commune_level_1_matches_seed_004_table() -> None:
    table = _table("commune", 1)
    assert {c: v[:2] for c, v in table.items()} == SEED_004_COMMUNE_L1
    assert {v[2] for v in table.values()} == {"seed 004"}


@pytest.mark.parametrize("level", [1, 2])
def test_district_levels_match_seed_003_appendix_3(level: int) -> None:
    table = _table("district", level)
    assert {c: v[:2] for c, v in table.items()} == SEED_003_DISTRICT[level]
    assert {v[2] for v in table.values()} == {"seed 003 appendix 3"}


def test_every_indicator_not_in_the_seeds_is_marked_inferred() -> None:
    framework = load_framework()
    for key, level in [("commune", 2), ("province", 1), ("province", 2)]:
        sources = {v[2] for v in _table(key, level).values()}
        assert sources <= {"inferred", "seed 004"}, (key, level, sources)
    assert {v[2] for v in _table("commune", 2).values() if v[0] != "attested"} == {"inferred"}
    assert {v[2] for v in _table("province", 1).values()} == {"inferred"}
    assert set(framework.criteria) == {"commune", "district", "province"}


def test_wording_is_vietnamese_from_the_seed_with_english_beside_it() -> None:
    level = load_framework().criteria["commune"].level(1)
    assert level is not None
    texts = {i.code: i.text for _, i in level.indicators()}
    assert texts["5.1"].vi.startswith("Có ít nhất 60% công dân trong xã đạt danh hiệu")
    assert "Learning citizen" in texts["5.1"].en


def test_calendar_defaults_follow_the_seeds() -> None:
    calendar = load_framework().calendar
    dossier = calendar.step("commune_dossier")
    assert dossier is not None and dossier.source.startswith("seed 003")
    assert str(dossier.deadline.date_for(2025)) == "2026-02-15"
    district = calendar.step("district_yearly_report")
    assert district is not None and str(district.deadline.date_for(2024)) == "2024-12-20"


@pytest.fixture
def framework_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged framework folder."""
    target = tmp_path / "vn-tt25-2023"
    shutil.copytree(FRAMEWORKS_DIR / "vn-tt25-2023", target)
    return target


def test_wrong_type_in_criteria_file_names_file_and_path(framework_copy: Path) -> None:
    file = framework_copy / "criteria" / "commune.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace("threshold: 60", "threshold: sáu", 1),
        encoding="utf-8",
    )
    with pytest.raises(FrameworkLoadError) as err:
        load_framework_folder(framework_copy)
    message = str(err.value)
    assert str(file) in message
    assert "$.criteria.commune.levels[0].criteria[4].indicators[0].checks[0].threshold" in message


def test_unknown_tally_field_in_formula_names_file_and_path(framework_copy: Path) -> None:
    file = framework_copy / "criteria" / "district.yaml"
    text = (framework_copy / "criteria" / "commune.yaml").read_text(encoding="utf-8")
    (framework_copy / "criteria" / "commune.yaml").write_text(
        text.replace("code: university_total", "code: graduates", 1), encoding="utf-8"
    )
    with pytest.raises(FrameworkLoadError) as err:
        load_framework_folder(framework_copy)
    assert str(framework_copy / "criteria" / "commune.yaml") in str(err.value)
    assert "unknown tally field 'graduates'" in str(err.value)
    assert str(file) not in str(err.value)


def test_unknown_indicator_kind_and_unknown_unit_level_are_refused(framework_copy: Path) -> None:
    (framework_copy / "criteria" / "hamlet.yaml").write_text(
        "label: {vi: x, en: x}\nlevels: []\n", encoding="utf-8"
    )
    with pytest.raises(FrameworkLoadError, match=r"hamlet\.yaml: \$\.criteria\.hamlet"):
        load_framework_folder(framework_copy)
    (framework_copy / "criteria" / "hamlet.yaml").unlink()
    file = framework_copy / "criteria" / "province.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace("kind: attested", "kind: guessed", 1),
        encoding="utf-8",
    )
    with pytest.raises(FrameworkLoadError, match=r"province\.yaml: \$\.criteria\.province\.levels"):
        load_framework_folder(framework_copy)


def test_broken_yaml_names_the_file(framework_copy: Path) -> None:
    file = framework_copy / "calendar.yaml"
    file.write_text("calendar: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkLoadError, match=r"calendar\.yaml"):
        load_framework_folder(framework_copy)
