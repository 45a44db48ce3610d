"""Checks: each finding lands on the cell it concerns, on real and broken data."""

from __future__ import annotations

import pytest

from generator.findings import REGISTRY, Severity
from generator.reader import read_workbook
from generator.validate import validate_plan

from .workbooks import appendix, header_row_of

H = header_row_of()


def at(findings, code):
    return [f.cell for f in findings if f.code == code]


# --- the real Quảng Điền 2022 appendix: its real mistakes ---------------------------

def test_deadline_in_the_wrong_year_is_found_on_its_cell(plan_findings):
    (f26,) = [f for f in plan_findings if f.cell == "F26"]
    assert f26.code == "deadline-outside-plan-year" and f26.severity is Severity.WARNING
    assert f26.message == "Ô F26: thời hạn 15/01/2021 nằm trước năm của kế hoạch (2022) — kiểm tra lại năm."
    assert (f26.file, f26.sheet, f26.row) == ("quang-dien-2022-phan-cong.xlsx", "Phụ lục", 26)


def test_all_wrong_year_deadlines_of_the_real_appendix(plan_findings):
    # F11: "Trước ngày 31/10/2020 (Sản phẩm 2)" in a 2022 plan; F26: 15/01/2021.
    # F18 and F106 say 31/12/2021: December of the year before is legitimate.
    assert at(plan_findings, "deadline-outside-plan-year") == ["F11", "F26"]


def test_sub_items_that_do_not_add_up(plan_findings):
    # 1.4.2 is worth 1đ; its two sub-items are worth 0,5đ and 0,25đ
    (finding,) = [f for f in plan_findings if f.code == "points-sum-mismatch"]
    assert finding.cell == "B19"
    assert "0,75" in finding.message and "0,5 + 0,25" in finding.message


def test_product_tags_that_disagree(plan_findings):
    # 1.4.1 lists three products but gives deadlines for products 1 and 2 only
    (finding,) = [f for f in plan_findings if f.code == "product-without-deadline"]
    assert finding.cell == "F18" and "sản phẩm 3" in finding.message
    assert at(plan_findings, "product-without-lead") == []


def test_criterion_without_a_lead_unit(plan_findings):
    # 7.2 names its products but no lead unit; 1.4.2 and 1.2 delegate to sub-items
    assert at(plan_findings, "missing-lead") == ["D109"]


def test_every_unit_of_the_real_appendix_is_known(plan_findings):
    assert at(plan_findings, "unknown-unit") == []


def test_no_error_level_findings_in_the_real_appendix(plan_findings):
    assert [f for f in plan_findings if f.severity is Severity.ERROR] == []


def test_free_text_deadlines_are_info_and_kept(plan, plan_findings):
    unparsed = [f for f in plan_findings if f.code == "deadline-unparsed"]
    assert unparsed and all(f.severity is Severity.INFO for f in unparsed)
    f11 = next(f for f in unparsed if f.cell == "F11")
    assert "Theo thời gian trong Kế hoạch CCHC 2020" in f11.message
    task = {t.id: t for t in plan.tasks}["1.1.2"]
    assert task.deadlines[0].text.startswith("Theo thời gian trong Kế hoạch CCHC 2020")


def test_every_finding_uses_a_registered_code_and_names_its_cell(plan_findings):
    for f in plan_findings:
        assert f.code in REGISTRY
        assert f.cell and f.message.startswith(f"Ô {f.cell}")
        assert f.hint


# --- hand-made sheets, one mistake each ----------------------------------------------

def _findings(tmp_path, registry, rows, **kw):
    result = read_workbook(appendix(tmp_path / "t.xlsx", rows, **kw), registry)
    (plan,) = result.plans
    return result.findings + validate_plan(plan)


BASE = ("1", "Tiêu chí: 2đ", None, None, None, None)


def task(code, title="Việc: 1đ", lead="Phòng Nội vụ", deadline="Trước 15/11/2022", products="Báo cáo",
         support=None):
    return (code, title, products, lead, support, deadline)


def test_missing_column(tmp_path, registry):
    header = ["TT", "Nhiệm vụ", "Sản phẩm", "Thời hạn"]
    rows = [("1", "Việc: 1đ", "Báo cáo", "Trước 15/11/2022")]
    findings = _findings(tmp_path, registry, rows, header=header)
    missing = [(f.cell, f.severity.value, f.message) for f in findings if f.code == "missing-column"]
    assert missing == [
        (f"A{H}", "error", f"Ô A{H}: dòng tiêu đề thiếu cột “Cơ quan chủ trì”."),
        (f"A{H}", "warning", f"Ô A{H}: dòng tiêu đề thiếu cột “Cơ quan phối hợp”."),
    ]


def test_duplicate_and_orphan_codes(tmp_path, registry):
    rows = [BASE, task("1.1"), task("1.1"), task("1.3.1")]
    findings = _findings(tmp_path, registry, rows)
    assert at(findings, "tt-duplicate") == [f"A{H + 3}"]
    assert at(findings, "tt-orphan") == [f"A{H + 4}"]
    orphan = next(f for f in findings if f.code == "tt-orphan")
    assert "1.3.1" in orphan.message and "1.3" in orphan.message


def test_out_of_order_typed_as_text_gets_the_plain_hint(tmp_path, registry):
    rows = [BASE, task("1.2"), task("1.1")]
    findings = _findings(tmp_path, registry, rows)
    (f,) = [f for f in findings if f.code == "tt-out-of-order"]
    assert f.cell == f"A{H + 3}" and "Text" not in f.hint


def test_numbering_restarts_per_part_without_duplicates(tmp_path, registry):
    rows = [("I", "PHẦN MỘT", None, None, None, None), task("1"), task("2"),
            ("II", "PHẦN HAI", None, None, None, None), task("1"), task("2")]
    findings = _findings(tmp_path, registry, rows)
    assert at(findings, "tt-duplicate") == [] and at(findings, "tt-out-of-order") == []


def test_group_total_that_does_not_add_up(tmp_path, registry):
    rows = [("NHÓM 1: TỰ ĐÁNH GIÁ: 10đ", None, None, None, None, None), ("1", "Tiêu chí A: 4đ", None, None, None, None),
            task("1.1", "Việc: 4đ"), ("2", "Tiêu chí B: 5đ", None, None, None, None), task("2.1", "Việc: 5đ")]
    findings = _findings(tmp_path, registry, rows)
    (f,) = [f for f in findings if f.code == "points-sum-mismatch"]
    assert f.cell == f"B{H + 1}" and "10" in f.message and "9" in f.message


def test_empty_title_and_missing_lead(tmp_path, registry):
    rows = [BASE, task("1.1", title=None), task("1.2", lead=None)]
    findings = _findings(tmp_path, registry, rows)
    assert at(findings, "empty-title") == [f"B{H + 2}"]
    assert at(findings, "missing-lead") == [f"D{H + 3}"]


def test_unknown_unit_with_a_suggestion(tmp_path, registry):
    rows = [BASE, task("1.1", lead="Phòng Nôi vụ", support="Phòng Quản lý đô thị")]
    findings = _findings(tmp_path, registry, rows)
    unknown = {f.cell: f.message for f in findings if f.code == "unknown-unit"}
    assert unknown[f"D{H + 2}"] == f"Ô D{H + 2}: không nhận ra đơn vị “Phòng Nôi vụ” — có phải là “Phòng Nội vụ”?"
    assert f"E{H + 2}" in unknown


def test_impossible_date_is_an_error(tmp_path, registry):
    rows = [BASE, task("1.1", deadline="Trước 31/02/2022")]
    findings = _findings(tmp_path, registry, rows)
    (f,) = [f for f in findings if f.code == "deadline-invalid"]
    assert f.cell == f"F{H + 2}" and f.severity is Severity.ERROR and "31/02/2022" in f.message


@pytest.mark.parametrize("deadline, flagged", [
    ("Trước 15/01/2021", True),    # the year before the plan
    ("Trước 20/12/2021", False),   # December of the year before: a plan made late in 2021
    ("Trước 15/01/2023", True),    # after the plan's year
    ("Quý I/2023", True),
    ("Tháng 6/2022", False),
    ("Thường xuyên", False),
])
def test_deadline_window(tmp_path, registry, deadline, flagged):
    rows = [BASE, task("1.1", deadline=deadline)]
    findings = _findings(tmp_path, registry, rows)
    assert bool(at(findings, "deadline-outside-plan-year")) is flagged


def test_product_without_lead(tmp_path, registry):
    rows = [BASE, task("1.1", products="- Kế hoạch (Sản phẩm 1)\n- Báo cáo (Sản phẩm 2)",
                       lead="Phòng Nội vụ (Sản phẩm 1)",
                       deadline="- Trước 15/3/2022 (Sản phẩm 1)\n- Trước 15/11/2022 (Sản phẩm 2)")]
    findings = _findings(tmp_path, registry, rows)
    assert at(findings, "product-without-lead") == [f"D{H + 2}"]
    assert at(findings, "product-without-deadline") == []
