from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
APPENDIX = DATA / "quang-dien-2022-phan-cong.xlsx"
EMBEDDED_APPENDIX = ROOT / "content" / "sheets" / "quang-dien-2022-phan-cong.xlsx"


@pytest.fixture(scope="session")
def registry():
    from generator.units import load_registry

    return load_registry(ROOT / "content" / "units.yml")


@pytest.fixture(scope="session")
def quang_dien(registry):
    """The real Quảng Điền 2022 appendix, read once."""
    from generator.reader import read_workbook

    result = read_workbook(APPENDIX, registry, APPENDIX.name)
    assert result.readable and len(result.plans) == 1
    return result


@pytest.fixture(scope="session")
def plan(quang_dien):
    return quang_dien.plans[0]


@pytest.fixture(scope="session")
def plan_findings(plan, quang_dien):
    from generator.validate import validate_plan

    return quang_dien.findings + validate_plan(plan)


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    return ROOT
