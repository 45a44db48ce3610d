"""A “DỮ LIỆU MINH HỌA” line in a title block marks a whole sheet as not real
figures (what `cchc demo-data` writes): the reader keeps the sheet's title, and
every page of the site says which workbooks are illustrative."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.reader import is_illustrative_mark, read_workbook
from generator.units import load_registry

from .test_tthc import GOOD
from .indicator_books import SCORE_TITLE, TTHC_TITLE, score_book, tthc_book
from .workbooks import CLEAN_ROWS, TITLE_BLOCK, appendix

ROOT = Path(__file__).resolve().parent.parent
MARK = "DỮ LIỆU MINH HỌA – tạo tự động bằng cchc demo-data, không phải số liệu thật"


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "content" / "units.yml")


@pytest.mark.parametrize("text, marked", [
    (MARK, True), ("Dữ liệu minh hoạ", True), ("  dữ liệu minh họa: số liệu năm 2022", True),
    ("Số liệu năm 2022 là dữ liệu minh họa", False),  # a sentence about some rows, not the sheet
    ("PHỤ LỤC", False),
])
def test_the_mark_is_a_line_that_starts_with_the_words(text, marked):
    assert is_illustrative_mark(text) is marked


def test_plan_mark_does_not_become_the_title(tmp_path, registry):
    title = [TITLE_BLOCK[0], MARK, *TITLE_BLOCK[1:]]
    plain = read_workbook(appendix(tmp_path / "a.xlsx"), registry).plans[0]
    marked = read_workbook(appendix(tmp_path / "b.xlsx", title=title), registry).plans[0]
    assert marked.meta.illustrative and not plain.meta.illustrative
    assert marked.meta.title == plain.meta.title
    assert MARK in marked.meta.lines  # still kept verbatim


def test_score_and_tthc_marks(tmp_path, registry):
    rows = [("1", "Công tác chỉ đạo", 2, 1.5, None, None)]
    card = read_workbook(score_book(tmp_path / "s.xlsx", rows, title=[*SCORE_TITLE, MARK]), registry).scores[0]
    assert card.illustrative and "MINH HỌA" not in card.title and card.year == 2021
    tthc_rows = [GOOD]
    report = read_workbook(tthc_book(tmp_path / "t.xlsx", tthc_rows, title=[*TTHC_TITLE, MARK]), registry).tthc[0]
    assert report.marked and all(r.illustrative for r in report.rows)
    assert "MINH HỌA" not in report.title
    real = read_workbook(tthc_book(tmp_path / "r.xlsx", tthc_rows), registry).tthc[0]
    assert not real.marked and not any(r.illustrative for r in real.rows)


def test_every_page_names_the_illustrative_workbook(tmp_path):
    import shutil

    from generator.build import build_site

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "site.yml").write_text(
        "\n".join(line for line in (content / "site.yml").read_text(encoding="utf-8").split("\n")
                  if not line.startswith(("sources:", "  - ", "    "))), encoding="utf-8")
    for old in (content / "sheets").glob("*"):
        old.unlink()
    appendix(content / "sheets" / "minh-hoa.xlsx", CLEAN_ROWS, title=[TITLE_BLOCK[0], MARK, *TITLE_BLOCK[1:]])
    result = build_site(content, tmp_path / "site", today=dt.date(2022, 6, 1), pdf=False, work=tmp_path / "w")
    assert result.model.illustrative == ["sheets/minh-hoa.xlsx"]
    docs_pages = [tmp_path / "site" / "index.html", tmp_path / "site" / "don-vi" / "phong-noi-vu" / "index.html",
                  next((tmp_path / "site" / "ke-hoach").glob("*/index.html"))]
    for page in docs_pages:
        html = page.read_text(encoding="utf-8")
        assert "Dữ liệu minh họa" in html and "sheets/minh-hoa.xlsx là dữ liệu minh họa" in html, page
