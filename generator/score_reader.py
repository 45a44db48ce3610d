"""Reading CCHC index score sheets (Chỉ số CCHC) into ScoreCards.

Same principles as the appendix reader: header by name and synonyms, the
hierarchy from the TT column, points with decimal commas, "đ" suffixes and
numbers typed as text. The title block above the header gives the year, the
body scored, its rank and any total the clerk typed ("Tổng điểm thẩm định:
77,58/96,0"); a "Tổng cộng" row under the table gives typed totals too.
"""

from __future__ import annotations

import functools
import re

from . import text as tx
from .findings import Finding, make
from .reader import (Header, Sheet, bad_number, cell_text, code_from_cell, find_header, is_illustrative_mark,
                     title_cells)
from .scores import SCORE_FIELDS, ScoreCard, ScoreItem, TypedTotal
from .totals import text_decimals, typed_decimals
from .workbook import Grid, column_letter

#: Accepted names of each column, shown in the missing-header message.
SCORE_SYNONYMS = {
    "code": ["TT", "STT"],
    "title": ["Lĩnh vực/Tiêu chí", "Tiêu chí", "Nội dung đánh giá"],
    "maximum": ["Điểm tối đa", "Điểm chuẩn", "Thang điểm"],
    "self_score": ["Điểm tự đánh giá", "Điểm tự chấm"],
    "appraised": ["Điểm thẩm định", "Điểm đánh giá", "Điểm đạt"],
    "not_applicable": ["Điểm không phát sinh", "Không phát sinh nhiệm vụ"],
    "reason": ["Lý do mất điểm", "Lý do", "Ghi chú", "Giải trình"],
}
REQUIRED = ("code", "title", "maximum")

_RULES: list[tuple[str, re.Pattern]] = [
    ("code", re.compile(r"^(s?tt|so tt|so thu tu)$")),
    ("not_applicable", re.compile(r"khong phat sinh|^kps$")),
    ("self_score", re.compile(r"tu danh gia|tu cham|tu cho diem")),
    ("appraised", re.compile(r"tham dinh|^diem (dat|danh gia)\b|^ket qua (cham|danh gia)|^diem$")),
    ("maximum", re.compile(r"toi da|diem chuan|thang diem|^diem chuan")),
    ("reason", re.compile(r"^(ly do|ghi chu|giai trinh|nguyen nhan)")),
    ("title", re.compile(r"\b(linh vuc|tieu chi|noi dung)\b")),
]


@functools.lru_cache(maxsize=16384)  # header scans meet the same texts again and again
def classify_score_header(text: str) -> str | None:
    folded = tx.fold(text)
    for name, rule in _RULES:
        if rule.search(folded):
            return name
    return None


def accept_score_header(columns: dict[str, int]) -> bool:
    return (all(name in columns for name in REQUIRED) and bool({"self_score", "appraised"} & columns.keys())
            and "lead" not in columns)


def find_score_header(sheet: Sheet, scan_rows: int = 40) -> Header | None:
    return find_header(sheet, scan_rows, classify=classify_score_header, accept=accept_score_header)


_TOTAL_IN_TITLE = re.compile(
    r"tổng\s+(?:số\s+)?điểm([^:0-9;]*):?\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*(?:/\s*(\d+(?:[.,]\d+)?))?",
    re.IGNORECASE)
_PERCENT = re.compile(r"(?:đạt|tỷ lệ|tỉ lệ)[^0-9%]{0,20}(\d+(?:[.,]\d+)?)\s*%", re.IGNORECASE)
_RANK = re.compile(r"(xếp (?:thứ|hạng)\s*\d+\s*/\s*\d+[^;.()\-–]*)", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_NA_MARKS = {"x", "kps", "khong phat sinh", "co", "k", "kpsnv"}


def _typed(what: str, text: str, cell: str, row: int) -> TypedTotal:
    return TypedTotal(what, float(text.replace(",", ".")), text, cell, row, text_decimals(text))


def _title_block(sheet: Sheet, header: Header, card: ScoreCard) -> None:
    titles = []
    for row, col, text in title_cells(sheet, header):
        ref = f"{column_letter(col)}{row}"
        if is_illustrative_mark(text):
            card.illustrative = True
            continue
        totals = list(_TOTAL_IN_TITLE.finditer(text))
        for total in totals:  # "Tổng điểm tự đánh giá: 80,5; tổng điểm thẩm định: 77,58/96"
            words = tx.fold(total.group(1))
            what = ("score-self" if re.search(r"tu (danh gia|cham)", words)
                    else "maximum" if "toi da" in words else "score")
            card.typed_totals.append(_typed(what, total.group(2), ref, row))
            if total.group(3):
                card.typed_totals.append(_typed("maximum", total.group(3), ref, row))
        percent = _PERCENT.search(text)
        if percent:
            card.typed_totals.append(_typed("percentage", percent.group(1), ref, row))
        rank = _RANK.search(text)
        if rank and not card.rank:
            card.rank = " ".join(rank.group(1).split()).rstrip(" ,")
        if not totals and not percent:
            titles.append(text)
    card.title = " ".join(titles)
    for candidate in (card.title, card.sheet, card.file):
        years = _YEAR.findall(candidate)
        if years:
            card.year = int(years[-1]) if candidate is card.file else int(years[0])
            break
    m = re.search(r"[-–]\s*((?:huyện|thị xã|thành phố|xã|phường|thị trấn|sở|ban)\s.+)$", card.title, re.IGNORECASE)
    if m:
        card.subject = m.group(1).strip()


def read_score_sheet(grid: Grid, file: str, sheet: Sheet | None = None,
                     header: Header | None = None) -> tuple[ScoreCard | None, list[Finding]]:
    """One score sheet; (None, []) when it has no score header."""
    sheet = sheet or Sheet(grid)
    header = header or find_score_header(sheet)
    if header is None:
        return None, []
    cols = header.columns
    card = ScoreCard(file=file, sheet=grid.name, header_row=header.row,
                     columns={name: column_letter(col) for name, col in cols.items()})
    findings: list[Finding] = []
    _title_block(sheet, header, card)

    def number(row: int, name: str):
        col = cols.get(name)
        if col is None:
            return None, ""
        ref = f"{column_letter(col)}{row}"
        value = sheet.cell(row, col, fill_vertical=False)
        try:
            return tx.parse_number(value), ref
        except tx.NumberError as exc:
            findings.append(bad_number(file, grid.name, ref, row, value, SCORE_FIELDS[name], str(exc)))
            return None, ref

    stack: list[tuple[int, ScoreItem]] = []
    seen: dict[str, int] = {}
    after_total = False
    code_col = cols["code"]
    for row in sheet.order:
        if row < header.data_start:
            continue
        code_value = sheet.raw(row, code_col)
        fmt = grid.number_format(f"{column_letter(code_col)}{row}") if isinstance(code_value, (int, float)) else "General"
        code = code_from_cell(code_value, fmt)
        title = sheet.text(row, cols["title"], fill_vertical=False)
        values = {name: number(row, name) for name in ("maximum", "self_score", "appraised")}
        na_value = sheet.cell(row, cols["not_applicable"], fill_vertical=False) if "not_applicable" in cols else None
        reason = sheet.text(row, cols["reason"], fill_vertical=False) if "reason" in cols else ""
        extra = {head: t for c, head in header.extras.items() if (t := sheet.text(row, c, fill_vertical=False))}
        if code.kind == "none" and not title and all(v is None for v, _ in values.values()) and not reason and not extra:
            continue
        if after_total and code.kind == "none":
            # under the total: notes and signatures, kept verbatim, never criteria
            card.notes.append(" ".join(t for c in range(1, len(sheet.rows[row]) + 1)
                                       if (t := sheet.text(row, c, fill_vertical=False, fill_horizontal=False))))
            continue
        if code.kind == "none" and tx.fold(title).startswith(("tong", "cong")):
            after_total = True
            for name, what in (("maximum", "maximum"), ("self_score", "score-self"), ("appraised", "score")):
                value, ref = values[name]
                if value is not None:
                    raw = sheet.raw(row, cols[name])
                    if isinstance(raw, (int, float)):  # shown as typed, with a decimal comma
                        decimals = typed_decimals(raw, grid.number_format(ref))
                        text = tx.format_number(value, decimals)
                    else:
                        text = cell_text(raw)
                        decimals = text_decimals(text)
                    card.typed_totals.append(TypedTotal(what, value, text, ref, row, decimals))
            continue
        if code.kind == "invalid":
            findings.append(make("tt-invalid", file=file, sheet=grid.name, cell=f"{column_letter(code_col)}{row}",
                                 row=row, code=code.text))
        item = ScoreItem(code=code.text if code.kind != "invalid" else "", title=title, row=row, reason=reason,
                         extra=extra)
        item.maximum, item.cells["maximum"] = values["maximum"]
        if item.maximum is None and title:
            item.title, item.maximum = tx.parse_points(title)
        item.self_score, item.cells["self_score"] = values["self_score"]
        item.appraised, item.cells["appraised"] = values["appraised"]
        item.cells["code"] = f"{column_letter(code_col)}{row}"
        item.cells["title"] = f"{column_letter(cols['title'])}{row}"
        if "not_applicable" in cols:
            ref = f"{column_letter(cols['not_applicable'])}{row}"
            item.cells["not_applicable"] = ref
            item.not_applicable_typed = na_value not in (None, "")
            if isinstance(na_value, str) and tx.fold(na_value).strip(" .") in _NA_MARKS:
                item.not_applicable = item.maximum or 0.0
            else:
                try:
                    item.not_applicable = tx.parse_number(na_value) or 0.0
                except tx.NumberError as exc:
                    findings.append(bad_number(file, grid.name, ref, row, na_value, SCORE_FIELDS["not_applicable"],
                                               str(exc)))
        if item.code:
            if item.code in seen:
                findings.append(make("tt-duplicate", file=file, sheet=grid.name, cell=item.cells["code"], row=row,
                                     code=item.code, other_row=seen[item.code]))
            seen.setdefault(item.code, row)
        rank = code.rank if code.kind not in ("none", "invalid") else 1000
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            parent = stack[-1][1]
            if item.code and parent.code and code.kind == "criterion" and not item.code.startswith(parent.code + "."):
                findings.append(make("tt-orphan", file=file, sheet=grid.name, cell=item.cells["code"], row=row,
                                     code=item.code, parent=item.code.rsplit(".", 1)[0]))
            parent.children.append(item)
        else:
            if item.code.count(".") and code.kind == "criterion":
                findings.append(make("tt-orphan", file=file, sheet=grid.name, cell=item.cells["code"], row=row,
                                     code=item.code, parent=item.code.rsplit(".", 1)[0]))
            card.items.append(item)
        if rank < 1000:
            stack.append((rank, item))
    for top in card.items:
        _derive_not_applicable(top)
    years = _YEAR_IN_TITLE.findall(card.title)
    if years:
        card.year = int(years[0])  # "… năm 2021" rather than the year of a decision cited before it
    if not card.items:
        findings.append(make("no-data-rows", file=file, sheet=grid.name, cell=f"A{header.row}", row=header.row,
                             kind="bảng điểm Chỉ số CCHC"))
    return card, findings


_YEAR_IN_TITLE = re.compile(r"năm\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def _derive_not_applicable(item: ScoreItem) -> None:
    """An empty N/A cell on a parent takes the sum of its children's."""
    for child in item.children:
        _derive_not_applicable(child)
    if item.children and not item.not_applicable_typed:
        item.not_applicable = round(sum(child.not_applicable for child in item.children), 6)
