"""site.yml's inspection_targets: the coverage the inspection plan must reach,
checked key by key with the line of a mistake."""

from __future__ import annotations

import pytest

from generator.config import DEFAULT_TARGETS, ConfigError, load_site_config


def _config(tmp_path, text: str):
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    return load_site_config(tmp_path)


def test_defaults_are_the_plan_rules(tmp_path):
    config = _config(tmp_path, 'site_name: "Thử"\n')
    assert config.inspection_targets == {"agencies": (30.0, None), "communes": (15.0, 20.0)} == DEFAULT_TARGETS


def test_targets_are_read_group_by_group(tmp_path):
    config = _config(tmp_path, "inspection_targets:\n  agencies: 35\n  districts: 30\n  communes: [10, 25]\n")
    assert config.inspection_targets == {"agencies": (35.0, None), "districts": (30.0, None),
                                         "communes": (10.0, 25.0)}


@pytest.mark.parametrize("text, line, words", [
    ("inspection_target:\n  agencies: 30\n", 1, "inspection_targets"),  # did you mean
    ("inspection_targets:\n  agency: 30\n", 2, "agencies"),
    ("inspection_targets:\n  agencies: nhiều\n", 2, "tỷ lệ phần trăm"),
    ("inspection_targets:\n  communes: [25, 15]\n", 2, "lớn hơn tối đa"),
    ("inspection_targets:\n  communes: [15]\n", 2, "[tối thiểu, tối đa]"),
    ("inspection_targets:\n  agencies: 130\n", 2, "0–100%"),
    ("inspection_targets: 30\n", 1, "các cặp"),
])
def test_a_mistake_names_its_line(tmp_path, text, line, words):
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, text)
    assert f"dòng {line}" in str(info.value) and words in str(info.value)
