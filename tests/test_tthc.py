"""TTHC progress reports (tiến độ giải quyết hồ sơ TTHC): the embedded
workbook with the district's real 2021 figures, and hand-made forms that
break each identity, rate and period rule in turn."""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest

from generator.findings import Severity
from generator.tthc import FIGURES, RATES, TthcRow, aggregate
from generator.tthc_checks import IDENTITIES, check_report
from generator.tthc_reader import classify_tthc_header, read_tthc_sheet
from generator.workbook import load_grids

from .conftest import ROOT
from .indicator_books import (PENDING, RECEIVED, RESOLVED, tthc_book, tthc_cell, tthc_first_row,
                              tthc_letter)

EMBEDDED = ROOT / "content" / "sheets" / "tien-do-tthc.xlsx"
FIRST = tthc_first_row()  # first data row of a hand-made form (6)
CENTRE = "Trung tâm Hành chính công huyện"
COMMUNES = "UBND các xã, thị trấn"

#: A row that satisfies every identity of the form, with four-digit figures.
GOOD = {
    "period": "Tháng 01/2022", "unit": CENTRE, "start": dt.date(2022, 1, 1), "end": dt.date(2022, 1, 31),
    "received_total": 1210, "carried_over": 25, "received_new": 1185,
    "online": 402, "direct": 743, "postal": 40,
    "resolved_total": 1180, "resolved_early": 700, "resolved_on_time": 472, "resolved_late": 8,
    "pending_total": 30, "pending_in_time": 28, "pending_late": 2,
    "apologies": 8, "digitised": 1100,
}


def _read(path):
    grids = load_grids(path, path.name)
    report, findings = read_tthc_sheet(grids[0], path.name)
    assert report is not None, "no TTHC header found"
    return report, findings


def _book(tmp_path, rows, name="tthc.xlsx", **kw):
    return _read(tthc_book(tmp_path / name, rows, **kw))


def _codes(findings):
    return {(f.code, f.cell) for f in findings}


# --- the embedded workbook ----------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded():
    return _read(EMBEDDED)


def test_embedded_columns_are_found_by_name(embedded):
    report, findings = embedded
    assert findings == []
    assert report.sheet == "Tiến độ TTHC" and report.header_row == 6
    assert report.title.startswith("UBND HUYỆN QUẢNG ĐIỀN TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH")
    assert report.columns == {
        "period": "A", "unit": "B", "start": "C", "end": "D",
        "received_total": "E", "carried_over": "F", "received_new": "G", "online": "H", "direct": "I",
        "postal": "J", "resolved_total": "K", "resolved_early": "L", "resolved_on_time": "M",
        "resolved_late": "N", "pending_total": "O", "pending_in_time": "P", "pending_late": "Q",
        "apologies": "R", "digitised": "S", "online_rate": "T", "on_time_rate": "U", "source": "V",
    }


def test_embedded_real_2021_row(embedded):
    report, _ = embedded
    ws = openpyxl.load_workbook(EMBEDDED).active
    assert (ws["G7"].value, ws["H7"].value, ws["T7"].value) == ("6.690", "1.962", "29,32%"), \
        "the real figures are typed as text, as the district published them"
    real = report.rows[0]
    assert real.row == 7
    assert (real.period, real.unit) == ("Năm 2021", CENTRE)
    assert (real.start, real.end, real.year) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31), 2021)
    assert (real.received_new, real.online) == (6690, 1962)
    others = {f.key: real.figure(f.key) for f in FIGURES if f.key not in ("received_new", "online")}
    assert others == dict.fromkeys(others), "every figure the district did not publish stays None"
    assert real.online_rate == pytest.approx(0.29327, abs=5e-6)
    assert real.on_time_rate is None and real.digitised_rate is None
    assert real.typed_rates == {"online_rate": pytest.approx(0.2932)}
    assert real.rate_texts == {"online_rate": "29,32%"} and real.rate_decimals == {"online_rate": 2}
    assert real.cells["received_new"] == "G7" and real.cells["online_rate"] == "T7"
    assert not real.illustrative and not real.is_total
    assert "Số liệu thật" in real.source


def test_embedded_monthly_rows_are_illustrative(embedded):
    report, _ = embedded
    monthly = report.rows[1:]
    assert [r.row for r in monthly] == list(range(8, 28))
    assert all(r.illustrative for r in monthly) and report.illustrative
    assert report.units == [CENTRE, COMMUNES]
    assert {r.period for r in monthly} == {f"Tháng {m:02d}/2022" for m in range(1, 11)}
    assert report.periods[0] == "Năm 2021" and report.periods[-1] == "Tháng 10/2022"
    assert all(r.year == 2022 and r.received_total is not None for r in monthly)


def test_embedded_checks(embedded):
    report, _ = embedded
    findings = check_report(report)
    assert [f.code for f in findings if f.code == "tthc-sum-mismatch"] == [], \
        "the illustrative rows are consistent with the identities"
    assert [(f.code, f.cell, f.severity) for f in findings] == [
        ("total-truncated", "T7", Severity.INFO),
        ("tthc-apologies", "R13", Severity.INFO),
        ("tthc-apologies", "R20", Severity.INFO),
    ]
    truncated = findings[0]
    assert truncated.message == ("Ô T7: tỷ lệ tiếp nhận trực tuyến ghi 29,32%, tính được 29,327%: số đã gõ là "
                                 "số cắt bớt chữ số thập phân, nếu làm tròn thì là 29,33%.")
    assert "(1 hồ sơ chưa được xin lỗi)" in findings[1].message


# --- header: order and synonyms ------------------------------------------------------------

RENAMED = [
    ("unit", None, "Cơ quan"),
    ("period", None, "Thời gian"),
    ("received_new", RECEIVED, "Tiếp nhận trong kỳ"),
    ("carried_over", RECEIVED, "Tồn kỳ trước"),
    ("received_total", RECEIVED, "Tổng số"),
    ("postal", RECEIVED, "Qua bưu chính công ích"),
    ("online", RECEIVED, "Trực tuyến"),
    ("direct", RECEIVED, "Trực tiếp"),
    ("resolved_total", RESOLVED, "Tổng số"),
    ("resolved_late", RESOLVED, "Trễ hạn"),
    ("resolved_on_time", RESOLVED, "Đúng hạn"),
    ("resolved_early", RESOLVED, "Trước hạn"),
    ("pending_total", PENDING, "Tổng số"),
    ("pending_late", PENDING, "Trễ hạn"),
    ("pending_in_time", PENDING, "Chưa đến hạn"),
    ("digitised", None, "Số hồ sơ được số hóa"),
    ("apologies", None, "Thư xin lỗi"),
    ("on_time_rate", None, "Tỷ lệ đúng hạn (%)"),
    ("online_rate", None, "Tỷ lệ trực tuyến (%)"),
    ("postal_rate", None, "Tỷ lệ qua BCCI (%)"),
    ("start", None, "Từ ngày"),
    ("end", None, "Đến ngày"),
    ("source", None, "Nguồn số liệu"),
    ("note", None, "Ghi chú"),
]


def test_reordered_and_renamed_header_maps_every_column(tmp_path):
    row = dict(GOOD, on_time_rate="99,32%", online_rate="33,92%", postal_rate="3,38%", source="Phần mềm một cửa",
               note="Số liệu đến 31/01")
    report, findings = _book(tmp_path, [row], columns=RENAMED)
    assert findings == []
    assert report.columns == {key: tthc_letter(key, RENAMED) for key, _g, _n in RENAMED if key != "note"}
    (read,) = report.rows
    for figure in FIGURES:
        assert read.figure(figure.key) == GOOD[figure.key], figure.key
        assert read.cells[figure.key] == tthc_cell(figure.key, FIRST, RENAMED)
    assert (read.period, read.unit, read.start, read.end) == ("Tháng 01/2022", CENTRE, dt.date(2022, 1, 1),
                                                              dt.date(2022, 1, 31))
    assert read.typed_rates == {"on_time_rate": pytest.approx(0.9932), "online_rate": pytest.approx(0.3392),
                                "postal_rate": pytest.approx(0.0338)}
    assert read.source == "Phần mềm một cửa" and read.extra == {"Ghi chú": "Số liệu đến 31/01"}
    assert check_report(report) == []


@pytest.mark.parametrize("text, key", [
    ("Thời gian", "period"),
    ("Kỳ báo cáo", "period"),
    ("Số hồ sơ tiếp nhận Tiếp nhận trong kỳ", "received_new"),
    ("Số hồ sơ tiếp nhận Tổng số", "received_total"),
    ("Đã giải quyết Trễ hạn", "resolved_late"),
    ("Đang giải quyết Trễ hạn", "pending_late"),
    ("Đang giải quyết Trong hạn", "pending_in_time"),
    ("Số hồ sơ tiếp nhận Qua bưu chính công ích", "postal"),
    ("Tỷ lệ đúng hạn (%)", "on_time_rate"),
    ("Tỷ lệ số hóa (%)", "digitised_rate"),
    ("Đơn vị", "unit"),
    ("Ghi chú", None),
])
def test_classify_tthc_header(text, key):
    assert classify_tthc_header(text) == key


# --- identities ------------------------------------------------------------------------------


def test_a_consistent_row_has_no_finding(tmp_path):
    report, findings = _book(tmp_path, [GOOD])
    assert findings == [] and check_report(report) == []


@pytest.mark.parametrize("total_key, parts, rule", IDENTITIES, ids=[rule for _t, _p, rule in IDENTITIES])
def test_each_identity_broken(tmp_path, total_key, parts, rule):
    typed = GOOD[total_key] + 100
    report, _ = _book(tmp_path, [dict(GOOD, **{total_key: typed})])
    findings = [f for f in check_report(report) if f.code == "tthc-sum-mismatch"]
    # the figure changed is a total or a part in these identities: each of them is broken
    involved = [i for i in IDENTITIES if total_key == i[0] or total_key in i[1]]
    assert len(findings) == len(involved)
    (finding,) = [f for f in findings if rule in f.hint]
    assert finding.cell == tthc_cell(total_key, FIRST)
    assert finding.row == FIRST and finding.severity is Severity.WARNING
    computed = sum(GOOD[p] for p in parts)
    dotted = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
    assert f"ghi {dotted(typed)} nhưng" in finding.message
    assert finding.message.endswith(f"= {dotted(computed)}.")
    for part in parts:
        assert dotted(GOOD[part]) in finding.message


def test_identity_message_in_full(tmp_path):
    report, _ = _book(tmp_path, [dict(GOOD, carried_over=125)])
    (finding,) = check_report(report)
    assert finding.message == ("Ô E6: Tổng số hồ sơ tiếp nhận ghi 1.210 nhưng kỳ trước chuyển sang 125 + "
                               "tiếp nhận mới 1.185 = 1.310.")
    assert "tổng số tiếp nhận = kỳ trước chuyển sang + tiếp nhận mới" in finding.hint


def test_identity_with_a_missing_figure_is_not_checked(tmp_path):
    # carried over, postal and pending late not reported: identities 1, 2 and 5 cannot be checked
    row = dict(GOOD, carried_over=None, postal=None, pending_late=None, received_total=9999, online=1,
               pending_total=40)
    report, _ = _book(tmp_path, [row])
    findings = check_report(report)
    # only "received = resolved + pending" can still be checked against 9.999
    assert [(f.code, f.cell) for f in findings] == [("tthc-sum-mismatch", f"E{FIRST}")]
    assert "đã giải quyết" in findings[0].hint and "= 1.220." in findings[0].message


# --- apology letters ---------------------------------------------------------------------------


def test_more_apologies_than_late_dossiers_is_a_warning(tmp_path):
    report, _ = _book(tmp_path, [dict(GOOD, apologies=11)])
    (finding,) = check_report(report)
    assert (finding.code, finding.severity, finding.cell) == ("tthc-apologies", Severity.WARNING,
                                                              tthc_cell("apologies", FIRST))
    assert finding.message == (f"Ô R{FIRST}: 11 thư xin lỗi nhưng chỉ có 8 hồ sơ giải quyết quá hạn "
                               "và 2 hồ sơ đang quá hạn.")


def test_apologies_for_pending_late_dossiers_are_fine(tmp_path):
    report, _ = _book(tmp_path, [dict(GOOD, apologies=10)])
    assert check_report(report) == []


def test_fewer_apologies_than_late_dossiers_is_info(tmp_path):
    report, _ = _book(tmp_path, [dict(GOOD, apologies=5)])
    (finding,) = check_report(report)
    assert (finding.code, finding.severity, finding.cell) == ("tthc-apologies", Severity.INFO,
                                                              tthc_cell("apologies", FIRST))
    assert "8 hồ sơ giải quyết quá hạn nhưng chỉ 5 thư xin lỗi" in finding.message
    assert "(3 hồ sơ chưa được xin lỗi)" in finding.message


# --- typed rates ---------------------------------------------------------------------------------


def _resolved(unit, resolved, early, on_time, late, rate):
    return {"period": "Tháng 03/2022", "unit": unit, "resolved_total": resolved, "resolved_early": early,
            "resolved_on_time": on_time, "resolved_late": late, "apologies": late, "on_time_rate": rate}


def test_typed_rates_rounded_truncated_wrong(tmp_path):
    rows = [
        _resolved("Đơn vị A", 730, 500, 220, 10, "98,63%"),  # 720/730 = 98,630%: rounded
        _resolved("Đơn vị B", 367, 200, 162, 5, "98,63%"),  # 362/367 = 98,638%: truncated
        _resolved("Đơn vị C", 730, 500, 220, 10, "97,50%"),  # wrong
        _resolved("Đơn vị D", 730, 500, 220, 10, 0.9863),  # a number formatted as a percentage
        # 98.63 in a cell formatted "0.00%" shows as 9863,00% in Excel: a real mistake
        _resolved("Đơn vị E", 730, 500, 220, 10, 98.63),
        _resolved("Đơn vị F", 367, 200, 162, 5, "98,6%"),  # one decimal, rounded
    ]
    report, findings = _book(tmp_path, rows, number_formats={"on_time_rate": "0.00%"})
    assert findings == []
    assert [r.rate_decimals["on_time_rate"] for r in report.rows] == [2, 2, 2, 2, 2, 1]
    results = check_report(report)
    cell = lambda i: tthc_cell("on_time_rate", FIRST + i)  # noqa: E731
    assert _codes(results) == {("total-truncated", cell(1)), ("total-mismatch", cell(2)),
                               ("total-mismatch", cell(4))}
    assert "ghi 9863%" in next(f for f in results if f.cell == cell(4)).message
    by_cell = {f.cell: f for f in results}
    truncated = by_cell[cell(1)]
    assert truncated.severity is Severity.INFO
    assert "ghi 98,63%, tính được 98,638%" in truncated.message and "làm tròn thì là 98,64%" in truncated.message
    wrong = by_cell[cell(2)]
    assert wrong.severity is Severity.WARNING
    assert "ghi 97,50% nhưng tính từ các dòng được 98,63%" in wrong.message


def test_rate_without_a_base_is_not_checked(tmp_path):
    row = _resolved("Đơn vị A", 0, 0, 0, 0, "100%")
    report, _ = _book(tmp_path, [row])
    assert report.rows[0].on_time_rate is None and check_report(report) == []


# --- numbers typed as text ------------------------------------------------------------------------


def test_counts_typed_as_text(tmp_path):
    rows = [
        {"period": "Năm 2021", "unit": CENTRE, "received_new": "6.690", "online": "1.962",
         "direct": "-", "postal": "12 hs", "digitised": "1.234.567"},
        {"period": "Năm 2021", "unit": COMMUNES, "received_new": "6,5", "online": -3, "direct": "ba",
         "postal": "-2"},
    ]
    report, findings = _book(tmp_path, rows)
    first, second = report.rows
    assert (first.received_new, first.online, first.postal, first.digitised) == (6690, 1962, 12, 1234567)
    assert first.direct is None, "a dash is an empty figure"
    assert (second.received_new, second.online, second.direct, second.postal) == (None, None, None, None)
    row = FIRST + 1
    assert _codes(findings) == {("number-invalid", f"G{row}"), ("number-invalid", f"H{row}"),
                                ("number-invalid", f"I{row}"), ("number-invalid", f"J{row}")}
    assert all(f.severity is Severity.ERROR and f.row == row for f in findings)
    by_cell = {f.cell: f for f in findings}
    assert "“6,5”" in by_cell[f"G{row}"].message and "số nguyên" in by_cell[f"G{row}"].message
    assert "Tiếp nhận mới" in by_cell[f"G{row}"].message
    assert "âm" in by_cell[f"H{row}"].message and "âm" in by_cell[f"J{row}"].message
    assert "“ba”" in by_cell[f"I{row}"].message


def test_count_with_the_unit_hoso_typed_after_it(tmp_path):
    """parse_number accepts a unit after the count ("hs", "thư", and "hồ sơ"
    by its _NUMBER_UNITS); "1.962 hồ sơ" is a count like "12 hs"."""
    report, findings = _book(tmp_path, [{"period": "Năm 2021", "unit": CENTRE, "received_new": "6.690 hồ sơ",
                                         "online": "1.962 hồ sơ"}])
    assert findings == [], [f.message for f in findings]
    assert (report.rows[0].received_new, report.rows[0].online) == (6690, 1962)


def test_empty_figures_are_none_without_finding(tmp_path):
    report, findings = _book(tmp_path, [{"period": "Quý I/2022", "unit": CENTRE, "received_new": 300}])
    assert findings == []
    (row,) = report.rows
    assert row.received_new == 300
    assert all(row.figure(f.key) is None for f in FIGURES if f.key != "received_new")
    assert row.online_rate is None and row.variables() == {"tiep_nhan_moi": 300}
    assert check_report(report) == []


def test_unreadable_rate_is_an_error(tmp_path):
    _report, findings = _book(tmp_path, [dict(GOOD, on_time_rate="cao")])
    (finding,) = findings
    assert (finding.code, finding.severity, finding.cell) == ("number-invalid", Severity.ERROR,
                                                              tthc_cell("on_time_rate", FIRST))


# --- periods --------------------------------------------------------------------------------------


def test_start_after_end(tmp_path):
    row = dict(GOOD, start=dt.date(2022, 3, 15), end=dt.date(2022, 2, 14))
    report, _ = _book(tmp_path, [row])
    (finding,) = check_report(report)
    assert (finding.code, finding.severity, finding.cell) == ("tthc-period-invalid", Severity.WARNING,
                                                              tthc_cell("start", FIRST))
    assert "ngày bắt đầu 15/03/2022 sau ngày kết thúc 14/02/2022" in finding.message


def test_unreadable_date(tmp_path):
    _report, findings = _book(tmp_path, [dict(GOOD, start="32/13/2022")])
    (finding,) = findings
    assert (finding.code, finding.cell) == ("tthc-period-invalid", tthc_cell("start", FIRST))
    assert "32/13/2022" in finding.message


def test_same_unit_and_period_twice(tmp_path):
    rows = [GOOD, dict(GOOD, unit=COMMUNES), dict(GOOD)]
    report, _ = _book(tmp_path, rows)
    (finding,) = check_report(report)
    assert (finding.code, finding.severity, finding.cell) == ("tthc-duplicate-row", Severity.WARNING,
                                                              tthc_cell("period", FIRST + 2))
    assert finding.message == (f"Ô A{FIRST + 2}: {CENTRE} kỳ “Tháng 01/2022” đã có ở dòng {FIRST}.")


def test_row_without_period(tmp_path):
    report, _ = _book(tmp_path, [dict(GOOD, period=None, start=None, end=None)])
    (finding,) = check_report(report)
    assert (finding.code, finding.cell) == ("tthc-period-invalid", tthc_cell("period", FIRST))
    assert "không ghi kỳ báo cáo" in finding.message


@pytest.mark.parametrize("period, start, end", [
    ("Tháng 01/2022", dt.date(2022, 1, 1), dt.date(2022, 1, 31)),
    ("Tháng 2/2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("Quý I/2022", dt.date(2022, 1, 1), dt.date(2022, 3, 31)),
    ("Quý IV/2021", dt.date(2021, 10, 1), dt.date(2021, 12, 31)),
    ("Năm 2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
    ("6 tháng đầu năm 2022", dt.date(2022, 1, 1), dt.date(2022, 6, 30)),
])
def test_period_gives_dates_when_from_and_to_are_empty(tmp_path, period, start, end):
    report, findings = _book(tmp_path, [{"period": period, "unit": CENTRE, "received_new": 10}])
    assert findings == []
    (row,) = report.rows
    assert (row.period, row.start, row.end, row.year) == (period, start, end, end.year)


def test_dates_without_period_name_the_period(tmp_path):
    report, _ = _book(tmp_path, [{"unit": CENTRE, "start": dt.date(2022, 4, 1), "end": dt.date(2022, 4, 30),
                                  "received_new": 10}])
    (row,) = report.rows
    assert row.period == "01/04/2022 – 30/04/2022"
    assert check_report(report) == []


# --- aggregate ------------------------------------------------------------------------------------

MONTHS = {  # unit -> two months: (carried, new, online, direct, postal, early, on_time, late, in_time, pending_late)
    CENTRE: [(10, 100, 40, 55, 5, 60, 30, 5, 14, 1), (15, 120, 50, 65, 5, 80, 40, 5, 9, 1)],
    COMMUNES: [(20, 200, 90, 100, 10, 150, 45, 5, 18, 2), (20, 210, 100, 100, 10, 150, 50, 5, 25, 0)],
}


def _month_rows() -> list[dict]:
    rows = []
    for unit, months in MONTHS.items():
        for month, (carried, new, online, direct, postal, early, on_time, late, in_time, p_late) in \
                enumerate(months, start=1):
            resolved = early + on_time + late
            rows.append({
                "period": f"Tháng {month:02d}/2022", "unit": unit,
                "received_total": carried + new, "carried_over": carried, "received_new": new,
                "online": online, "direct": direct, "postal": postal,
                "resolved_total": resolved, "resolved_early": early, "resolved_on_time": on_time,
                "resolved_late": late, "pending_total": in_time + p_late, "pending_in_time": in_time,
                "pending_late": p_late, "apologies": late,
            })
    return rows


def test_month_rows_are_consistent(tmp_path):
    report, findings = _book(tmp_path, _month_rows())
    assert findings == [] and check_report(report) == []


def test_aggregate(tmp_path):
    total = {"period": "Tổng cộng", "received_total": 9999, "carried_over": 999, "received_new": 9000,
             "online": 1, "resolved_total": 5, "pending_total": 7}
    report, findings = _book(tmp_path, _month_rows() + [total])
    assert findings == []
    assert report.rows[-1].is_total and not any(r.is_total for r in report.rows[:-1])
    # a total row is checked like any other (9.999 received, 5 + 7 resolved and pending), never added up
    assert [(f.code, f.cell) for f in check_report(report)] == [("tthc-sum-mismatch", f"E{FIRST + 4}")]
    rows = list(report.rows)
    random.Random(7).shuffle(rows)
    out = aggregate(rows, period="Tháng 01–02/2022", unit="Toàn huyện")
    assert (out.period, out.unit, out.row, out.is_total) == ("Tháng 01–02/2022", "Toàn huyện", 0, False)
    assert (out.start, out.end) == (dt.date(2022, 1, 1), dt.date(2022, 2, 28))
    # flows are added up
    assert out.received_new == 100 + 120 + 200 + 210
    assert (out.online, out.direct, out.postal) == (280, 320, 30)
    assert (out.resolved_total, out.resolved_early, out.resolved_on_time, out.resolved_late) == (625, 440, 165, 20)
    assert out.apologies == 20
    # stocks: carried over from each unit's first month, pending from its last
    assert out.carried_over == 10 + 20
    assert (out.pending_total, out.pending_in_time, out.pending_late) == (10 + 25, 9 + 25, 1 + 0)
    # the total received is recomputed, not the sum of the months' totals (which repeat the carry-over)
    assert out.received_total == 30 + 630 == 660
    assert out.received_total == out.resolved_total + out.pending_total
    assert out.digitised is None, "a figure no row reported stays None"
    assert not out.illustrative


def test_aggregate_of_one_unit_one_period_keeps_its_figures():
    row = TthcRow(row=7, period="Năm 2021", unit=CENTRE, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31),
                  received_new=6690, online=1962, illustrative=False)
    out = aggregate([row])
    assert (out.received_new, out.online, out.received_total, out.carried_over) == (6690, 1962, None, None)
    assert out.online_rate == pytest.approx(1962 / 6690)


def test_aggregate_without_carry_over_does_not_add_period_totals():
    rows = [TthcRow(row=8 + i, period=f"Tháng {i + 1:02d}/2022", unit=CENTRE, start=dt.date(2022, i + 1, 1),
                    end=dt.date(2022, i + 1, 28), received_total=100 + i, received_new=90, illustrative=True)
            for i in range(2)]
    out = aggregate(rows)
    assert out.received_new == 180 and out.received_total is None and out.illustrative
    # one period per unit: the totals can be added
    other = TthcRow(row=20, period="Tháng 01/2022", unit=COMMUNES, start=dt.date(2022, 1, 1),
                    end=dt.date(2022, 1, 31), received_total=50, received_new=40)
    assert aggregate([rows[0], other]).received_total == 150


def test_aggregate_of_nothing_and_of_totals_only():
    total = TthcRow(row=30, period="Tổng cộng", received_new=10, is_total=True)
    for rows in ([], [total]):
        out = aggregate(rows, period="Cả năm")
        assert out.period == "Cả năm" and all(out.figure(f.key) is None for f in FIGURES)


def test_every_rate():
    row = TthcRow(row=1, period="x", received_new=200, online=50, postal=10, digitised=150, resolved_total=100,
                  resolved_early=60, resolved_on_time=30, resolved_late=10, apologies=10)
    assert {key: row.rate(key) for key in RATES} == {
        "on_time_rate": 0.9, "online_rate": 0.25, "postal_rate": 0.05, "apology_rate": 1.0,
        "digitised_rate": 0.75}


def test_rate_columns_hold_percentages_unless_the_cell_format_is_a_percentage(tmp_path):
    rows = [
        _resolved("Đơn vị A", 730, 500, 220, 10, 98.63),  # typed in a General cell of a "(%)" column
        _resolved("Đơn vị B", 200, 100, 99, 1, "0,5"),  # a small rate typed as text: 0,5 %, not 50 %
        _resolved("Đơn vị C", 200, 100, 99, 1, 1),  # 1 in a General cell: 1 %, not 100 %
    ]
    report, findings = _book(tmp_path, rows)
    assert findings == []
    rates = [r.typed_rates["on_time_rate"] for r in report.rows]
    assert rates == [pytest.approx(0.9863), pytest.approx(0.005), pytest.approx(0.01)]
    cell = lambda i: tthc_cell("on_time_rate", FIRST + i)  # noqa: E731
    results = {f.cell: f for f in check_report(report)}
    assert cell(0) not in results  # 720/730 = 98,63 %
    assert results[cell(1)].code == "total-mismatch" and "ghi 0,5%" in results[cell(1)].message


def test_a_formula_result_with_every_float_digit_is_compared_at_three_decimals(tmp_path):
    rows = [_resolved("Đơn vị A", 730, 500, 220, 10, 720 / 730 * 100)]  # 98,63013698630137
    report, findings = _book(tmp_path, rows)
    assert findings == [] and report.rows[0].rate_decimals["on_time_rate"] == 3
    assert check_report(report) == []


@pytest.mark.parametrize("period, start, end", [
    ("9 tháng đầu năm 2022", dt.date(2022, 1, 1), dt.date(2022, 9, 30)),
    ("6 tháng cuối năm 2021", dt.date(2021, 7, 1), dt.date(2021, 12, 31)),
])
def test_first_or_last_months_of_a_year(tmp_path, period, start, end):
    report, findings = _book(tmp_path, [dict(GOOD, period=period, start=None, end=None)])
    assert findings == [] and (report.rows[0].start, report.rows[0].end) == (start, end)


def test_a_period_without_dates_is_named_not_silently_left_out_of_the_years(tmp_path):
    report, findings = _book(tmp_path, [dict(GOOD, period="Tháng 12/2021 - Tháng 2/2022", start=None, end=None)])
    (finding,) = findings
    assert finding.code == "tthc-period-invalid" and finding.cell == tthc_cell("period", FIRST)
    assert "Từ ngày" in finding.message and report.rows[0].start is None


def test_a_total_row_is_told_by_its_unit_cell(tmp_path):
    rows = [dict(GOOD, unit="Đơn vị A"), dict(GOOD, unit="Tổng cộng")]
    report, _ = _book(tmp_path, rows)
    assert [r.is_total for r in report.rows] == [False, True]
    whole = [dict(GOOD, unit="Toàn huyện")]  # the only row: the district's own figures, not a total
    report, _ = _book(tmp_path, whole)
    assert not report.rows[0].is_total


def test_overlapping_periods_of_one_unit_are_named_and_counted_once(tmp_path, registry):
    from generator.formulas import load_formulas
    from generator.index_views import tthc_view
    from generator.tthc_checks import check_overlaps

    from .conftest import ROOT

    january = dict(GOOD)
    quarter = dict(GOOD, period="Quý I/2022", start=dt.date(2022, 1, 1), end=dt.date(2022, 3, 31))
    report, findings = _book(tmp_path, [january, quarter])
    assert findings == []
    (finding,) = check_overlaps([report])
    assert finding.code == "tthc-period-overlap" and finding.cell == tthc_cell("period", FIRST + 1)
    assert "Quý I/2022" in finding.message and "Tháng 01/2022" in finding.message
    # the year adds January once: the quarter that holds it is left out
    view = tthc_view([report], load_formulas(ROOT / "content" / "cong-thuc.yml"), [])
    (year,) = view.projections
    assert year.figures.received_new == GOOD["received_new"]


def test_the_same_month_in_two_files_is_an_overlap(tmp_path):
    from generator.tthc_checks import check_overlaps

    first, _ = _book(tmp_path, [GOOD], name="a.xlsx")
    second, _ = _book(tmp_path, [GOOD], name="b.xlsx")
    (finding,) = check_overlaps([first, second])
    assert finding.file.endswith("b.xlsx") and "a.xlsx" in finding.message


def test_a_tthc_sheet_with_only_its_header_is_named(tmp_path, registry):
    from generator.reader import read_workbook

    result = read_workbook(tthc_book(tmp_path / "trong.xlsx", []), registry)
    assert result.tthc == [] and list(result.kinds.values()) == ["tthc"]
    assert [f.code for f in result.findings] == ["no-data-rows"]
