"""CCHC index score sheets (Chỉ số CCHC): the real appraised 2021 scores of
Quảng Điền, and hand-made sheets that break each check in turn."""

from __future__ import annotations

import csv

import pytest

from generator.findings import Severity
from generator.reader import read_workbook
from generator.score_checks import check_card
from generator.score_reader import read_score_sheet
from generator.scores import APPRAISED, SELF, ScoreCard, criterion_for
from generator.totals import compare_typed
from generator.workbook import load_grids

from .conftest import APPENDIX, DATA, ROOT
from .indicator_books import score_book, score_header_row

SCORES_XLSX = DATA / "quang-dien-2021-chi-so.xlsx"
SCORES_CSV = DATA / "quang-dien-2021-chi-so.csv"
TTHC_XLSX = ROOT / "content" / "sheets" / "tien-do-tthc.xlsx"
PLAIN_TITLE = ["BẢNG ĐIỂM CHỈ SỐ CCHC NĂM 2021 - HUYỆN QUẢNG ĐIỀN"]
FIRST = score_header_row(PLAIN_TITLE) + 1  # first data row of a hand-made sheet (5)


def _read(path):
    grids = load_grids(path, path.name)
    card, findings = read_score_sheet(grids[0], path.name)
    assert card is not None, "no score header found"
    return card, findings


def _codes(findings):
    return {(f.code, f.cell) for f in findings}


@pytest.fixture(scope="module")
def real():
    return _read(SCORES_XLSX)


@pytest.fixture(scope="module")
def card(real) -> ScoreCard:
    return real[0]


# --- the real 2021 appraisal ------------------------------------------------------------


def test_real_sheet_metadata_and_index(card, real):
    assert real[1] == [], "the real sheet reads without a reading problem"
    assert card.sheet == "Chỉ số 2021"
    assert card.year == 2021
    assert card.subject.casefold() == "huyện quảng điền"
    assert card.rank == "xếp thứ 8/9 huyện, thị xã, thành phố"
    assert card.basis == APPRAISED and card.basis_label == "điểm thẩm định"
    assert card.header_row == 4
    assert card.columns == {"code": "A", "title": "B", "maximum": "C", "appraised": "D",
                            "not_applicable": "E", "reason": "F"}
    assert [item.code for item in card.items] == [str(i) for i in range(1, 11)]
    assert len(card.all_items()) == 55
    assert card.total_score == pytest.approx(77.586, abs=1e-9)
    assert card.total_max == 100
    assert card.total_not_applicable == 4
    assert card.applicable_max == 96
    assert card.percentage == pytest.approx(80.819, abs=5e-4)
    assert card.total(SELF) is None, "the appraisal has no self-assessment column"


def test_real_sheet_typed_title_total(card):
    typed = {t.what: t for t in card.typed_totals}
    assert set(typed) == {"score", "maximum"}
    assert (typed["score"].value, typed["score"].text, typed["score"].cell, typed["score"].decimals) == \
        (77.58, "77,58", "A2", 2)
    assert (typed["maximum"].value, typed["maximum"].text, typed["maximum"].cell) == (96.0, "96,0", "A2")


def test_real_sheet_findings_are_exactly_its_genuine_mistakes(card):
    findings = check_card(card)
    assert _codes(findings) == {("total-truncated", "A2"), ("score-sum-mismatch", "C5"),
                                ("score-sum-mismatch", "D5")}
    assert len(findings) == 3
    by_cell = {f.cell: f for f in findings}
    truncated = by_cell["A2"]
    assert truncated.severity is Severity.INFO and truncated.row == 2
    assert "77,58" in truncated.message and "77,586" in truncated.message and "77,59" in truncated.message
    maximum = by_cell["C5"]
    assert maximum.severity is Severity.WARNING and maximum.row == 5
    assert "ghi điểm tối đa 8" in maximum.message and "cộng lại được 7 " in maximum.message
    appraised = by_cell["D5"]
    assert appraised.severity is Severity.WARNING
    assert "6,69" in appraised.message and "5,75" in appraised.message
    assert all(f.sheet == "Chỉ số 2021" and f.file == SCORES_XLSX.name for f in findings)


def test_real_sheet_lost_points(card):
    lost = {item.code: item for item in card.lost_items()}
    item = lost["3.5"]
    assert item.lost(card.basis) == pytest.approx(1.54)
    assert "trễ hạn" in item.reason
    sipas = lost["9.2"]
    assert (sipas.maximum, sipas.not_applicable, sipas.appraised) == (15, 2, 11.44)
    assert sipas.applicable_max == 13
    assert sipas.lost(card.basis) == pytest.approx(1.56)
    # points not arising are not lost: 3.1 (max 1, N/A 0,5, scored 0,5) lost nothing
    assert "3.1" not in lost and card.find("3.1").lost(card.basis) == 0
    # an area whose criteria say where the points went is not listed itself
    assert "3" not in lost and "1" not in lost
    # criteria that lost nothing are not listed
    assert "1.1" not in lost and "7.2" not in lost
    assert len(lost) == len(card.lost_items()) == 22, "no criterion listed twice"
    # the points lost plus the points earned are what could be earned, area by area
    # (area 1 aside: its own maximum and score disagree with its criteria)
    for area in card.items[1:]:
        assert area.appraised + sum(i.lost(card.basis) for i in card.lost_items()
                                    if i is area or i.code.startswith(area.code + ".")) == \
            pytest.approx(area.applicable_max), area.code


def _csv_number(text: str) -> float | None:
    return float(text) if text != "" else None


def test_csv_transcription_agrees_with_the_workbook_row_by_row(card):
    with SCORES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["TT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Điểm thẩm định",
                       "Điểm không phát sinh nhiệm vụ", "Lý do mất điểm / Ghi chú"]
    body = rows[1:]
    items = card.all_items()
    assert len(body) == len(items) == 55
    for (code, title, maximum, appraised, not_applicable, reason), item in zip(body, items):
        assert item.code == code
        assert item.title == title, code
        assert item.maximum == pytest.approx(_csv_number(maximum)), code
        assert item.appraised == pytest.approx(_csv_number(appraised)), code
        assert item.not_applicable == pytest.approx(_csv_number(not_applicable) or 0.0), code
        assert item.reason == reason, code
    assert [item.row for item in items] == list(range(5, 60))


def test_hierarchy_of_the_real_sheet(card):
    assert [c.code for c in card.find("1").children] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
    assert [c.code for c in card.find("9").children] == ["9.1", "9.2"]
    assert card.find("10").children == []
    assert all(item.depth == 0 for item in card.items)


# --- synonyms and numbers typed as text -------------------------------------------------

SYNONYM_HEADER = ["STT", "Tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Điểm thẩm định", "KPS", "Ghi chú"]


def test_synonyms_and_text_numbers(tmp_path):
    rows = [
        ("1", "Công tác chỉ đạo, điều hành", "4,25", "2,25đ", "2", "2", None),
        ("1.1", "Kế hoạch CCHC", "0,75đ", "0,75đ", "0,75", None, None),
        ("1.2", "Báo cáo CCHC", "1.5", 1.5, "1,25 điểm", None, "Báo cáo quý I chậm"),
        ("1.3", "Kiểm tra CCHC", "2 điểm", None, None, "x", "Không phát sinh nhiệm vụ"),
    ]
    path = score_book(tmp_path / "dong-nghia.xlsx", rows, header=SYNONYM_HEADER, title=PLAIN_TITLE)
    card, findings = _read(path)
    assert findings == []
    assert card.columns == {"code": "A", "title": "B", "maximum": "C", "self_score": "D", "appraised": "E",
                            "not_applicable": "F", "reason": "G"}
    kpi = card.find("1.1")
    assert (kpi.maximum, kpi.self_score, kpi.appraised) == (0.75, 0.75, 0.75)
    report = card.find("1.2")
    assert (report.maximum, report.self_score, report.appraised) == (1.5, 1.5, 1.25)
    assert report.reason == "Báo cáo quý I chậm"
    check = card.find("1.3")
    assert check.maximum == 2
    assert check.not_applicable == 2, "“x” in the N/A column means the whole maximum"
    assert check.fully_not_applicable and check.applicable_max == 0
    area = card.find("1")
    assert (area.maximum, area.self_score, area.appraised, area.not_applicable) == (4.25, 2.25, 2, 2)
    assert card.basis == APPRAISED
    assert card.total_max == 4.25 and card.applicable_max == 2.25
    assert card.total() == 2 and card.total(SELF) == 2.25
    assert check_card(card) == [], "a consistent sheet, N/A criterion without a score, has no finding"


def test_self_assessment_only_is_the_basis(tmp_path):
    header = ["TT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá"]
    path = score_book(tmp_path / "tu-cham.xlsx", [("1", "A", 2, "1,5"), ("2", "B", 3, None)], header=header,
                      title=PLAIN_TITLE)
    card, findings = _read(path)
    assert findings == [] and card.basis == SELF and card.total_score == 1.5
    (missing,) = check_card(card)
    assert (missing.code, missing.cell, missing.severity) == ("score-missing", f"D{FIRST + 1}", Severity.WARNING)
    assert "điểm tự đánh giá" in missing.message


# --- each check on broken data ------------------------------------------------------------


def _check(tmp_path, rows, name="hong.xlsx", **kw):
    path = score_book(tmp_path / name, rows, title=kw.pop("title", PLAIN_TITLE), **kw)
    card, findings = _read(path)
    return card, findings, check_card(card)


def test_children_must_add_up_to_the_parent(tmp_path):
    rows = [
        ("1", "Lĩnh vực", 3, 2.5, None, None),
        ("1.1", "Tiêu chí a", 1, 1, None, None),
        ("1.2", "Tiêu chí b", 1.5, 1, None, None),
        ("2", "Lĩnh vực đúng", 2, 1.5, None, None),
        ("2.1", "Tiêu chí c", 1, 1, None, None),
        ("2.2", "Tiêu chí d", 1, 0.5, None, None),
    ]
    _card, read_findings, findings = _check(tmp_path, rows)
    assert read_findings == []
    assert _codes(findings) == {("score-sum-mismatch", f"C{FIRST}"), ("score-sum-mismatch", f"D{FIRST}")}
    by_cell = {f.cell: f for f in findings}
    assert all(f.severity is Severity.WARNING and f.row == FIRST for f in findings)
    assert by_cell[f"C{FIRST}"].message == \
        f"Ô C{FIRST}: 1 ghi điểm tối đa 3 nhưng các mục con cộng lại được 2,5 (1 + 1,5)."
    assert by_cell[f"D{FIRST}"].message == \
        f"Ô D{FIRST}: 1 ghi điểm thẩm định 2,5 nhưng các mục con cộng lại được 2 (1 + 1)."


def test_not_applicable_points_of_children_add_up(tmp_path):
    rows = [
        ("1", "Lĩnh vực", 2, 1, 1, None),
        ("1.1", "Tiêu chí a", 1, 1, None, None),
        ("1.2", "Tiêu chí b", 1, None, 0.5, None),
        ("1.2.1", "a", 0.5, None, 0.5, None),
        ("1.2.2", "b", 0.5, 0, None, None),
    ]
    _card, _read_findings, findings = _check(tmp_path, rows)
    # area 1 says 1 point did not arise, its criteria 0,5
    (finding,) = findings
    assert (finding.code, finding.severity, finding.cell) == ("score-sum-mismatch", Severity.WARNING, f"E{FIRST}")
    assert "0,5" in finding.message and "điểm không phát sinh 1" in finding.message


def test_score_over_maximum(tmp_path):
    rows = [
        ("1", "Vượt điểm tối đa", 1, 1.5, None, None),
        ("2", "Vượt điểm trừ phần không phát sinh", 1, 0.75, 0.5, None),
        ("3", "Đúng bằng phần còn lại", 1, 0.5, 0.5, None),
    ]
    _card, _read_findings, findings = _check(tmp_path, rows)
    assert _codes(findings) == {("score-over-max", f"D{FIRST}"), ("score-over-max", f"D{FIRST + 1}")}
    by_cell = {f.cell: f for f in findings}
    assert all(f.severity is Severity.ERROR for f in findings)
    assert by_cell[f"D{FIRST}"].message == \
        f"Ô D{FIRST}: 1 được 1,5 điểm thẩm định nhưng chỉ có thể đạt tối đa 1 điểm."
    assert by_cell[f"D{FIRST + 1}"].message == (
        f"Ô D{FIRST + 1}: 2 được 0,75 điểm thẩm định nhưng chỉ có thể đạt tối đa 0,5 điểm "
        "(tối đa 1, không phát sinh 0,5).")


def test_negative_score(tmp_path):
    _card, _read_findings, findings = _check(tmp_path, [("1", "Âm", 1, -0.5, None, None)])
    (finding,) = findings
    assert (finding.code, finding.severity, finding.cell) == ("score-negative", Severity.ERROR, f"D{FIRST}")
    assert "-0,5" in finding.message


def test_fully_not_applicable_criterion_with_a_score(tmp_path):
    rows = [
        ("1", "Không phát sinh mà có điểm", 1, 0.5, 1, None),
        ("2", "Không phát sinh đánh dấu x", 1, 0.25, "x", None),
        ("3", "Không phát sinh, điểm 0", 1, 0, "x", None),
    ]
    card, _read_findings, findings = _check(tmp_path, rows)
    assert card.find("2").not_applicable == 1
    assert _codes(findings) == {("score-not-applicable", f"D{FIRST}"), ("score-not-applicable", f"D{FIRST + 1}")}
    assert all(f.severity is Severity.ERROR for f in findings)
    first = next(f for f in findings if f.row == FIRST)
    assert "không phát sinh nhiệm vụ (1 điểm)" in first.message and "0,5 điểm thẩm định" in first.message


def test_not_applicable_larger_than_maximum(tmp_path):
    _card, _read_findings, findings = _check(tmp_path, [("1", "Quá nhiều điểm không phát sinh", 1, None, 1.5,
                                                         None)])
    (finding,) = findings
    assert (finding.code, finding.severity, finding.cell) == ("score-not-applicable", Severity.ERROR,
                                                              f"E{FIRST}")
    assert "1,5 điểm không phát sinh" in finding.message and "điểm tối đa 1" in finding.message


def test_missing_score_on_a_leaf_only(tmp_path):
    rows = [
        ("1", "Lĩnh vực chưa ghi điểm", 2, None, None, None),
        ("1.1", "Có điểm", 1, 1, None, None),
        ("1.2", "Chưa có điểm", 1, None, None, None),
    ]
    _card, _read_findings, findings = _check(tmp_path, rows)
    (finding,) = findings
    assert (finding.code, finding.severity, finding.cell) == ("score-missing", Severity.WARNING,
                                                              f"D{FIRST + 2}")
    assert "1.2" in finding.message and "điểm thẩm định" in finding.message


def test_unreadable_number_is_an_error_on_its_cell(tmp_path):
    rows = [("1", "A", 1, 1, None, None), ("2", "B", 1, "đạt", None, None)]
    card, read_findings, _findings = _check(tmp_path, rows)
    (finding,) = read_findings
    assert (finding.code, finding.severity, finding.cell, finding.row) == \
        ("number-invalid", Severity.ERROR, f"D{FIRST + 1}", FIRST + 1)
    assert "“đạt”" in finding.message and "Điểm thẩm định" in finding.message
    assert card.find("2").appraised is None


def test_unreadable_maximum_and_not_applicable(tmp_path):
    rows = [("1", "A", "một", 1, None, None), ("2", "B", 1, 1, "??", None)]
    _card, read_findings, _findings = _check(tmp_path, rows)
    assert _codes(read_findings) == {("number-invalid", f"C{FIRST}"), ("number-invalid", f"E{FIRST + 1}")}
    assert all(f.severity is Severity.ERROR for f in read_findings)


def test_duplicate_tt(tmp_path):
    rows = [("1", "A", 1, 1, None, None), ("1.1", "a", 1, 1, None, None), ("1.1", "b", 1, 1, None, None)]
    _card, read_findings, _findings = _check(tmp_path, rows)
    (finding,) = read_findings
    assert (finding.code, finding.severity, finding.cell) == ("tt-duplicate", Severity.ERROR, f"A{FIRST + 2}")
    assert f"trùng với dòng {FIRST + 1}" in finding.message


TOTAL_ROWS = [("1", "Lĩnh vực A", 2, 1.333, None, None), ("2", "Lĩnh vực B", 3, 2.333, None, None)]


def test_total_row_rounded_correctly_is_fine(tmp_path):
    card, read_findings, findings = _check(tmp_path, TOTAL_ROWS + [(None, "Tổng cộng", 5, "3,67", None, None)])
    assert read_findings == [] and findings == []
    assert len(card.items) == 2, "the total row is not an area"
    assert {(t.what, t.value, t.cell) for t in card.typed_totals} == {("maximum", 5, f"C{FIRST + 2}"),
                                                                       ("score", 3.67, f"D{FIRST + 2}")}


def test_total_row_truncated(tmp_path):
    _card, _read_findings, findings = _check(tmp_path, TOTAL_ROWS + [(None, "Tổng cộng", 5, "3,66", None, None)])
    (finding,) = findings
    assert (finding.code, finding.severity, finding.cell) == ("total-truncated", Severity.INFO, f"D{FIRST + 2}")
    assert "ghi 3,66, tính được 3,666" in finding.message and "làm tròn thì là 3,67" in finding.message


def test_total_row_wrong(tmp_path):
    _card, _read_findings, findings = _check(tmp_path, TOTAL_ROWS + [(None, "Tổng cộng", 6, "3,5", None, None)])
    assert _codes(findings) == {("total-mismatch", f"C{FIRST + 2}"), ("total-mismatch", f"D{FIRST + 2}")}
    by_cell = {f.cell: f for f in findings}
    assert all(f.severity is Severity.WARNING for f in findings)
    assert by_cell[f"D{FIRST + 2}"].message == \
        f"Ô D{FIRST + 2}: tổng điểm thẩm định ghi 3,5 nhưng tính từ các dòng được 3,666."
    assert by_cell[f"C{FIRST + 2}"].message.startswith(
        f"Ô C{FIRST + 2}: tổng điểm tối đa ghi 6 nhưng tính từ các dòng được 5")


def test_total_typed_as_a_number_is_shown_with_a_decimal_comma(tmp_path):
    """A total typed as a number (Excel shows "3,5" in a Vietnamese locale)
    is quoted in the message the Vietnamese way, like every other number."""
    _card, _read_findings, findings = _check(tmp_path, TOTAL_ROWS + [(None, "Tổng cộng", 5, 3.5, None, None)])
    (finding,) = findings
    assert (finding.code, finding.cell) == ("total-mismatch", f"D{FIRST + 2}")
    assert "ghi 3,5 nhưng" in finding.message, finding.message


def test_total_stored_with_every_float_digit_or_tiny_is_read_without_a_traceback(tmp_path):
    # a formula's result (3,666 stored as 3.6659999999999999) is compared at 3 decimals
    _card, read_findings, findings = _check(tmp_path, TOTAL_ROWS + [(None, "Tổng cộng", 5, 3.666 - 1e-16, None,
                                                                      None)])
    assert read_findings == [] and findings == []
    _card, read_findings, findings = _check(tmp_path, TOTAL_ROWS + [(None, "Tổng cộng", 5, 1e-05, None, None)])
    (finding,) = findings
    assert finding.code == "total-mismatch" and "ghi 0 nhưng" in finding.message


def test_title_names_each_total_it_types(tmp_path):
    title = ["KẾT QUẢ CHỈ SỐ CCHC NĂM 2021 - HUYỆN QUẢNG ĐIỀN",
             "Tổng điểm tự đánh giá: 4,1; tổng điểm thẩm định: 3,67/5"]
    card, _read_findings, _findings = _check(tmp_path, TOTAL_ROWS, title=title)
    assert {(t.what, t.value) for t in card.typed_totals} == {("score-self", 4.1), ("score", 3.67),
                                                              ("maximum", 5)}


def test_title_total_and_percentage(tmp_path):
    title = ["KẾT QUẢ CHỈ SỐ CCHC NĂM 2021 - HUYỆN QUẢNG ĐIỀN",
             "Tổng điểm thẩm định: 3,67/5 - đạt 73,32% - xếp thứ 2/9 huyện, thị xã, thành phố"]
    card, _read_findings, findings = _check(tmp_path, TOTAL_ROWS, title=title)
    assert card.rank == "xếp thứ 2/9 huyện, thị xã, thành phố"
    assert {(t.what, t.value) for t in card.typed_totals} == {("score", 3.67), ("maximum", 5),
                                                              ("percentage", 73.32)}
    # 3,666 / 5 = 73,32%: every typed figure is right
    assert findings == []


# --- compare_typed ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed, decimals, computed, verdict, rounded", [
    (77.59, 2, 77.586, "ok", "77,59"),
    (77.58, 2, 77.586, "truncated", "77,59"),
    (78.5, 1, 77.586, "mismatch", "77,6"),
    (77.6, 1, 77.586, "ok", "77,6"),
    (77.5, 1, 77.586, "truncated", "77,6"),
    (77.586, 3, 77.5864, "ok", "77,586"),
    (1.234, 3, 1.2349, "truncated", "1,235"),
    (1.233, 3, 1.2349, "mismatch", "1,235"),
    (2.68, 2, 2.675, "ok", "2,68"),  # half up, though 2.675 is 2.67499… as a float
    (0.13, 2, 0.125, "ok", "0,13"),
    (0.12, 2, 0.125, "truncated", "0,13"),
    (78, 0, 77.586, "ok", "78"),
    (77, 0, 77.586, "truncated", "78"),
    (80.82, 2, 80.81875, "ok", "80,82"),
    (80.81, 2, 80.81875, "truncated", "80,82"),
    (96.0, 1, 96, "ok", "96"),
    (29.33, 2, 29.3273542, "ok", "29,33"),
])
def test_compare_typed(typed, decimals, computed, verdict, rounded):
    assert compare_typed(typed, decimals, computed) == (verdict, rounded)


def test_compare_typed_when_rounding_and_truncation_agree_is_ok():
    # 77,581 rounds and truncates to 77,58 alike: nothing to say
    assert compare_typed(77.58, 2, 77.581)[0] == "ok"


# --- workbooks -------------------------------------------------------------------------------


def _year_rows(score):
    return [("1", "Lĩnh vực A", 2, score, None, None), ("2", "Lĩnh vực B", 3, 3, None, None)]


def test_two_years_in_one_workbook(tmp_path, registry):
    title = ["KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC - HUYỆN QUẢNG ĐIỀN"]  # no year: the sheet names give it
    path = score_book(tmp_path / "hai-nam.xlsx", _year_rows(1), title=title, sheet="2020",
                      extra_sheets=[("2021", _year_rows(1.5), title)])
    result = read_workbook(path, registry, path.name)
    assert result.kinds == {"2020": "scores", "2021": "scores"}
    assert result.plans == [] and result.tthc == []
    assert [(c.sheet, c.year) for c in result.scores] == [("2020", 2020), ("2021", 2021)]
    assert [c.total_score for c in result.scores] == [4, 4.5]
    assert result.findings == []


def test_year_from_the_title_wins_over_the_sheet_name(tmp_path):
    path = score_book(tmp_path / "nam.xlsx", _year_rows(1), title=["BẢNG ĐIỂM NĂM 2019 - XÃ QUẢNG AN"],
                      sheet="Bảng 2020")
    card, _ = _read(path)
    assert card.year == 2019 and card.subject == "XÃ QUẢNG AN"


def test_kind_detection_of_the_real_workbooks(registry):
    plan = read_workbook(APPENDIX, registry, APPENDIX.name)
    assert plan.kinds and set(plan.kinds.values()) == {"plan"}
    assert len(plan.plans) == 1 and plan.scores == [] and plan.tthc == []
    scores = read_workbook(SCORES_XLSX, registry, SCORES_XLSX.name)
    assert scores.kinds == {"Chỉ số 2021": "scores"}
    assert len(scores.scores) == 1 and scores.plans == [] and scores.tthc == []
    assert scores.scores[0].total_score == pytest.approx(77.586)
    tthc = read_workbook(TTHC_XLSX, registry, TTHC_XLSX.name)
    assert tthc.kinds == {"Tiến độ TTHC": "tthc"}
    assert len(tthc.tthc) == 1 and tthc.plans == [] and tthc.scores == []


def test_unknown_header_names_the_three_kinds(tmp_path, registry):
    path = score_book(tmp_path / "danh-sach.xlsx", [("Nguyễn Văn A", "01/01/1980", "Quảng An")],
                      header=["Họ và tên", "Ngày sinh", "Quê quán"], title=["DANH SÁCH CÁN BỘ"], sheet="Danh sách")
    result = read_workbook(path, registry, path.name)
    assert result.kinds == {} and result.plans == [] and result.scores == [] and result.tthc == []
    assert [(f.code, f.sheet) for f in result.findings] == [("sheet-skipped", "Danh sách"), ("missing-header", "")]
    finding = result.findings[1]
    assert finding.code == "missing-header" and finding.severity is Severity.ERROR
    for label in ("bảng phân công", "bảng điểm Chỉ số CCHC", "bảng tiến độ giải quyết TTHC"):
        assert label in finding.message
    assert "Điểm thẩm định" in finding.message and "Tiếp nhận mới" in finding.message


def test_a_sheet_without_header_next_to_a_score_sheet_is_skipped(tmp_path, registry):
    path = score_book(tmp_path / "kem-ghi-chu.xlsx", _year_rows(1), title=PLAIN_TITLE,
                      extra_sheets=[("Ghi chú", [("Số liệu do Sở Nội vụ cung cấp",)], None)])
    result = read_workbook(path, registry, path.name)
    assert result.kinds == {"Chỉ số 2021": "scores"}
    (finding,) = result.findings
    assert (finding.code, finding.sheet, finding.severity) == ("sheet-skipped", "Ghi chú", Severity.INFO)


# --- criterion_for ----------------------------------------------------------------------------


def test_criterion_for(card):
    assert criterion_for("3.5.1", card).code == "3.5"
    assert criterion_for("3.5", card).code == "3.5"
    assert criterion_for("10", card).code == "10"
    assert criterion_for("10.3.1", card).code == "10"
    assert criterion_for("11.2", card) is None
    assert criterion_for("7.2", card).title.startswith("Tỷ lệ hồ sơ TTHC được xử lý trực tuyến")


def test_lines_under_the_total_are_notes_not_criteria(tmp_path):
    footer = [(None, "Ghi chú: tiêu chí 2.3 chấm lại theo văn bản số 12/STP (0,5đ)", None, None, None, None),
              (None, "Người lập biểu", None, None, None, None)]
    card, read_findings, findings = _check(tmp_path, TOTAL_ROWS + [(None, "Tổng cộng", 5, "3,67", None, None)]
                                           + footer)
    assert [i.code for i in card.all_items()] == ["1", "2"]
    assert card.notes == ["Ghi chú: tiêu chí 2.3 chấm lại theo văn bản số 12/STP (0,5đ)", "Người lập biểu"]
    assert read_findings == [] and findings == []


def test_an_empty_not_applicable_cell_on_a_parent_takes_its_childrens(tmp_path):
    rows = [("1", "Lĩnh vực", 3, 1.5, None, None),
            ("1.1", "Tiêu chí a", 1, 0.5, 0.5, "Tiêu chí thành phần 1.1.2 không phát sinh"),
            ("1.2", "Tiêu chí b", 2, 1, None, None)]
    card, _read_findings, findings = _check(tmp_path, rows)
    assert card.items[0].not_applicable == 0.5 and not card.items[0].not_applicable_typed
    assert card.applicable_max == 2.5 and findings == []


def test_a_score_sheet_with_only_its_header_is_named_and_not_published(tmp_path, registry):
    from generator.reader import read_workbook

    path = score_book(tmp_path / "trong.xlsx", [], title=PLAIN_TITLE)
    result = read_workbook(path, registry)
    assert result.scores == [] and result.kinds == {"Chỉ số 2021": "scores"}
    (finding,) = [f for f in result.findings if f.code == "no-data-rows"]
    assert finding.severity.value == "warning" and "bảng điểm Chỉ số CCHC" in finding.message


def test_the_year_is_the_one_after_nam_in_the_title(tmp_path):
    title = ["Theo Quyết định 2400/QĐ-UBND ngày 24/9/2020: KẾT QUẢ CHỈ SỐ CCHC NĂM 2021"]
    card, _read_findings, _findings = _check(tmp_path, TOTAL_ROWS, title=title)
    assert card.year == 2021
