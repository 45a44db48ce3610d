"""The CCHC index and TTHC progress pages in Chromium: the published 2021
total, charts that fit a 360 px phone and carry a text alternative, the
points each plan task's criterion lost last year, and the illustrative label.
"""

from __future__ import annotations

import csv
from decimal import ROUND_DOWN, Decimal

import pytest
from playwright.sync_api import expect

from tests.conftest import DATA

from .test_site import PHONE, PLAN_PAGE, article, goto

pytestmark = pytest.mark.e2e

SCORES = "chi-so-cchc/"
TTHC = "tien-do-tthc/"


def _scores_csv() -> dict[str, dict]:
    with open(DATA / "quang-dien-2021-chi-so.csv", encoding="utf-8") as handle:
        return {row["TT"]: row for row in csv.DictReader(handle)}


def _vn(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


def test_scores_page_shows_the_2021_total_and_percentage(page, default_site):
    rows = _scores_csv()
    areas = [r for code, r in rows.items() if "." not in code]
    total = sum(Decimal(r["Điểm thẩm định"]) for r in areas)
    cap = sum(Decimal(r["Điểm tối đa"]) - Decimal(r["Điểm không phát sinh nhiệm vụ"]) for r in areas)
    published = total.quantize(Decimal("0.01"), rounding=ROUND_DOWN)  # the province truncates: 77,58
    percent = (published / cap * 100).quantize(Decimal("0.01"))
    goto(page, default_site.url + SCORES)
    index = article(page).locator(".cchc-index")
    expect(index).to_contain_text("Năm 2021")
    expect(index.locator(".cchc-index__value")).to_have_text(f"{_vn(published)} / {int(cap)} điểm")
    expect(index.locator(".cchc-index__percent")).to_have_text(f"đạt {_vn(percent)}%")
    # the page says where the published figure comes from: the exact sum is shown too
    expect(article(page)).to_contain_text(f"Cộng điểm các lĩnh vực được {_vn(total)} điểm")
    # each area's row: maximum, score, lost points
    area_3 = article(page).locator("table.cchc-scores tbody tr", has_text="Cải cách thủ tục hành chính")
    expect(area_3.locator("td")).to_have_text(["3", "Cải cách thủ tục hành chính", "15", "0,5", "12,46", "2,04"])
    # the reasons points were lost, as the sheet states them
    lost = article(page).locator("#nam-2021-3-5")
    expect(lost).to_contain_text("1,54")
    expect(lost).to_contain_text(rows["3.5"]["Lý do mất điểm / Ghi chú"])


def test_home_page_summarises_the_index_and_tthc(page, default_site):
    goto(page, default_site.url)
    body = article(page)
    expect(body).to_contain_text("Năm 2021: 77,58 / 96 điểm")
    link = body.get_by_role("link", name="Xem điểm từng lĩnh vực và lý do mất điểm")
    link.click()
    expect(page).to_have_url(default_site.url + SCORES)


@pytest.mark.parametrize("path", [SCORES, TTHC])
def test_charts_fit_a_phone_and_have_a_text_alternative(page, default_site, path):
    page.set_viewport_size(PHONE)
    goto(page, default_site.url + path)
    figures = article(page).locator("figure.cchc-chart")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        svg = figure.locator("svg")
        expect(svg).to_have_attribute("role", "img")
        box = svg.bounding_box()
        assert box and box["width"] > 200, f"chart {i} on {path} is {box} wide"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"chart {i} on {path} overflows: {box}"
        # every text of the chart is inside the phone's width
        rights = svg.locator("text").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
        assert rights and max(rights) <= PHONE["width"] + 0.5, f"chart {i} on {path}: text reaches {max(rights)}px"
        # the accessible name comes from the chart's own <title> and <desc>
        ids = svg.get_attribute("aria-labelledby").split()
        for element_id in ids:
            assert page.locator(f"[id='{element_id}']").count() == 1
        caption = figure.locator("figcaption")
        expect(caption).to_be_visible()
        assert len(caption.inner_text()) > 40
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_scores_chart_caption_states_each_area(page, default_site):
    goto(page, default_site.url + SCORES)
    caption = article(page).locator("figure.cchc-chart figcaption").first
    for row in [r for code, r in _scores_csv().items() if "." not in code]:
        expect(caption).to_contain_text(row["Lĩnh vực/Tiêu chí"])


def test_plan_task_shows_points_its_criterion_lost_last_year(page, default_site):
    goto(page, default_site.url + PLAN_PAGE)
    reason = _scores_csv()["3.5"]["Lý do mất điểm / Ghi chú"]
    note = article(page).locator("#nv-3-5-1 .cchc-lost")
    expect(note).to_contain_text("Năm 2021, tiêu chí 3.5 mất 1,54 điểm")
    expect(note).to_contain_text(reason)
    # a criterion that lost nothing in 2021 (3.2: 3,5/3,5) carries no note
    assert article(page).locator("[id^='nv-3-2'] .cchc-lost").count() == 0
    note.get_by_role("link").click()
    expect(page).to_have_url(default_site.url + SCORES + "#nam-2021-3-5")
    expect(page.locator("#nam-2021-3-5")).to_be_in_viewport()


def test_tthc_page_labels_illustrative_data_and_projects_scores(page, default_site):
    goto(page, default_site.url + TTHC)
    body = article(page)
    expect(body.locator(".cchc-illustrative")).to_contain_text("dữ liệu minh họa")
    periods = body.locator("table.cchc-tthc tbody tr")
    # the real 2021 row (seed: 1.962 of 6.690 dossiers online) is not labelled illustrative
    real = periods.filter(has_text="Năm 2021")
    expect(real).to_contain_text("6.690")
    expect(real).to_contain_text("29,33%")
    expect(real.locator(".cchc-badge-demo")).to_have_count(0)
    expect(periods.filter(has_text="Tháng 01/2022").locator(".cchc-badge-demo")).to_have_count(1)
    # 2021: 29,33% online ≥ 20% projects 1 of 1 point for 7.2, as the province appraised it
    year_2021 = body.locator("table.cchc-projection", has_text="Năm 2021")
    row_72 = year_2021.locator("tbody tr", has_text="7.2")
    expect(row_72.locator("td").nth(1)).to_have_text("1")
    expect(row_72.locator("td").nth(2)).to_have_text("1")
    expect(row_72.locator("td").nth(3)).to_have_text("1")
    # figures the 2021 report does not give are named, never guessed
    expect(year_2021.locator("tbody tr", has_text="3.5.1")).to_contain_text("chưa tính được")
    expect(year_2021.locator("tbody tr", has_text="3.5.1")).to_contain_text("Thiếu số liệu")
