"""The reader on the real Quảng Điền 2022 appendix and on hand-made sheets."""

from __future__ import annotations

import datetime as dt
import unicodedata

import openpyxl
import pytest

from generator.model import DeadlineKind
from generator.reader import classify_header, parse_code, read_workbook

from .conftest import APPENDIX
from .workbooks import CLEAN_ROWS, HEADER, appendix, header_row_of, nfd


def _independent_data_rows(path) -> list[int]:
    """Non-empty rows below the header, counted with plain openpyxl: the header
    is the row whose first cell is "TT" (how a person would find it)."""
    ws = openpyxl.load_workbook(path).active
    header = next(r for r in range(1, 30) if str(ws.cell(r, 1).value).strip() == "TT")
    rows = []
    for r in range(header + 1, ws.max_row + 1):
        if any(ws.cell(r, c).value not in (None, "") for c in range(1, ws.max_column + 1)):
            rows.append(r)
    return rows


def test_every_data_row_of_the_real_appendix_is_in_the_model_once(plan):
    expected = _independent_data_rows(APPENDIX)
    assert len(expected) == 124
    section_rows = [s.row for s in plan.walk_sections()]
    task_rows = [t.row for t in plan.tasks]
    assert len(section_rows) == len(set(section_rows)), "a row appears twice in the criteria tree"
    assert len(task_rows) == len(set(task_rows)), "a row appears twice in the task list"
    assert sorted(set(section_rows) | set(task_rows)) == expected
    assert task_rows == sorted(task_rows), "tasks are in sheet order"


def test_title_block_gives_plan_metadata(plan):
    meta = plan.meta
    assert meta.issuer == "UBND HUYỆN QUẢNG ĐIỀN"
    assert meta.title.startswith("Phân công triển khai các nhiệm vụ và chuẩn bị các tài liệu kiểm chứng")
    assert meta.year == 2022
    assert meta.attached_to == "(Ban hành kèm theo Kế hoạch số /KH-UBND ngày tháng 3 năm 2022)"
    assert meta.document_number == "Số /KH-UBND"
    assert "DỰ THẢO PHỤ LỤC" in meta.lines
    assert plan.header_row == 6 and plan.first_data_row == 7
    assert plan.columns == {"code": "A", "title": "B", "products": "C", "lead": "D", "support": "E", "deadline": "F"}


def test_hierarchy_of_the_real_appendix(plan):
    (group,) = plan.sections
    assert group.kind == "group" and group.code == "NHÓM 1" and group.title == "TỰ ĐÁNH GIÁ"
    assert [c.code for c in group.children] == [str(i) for i in range(1, 9)]
    first = group.children[0]
    assert first.title == "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC" and first.points == 8
    assert [c.code for c in first.children] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
    assert first.children[0].points == 1.5
    by_code = {s.code: s for s in plan.walk_sections()}
    assert by_code["1.4.2"].points == 1
    # un-numbered sub-items are tasks of the criterion above them
    assert by_code["1.4.2"].task_ids == ["1.4.2-1", "1.4.2-2"]
    assert by_code["1.2"].task_ids == ["1.2-1"]
    # 6.2 has sub-criteria and its own lead unit: it is a criterion and a task
    assert [c.code for c in by_code["6.2"].children] == ["6.2.1", "6.2.2"]
    assert by_code["6.2"].task_ids == ["6.2"]
    # a criterion with children and no lead keeps its other cells as notes
    assert by_code["1.2"].notes == {
        "Thời gian hoàn thành": "Các loại báo cáo phải đúng thời gian, đủ nội dung theo yêu cầu của cấp trên"}


def test_tasks_of_the_real_appendix(plan):
    tasks = {t.id: t for t in plan.tasks}
    t = tasks["1.1.1"]
    assert (t.row, t.title, t.points) == (10, "Ban hành kế hoạch CCHC", 0.5)
    assert [p.text for p in t.products] == ["Kế hoạch CCHC 2022"]
    assert [r.unit_id for r in t.lead] == ["phong-noi-vu"]
    assert t.deadlines[0].kind is DeadlineKind.BEFORE_DATE and t.deadlines[0].date == dt.date(2022, 1, 5)

    sub = tasks["1.2-1"]
    assert sub.code == "" and sub.criterion == "1.2" and sub.row == 13
    assert [d.date for d in sub.deadlines] == [dt.date(2022, 3, 12), dt.date(2022, 6, 12), dt.date(2022, 9, 12),
                                                dt.date(2022, 12, 12)]

    tagged = tasks["1.1.2"]
    assert [p.number for p in tagged.products] == [1, 2]
    assert [d.product for d in tagged.deadlines] == [1, 2]
    assert tagged.products[0].text.startswith("Đảm bảo hoàn thành trên 90%")

    inspection = tasks["1.3.1"]
    assert [p.text for p in inspection.products] == [
        "Kế hoạch kiểm tra CCHC", "Quyết định thành lập đoàn kiểm tra CCHC", "Biên bản, thông báo kết luận",
        "Báo cáo sau kiểm tra CCHC."]
    assert len(inspection.deadlines) == 5


def test_all_text_in_the_model_is_nfc(plan):
    for task in plan.tasks:
        for text in [task.title, task.lead_text, task.support_text, task.deadline_text, task.products_text]:
            assert unicodedata.is_normalized("NFC", text)


def test_header_synonyms():
    assert classify_header("STT") == "code"
    assert classify_header("Lĩnh vực/Tiêu chí/\nTiêu chí thành phần") == "title"
    assert classify_header("Tên nhiệm vụ") == "title"
    assert classify_header("Nội dung") == "title"
    assert classify_header("Kết quả dự kiến") == "products"
    assert classify_header("Sản phẩm dự kiến") == "products"
    assert classify_header("Cơ quan/Đơn vị chủ trì") == "lead"
    assert classify_header("Đơn vị thực hiện") == "lead"
    assert classify_header("Cơ quan/ Đơn vị phối hợp") == "support"
    assert classify_header("Thời hạn hoàn thành") == "deadline"
    assert classify_header("Thời gian thực hiện") == "deadline"
    assert classify_header("Tiến độ") == "status"
    assert classify_header("Văn bản giao nhiệm vụ") is None
    assert classify_header("Ghi chú") is None
    assert classify_header("Kinh phí") is None


@pytest.mark.parametrize("raw, code, kind, rank", [
    ("NHÓM 1: TỰ ĐÁNH GIÁ", "NHÓM 1", "group", 0),
    ("I", "I", "part", 2), ("IV.", "IV", "part", 2), ("III.1", "III.1", "part", 3),
    ("A", "A", "part", 1), ("1", "1", "criterion", 10), ("1.", "1", "criterion", 10),
    ("1.1.1", "1.1.1", "criterion", 12), ("a)", "a", "item", 40), ("-", "", "none", 99),
    ("1..2", "1..2", "invalid", 99),
])
def test_parse_code(raw, code, kind, rank):
    parsed = parse_code(raw)
    assert (parsed.text, parsed.kind, parsed.rank) == (code, kind, rank)


def test_two_row_header_with_column_numbers_and_extra_columns(tmp_path, registry):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "UBND XÃ QUẢNG THÁI"
    ws["A2"] = "Kế hoạch cải cách hành chính năm 2023"
    ws["A4"], ws["B4"], ws["C4"] = "STT", "Nội dung nhiệm vụ", "Kết quả dự kiến"
    ws["D4"] = "Đơn vị"
    ws.merge_cells("D4:E4")
    ws["D5"], ws["E5"] = "Chủ trì", "Phối hợp"
    ws["F4"], ws["G4"], ws["H4"] = "Thời gian\nthực hiện", "Ghi chú", "Tiến độ"
    for cell in ("A4:A5", "B4:B5", "C4:C5", "F4:F5", "G4:G5", "H4:H5"):
        ws.merge_cells(cell)
    for col, n in zip("ABCDEFGH", range(1, 9)):
        ws[f"{col}6"] = f"({n})"
    ws.append(["I", "CẢI CÁCH THỂ CHẾ"])
    ws.append(["1", "Rà soát văn bản", "Báo cáo rà soát", "Công chức Tư pháp - Hộ tịch", "", "Quý II/2023",
               "Ưu tiên", "Đã hoàn thành"])
    ws.append(["II", "CẢI CÁCH TTHC"])
    ws.append(["1", "Niêm yết TTHC", "Bảng niêm yết", "Văn phòng HĐND và UBND huyện", "", "Tháng 3/2023"])
    path = tmp_path / "hai-dong.xlsx"
    wb.save(path)
    result = read_workbook(path, registry)
    (plan,) = result.plans
    assert plan.header_row == 5 and plan.first_data_row == 7
    assert plan.columns == {"code": "A", "title": "B", "products": "C", "lead": "D", "support": "E",
                            "deadline": "F", "status": "H"}
    assert plan.meta.year == 2023 and plan.meta.issuer == "UBND XÃ QUẢNG THÁI"
    first, second = plan.tasks
    # numbering restarts in each part: two tasks coded "1", in parts I and II
    assert (first.code, first.criterion, second.code) == ("1", "1", "1")
    assert first.extra == {"Ghi chú": "Ưu tiên", "Tiến độ": "Đã hoàn thành"}
    assert first.status_text == "Đã hoàn thành"
    assert first.deadlines[0].kind is DeadlineKind.QUARTER
    assert [s.code for s in plan.sections] == ["I", "II"]


def test_vertical_merges_are_filled_down(tmp_path, registry):
    rows = list(CLEAN_ROWS) + [("2.2", "Niêm yết: 0,5đ", "Ảnh", None, None, None)]
    path = appendix(tmp_path / "gop.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    first = header_row_of() + 6  # the 2.1 row
    ws.merge_cells(f"D{first}:D{first + 1}")
    ws.merge_cells(f"F{first}:F{first + 1}")
    wb.save(path)
    (plan,) = read_workbook(path, registry).plans
    tasks = {t.id: t for t in plan.tasks}
    assert tasks["2.2"].lead_text == "Văn phòng HĐND và UBND huyện"
    assert tasks["2.2"].deadline_text == "Tháng 6/2022"


def test_real_excel_dates_and_numeric_codes(tmp_path, registry):
    rows = [("1", "Tiêu chí: 2đ", None, None, None, None),
            (1.1, "Việc một: 1đ", "Báo cáo", "Phòng Nội vụ", None, dt.datetime(2022, 11, 15)),
            (1.2, "Việc hai: 1đ", "Báo cáo", "Phòng Nội vụ", None, 2022)]
    path = appendix(tmp_path / "so.xlsx", rows)
    (plan,) = read_workbook(path, registry).plans
    one, two = [t for t in plan.tasks]
    assert one.code == "1.1" and one.deadlines[0].kind is DeadlineKind.DATE
    assert one.deadlines[0].date == dt.date(2022, 11, 15)
    assert two.deadlines[0].kind is DeadlineKind.YEAR_RANGE


def test_number_format_keeps_trailing_zero(tmp_path, registry):
    rows = [("1", "Tiêu chí: 2đ", None, None, None, None),
            (1.1, "Việc một: 1đ", "Báo cáo", "Phòng Nội vụ", None, "Trước 15/11/2022"),
            (1.1, "Việc mười: 1đ", "Báo cáo", "Phòng Nội vụ", None, "Trước 15/11/2022")]
    path = appendix(tmp_path / "dinh-dang.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(header_row_of() + 3, 1).number_format = "0.00"
    wb.save(path)
    (plan,) = read_workbook(path, registry).plans
    assert [t.code for t in plan.tasks] == ["1.1", "1.10"]


def test_several_sheets_one_without_header(tmp_path, registry):
    path = appendix(tmp_path / "nhieu-trang.xlsx",
                    extra_sheets=[("Ghi chú", [("Ghi chú của Phòng Nội vụ",)]),
                                  ("Phụ lục 2", [HEADER, ("1", "Nhiệm vụ khác", "Báo cáo", "Phòng Tư pháp", None,
                                                          "Trước 15/11/2022")])])
    result = read_workbook(path, registry)
    assert [p.sheet for p in result.plans] == ["Phụ lục", "Phụ lục 2"]
    skipped = [f for f in result.findings if f.code == "sheet-skipped"]
    assert [(f.sheet, f.severity.value) for f in skipped] == [("Ghi chú", "info")]


def test_nfd_input_becomes_nfc_and_is_reported(tmp_path, registry):
    rows = [tuple(nfd(v) if isinstance(v, str) else v for v in r) for r in CLEAN_ROWS]
    path = appendix(tmp_path / "nfd.xlsx", rows)
    result = read_workbook(path, registry)
    (plan,) = result.plans
    assert plan.tasks[0].title == "Ban hành kế hoạch CCHC"
    assert plan.tasks[0].lead[0].unit_id == "phong-noi-vu"
    (finding,) = [f for f in result.findings if f.code == "text-normalised"]
    assert finding.cell == f"A{header_row_of() + 1}"
