"""The workbook layer on python-calamine, and readings cached by content hash
and read on every core."""

from __future__ import annotations

import pickle
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator import read_cache
from generator.commands import check_workbook, validate
from generator.reader import read_workbook
from generator.units import load_registry
from generator.workbook import load_grids

from .conftest import APPENDIX, DATA

SCORES = DATA / "quang-dien-2021-chi-so.xlsx"
from .workbooks import appendix

ROOT = Path(__file__).resolve().parent.parent


def _with_error_value(src: Path, dst: Path, ref: str, error: str) -> Path:
    """Copy an .xlsx and make ``ref`` a formula cell whose saved value is an Excel error."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)'.encode(),
                                  f'<c r="{ref}" t="e"><f>1/0</f><v>{error}</v></c>'.encode(), data, flags=re.S)
                assert n == 1
            zout.writestr(info, data)
    return dst


def test_values_keep_the_types_the_reader_expects(tmp_path):
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = 12, 1.5, dt.datetime(2022, 1, 5), "  "
    ws["E1"], ws["F1"] = dt.datetime(2022, 1, 5, 10, 30), True
    ws["B3"] = "x"
    ws.merge_cells("B3:D4")
    wb.save(tmp_path / "t.xlsx")
    grid = load_grids(tmp_path / "t.xlsx", "t.xlsx")[0]
    rows = dict(grid.rows)
    assert rows[1] == [12, 1.5, dt.datetime(2022, 1, 5), None, dt.datetime(2022, 1, 5, 10, 30), True]
    assert type(rows[1][0]) is int and type(rows[1][2]) is dt.datetime
    assert 2 not in rows and rows[3] == [None, "x"]
    assert grid.merges == [(2, 3, 4, 4)]


def test_an_excel_error_value_is_kept_as_text_not_dropped(tmp_path):
    """python-calamine reads #DIV/0! as an empty cell; the clerk must still see it."""
    src = appendix(tmp_path / "a.xlsx")
    bad = _with_error_value(src, tmp_path / "b.xlsx", "F9", "#DIV/0!")
    grid = load_grids(bad, "b.xlsx")[0]
    assert dict(grid.rows)[9][5] == "#DIV/0!"
    registry = load_registry(ROOT / "content" / "units.yml")
    plan = read_workbook(bad, registry, "b.xlsx").plans[0]
    task = next(t for t in plan.tasks if t.row == 9)
    assert task.deadline_text == "#DIV/0!"


def test_number_formats_come_from_the_styles_part(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 1.1
    ws["A1"].number_format = "0.00"
    ws["A2"] = 7
    ws["A3"] = 0.25
    ws["A3"].number_format = "0%"
    wb.save(tmp_path / "f.xlsx")
    grid = load_grids(tmp_path / "f.xlsx", "f.xlsx")[0]
    assert grid.number_format("A1") == "0.00"
    assert grid.number_format("A2") == "General"
    assert grid.number_format("A3") == "0%"


@pytest.fixture
def registry():
    return load_registry(ROOT / "content" / "units.yml")


def test_registry_fingerprint_follows_its_content(tmp_path, registry):
    text = (ROOT / "content" / "units.yml").read_text(encoding="utf-8")
    (tmp_path / "u.yml").write_text(text, encoding="utf-8")
    assert load_registry(tmp_path / "u.yml").fingerprint == registry.fingerprint
    (tmp_path / "u.yml").write_text(text.replace("Phòng Nội vụ", "Phòng Nội vụ huyện"), encoding="utf-8")
    assert load_registry(tmp_path / "u.yml").fingerprint != registry.fingerprint


def _summary(pairs):
    return [(r.file, [(p.sheet, len(p.tasks)) for p in r.plans], len(r.scores),
             [(f.code, f.cell) for f in findings]) for r, findings in pairs]


def test_second_reading_comes_from_the_cache_and_equals_the_first(tmp_path, registry, monkeypatch):
    files = [(APPENDIX, "a.xlsx"), (SCORES, "s.xlsx")]
    cache = tmp_path / "cache"
    first = read_cache.check_workbooks(files, registry, cache=cache, jobs=1)
    assert len(list(cache.glob("*.pickle"))) == 2
    calls = []
    monkeypatch.setattr("generator.commands.check_workbook", lambda *a: calls.append(a))
    second = read_cache.check_workbooks(files, registry, cache=cache, jobs=1)
    assert calls == []  # nothing read again
    assert _summary(second) == _summary(first)
    assert second[0][0].path == APPENDIX


def test_an_edited_cell_a_new_name_or_a_new_registry_reads_again(tmp_path, registry):
    book = tmp_path / "a.xlsx"
    shutil.copy(APPENDIX, book)
    cache = tmp_path / "cache"
    read_cache.check_workbooks([(book, "a.xlsx")], registry, cache=cache, jobs=1)
    wb = openpyxl.load_workbook(book)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "Trước 05/01/2022")
    cell.value = "Trước 05/01/2021"
    wb.save(book)
    (result, findings), = read_cache.check_workbooks([(book, "a.xlsx")], registry, cache=cache, jobs=1)
    assert any(t.deadline_text == "Trước 05/01/2021" for t in result.plans[0].tasks)
    assert len(list(cache.glob("*.pickle"))) == 2
    read_cache.check_workbooks([(book, "khac.xlsx")], registry, cache=cache, jobs=1)
    assert len(list(cache.glob("*.pickle"))) == 3
    registry.fingerprint = "khac"
    read_cache.check_workbooks([(book, "khac.xlsx")], registry, cache=cache, jobs=1)
    assert len(list(cache.glob("*.pickle"))) == 4


def test_a_damaged_cache_entry_is_read_again(tmp_path, registry):
    cache = tmp_path / "cache"
    first = read_cache.check_workbooks([(APPENDIX, "a.xlsx")], registry, cache=cache, jobs=1)
    entry, = cache.glob("*.pickle")
    entry.write_bytes(b"\x80\x05garbage")
    again = read_cache.check_workbooks([(APPENDIX, "a.xlsx")], registry, cache=cache, jobs=1)
    assert _summary(again) == _summary(first)
    pickle.loads(entry.read_bytes())  # rewritten whole


def test_parallel_reading_gives_the_same_results_in_the_same_order(tmp_path, registry, monkeypatch):
    monkeypatch.setattr(read_cache, "_PARALLEL_MIN_BYTES", 0)
    files = [(APPENDIX, "a.xlsx"), (SCORES, "s.xlsx"), (APPENDIX, "b.xlsx"), (tmp_path / "thieu.xlsx", "thieu.xlsx")]
    (tmp_path / "thieu.xlsx").write_bytes(b"not a zip")
    sequential = [check_workbook(p, registry, d) for p, d in files]
    seen = []
    parallel = read_cache.check_workbooks(files, registry, jobs=2, progress=lambda i, n, name: seen.append(name))
    assert _summary(parallel) == _summary(sequential)
    assert parallel[3][1][0].code == "file-corrupt"
    assert sorted(seen) == sorted(d for _, d in files)


def test_validate_with_a_cache_reports_the_same_as_without(tmp_path):
    content = ROOT / "content"
    plain = validate(None, content=content, relative_to=content)
    cached = validate(None, content=content, relative_to=content, cache=tmp_path / "c")
    again = validate(None, content=content, relative_to=content, cache=tmp_path / "c")
    key = [(f.file, f.code, f.cell) for f in plain.report.findings]
    assert [(f.file, f.code, f.cell) for f in cached.report.findings] == key
    assert [(f.file, f.code, f.cell) for f in again.report.findings] == key
    assert again.report.files == plain.report.files


def test_prune_keeps_the_newest(tmp_path):
    import os
    import time

    for i in range(5):
        (tmp_path / f"{i}.pickle").write_bytes(b"x")
        os.utime(tmp_path / f"{i}.pickle", (time.time() + i, time.time() + i))
    read_cache.prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.glob("*.pickle")) == ["3.pickle", "4.pickle"]
