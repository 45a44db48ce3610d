"""Builders of indicator workbooks: CCHC index score sheets and TTHC progress
reports, generated at test time with openpyxl.

``score_book`` writes the real layout of the appraised score sheet (title
lines merged across the table in rows 1–2, a blank row, the header in row 4,
data from row 5). ``tthc_book`` writes the standard TTHC progress form: title
lines, then a two-row header where single columns are merged over both rows
and groups ("Số hồ sơ tiếp nhận", "Đã giải quyết", "Đang giải quyết") are
merged across their sub-columns. Columns are described as (key, group, name)
so a test can reorder them or rename them with synonyms, and rows are dicts
keyed by the same keys, so a test never counts columns by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from .workbooks import new_sheet, write_title

# --- score sheets -------------------------------------------------------------------

SCORE_HEADER = ["TT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Điểm thẩm định", "Điểm không phát sinh nhiệm vụ",
                "Lý do mất điểm / Ghi chú"]
SCORE_TITLE = ["KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021 - HUYỆN QUẢNG ĐIỀN"]


def score_header_row(title=SCORE_TITLE) -> int:
    """The header row of a sheet written by ``score_book`` (4 with two title lines)."""
    return max(len(title), 2) + 2


def _write_score_sheet(ws, rows, header, title) -> None:
    write_title(ws, title, len(header))
    header_row = score_header_row(title)
    for col, name in enumerate(header, start=1):
        ws.cell(header_row, col, name)
    for r, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, col, value)


def score_book(path: Path, rows, *, header=SCORE_HEADER, title=SCORE_TITLE, sheet="Chỉ số 2021",
               extra_sheets=()) -> Path:
    """Write a score sheet in the real layout: ``title`` lines in merged rows
    1–2 (row 2 may be a "Tổng điểm thẩm định: 77,58/96,0 - xếp thứ …" line),
    the header in row 4, ``rows`` (tuples in header order) from row 5.

    ``extra_sheets``: (name, rows) or (name, rows, title) written in the same
    layout with the same header, or (name, rows, None) for a plain sheet whose
    rows are appended verbatim."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    _write_score_sheet(ws, rows, header, title)
    for extra in extra_sheets:
        name, sheet_rows = extra[0], extra[1]
        other = wb.create_sheet(name)
        if len(extra) > 2 and extra[2] is None:
            for row in sheet_rows:
                other.append(list(row))
        else:
            _write_score_sheet(other, sheet_rows, header, extra[2] if len(extra) > 2 else title)
    wb.save(path)
    return path


# --- TTHC progress reports ----------------------------------------------------------

RECEIVED, RESOLVED, PENDING = "Số hồ sơ tiếp nhận", "Đã giải quyết", "Đang giải quyết"

#: (key, group, name): group None for a single column merged over both header rows.
TTHC_COLUMNS: list[tuple[str, str | None, str]] = [
    ("period", None, "Kỳ"),
    ("unit", None, "Đơn vị"),
    ("start", None, "Từ ngày"),
    ("end", None, "Đến ngày"),
    ("received_total", RECEIVED, "Tổng số"),
    ("carried_over", RECEIVED, "Kỳ trước chuyển sang"),
    ("received_new", RECEIVED, "Tiếp nhận mới"),
    ("online", RECEIVED, "Trực tuyến"),
    ("direct", RECEIVED, "Trực tiếp"),
    ("postal", RECEIVED, "Qua BCCI"),
    ("resolved_total", RESOLVED, "Tổng số"),
    ("resolved_early", RESOLVED, "Trước hạn"),
    ("resolved_on_time", RESOLVED, "Đúng hạn"),
    ("resolved_late", RESOLVED, "Quá hạn"),
    ("pending_total", PENDING, "Tổng số"),
    ("pending_in_time", PENDING, "Trong hạn"),
    ("pending_late", PENDING, "Quá hạn"),
    ("apologies", None, "Số thư xin lỗi"),
    ("digitised", None, "Số hồ sơ số hóa"),
    ("online_rate", None, "Tỷ lệ trực tuyến (%)"),
    ("on_time_rate", None, "Tỷ lệ giải quyết đúng hạn (%)"),
    ("source", None, "Nguồn số liệu"),
]
TTHC_TITLE = ["UBND HUYỆN QUẢNG ĐIỀN", "TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"]


def tthc_header_rows(title=TTHC_TITLE) -> tuple[int, int]:
    """(group row, sub-header row) of a sheet written by ``tthc_book``."""
    top = len(title) + 2
    return top, top + 1


def tthc_first_row(title=TTHC_TITLE) -> int:
    """The sheet row of the first data row written by ``tthc_book``."""
    return tthc_header_rows(title)[1] + 1


def tthc_letter(key: str, columns=TTHC_COLUMNS) -> str:
    """The column letter ``tthc_book`` gives to ``key``."""
    for index, (name, _group, _label) in enumerate(columns, start=1):
        if name == key:
            return get_column_letter(index)
    raise KeyError(key)


def tthc_cell(key: str, row: int, columns=TTHC_COLUMNS) -> str:
    return f"{tthc_letter(key, columns)}{row}"


def write_grouped_header(ws, columns, top: int, sub: int) -> None:
    """A header of (key, group, name) columns: a single column merged over rows
    ``top``..``sub``, a group's name merged across its sub-columns (one row
    when ``top == sub``)."""
    width, col = len(columns), 1
    while col <= width:
        _key, group, name = columns[col - 1]
        if group is None:
            ws.cell(top, col, name)
            if sub > top:
                ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
            col += 1
            continue
        end = col
        while end < width and columns[end][1] == group:
            end += 1
        ws.cell(top, col, group)
        if end > col:
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=end)
        for c in range(col, end + 1):
            ws.cell(sub, c, columns[c - 1][2])
        col = end + 1


def tthc_book(path: Path, rows, *, columns=TTHC_COLUMNS, title=TTHC_TITLE, sheet="Tiến độ TTHC",
              number_formats: dict[str, str] | None = None) -> Path:
    """Write the TTHC progress form. ``rows`` are dicts keyed by the column
    keys of ``columns`` (missing keys stay empty). ``number_formats``: key ->
    number format applied to that column's data cells (e.g. "0.00%")."""
    width = len(columns)
    wb, ws = new_sheet(title, width, sheet)
    top, sub = tthc_header_rows(title)
    write_grouped_header(ws, columns, top, sub)
    keys = [key for key, _g, _n in columns]
    for r, values in enumerate(rows, start=sub + 1):
        unknown = set(values) - set(keys)
        if unknown:
            raise KeyError(f"no column for {sorted(unknown)}")
        for c, key in enumerate(keys, start=1):
            value = values.get(key)
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            elif number_formats and key in number_formats:
                cell.number_format = number_formats[key]
    wb.save(path)
    return path
