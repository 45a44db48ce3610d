"""The blank templates (`cchc template`): real round trips through the readers
and the checks, before and after a clerk fills them, and the workbook's own
settings (frozen and locked header, validations, print setup, guide sheet)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from generator.commands import check_workbook
from generator.deadlines import parse_deadlines
from generator.model import DeadlineKind
from generator.reader import read_workbook
from generator.xlsx_templates import (COLUMN_NOTES, COLUMNS, DATA_ROWS, DEADLINE_FORMS, HEADER_ROW, SHEETS,
                                      write_template)

KINDS = ("plan", "scores", "tthc")
ISSUER = "UBND huyện Quảng Điền"


def _write(tmp_path, registry, kind):
    return write_template(kind, tmp_path / f"{kind}.xlsx", registry, year=2026, issuer=ISSUER, place="Quảng Điền")


def _header_last(kind: str) -> int:
    return HEADER_ROW + (1 if kind == "tthc" else 0)


def _assert_clean(path, registry):
    """No error, no warning: except that each of the two example rows is flagged until deleted."""
    result, findings = check_workbook(path, registry, "x.xlsx")
    bad = [(f.severity.value, f.code, f.message) for f in findings
           if f.severity.value != "info" and f.code != "template-example"]
    assert not bad, bad
    examples = [f for f in findings if f.code == "template-example"]
    assert len(examples) == 2 and all(f.severity.value == "warning" and "Ví dụ:" in f.message for f in examples)
    return result


def _plan_rows(registry):
    """20 valid rows: criterion 2 and its tasks 2.1 … 2.19, with every deadline form."""
    names = [u.name for u in registry.units.values()]
    deadlines = ["Quý II/2026", "Tháng 6/2026", "Năm 2026", "Thường xuyên", "Trước 15/11/2026",
                 "Chậm nhất 30 ngày kể từ ngày văn bản của UBND tỉnh được ban hành"]
    rows = [["2", "Cải cách thể chế: 3đ", None, None, None, None]]
    for i in range(1, 20):
        rows.append([f"2.{i}", f"Nhiệm vụ thử số {i}", f"Báo cáo kết quả thực hiện nhiệm vụ {i}", names[i % len(names)],
                     "UBND các xã, thị trấn" if i % 2 else None, deadlines[i % len(deadlines)]])
    rows[-1][2] = "Kế hoạch kiểm tra (Sản phẩm 1)\nBáo cáo kết quả kiểm tra (Sản phẩm 2)"
    rows[-1][5] = "Trước 31/3/2026 (Sản phẩm 1)\nTrước 15/11/2026 (Sản phẩm 2)"
    return rows


def _score_rows():
    """Four areas of one parent and four children each; one child not applicable."""
    rows = []
    for area in range(2, 6):
        maxima = [0.5, 1.0, 1.5, 0.25 * area]
        appraised = [0.5, 0.75, 1.5, None]
        rows.append([str(area), f"Lĩnh vực {area}", sum(maxima), sum(maxima[:3]), sum(appraised[:3]), None, None])
        for i, (top, got) in enumerate(zip(maxima, appraised), start=1):
            applicable = got is not None
            rows.append([f"{area}.{i}", f"Tiêu chí {area}.{i}", top, top if applicable else None, got,
                         None if applicable else top, None if got == top or not applicable else "Chậm tiến độ"])
    return rows


def _tthc_rows():
    """Months 02–11 for two units, every identity of the form satisfied."""
    rows = []
    for month in range(2, 12):
        for unit, base in (("Trung tâm Hành chính công huyện", 400), ("UBND các xã, thị trấn", 600)):
            carried, online, direct, postal = 20 + month, 150 + month, base - 150, 10 + month
            new = online + direct + postal
            total = carried + new
            pending_late, pending = month % 3, 25 + month
            late = month % 4
            early = total - pending - late - 100
            end = (dt.date(2026, month + 1, 1) - dt.timedelta(days=1))
            rows.append([f"Tháng {month:02d}/2026", unit, dt.date(2026, month, 1), end, total, carried, new, online,
                         direct, postal, total - pending, early, 100, late, pending, pending - pending_late,
                         pending_late, late, new - 5, "Hệ thống thông tin giải quyết TTHC tỉnh"])
    return rows


def _fill(path, rows, kind):
    """Type rows under the two examples, as a clerk would (styles kept)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEETS[kind]]
    start = _header_last(kind) + 3
    for r, values in enumerate(rows, start=start):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c).value = value
    wb.save(path)
    return start


@pytest.mark.parametrize("kind", KINDS)
def test_template_reads_back_as_its_kind_with_two_clean_examples(tmp_path, registry, kind):
    path = _write(tmp_path, registry, kind)
    result = read_workbook(path, registry)
    assert set(result.kinds.values()) == {kind}
    assert list(result.kinds) == [SHEETS[kind]]
    _assert_clean(path, registry)
    if kind == "plan":
        (plan,) = result.plans
        assert plan.meta.year == 2026 and plan.meta.issuer == "UBND HUYỆN QUẢNG ĐIỀN"
        assert "NĂM 2026" in plan.meta.title
        assert [t.code for t in plan.tasks] == ["1", "1.1"]
        assert all(t.lead[0].unit_id == "phong-noi-vu" for t in plan.tasks)
        task = plan.tasks[1]
        assert task.support[0].group == "phong-ban-cap-huyen"
        assert task.deadlines[0].date == dt.date(2026, 1, 15)
        assert plan.sections[0].points == 2
    elif kind == "scores":
        (card,) = result.scores
        assert card.year == 2026 and card.subject == "HUYỆN QUẢNG ĐIỀN"
        assert [i.code for i in card.all_items()] == ["1", "1.1"]
        assert card.items[0].maximum == 2 and card.items[0].appraised == 1.5
    else:
        (report,) = result.tthc
        assert len(report.rows) == 2 and all(r.illustrative for r in report.rows)
        assert report.rows[0].start == dt.date(2026, 1, 1) and report.rows[0].received_total == 470


@pytest.mark.parametrize("kind", KINDS)
def test_a_filled_template_validates_clean(tmp_path, registry, kind):
    path = _write(tmp_path, registry, kind)
    rows = {"plan": lambda: _plan_rows(registry), "scores": _score_rows, "tthc": _tthc_rows}[kind]()
    assert len(rows) == 20
    start = _fill(path, rows, kind)
    cell = openpyxl.load_workbook(path)[SHEETS[kind]].cell(start + 5, 1)
    assert cell.font.name == "Times New Roman" and not cell.font.italic and not cell.protection.locked
    result = _assert_clean(path, registry)
    if kind == "plan":
        assert len(result.plans[0].tasks) == 21  # 1, 1.1 and 2.1 … 2.19 (2 is a criterion only)
        assert all(ref.unit_id for t in result.plans[0].tasks for ref in t.lead)
    elif kind == "scores":
        assert len(result.scores[0].all_items()) == 22
    else:
        assert len(result.tthc[0].rows) == 22


def test_filled_rows_that_break_the_rules_are_caught(tmp_path, registry):
    """The template does not hide mistakes: a wrong total still gets its warning."""
    path = _write(tmp_path, registry, "tthc")
    row = _tthc_rows()[0]
    row[4] += 1
    _fill(path, [row], "tthc")
    _, findings = check_workbook(path, registry, "x.xlsx")
    assert "tthc-sum-mismatch" in {f.code for f in findings}


@pytest.mark.parametrize("kind", KINDS)
def test_workbook_settings(tmp_path, registry, kind):
    wb = openpyxl.load_workbook(_write(tmp_path, registry, kind))
    ws = wb.worksheets[0]
    assert ws.title == SHEETS[kind] and wb.active.title == SHEETS[kind]
    last, columns = _header_last(kind), COLUMNS[kind]
    first = last + 1
    # title block: issuer upper case, the title with the year
    assert ws["A1"].value == "UBND HUYỆN QUẢNG ĐIỀN" and ws["A1"].font.bold
    assert "NĂM 2026" in ws["A2"].value
    # the header, frozen below it and locked; the data area unlocked
    assert ws.cell(HEADER_ROW, 1).value == columns[0].name
    assert ws.freeze_panes.endswith(str(first))
    assert ws.protection.sheet and not ws.protection.password
    assert not ws.protection.insertRows and not ws.protection.deleteRows  # clerks add and delete rows
    for c in range(1, len(columns) + 1):
        assert ws.cell(HEADER_ROW, c).protection.locked and ws.cell(last, c).protection.locked
        named = [ws.cell(r, c) for r in range(HEADER_ROW, last + 1) if ws.cell(r, c).value]
        assert named and all(cell.font.bold and cell.alignment.wrap_text for cell in named)
        for r in (first, first + 1, first + 2, first + DATA_ROWS - 1):
            assert not ws.cell(r, c).protection.locked, (r, c)
    assert ws["A1"].protection.locked
    # two example rows, italic grey, then blank rows in the same font
    for r in (first, first + 1):
        assert ws.cell(r, 1).value and ws.cell(r, 1).font.italic and ws.cell(r, 1).font.color.rgb.endswith("808080")
    assert ws.cell(first + 2, 1).value is None and ws.cell(first + 2, 1).font.name == "Times New Roman"
    assert all(ws.cell(r, 1).font.name == "Times New Roman" and ws.cell(r, 1).font.size == 13
               for r in (1, 2, HEADER_ROW, first))
    assert all(ws.column_dimensions[chr(64 + c)].width == col.width for c, col in enumerate(columns, start=1))
    # print: A4 landscape, fit to width, header rows on every page, Nghị định 30 margins
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{last}"
    margins = ws.page_margins
    assert (round(margins.left * 25.4), round(margins.right * 25.4), round(margins.top * 25.4),
            round(margins.bottom * 25.4)) == (30, 15, 20, 20)
    # validations on the right columns
    by_type = {}
    for dv in ws.data_validations.dataValidation:
        by_type.setdefault(dv.type, []).append(dv)
    ranges = {t: " ".join(str(dv.sqref) for dv in dvs) for t, dvs in by_type.items()}
    letter = {col.label: chr(64 + c) for c, col in enumerate(columns, start=1)}
    if kind == "plan":
        (units,) = by_type["list"]
        assert "Danh mục" in units.formula1 and not units.showErrorMessage
        assert f"D{first}:D{first + DATA_ROWS - 1}" in ranges["list"] and f"E{first}:E" in ranges["list"]
        catalogue = wb["Danh mục"]
        assert catalogue.sheet_state == "hidden"
        listed = {catalogue.cell(r, 1).value for r in range(2, catalogue.max_row + 1)}
        assert {u.name for u in registry.units.values()} <= listed
        assert units.formula1.endswith(f"$A${catalogue.max_row}")
    elif kind == "scores":
        (points,) = by_type["decimal"]
        assert points.operator == "greaterThanOrEqual" and points.formula1 == "0" and points.showErrorMessage
        assert all(f"{letter[name]}{first}:" in ranges["decimal"]
                   for name in ("Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm không phát sinh"))
        assert f"A{first}:" not in ranges["decimal"] and f"B{first}:" not in ranges["decimal"]
        assert ws.cell(first + 3, 1).number_format == "@"  # "1.10" stays text
    else:
        (counts,) = by_type["whole"]
        assert counts.operator == "greaterThanOrEqual" and counts.formula1 == "0"
        assert all(f"{chr(64 + c)}{first}:" in ranges["whole"] for c in range(5, 20))
        assert ranges["date"] == f"C{first}:C{first + DATA_ROWS - 1} D{first}:D{first + DATA_ROWS - 1}"
        assert ws.cell(HEADER_ROW, 5).value == "Số hồ sơ tiếp nhận" and ws.cell(last, 5).value == "Tổng số"
        assert f"E{HEADER_ROW}:J{HEADER_ROW}" in {str(m) for m in ws.merged_cells.ranges}


@pytest.mark.parametrize("kind", KINDS)
def test_guide_sheet_has_one_row_per_column(tmp_path, registry, kind):
    wb = openpyxl.load_workbook(_write(tmp_path, registry, kind))
    guide = wb["Hướng dẫn"]
    rows = [[c.value for c in row] for row in guide.iter_rows(max_col=4)]
    assert any("xóa hai dòng ví dụ trước khi nhập" in (r[0] or "") for r in rows)
    start = next(i for i, r in enumerate(rows) if r[:2] == ["Cột", "Tên cột"]) + 1
    table = []
    for r in rows[start:]:
        if not r[0]:
            break
        table.append(r)
    columns = COLUMNS[kind]
    assert [r[0] for r in table] == [chr(64 + c) for c in range(1, len(columns) + 1)]
    assert [r[1] for r in table] == [c.label for c in columns]
    assert all(r[2] and r[3] for r in table)
    assert guide["A2"].font.name == "Times New Roman"
    texts = [r[1] for r in rows[start + len(table):] if r[1]]
    if kind == "plan":
        assert texts == [form.format(year=2026) for form, _ in DEADLINE_FORMS]
    else:
        assert not texts
    assert [n[0] for n in COLUMN_NOTES[kind]] == [c.label for c in columns]


def test_deadline_forms_of_the_guide_are_understood_by_the_reader():
    kinds = []
    for form, _ in DEADLINE_FORMS:
        found = parse_deadlines(form.format(year=2026), plan_year=2026)
        assert found and all(d.kind is not DeadlineKind.FREE_TEXT and not d.invalid for d in found), form
        kinds.append(found[0].kind)
    assert {DeadlineKind.BEFORE_DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR_RANGE,
            DeadlineKind.RECURRING, DeadlineKind.RELATIVE} <= set(kinds)
    tagged = parse_deadlines(DEADLINE_FORMS[-1][0].format(year=2026), plan_year=2026)
    assert [d.product for d in tagged] == [1, 2]


def test_defaults_without_issuer_place_or_year(tmp_path, registry):
    path = write_template("plan", tmp_path / "sub" / "p.xlsx", registry)
    ws = openpyxl.load_workbook(path).worksheets[0]
    year = dt.date.today().year
    assert ws["A1"].value.startswith("UBND") and f"NĂM {year}" in ws["A2"].value
    result = read_workbook(path, registry)
    assert result.plans[0].meta.year == year and len(result.plans[0].tasks) == 2


def test_unknown_kind_is_refused(tmp_path, registry):
    with pytest.raises(ValueError, match="plan, scores, tthc hoặc inspection"):
        write_template("budget", tmp_path / "x.xlsx", registry)
    assert not (tmp_path / "x.xlsx").exists()


def test_data_rows_are_unlocked_whole_so_example_rows_can_be_deleted(tmp_path, registry):
    """Excel deletes a row of a protected sheet only if every cell of it is unlocked: the
    row's own style must be unlocked too, not only the table's cells."""
    import re
    import zipfile

    from generator.xlsx_templates import write_template

    path = write_template("plan", tmp_path / "mau.xlsx", registry, year=2026)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        styles = archive.read("xl/styles.xml").decode("utf-8")
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1),
                     re.S)
    header = openpyxl.load_workbook(path).active.freeze_panes  # e.g. "A6": data starts on that row
    first = int(re.sub(r"[A-Z]+", "", header))
    for row in (first, first + 1, first + 100):
        match = re.search(rf'<row r="{row}"[^>]*\bs="(\d+)"', sheet)
        assert match, f"row {row} has no style of its own"
        assert 'locked="0"' in xfs[int(match.group(1))], f"row {row} is locked"


def test_the_inspection_template_has_both_sheets_reads_back_and_flags_its_examples(tmp_path, registry):
    import datetime as dt

    from generator.commands import validate

    path = write_template("inspection", tmp_path / "kiem-tra.xlsx", registry, year=2026)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:1] == ["Kế hoạch kiểm tra"] and "Khắc phục" in wb.sheetnames
    assert wb.sheetnames == ["Kế hoạch kiểm tra", "Khắc phục", "Hướng dẫn", "Danh mục"]
    guide = [r[0] for r in wb["Hướng dẫn"].iter_rows(values_only=True) if r[0]]
    assert any("trang “Kế hoạch kiểm tra”" in str(t) for t in guide)
    assert any("trang “Khắc phục”" in str(t) for t in guide)
    run = validate([path], today=dt.date(2026, 6, 1))
    plan, = run.inspections
    assert len(plan.inspections) == 1 and len(plan.remediations) == 1
    assert plan.remediations[0].deadline == dt.date(2026, 7, 8)  # 30 days after the example's conclusion
    examples = [f for f in run.report.findings if f.code == "template-example"]
    assert sorted((f.sheet, f.cell) for f in examples) == [("Khắc phục", "C6"), ("Kế hoạch kiểm tra", "D6")]
    with pytest.raises(ValueError):
        write_template("remediation", tmp_path / "x.xlsx", registry)  # only as part of "inspection"
