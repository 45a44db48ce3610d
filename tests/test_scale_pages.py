"""Pages at province scale: long lists are shortened to the most urgent and
the rest counted per plan (every task still reachable), lists that repeat the
plans stay out of the search index, and the content folder's own pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator import site as s
from generator.findings import Report
from generator.pages import extra_pages, nav, render_pages
from generator.reader import read_workbook

from .test_site_model import TODAY, before, section, to_html
from .workbooks import appendix

ROOT = Path(__file__).resolve().parent.parent
N = 130  # tasks Phòng Tư pháp supports: more than LIST_LIMIT


def _rows(first_overdue: int):
    rows = [("1", "Nhiệm vụ phối hợp: 10đ", None, None, None, None)]
    for i in range(1, N + 1):
        # the last ones are overdue: shortening must bring them to the top
        offset = -10 - i if i >= first_overdue else 30 + i
        rows.append((f"1.{i}", f"Nhiệm vụ số {i}", "Báo cáo", "Phòng Nội vụ", "Phòng Tư pháp", before(offset)))
    return rows


@pytest.fixture(scope="module")
def model(tmp_path_factory, registry):
    folder = tmp_path_factory.mktemp("lon")
    plans = []
    for name, first in (("ke-hoach-a", 121), ("ke-hoach-b", N + 1)):
        result = read_workbook(appendix(folder / f"{name}.xlsx", _rows(first)), registry, f"{name}.xlsx")
        plans.extend(result.plans)
    return s.build_site_model(plans, Report(), registry, today=TODAY, site_name="Thử", issuer="UBND")


def test_shortlist_keeps_short_lists_whole_and_in_order(model):
    unit = next(u for u in model.units if u.id == "phong-tu-phap")
    few = unit.supports[:5]
    short = s.shortlist(few)
    assert short.shown == few and short.hidden == 0 and short.plans == []


def test_a_unit_page_shows_the_most_urgent_hundred_and_counts_the_rest(model):
    unit = next(u for u in model.units if u.id == "phong-tu-phap")
    assert len(unit.supports) == 2 * N
    sl = s.shortlist(unit.supports)
    assert len(sl.shown) == s.LIST_LIMIT and sl.hidden == 2 * N - s.LIST_LIMIT
    overdue = [t for t in unit.supports if t.status.status is s.Status.OVERDUE]
    assert len(overdue) == 10 and set(map(id, sl.shown[:10])) == set(map(id, overdue))
    assert sorted((pv.slug, n) for pv, n in sl.plans) == [("ke-hoach-a", N), ("ke-hoach-b", N)]

    page = next(p for p in render_pages(model) if p.url == unit.url)
    support = section(page.text, "Nhiệm vụ phối hợp")
    assert support.count("<tr>") == s.LIST_LIMIT + 1  # the header row and 100 tasks
    assert "Nhiệm vụ số 130" in support  # overdue, so shown although it is the last row of its sheet
    assert re.search(r"Trang này hiển thị 100 trong 260 nhiệm vụ phối hợp", support)
    links = re.findall(r'<a href="([^"]+)">[^<]+</a> \((\d+)\)', support)
    assert sorted(n for _, n in links) == ["130", "130"]
    assert all(href.startswith("../../ke-hoach/") for href, _ in links)


def test_lists_that_repeat_the_plans_are_left_out_of_search(model):
    pages = {p.url: p for p in render_pages(model)}
    unit = pages["don-vi/phong-tu-phap/"].text
    for heading in ("Thời hạn sắp tới", "Quá hạn", "Nhiệm vụ chủ trì", "Nhiệm vụ phối hợp"):
        assert f"## {heading} {{ data-search-exclude }}" in unit
    html = to_html(unit)
    assert re.search(r'<h2 data-search-exclude="[^"]*" id="nhiem-vu-phoi-hop">', html) or \
        re.search(r'<h2 [^>]*data-search-exclude', html)
    plan = pages["ke-hoach/ke-hoach-a/"].text
    assert "data-search-exclude" not in plan.split("\n## ", 1)[1]  # the plan itself is what search finds


def test_the_calendar_shortens_each_month(model):
    page = next(p for p in render_pages(model) if p.url == s.CALENDAR)
    for month in re.split(r"\n## ", page.text)[1:]:
        items = month.count("<li>")
        assert items <= 30
        if items == 30:
            assert "Trang này hiển thị 30 trong" in month


def test_content_pages_become_site_pages_under_guides(tmp_path, model):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "hieu-nang.md").write_text("# Hiệu năng\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    (folder / "gioi-thieu.md").write_text("---\ntitle: Giới thiệu\n---\n\nNội dung.\n", encoding="utf-8")
    pages = extra_pages(folder)
    assert [(p.url, p.title) for p in pages] == [("trang/gioi-thieu/", "Giới thiệu"), ("trang/hieu-nang/", "Hiệu năng")]
    assert pages[1].text.startswith("---\ntitle: Hiệu năng\n---\n") and "| 1 | 2 |" in pages[1].text
    assert pages[0].text.count("---\n") == 2  # one front matter, not two
    guides = next(entry["Hướng dẫn"] for entry in nav(render_pages(model) + pages, model) if "Hướng dẫn" in entry)
    assert guides[-2:] == [{"Giới thiệu": "trang/gioi-thieu.md"}, {"Hiệu năng": "trang/hieu-nang.md"}]
    assert extra_pages(tmp_path / "khong-co") == []


def test_the_tthc_page_details_only_the_last_period_above_twenty_units(tmp_path):
    from generator.build import build_site
    from generator.demo_data import make_demo_content

    content = tmp_path / "tinh"
    make_demo_content(content, units=24, rows=4, months=3, failures=0)
    result = build_site(content, tmp_path / "site", today=dt.date(2024, 6, 1), pdf=False, work=tmp_path / "w")
    text = (tmp_path / "site" / "tien-do-tthc" / "index.html").read_text(encoding="utf-8")
    assert text.count('<details class="cchc-period">') == 1
    assert "chỉ ghi số liệu từng đơn vị của kỳ gần nhất" in text
    assert result.model.tthc.periods[-1].label in text
    assert (tmp_path / "site" / "du-lieu" / "tien-do-tthc.csv").is_file()
    shutil.rmtree(tmp_path / "w")
