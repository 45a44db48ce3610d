"""Builders of inspection workbooks (kế hoạch kiểm tra CCHC + theo dõi khắc phục),
generated at test time with openpyxl.

``inspection_book`` writes one sheet "Kế hoạch kiểm tra" and one sheet "Khắc
phục" in the real layout: title lines merged across the table from row 1, a
blank row, the header, data rows. Columns are (key, group, name): group None
for a single column (merged over both header rows when the header has two),
otherwise the merged heading above it ("Thông báo kết luận" over "Số" /
"Ngày"). Rows are dicts keyed by the column keys, so a test never counts
columns; ``merges`` merges a column down over several data rows (the value is
written in the first), as clerks merge "Đợt" over the units of a round.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from .indicator_books import write_grouped_header
from .workbooks import write_title

INSPECTION_COLUMNS: list[tuple[str, str | None, str]] = [
    ("code", None, "TT"),
    ("unit", None, "Đơn vị được kiểm tra"),
    ("round", None, "Đợt"),
    ("form", None, "Hình thức"),
    ("time", None, "Thời gian kiểm tra"),
    ("conclusion_date", None, "Ngày thông báo kết luận"),
    ("notice_number", None, "Số thông báo"),
]
REMEDIATION_COLUMNS: list[tuple[str, str | None, str]] = [
    ("code", None, "TT"),
    ("unit", None, "Đơn vị"),
    ("issue", None, "Tồn tại, hạn chế"),
    ("task", None, "Nhiệm vụ khắc phục"),
    ("criteria", None, "Tiêu chí liên quan"),
    ("deadline", None, "Hạn khắc phục"),
    ("status", None, "Tình trạng"),
    ("evidence", None, "Minh chứng"),
]
INSPECTION_TITLE = ["UBND HUYỆN QUẢNG ĐIỀN",
                    "KẾ HOẠCH KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2020"]
REMEDIATION_TITLE = ["UBND HUYỆN QUẢNG ĐIỀN",
                     "THEO DÕI KHẮC PHỤC TỒN TẠI, HẠN CHẾ SAU KIỂM TRA CCHC NĂM 2020"]
INSPECTION_SHEET, REMEDIATION_SHEET = "Kế hoạch kiểm tra", "Khắc phục"


def _two_rows(columns) -> bool:
    return any(group for _key, group, _name in columns)


def header_row(columns=INSPECTION_COLUMNS, title=INSPECTION_TITLE) -> int:
    """The (last) header row of a sheet written with these columns and title."""
    return len(title) + 2 + (1 if _two_rows(columns) else 0)


def first_row(columns=INSPECTION_COLUMNS, title=INSPECTION_TITLE) -> int:
    return header_row(columns, title) + 1


def letter(key: str, columns=INSPECTION_COLUMNS) -> str:
    for index, (name, _group, _label) in enumerate(columns, start=1):
        if name == key:
            return get_column_letter(index)
    raise KeyError(key)


def cell(key: str, index: int, columns=INSPECTION_COLUMNS, title=INSPECTION_TITLE) -> str:
    """A1 of data row ``index`` (0-based) in column ``key``."""
    return f"{letter(key, columns)}{first_row(columns, title) + index}"


def row_of(index: int, columns=INSPECTION_COLUMNS, title=INSPECTION_TITLE) -> int:
    return first_row(columns, title) + index


def header_cell(key: str, columns=INSPECTION_COLUMNS, title=INSPECTION_TITLE) -> str:
    return f"{letter(key, columns)}{header_row(columns, title)}"


def _write_sheet(ws, rows, columns, title, merges) -> None:
    width = len(columns)
    write_title(ws, title, width)
    top = len(title) + 2
    two = _two_rows(columns)
    sub = top + 1 if two else top
    write_grouped_header(ws, columns, top, sub)
    keys = [key for key, _g, _n in columns]
    covered = {(key, i) for key, first, last in merges for i in range(first + 1, last + 1)}
    for index, values in enumerate(rows):
        unknown = set(values) - set(keys)
        if unknown:
            raise KeyError(f"no column for {sorted(unknown)}")
        r = sub + 1 + index
        for c, key in enumerate(keys, start=1):
            value = values.get(key)
            if value is None or (key, index) in covered:
                continue
            written = ws.cell(r, c, value)
            if isinstance(value, dt.date):
                written.number_format = "dd/mm/yyyy"
    for key, first, last in merges:
        c = keys.index(key) + 1
        ws.merge_cells(start_row=sub + 1 + first, start_column=c, end_row=sub + 1 + last, end_column=c)


def inspection_book(path: Path, inspections=(), remediations=(), *, inspection_columns=INSPECTION_COLUMNS,
                    remediation_columns=REMEDIATION_COLUMNS, inspection_title=INSPECTION_TITLE,
                    remediation_title=REMEDIATION_TITLE, inspection_merges=(), remediation_merges=(),
                    inspection_sheet=INSPECTION_SHEET, remediation_sheet=REMEDIATION_SHEET,
                    remediation_first=False) -> Path:
    """Write the workbook. ``inspections`` / ``remediations``: dicts keyed by the
    column keys; None for ``remediations`` leaves that sheet out. ``*_merges``:
    (key, first index, last index) merged down. ``remediation_first`` puts
    the Khắc phục sheet before the inspection list."""
    wb = openpyxl.Workbook()
    ws = wb.active
    sheets = [(inspection_sheet, inspections, inspection_columns, inspection_title, inspection_merges)]
    if remediations is not None:
        sheets.append((remediation_sheet, remediations, remediation_columns, remediation_title,
                       remediation_merges))
    if remediation_first:
        sheets.reverse()
    for n, (name, rows, columns, title, merges) in enumerate(sheets):
        target = ws if n == 0 else wb.create_sheet(name)
        target.title = name
        _write_sheet(target, list(rows), columns, title, merges)
    wb.save(path)
    return path
