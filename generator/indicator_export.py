"""CSV downloads of the CCHC index scores and the TTHC progress figures, with
their Table Schema: one row per criterion per year, one row per unit and
period. Same conventions as the task CSV (export.py): UTF-8 with BOM, CRLF,
decimal comma, cells that a spreadsheet would run as a formula made inert.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from .export import inert
from .scores import ScoreCard
from .tthc import FIGURES, RATES, TthcReport

#: (column, Table Schema type, Vietnamese description)
SCORE_COLUMNS: list[tuple[str, str, str]] = [
    ("year", "integer", "Năm đánh giá"),
    ("file", "string", "Tên tệp bảng tính gốc"),
    ("sheet", "string", "Tên trang tính"),
    ("row", "integer", "Số dòng trong trang tính"),
    ("code", "string", "Số thứ tự (TT) của lĩnh vực, tiêu chí"),
    ("title", "string", "Lĩnh vực / tiêu chí"),
    ("maximum", "number", "Điểm tối đa"),
    ("not_applicable", "number", "Điểm của các tiêu chí thành phần không phát sinh nhiệm vụ"),
    ("self_score", "number", "Điểm tự đánh giá"),
    ("appraised", "number", "Điểm thẩm định"),
    ("lost", "number", "Điểm bị mất: tối đa − không phát sinh − điểm đạt"),
    ("reason", "string", "Lý do mất điểm / ghi chú, như trong bảng tính"),
]
TTHC_COLUMNS: list[tuple[str, str, str]] = [
    ("file", "string", "Tên tệp bảng tính gốc"),
    ("sheet", "string", "Tên trang tính"),
    ("row", "integer", "Số dòng trong trang tính"),
    ("period", "string", "Kỳ báo cáo, như trong bảng tính"),
    ("unit", "string", "Đơn vị / cấp"),
    ("start", "date", "Ngày bắt đầu kỳ (YYYY-MM-DD)"),
    ("end", "date", "Ngày kết thúc kỳ (YYYY-MM-DD)"),
    *[(f.key, "integer", f"{f.group}: {f.label}" if f.group else f.label) for f in FIGURES],
    *[(key, "number", f"{label}, phần trăm, tính từ các số trên") for key, label in RATES.items()],
    ("source", "string", "Nguồn số liệu"),
    ("illustrative", "boolean", "Dữ liệu minh họa (không phải số liệu thật)"),
]


_NUMBER = re.compile(r"-?\d+(,\d+)?")  # a number we wrote: never a formula, keep its sign


def _num(value: float | None) -> str:
    """1234567 -> "1234567", 98.630137 -> "98,630137": never an exponent, decimal comma."""
    if value is None:
        return ""
    text = format(Decimal(repr(round(float(value), 6))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _write(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell if _NUMBER.fullmatch(cell) else inert(cell) for cell in row])
    return out.getvalue()


def scores_csv(cards: list[ScoreCard]) -> str:
    rows = []
    for card in sorted(cards, key=lambda c: (c.year or 0, c.file, c.sheet)):
        for item in card.all_items():
            rows.append([str(card.year or ""), card.file, card.sheet, str(item.row), item.code, item.title,
                         _num(item.maximum), _num(item.not_applicable), _num(item.self_score),
                         _num(item.appraised), _num(item.lost(card.basis)), item.reason])
    return _write([c[0] for c in SCORE_COLUMNS], rows)


def tthc_csv(reports: list[TthcReport]) -> str:
    rows = []
    for report in reports:
        for r in report.rows:
            rows.append([report.file, report.sheet, str(r.row), r.period, r.unit,
                         r.start.isoformat() if r.start else "", r.end.isoformat() if r.end else "",
                         *[_num(r.figure(f.key)) for f in FIGURES],
                         *[_num(None if r.rate(k) is None else r.rate(k) * 100) for k in RATES],
                         r.source, "true" if r.illustrative else "false"])
    return _write([c[0] for c in TTHC_COLUMNS], rows)


def schema(columns: list[tuple[str, str, str]]) -> dict:
    fields = []
    for name, kind, description in columns:
        field = {"name": name, "type": kind, "description": description}
        if kind == "number":
            field["decimalChar"] = ","
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}
