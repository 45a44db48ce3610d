"""The contexts of the "Chỉ số CCHC" and "Tiến độ giải quyết TTHC" pages, built
from the real 2021 scores and the embedded TTHC workbook, and from small
hand-built cards: the published total, lost points joined to plan tasks by TT,
the year-on-year comparison, projected scores, and escaping of sheet text."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from generator import site as s
from generator.findings import Report
from generator.formulas import load_formulas
from generator.index_views import lost_points, previous_card, scores_view, tthc_view
from generator.pages import render_pages
from generator.reader import read_workbook
from generator.scores import ScoreCard, ScoreItem, TypedTotal

from .conftest import DATA, ROOT

SCORES = DATA / "quang-dien-2021-chi-so.xlsx"
TTHC = ROOT / "content" / "sheets" / "tien-do-tthc.xlsx"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def card(registry):
    return read_workbook(SCORES, registry).scores[0]


@pytest.fixture(scope="module")
def tthc(registry):
    return read_workbook(TTHC, registry).tthc[0]


@pytest.fixture(scope="module")
def formulas():
    return load_formulas(ROOT / "content" / "cong-thuc.yml")


def test_headline_is_the_published_truncated_total(card):
    view = scores_view([card]).latest
    assert view.headline == 77.58 and view.headline_text == "77,58" and view.truncated
    assert round(view.percentage, 2) == 80.81  # 77,58 / 96
    assert card.total_score == pytest.approx(77.586)


def test_headline_falls_back_to_the_computed_total_when_the_typed_one_is_wrong(card):
    wrong = copy.deepcopy(card)
    wrong.typed_totals = [TypedTotal("score", 80.0, "80,0", "A2", 2, 1)]
    view = scores_view([wrong]).latest
    assert view.headline == pytest.approx(77.586) and not view.truncated and view.headline_text == "77,586"


def test_areas_carry_score_lost_points_and_their_lost_criteria(card):
    areas = {a.item.code: a for a in scores_view([card]).latest.areas}
    assert len(areas) == 10
    assert areas["3"].score == 12.46 and areas["3"].lost == pytest.approx(2.04)
    # 3.1 got 0,5 of 1 but 0,5 did not arise: it lost nothing
    assert [i.code for i in areas["3"].lost_items] == ["3.4", "3.5"]
    assert areas["9"].lost == pytest.approx(5.314)  # 25 - 2 not arising - 17,686


def test_lost_points_join_plan_task_codes_to_the_deepest_criterion(card):
    joined = lost_points("3.5.1", card)
    assert joined.item.code == "3.5" and joined.lost == pytest.approx(1.54) and joined.year == 2021
    assert "trễ hạn" in joined.reason
    assert joined.text == "Năm 2021, tiêu chí 3.5 mất 1,54 điểm"
    assert lost_points("3.2.4", card) is None  # 3.2 got 3,5 of 3,5
    assert lost_points("3.1.1", card) is None  # 0,5 of 1 with 0,5 not arising: nothing lost
    assert lost_points("NHÓM 1", card) is None and lost_points("", card) is None
    assert lost_points("11.1", card) is None


def _card(year: int, score: float) -> ScoreCard:
    area = ScoreItem("1", "Công tác chỉ đạo, điều hành CCHC", 5, maximum=2, appraised=score)
    return ScoreCard(file=f"{year}.xlsx", sheet=str(year), year=year, items=[area])


def test_previous_card_is_the_year_before_the_plan():
    cards = [_card(2020, 1.0), _card(2021, 1.5), _card(2022, 2.0)]
    assert previous_card(cards, 2022).year == 2021
    assert previous_card(cards, 2021).year == 2020
    assert previous_card(cards, 2020) is None
    assert previous_card(cards, None).year == 2022


def test_year_on_year_comparison_lists_every_area_per_year(card):
    older = _card(2020, 1.25)
    older.items[0].maximum = 8
    view = scores_view([card, older])
    assert [cv.card.year for cv in view.cards] == [2020, 2021]
    first = view.comparison[0]
    assert first.code == "1" and first.values == [(1.25, 8), (6.69, 8)]
    area_10 = next(r for r in view.comparison if r.code == "10")
    assert area_10.values == [(None, None), (8.5, 10)]
    assert "<svg" in view.comparison_chart and "2020" in view.comparison_chart


def test_tthc_periods_and_projections(tthc, formulas, card):
    view = tthc_view([tthc], formulas, [card])
    assert view.illustrative
    assert [p.short for p in view.periods][:3] == ["2021", "T1/2022", "T2/2022"]
    year_2021 = next(p for p in view.projections if p.year == 2021)
    assert not year_2021.illustrative
    rows = {r.projection.code: r for r in year_2021.rows}
    assert rows["7.2"].projection.score == 1 and rows["7.2"].actual == 1  # as the province appraised it
    assert rows["3.5.1"].projection.score is None and rows["3.5.1"].projection.missing
    latest = view.projections[0]
    assert latest.year == 2022 and latest.illustrative
    assert all(r.projection.score is not None for r in latest.rows)
    assert view.chart.startswith("<figure") and "95" in view.chart


def test_pages_escape_sheet_text_and_show_the_illustrative_label(card, tthc, formulas, registry):
    hostile_card = copy.deepcopy(card)
    hostile_card.year = None  # the sheet name becomes the card's label, in headings
    hostile_card.sheet = "X { onclick=alert(1) }"
    hostile_card.items[0].title = HOSTILE
    hostile_card.items[0].children[4].reason = HOSTILE
    hostile_tthc = copy.deepcopy(tthc)
    hostile_tthc.rows[1].unit = HOSTILE
    hostile_tthc.rows[1].source = HOSTILE
    model = s.build_site_model([], Report(), registry, today=dt.date(2022, 11, 1), site_name="Thử",
                               cards=[hostile_card], tthc=[hostile_tthc], formulas=formulas)
    pages = {p.url: p.text for p in render_pages(model)}
    for url in (s.SCORES, s.TTHC):
        assert "<script>alert" not in pages[url] and "<img src=x" not in pages[url]
    # through Markdown's attr_list, "{ onclick=… }" in a heading would become an attribute
    import markdown

    from html.parser import HTMLParser

    class Attributes(HTMLParser):
        names: set = set()

        def handle_starttag(self, tag, attrs):
            self.names.update(name for name, _ in attrs)

    parser = Attributes()
    parser.feed(markdown.markdown(pages[s.SCORES].split("---", 2)[2], extensions=["attr_list"]))
    assert parser.names and not any(name.startswith("on") for name in parser.names)
    assert "X { onclick=alert(1) }" in pages[s.SCORES] or "X \\{ onclick=alert\\(1\\) \\}" in pages[s.SCORES]
    assert "&lt;script&gt;" in pages[s.SCORES] and "&lt;script&gt;" in pages[s.TTHC]
    assert "dữ liệu minh họa" in pages[s.TTHC]
    assert "77,58" in pages[""]  # the home page summarises the index


def test_no_indicator_pages_without_indicator_workbooks(registry):
    model = s.build_site_model([], Report(), registry, today=dt.date(2022, 11, 1), site_name="Thử")
    urls = {p.url for p in render_pages(model)}
    assert s.SCORES not in urls and s.TTHC not in urls
