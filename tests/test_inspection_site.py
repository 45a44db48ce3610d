"""The inspection cycle on the site: the Đắk Lắk 2020 example (seed 002's plan)
and the embedded Quảng Điền content (appendix 1.3.1, 1.3.2), built whole."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from generator.build import build_site
from generator.commands import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dak-lak-2020-kiem-tra"


def text_of(page: Path) -> str:
    body = page.read_text(encoding="utf-8")
    body = body[body.index("<article"):body.index("</article>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dak-lak")
    result = build_site(EXAMPLE, tmp / "site", today=dt.date(2020, 11, 15), pdf=False, work=tmp / "w")
    return result, tmp / "site"


def test_the_example_builds_with_the_twelve_units_of_the_decision(example):
    result, site = example
    plan, = result.run.inspections
    assert [i.unit_text for i in plan.inspections][:3] == ["Sở Kế hoạch và Đầu tư", "Sở Xây dựng", "Sở Ngoại vụ"]
    assert len(plan.inspections) == 12 and all(i.unit_ids for i in plan.inspections)
    assert {i.round for i in plan.inspections} == {"Kiểm tra theo kế hoạch năm 2020"}  # one merged cell
    text = text_of(site / "kiem-tra-cchc" / "index.html")
    assert "sở, ban, ngành 7/21 33,3% từ 30% trở lên đạt" in text
    assert "UBND cấp huyện 5/15 33,3% từ 30% trở lên đạt" in text
    assert text.count("đã kiểm tra, chờ kết luận") == 5  # the districts: no conclusion in the decision
    assert "dữ liệu minh họa" in text  # invented conclusion dates and findings say so


def test_relative_deadlines_wait_for_the_conclusion(example):
    result, site = example
    plan, = result.run.inspections
    by_unit = {r.unit_text: r for r in plan.remediations}
    assert by_unit["Sở Xây dựng"].deadline == dt.date(2020, 10, 13)  # conclusion 13/09 + 30 days
    waiting = by_unit["UBND huyện Krông Pắc"]
    assert waiting.deadline is None and waiting.waiting_conclusion
    text = text_of(site / "kiem-tra-cchc" / "index.html")
    assert "Chưa kiểm tra CCHC tại UBND cấp xã Kiểm tra 20% UBND cấp xã 1.3 chờ thông báo kết luận" in text


def test_overdue_remediation_is_highlighted_and_reported(example):
    result, site = example
    page = (site / "kiem-tra-cchc" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="cchc-overdue"') == 4
    overdue = [f for f in result.run.report.findings if f.code == "remediation-overdue"]
    # Sở Xây dựng, Sở Ngoại vụ, Sở Y tế, Thanh tra tỉnh: past 30 days after their conclusion, not done
    assert {f.cell for f in overdue} == {"G7", "G8", "G10", "G11"}
    assert not [f for f in result.run.report.findings if f.severity.value == "error"]


def test_each_unit_page_shows_its_inspection(example):
    _, site = example
    text = text_of(site / "don-vi" / "so-xay-dung" / "index.html")
    assert "Kiểm tra CCHC" in text and "kết luận ngày 13/09/2020" in text
    assert "Rà soát, đưa TTHC lên mức độ 3, 4" in text and "quá hạn" in text
    assert "Kiểm tra CCHC" not in text_of(site / "don-vi" / "so-tai-chinh" / "index.html")


def test_the_calendar_gains_inspection_dates_and_remediation_deadlines(example):
    _, site = example
    text = text_of(site / "lich" / "index.html")
    assert "11/08/2020 · Kiểm tra CCHC : Sở Kế hoạch và Đầu tư" in text
    assert "13/10/2020 · Hạn khắc phục sau kiểm tra : Sở Xây dựng" in text


def test_the_embedded_content_links_remediation_to_the_plan_criteria(tmp_path):
    result = build_site(None, tmp_path / "site", today=dt.date(2022, 11, 1), pdf=False, work=tmp_path / "w")
    plan, = result.run.inspections
    assert plan.illustrative == {"inspection": True, "remediation": True}
    assert "sheets/kiem-tra-cchc-2022.xlsx" in result.model.illustrative
    later = next(r for r in plan.remediations if r.unit_text == "Phòng Kinh tế và Hạ tầng")
    assert later.deadline is None and later.waiting_conclusion  # round 2 has no conclusion yet
    page = next((tmp_path / "site" / "ke-hoach").glob("*/index.html")).read_text(encoding="utf-8")
    row = page[page.index('id="nv-1-3-2"'):]
    row = row[:row.index("</tr>")]
    assert "Khắc phục sau kiểm tra" in row and "Phòng Tư pháp" in row
    inspections = (tmp_path / "site" / "kiem-tra-cchc" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./ke-hoach/[^"#]+/#nv-1-3-2">1\.3\.2</a>', inspections)
    assert not [f for f in result.run.report.findings if f.code == "remediation-unknown-criterion"]


def test_validate_reports_each_check_on_its_cell(tmp_path):
    run = validate(None, content=EXAMPLE, relative_to=EXAMPLE, today=dt.date(2020, 11, 15))
    codes = sorted({f.code for f in run.report.findings})
    assert codes == ["remediation-overdue"]
    later = validate(None, content=EXAMPLE, relative_to=EXAMPLE, today=dt.date(2020, 10, 1))
    assert not [f for f in later.report.findings if f.code == "remediation-overdue"]


def test_calendars_carry_inspections_and_remediation_deadlines(example):
    from icalendar import Calendar

    _, site = example
    cal = Calendar.from_ical((site / "lich" / "kiem-tra-cchc.ics").read_bytes())
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert "Kiểm tra CCHC: Sở Kế hoạch và Đầu tư" in summaries
    assert "Thông báo kết luận kiểm tra: Sở Xây dựng" in summaries
    assert "Hạn khắc phục sau kiểm tra: Sở Xây dựng" in summaries
    assert not any("Krông Pắc" in s and "khắc phục" in s for s in summaries)  # waiting: no date yet
    unit = Calendar.from_ical((site / "lich" / "don-vi" / "so-xay-dung.ics").read_bytes())
    assert {str(e["SUMMARY"]).split(":")[0] for e in unit.walk("VEVENT")} >= {"Kiểm tra CCHC",
                                                                             "Hạn khắc phục sau kiểm tra"}


def test_the_inspection_pdf_prints_the_plan_and_the_remediation_report(tmp_path):
    from generator.commands import pdf

    written = pdf(EXAMPLE, tmp_path / "pdf", what="inspections", today=dt.date(2020, 11, 15))
    path, = written
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Sở Kế hoạch và Đầu tư" in text and "UBND huyện Buôn Đôn" in text
    assert "Khắc phục tồn tại, hạn chế sau kiểm tra" in text and "chờ thông báo kết luận" in text


def test_the_home_page_sums_up_the_inspections(example):
    _, site = example
    text = text_of(site / "index.html")
    assert "12 lượt kiểm tra, 8 nhiệm vụ khắc phục, 4 quá hạn" in text


def test_remediation_shows_what_its_criterion_lost_last_year(tmp_path):
    result = build_site(None, tmp_path / "site", today=dt.date(2022, 11, 1), pdf=False, work=tmp_path / "w")
    page = (tmp_path / "site" / "kiem-tra-cchc" / "index.html").read_text(encoding="utf-8")
    lost = result.model.scores.lost_for("3.5.3", 2022)
    assert lost is not None  # the real 2021 scores: 3.5 (hồ sơ TTHC) lost 1,54 points
    assert lost.text in html.unescape(page) and "../chi-so-cchc/#" in page
