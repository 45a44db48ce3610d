"""Inspection workbooks: model (relative deadlines, statuses, coverage), reader
(header synonyms, merged cells, NFC, units) and checks, each finding on the
exact cell it concerns. Workbooks are built at test time (inspection_books)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from generator.findings import REGISTRY, Finding, Severity
from generator.inspection import (
    DONE, IN_PROGRESS, NOT_DONE, STATUS_CONCLUDED, STATUS_NOT_INSPECTED, STATUS_REMEDIATED, STATUS_REMEDIATING,
    STATUS_WAITING, UNKNOWN, WAITING_LABEL, Inspection, InspectionPlan, Remediation, add_working_days, coverage,
    parse_criteria, parse_period, parse_status, resolve_deadline, resolve_remediations, unit_status,
)
from generator.inspection_checks import (
    FINDING_CODES, check_conclusion_dates, check_coverage, check_criteria, check_duplicates,
    check_inspection_plan, check_not_inspected, check_overdue, finding_types, known_codes, make_finding,
)
from generator.inspection_reader import (
    classify_inspection_header, classify_remediation_header, read_inspection_workbook,
)
from generator.units import registry_from_data

from .inspection_books import (
    INSPECTION_COLUMNS, REMEDIATION_COLUMNS, REMEDIATION_TITLE, cell, header_cell, inspection_book, row_of,
)

CONCLUSION = dt.date(2020, 9, 15)  # a Tuesday

# --- workbook content (real Quảng Điền unit names) --------------------------------------

INSPECTIONS = [
    {"code": 1, "unit": "Phòng Nội vụ", "round": "Đợt 1", "form": "Trực tiếp",
     "time": "từ 05/8/2020 đến 07/8/2020", "conclusion_date": CONCLUSION, "notice_number": "120/TB-UBND"},
    {"code": 2, "unit": "UBND xã Quảng Thái", "round": "Đợt 1", "form": "Trực tiếp", "time": "Tháng 8-10/2020"},
    {"code": 3, "unit": "Phòng Tư pháp", "round": "Đợt 1", "form": "Qua hồ sơ", "time": "Tháng 9/2020",
     "conclusion_date": "20/10/2020", "notice_number": "150/TB-UBND"},
    {"code": 4, "unit": "UBND thị trấn Sịa", "round": "Đợt 2", "form": "Trực tiếp", "time": "Quý IV/2020"},
]
#: "Đợt" merged over the three units of round 1, as clerks do.
ROUND_MERGE = [("round", 0, 2)]

REMEDIATIONS = [
    {"code": 1, "unit": "Phòng Nội vụ", "issue": "Chưa cập nhật hồ sơ TTHC", "task": "Cập nhật hồ sơ TTHC",
     "criteria": "1.2", "deadline": "Chậm nhất 30 ngày kể từ ngày có thông báo kết luận", "status": ""},
    {"code": 2, "unit": "UBND xã Quảng Thái", "issue": "Niêm yết TTHC chưa đầy đủ", "task": "Niêm yết đầy đủ",
     "criteria": "2.1; 9.9.9", "deadline": "Trong vòng 15 ngày làm việc kể từ ngày nhận thông báo kết luận",
     "status": "Chưa khắc phục"},
    {"code": 3, "unit": "Phòng Tư pháp", "issue": "Báo cáo chậm", "task": "Gửi báo cáo đúng hạn",
     "criteria": "1.1", "deadline": dt.date(2020, 11, 30), "status": "Đã khắc phục", "evidence": "CV 45/TP"},
    {"code": 4, "unit": "UBND xã Quảng Phú", "issue": "Chưa có kế hoạch", "task": "Ban hành kế hoạch",
     "criteria": "1.1", "deadline": "Trước 31/12/2020", "status": "Đang thực hiện"},
]


@pytest.fixture
def book(tmp_path, registry):
    path = inspection_book(tmp_path / "kiem-tra.xlsx", INSPECTIONS, REMEDIATIONS, inspection_merges=ROUND_MERGE)
    plan, findings = read_inspection_workbook(path, registry)
    assert plan is not None
    return plan, findings


def rcell(key: str, index: int) -> str:
    return cell(key, index, REMEDIATION_COLUMNS, REMEDIATION_TITLE)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# --- relative deadlines ---------------------------------------------------------------------


def test_thirty_calendar_days_count_from_the_conclusion_date():
    text = "Chậm nhất 30 ngày kể từ ngày có thông báo kết luận"
    assert resolve_deadline(text, CONCLUSION, 2020) == (dt.date(2020, 10, 15), False)


def test_before_a_conclusion_a_relative_deadline_waits_and_is_not_guessed():
    text = "Chậm nhất 30 ngày kể từ ngày có thông báo kết luận"
    assert resolve_deadline(text, None, 2020) == (None, True)
    item = Remediation(row=8, unit_text="Phòng Nội vụ", deadline_text=text, waiting_conclusion=True)
    assert item.deadline_label == WAITING_LABEL == "chờ thông báo kết luận"


def test_working_days_skip_saturdays_and_sundays():
    text = "Trong vòng 15 ngày làm việc kể từ ngày nhận thông báo kết luận"
    # Tue 15/9 + 15 working days: 16–18, 21–25, 28/9–2/10, 5–6/10
    assert resolve_deadline(text, CONCLUSION, 2020) == (dt.date(2020, 10, 6), False)
    friday = dt.date(2020, 9, 18)
    assert add_working_days(friday, 1) == dt.date(2020, 9, 21)  # Monday, not Saturday
    assert add_working_days(friday, 5) == dt.date(2020, 9, 25)
    # the same number of calendar days lands elsewhere
    assert resolve_deadline("15 ngày kể từ ngày có kết luận", CONCLUSION)[0] == dt.date(2020, 9, 30)


def test_absolute_deadlines_are_untouched_by_the_conclusion():
    for value, expected in (("Trước 31/12/2020", dt.date(2020, 12, 31)),
                            ("Quý IV/2020", dt.date(2020, 12, 31)),
                            ("15/11/2020", dt.date(2020, 11, 15)),
                            (dt.datetime(2020, 11, 30), dt.date(2020, 11, 30))):
        assert resolve_deadline(value, CONCLUSION, 2020) == (expected, False)
        assert resolve_deadline(value, None, 2020) == (expected, False)


def test_a_date_written_in_the_cell_is_the_anchor_and_unreadable_text_is_not_waiting():
    assert resolve_deadline("30 ngày kể từ ngày 01/10/2020", None) == (dt.date(2020, 10, 31), False)
    assert resolve_deadline("Thường xuyên", CONCLUSION) == (None, False)
    assert resolve_deadline("", CONCLUSION) == (None, False)


def test_remediation_deadlines_resolve_against_their_own_units_conclusion():
    plan = InspectionPlan(file="x.xlsx", year=2020, inspections=[
        Inspection(row=6, unit_text="Phòng Nội vụ", unit_ids=["phong-noi-vu"], conclusion_date=CONCLUSION),
        Inspection(row=7, unit_text="Phòng Tư pháp", unit_ids=["phong-tu-phap"]),
    ], remediations=[
        Remediation(row=6, unit_text="Phòng Nội vụ", unit_ids=["phong-noi-vu"], deadline_text="30 ngày kể từ ngày có kết luận"),
        Remediation(row=7, unit_text="Phòng Tư pháp", unit_ids=["phong-tu-phap"], deadline_text="30 ngày kể từ ngày có kết luận"),
    ])
    resolve_remediations(plan)
    first, second = plan.remediations
    assert (first.deadline, first.waiting_conclusion) == (dt.date(2020, 10, 15), False)
    assert (second.deadline, second.waiting_conclusion) == (None, True)
    # the conclusion is announced: the same row now has a date
    plan.inspections[1].conclusion_date = dt.date(2020, 10, 1)
    resolve_remediations(plan)
    assert (second.deadline, second.waiting_conclusion) == (dt.date(2020, 10, 31), False)
    assert second.deadline_label == "31/10/2020"


# --- small parsers --------------------------------------------------------------------------


def test_inspection_time_as_written():
    assert parse_period("Tháng 8-10/2020") == (dt.date(2020, 8, 1), dt.date(2020, 10, 31), False)
    assert parse_period("từ 05/8/2020 đến 07/8/2020") == (dt.date(2020, 8, 5), dt.date(2020, 8, 7), True)
    assert parse_period("05-07/8/2020") == (dt.date(2020, 8, 5), dt.date(2020, 8, 7), True)
    assert parse_period("Quý III/2020") == (dt.date(2020, 7, 1), dt.date(2020, 9, 30), False)
    assert parse_period(dt.datetime(2020, 9, 1)) == (dt.date(2020, 9, 1), dt.date(2020, 9, 1), True)
    assert parse_period("Tháng 9", 2020) == (dt.date(2020, 9, 1), dt.date(2020, 9, 30), False)
    assert parse_period("sau Tết") == (None, None, False)


def test_status_words_and_criteria_codes():
    assert parse_status("Đã khắc phục") == DONE
    assert parse_status("Hoàn thành") == DONE
    assert parse_status("ĐÃ KHẮC PHỤC XONG") == DONE
    assert parse_status("Đã khắc phục một phần") == IN_PROGRESS
    assert parse_status("Đang thực hiện") == IN_PROGRESS
    assert parse_status("Chưa khắc phục") == NOT_DONE
    assert parse_status("Chưa hoàn thành") == NOT_DONE
    assert parse_status("") == UNKNOWN
    assert parse_status("Xem báo cáo") == UNKNOWN
    assert parse_criteria("Tiêu chí 1.3.1; 2.2 (0,5đ)") == ["1.3.1", "2.2"]
    assert parse_criteria("1.3.1, 1.3.2 và 6.4") == ["1.3.1", "1.3.2", "6.4"]
    assert parse_criteria("") == []


# --- reader ---------------------------------------------------------------------------------


def test_reads_both_sheets_with_title_year_units_and_dates(book):
    plan, findings = book
    assert plan.inspection_sheet == "Kế hoạch kiểm tra" and plan.remediation_sheet == "Khắc phục"
    assert plan.year == 2020
    assert "KẾ HOẠCH KIỂM TRA" in plan.title
    assert [i.unit_ids for i in plan.inspections] == [["phong-noi-vu"], ["xa-quang-thai"], ["phong-tu-phap"],
                                                     ["thi-tran-sia"]]
    first, second, third, _ = plan.inspections
    assert (first.start, first.end, first.exact) == (dt.date(2020, 8, 5), dt.date(2020, 8, 7), True)
    assert first.conclusion_date == CONCLUSION  # a real Excel date
    assert third.conclusion_date == dt.date(2020, 10, 20)  # typed as text
    assert second.conclusion_date is None
    assert first.notice_number == "120/TB-UBND"
    assert first.cells["unit"] == cell("unit", 0) and first.cells["conclusion_date"] == cell("conclusion_date", 0)
    assert plan.header_cell("inspection", "unit") == header_cell("unit")
    assert not only(findings, "unknown-unit")


def test_a_round_merged_over_its_units_is_filled_down(book):
    plan, _ = book
    assert [i.round for i in plan.inspections] == ["Đợt 1", "Đợt 1", "Đợt 1", "Đợt 2"]


def test_remediation_rows_resolve_and_wait(book):
    plan, _ = book
    noi_vu, quang_thai, tu_phap, quang_phu = plan.remediations
    assert (noi_vu.deadline, noi_vu.waiting_conclusion) == (dt.date(2020, 10, 15), False)
    assert (quang_thai.deadline, quang_thai.waiting_conclusion) == (None, True)  # no conclusion yet
    assert quang_thai.deadline_label == WAITING_LABEL
    assert tu_phap.deadline == dt.date(2020, 11, 30) and tu_phap.status == DONE and tu_phap.evidence == "CV 45/TP"
    assert quang_phu.deadline == dt.date(2020, 12, 31) and quang_phu.status == IN_PROGRESS
    assert quang_thai.criteria == ["2.1", "9.9.9"]
    assert noi_vu.cells["status"] == rcell("status", 0)


def test_the_remediation_sheet_may_come_first(tmp_path, registry):
    path = inspection_book(tmp_path / "dao.xlsx", INSPECTIONS, REMEDIATIONS, remediation_first=True)
    plan, _ = read_inspection_workbook(path, registry)
    assert plan.remediations[0].deadline == dt.date(2020, 10, 15)


def test_header_synonyms_in_any_order_with_a_two_row_conclusion_header(tmp_path, registry):
    columns = [
        ("code", None, "STT"),
        ("round", None, "Đợt kiểm tra"),
        ("time", None, "Thời gian"),
        ("unit", None, "Cơ quan, đơn vị được kiểm tra"),
        ("form", None, "Phương thức kiểm tra"),
        ("notice_number", "Thông báo kết luận", "Số"),
        ("conclusion_date", "Thông báo kết luận", "Ngày"),
    ]
    rem_columns = [
        ("code", None, "STT"),
        ("unit", None, "Đơn vị được kiểm tra"),
        ("task", None, "Biện pháp khắc phục"),
        ("issue", None, "Tồn tại"),
        ("status", None, "Kết quả khắc phục"),
        ("deadline", None, "Thời hạn khắc phục"),
        ("criteria", None, "Tiêu chí"),
        ("evidence", None, "Tài liệu kiểm chứng"),
    ]
    path = inspection_book(tmp_path / "dong-nghia.xlsx", INSPECTIONS[:1], REMEDIATIONS[:1],
                           inspection_columns=columns, remediation_columns=rem_columns)
    plan, findings = read_inspection_workbook(path, registry)
    assert set(plan.columns["inspection"]) == {"code", "round", "time", "unit", "form", "notice_number",
                                              "conclusion_date"}
    assert set(plan.columns["remediation"]) == {"code", "unit", "task", "issue", "status", "deadline", "criteria",
                                               "evidence"}
    item = plan.inspections[0]
    assert (item.unit_ids, item.round, item.form) == (["phong-noi-vu"], "Đợt 1", "Trực tiếp")
    assert item.notice_number == "120/TB-UBND" and item.conclusion_date == CONCLUSION
    assert item.cells["conclusion_date"] == cell("conclusion_date", 0, columns)
    assert plan.header_rows["inspection"] == 5  # two title lines, a blank row, two header rows
    assert plan.remediations[0].task == "Cập nhật hồ sơ TTHC"
    assert not only(findings, "missing-column")


def test_the_two_headers_are_told_apart():
    assert classify_inspection_header("Ngày thông báo kết luận") == "conclusion_date"
    assert classify_inspection_header("Số thông báo") == "notice_number"
    assert classify_inspection_header("Đơn vị được kiểm tra") == "unit"
    assert classify_inspection_header("Tồn tại, hạn chế") == "_remediation"
    assert classify_remediation_header("Hạn khắc phục") == "deadline"
    assert classify_remediation_header("Tình trạng") == "status"
    assert classify_remediation_header("Tiêu chí liên quan") == "criteria"
    assert classify_remediation_header("Nhiệm vụ khắc phục") == "task"


def test_a_missing_required_column_is_named(tmp_path, registry):
    columns = [c for c in INSPECTION_COLUMNS if c[0] != "conclusion_date"]
    rows = [{k: v for k, v in r.items() if k != "conclusion_date"} for r in INSPECTIONS]
    path = inspection_book(tmp_path / "thieu.xlsx", rows, None, inspection_columns=columns)
    _, findings = read_inspection_workbook(path, registry)
    missing = only(findings, "missing-column")
    assert len(missing) == 1 and "Ngày thông báo kết luận" in missing[0].message


def test_decomposed_vietnamese_is_normalised_and_matched(tmp_path, registry):
    nfd = [{k: unicodedata.normalize("NFD", v) if isinstance(v, str) else v for k, v in r.items()}
           for r in INSPECTIONS[:2]]
    assert nfd[1]["unit"] != "UBND xã Quảng Thái"
    path = inspection_book(tmp_path / "nfd.xlsx", nfd, None)
    plan, findings = read_inspection_workbook(path, registry)
    second = plan.inspections[1]
    assert second.unit_text == "UBND xã Quảng Thái" and unicodedata.is_normalized("NFC", second.unit_text)
    assert second.unit_ids == ["xa-quang-thai"]
    assert second.round == "Đợt 1"
    normalised = only(findings, "text-normalised")
    assert len(normalised) == 1 and normalised[0].cell == cell("unit", 0)


def test_an_unknown_unit_is_reported_on_its_cell_with_a_suggestion(tmp_path, registry):
    rows = [dict(INSPECTIONS[0], unit="Phòng Nôi vụ")]
    path = inspection_book(tmp_path / "sai-ten.xlsx", rows, None)
    plan, findings = read_inspection_workbook(path, registry)
    (finding,) = only(findings, "unknown-unit")
    assert finding.cell == cell("unit", 0) and finding.sheet == "Kế hoạch kiểm tra"
    assert "Phòng Nôi vụ" in finding.message and "Phòng Nội vụ" in finding.message
    assert plan.inspections[0].unit_ids == []


def test_an_unreadable_conclusion_date_is_named(tmp_path, registry):
    rows = [dict(INSPECTIONS[0], conclusion_date="sau đợt 1")]
    path = inspection_book(tmp_path / "ngay.xlsx", rows, None)
    plan, findings = read_inspection_workbook(path, registry)
    (finding,) = only(findings, "inspection-date-invalid")
    assert finding.cell == cell("conclusion_date", 0) and "sau đợt 1" in finding.message
    assert plan.inspections[0].conclusion_date is None


# --- checks, each on its cell ---------------------------------------------------------------


def test_a_unit_twice_in_one_round_is_an_error_on_the_second_row(tmp_path, registry):
    rows = [*INSPECTIONS, dict(INSPECTIONS[0], code=5, unit="Phòng Nội vụ", round="Đợt 1"),
            dict(INSPECTIONS[0], code=6, round="Đợt 2")]  # another round: fine
    path = inspection_book(tmp_path / "trung.xlsx", rows, None)
    plan, _ = read_inspection_workbook(path, registry)
    (finding,) = check_duplicates(plan, registry)
    assert finding.code == "inspection-duplicate" and finding.severity is Severity.ERROR
    assert finding.cell == cell("unit", 4) and finding.row == row_of(4)
    assert "Phòng Nội vụ" in finding.message and f"dòng {row_of(0)}" in finding.message
    assert "Đợt 1" in finding.message


def test_rounds_written_differently_are_the_same_round(tmp_path, registry):
    rows = [dict(INSPECTIONS[0], round="Đợt I"), dict(INSPECTIONS[0], round="đợt 1")]
    plan, _ = read_inspection_workbook(inspection_book(tmp_path / "dot.xlsx", rows, None), registry)
    assert [f.cell for f in check_duplicates(plan, registry)] == [cell("unit", 1)]


def test_a_conclusion_dated_before_its_inspection_is_an_error_on_the_conclusion_cell(tmp_path, registry):
    rows = [
        dict(INSPECTIONS[0], conclusion_date=dt.date(2020, 8, 1)),  # before 05/8
        dict(INSPECTIONS[0], code=2, unit="Phòng Tư pháp", conclusion_date=dt.date(2020, 8, 6)),  # before 07/8
        dict(INSPECTIONS[1], conclusion_date=dt.date(2020, 9, 20)),  # inside the window Tháng 8-10: fine
        dict(INSPECTIONS[2]),  # after: fine
    ]
    plan, _ = read_inspection_workbook(inspection_book(tmp_path / "ket-luan.xlsx", rows, None), registry)
    found = check_conclusion_dates(plan)
    assert [f.cell for f in found] == [cell("conclusion_date", 0), cell("conclusion_date", 1)]
    assert all(f.code == "inspection-conclusion-before" and f.severity is Severity.ERROR for f in found)
    assert "01/08/2020" in found[0].message and "05/08/2020" in found[0].message
    assert "kết thúc" in found[1].message and "07/08/2020" in found[1].message


def test_overdue_remediation_without_status_is_flagged_on_the_status_cell(book):
    plan, _ = book
    found = check_overdue(plan, today=dt.date(2021, 1, 15))
    # Nội vụ (15/10, no status) and Quảng Phú (31/12, in progress); Tư pháp is done,
    # Quảng Thái waits for its conclusion: never overdue
    assert [f.cell for f in found] == [rcell("status", 0), rcell("status", 3)]
    assert all(f.code == "remediation-overdue" and f.sheet == "Khắc phục" for f in found)
    assert "15/10/2020" in found[0].message and "chưa ghi tình trạng" in found[0].message
    assert "Đang thực hiện" in found[1].message
    assert check_overdue(plan, today=dt.date(2020, 10, 15)) == []  # the deadline day itself is not late


def test_a_criterion_the_plan_does_not_have_is_flagged_on_its_cell(book):
    plan, _ = book
    found = check_criteria(plan, {"1", "1.1", "1.2", "2", "2.1"})
    assert [(f.cell, f.code) for f in found] == [(rcell("criteria", 1), "remediation-unknown-criterion")]
    assert "9.9.9" in found[0].message
    assert check_criteria(plan, set()) == []  # no plan to compare with: nothing said


def test_known_codes_come_from_the_real_plan(plan):
    known = known_codes([plan])
    assert {"1", "1.1"} <= known
    assert "9.9.9" not in known


def test_a_remediation_of_a_unit_that_was_not_inspected(book, registry):
    plan, _ = book
    (finding,) = check_not_inspected(plan, registry)
    assert finding.code == "remediation-unit-not-inspected"
    assert finding.cell == rcell("unit", 3) and "UBND xã Quảng Phú" in finding.message


# --- coverage -------------------------------------------------------------------------------


def _registry(agencies: int, communes: int):
    units = [{"id": f"phong-{n}", "name": f"Phòng Số {n}", "kind": "phong-ban"} for n in range(1, agencies + 1)]
    units += [{"id": f"xa-{n}", "name": f"UBND xã Số {n}", "kind": "xa-thi-tran"} for n in range(1, communes + 1)]
    units.append({"id": "so-noi-vu", "name": "Sở Nội vụ", "kind": "cap-tinh"})
    return registry_from_data({"district": "Thử", "units": units})


def _plan(agencies: int, communes: int) -> InspectionPlan:
    ids = [f"phong-{n}" for n in range(1, agencies + 1)] + [f"xa-{n}" for n in range(1, communes + 1)]
    plan = InspectionPlan(file="kt.xlsx", inspection_sheet="Kế hoạch kiểm tra", columns={"inspection": {"unit": "B"}},
                          header_rows={"inspection": 4})
    plan.inspections = [Inspection(row=5 + n, unit_text=i, unit_ids=[i], round="Đợt 1") for n, i in enumerate(ids)]
    plan.inspections.append(Inspection(row=99, unit_text="Sở Nội vụ", unit_ids=["so-noi-vu"]))
    return plan


def test_coverage_arithmetic_against_the_targets():
    registry = _registry(36, 25)
    result = coverage(_plan(12, 3), registry)
    agencies, communes = result["agencies"], result["communes"]
    assert (agencies.count, agencies.total, agencies.percent_text, agencies.state) == (12, 36, "33,3%", "ok")
    assert (communes.count, communes.total, communes.percent_text, communes.state) == (3, 25, "12%", "low")
    assert coverage(_plan(12, 6), registry)["communes"].percent_text == "24%"
    assert coverage(_plan(12, 6), registry)["communes"].state == "high"
    assert coverage(_plan(12, 5), registry)["communes"].state == "ok"  # exactly 20 %
    assert coverage(_plan(11, 4), registry)["agencies"].state == "ok"  # 11/36 = 30,6 %
    assert coverage(_plan(10, 4), registry)["agencies"].state == "low"  # 27,8 %
    assert result["districts"].state == ""  # no target for a district's own plan


def test_coverage_findings_sit_on_the_unit_header_cell():
    registry = _registry(36, 25)
    low = check_coverage(_plan(12, 3), registry)
    assert codes(low) == ["inspection-coverage-low"]
    assert low[0].cell == "B4" and low[0].severity is Severity.WARNING
    assert "3/25" in low[0].message and "12%" in low[0].message and "15–20%" in low[0].message
    assert "Bổ sung 1 UBND xã, thị trấn" in low[0].hint  # 15 % of 25 = 3,75: 4 communes
    high = check_coverage(_plan(12, 6), registry)
    assert codes(high) == ["inspection-coverage-high"] and high[0].severity is Severity.INFO
    assert "6/25" in high[0].message and "24%" in high[0].message
    agencies = check_coverage(_plan(9, 4), registry)
    assert codes(agencies) == ["inspection-coverage-low"] and "9/36" in agencies[0].message
    assert "từ 30% trở lên" in agencies[0].message
    assert check_coverage(_plan(12, 4), registry) == []


def test_coverage_on_the_real_registry(book, registry):
    plan, _ = book
    result = coverage(plan, registry)
    # Quảng Điền: 12 phòng, ban + 5 trung tâm; 11 xã, thị trấn; provincial bodies are not counted
    assert (result["agencies"].count, result["agencies"].total) == (2, 17)
    assert (result["communes"].count, result["communes"].total) == (2, 11)
    assert result["communes"].percent_text == "18,2%" and result["communes"].state == "ok"
    (finding,) = check_coverage(plan, registry)
    assert finding.cell == header_cell("unit") and "2/17" in finding.message


# --- where a unit stands --------------------------------------------------------------------


def test_unit_status_through_the_cycle(book):
    plan, _ = book
    assert unit_status("xa-quang-an", plan, dt.date(2020, 12, 1)) == STATUS_NOT_INSPECTED
    assert unit_status("phong-noi-vu", plan, dt.date(2020, 7, 1)) == STATUS_NOT_INSPECTED  # not started yet
    assert unit_status("phong-noi-vu", plan, dt.date(2020, 8, 10)) == STATUS_WAITING
    assert unit_status("phong-noi-vu", plan, dt.date(2020, 9, 20)) == STATUS_REMEDIATING
    assert unit_status("xa-quang-thai", plan, dt.date(2020, 12, 1)) == STATUS_WAITING
    assert unit_status("phong-tu-phap", plan, dt.date(2020, 10, 25)) == STATUS_REMEDIATED
    assert unit_status("thi-tran-sia", plan, dt.date(2020, 10, 25)) == STATUS_WAITING
    plan.inspections[3].conclusion_date = dt.date(2020, 12, 20)
    assert unit_status("thi-tran-sia", plan, dt.date(2020, 12, 25)) == STATUS_CONCLUDED
    plan.remediations[0].status = DONE
    assert unit_status("phong-noi-vu", plan, dt.date(2020, 9, 20)) == STATUS_REMEDIATED
    assert (STATUS_NOT_INSPECTED, STATUS_WAITING, STATUS_REMEDIATING, STATUS_REMEDIATED) == (
        "chưa kiểm tra", "đã kiểm tra, chờ kết luận", "đang khắc phục", "đã khắc phục")


# --- the finding codes ----------------------------------------------------------------------


def test_every_check_together(book, registry):
    plan, _ = book
    found = check_inspection_plan(plan, registry, dt.date(2021, 1, 15), known={"1.1", "1.2", "2.1"})
    assert sorted(set(codes(found))) == ["inspection-coverage-low", "remediation-overdue",
                                         "remediation-unit-not-inspected", "remediation-unknown-criterion"]
    assert all(f.file == "kiem-tra.xlsx" and f.cell and f.row for f in found)


def test_finding_codes_are_ready_for_the_registry():
    assert set(FINDING_CODES) <= set(REGISTRY)  # moved into findings.REGISTRY
    types = {t.code: t for t in finding_types()}
    assert set(types) == set(FINDING_CODES)
    for t in types.values():
        assert t.title and t.example and t.severity in Severity
    finding = make_finding("remediation-unknown-criterion", file="a.xlsx", sheet="Khắc phục", cell="E9", row=9,
                           code="9.9.9")
    assert finding == Finding("remediation-unknown-criterion", Severity.WARNING, "a.xlsx", "Khắc phục", "E9", 9,
                              "Ô E9: tiêu chí 9.9.9 không có trong kế hoạch CCHC.", finding.hint)
    assert finding.message == types["remediation-unknown-criterion"].example
