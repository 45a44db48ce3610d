"""Reading phụ lục phân công sheets into the typed model.

Header by column names (with the synonyms of real appendices), title block
above it, hierarchy from the TT column, merged cells filled, multi-line cells
split into lists, units matched against the registry, deadlines parsed. Every
non-empty data row ends up in the model: as a Section of the criteria tree, a
Task, or both (a criterion that also has a lead unit). Problems met while
reading become findings; checks that only need the model live in validate.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import text as tx
from .deadlines import parse_deadlines
from .findings import Finding, make
from .model import Plan, PlanMeta, Product, Section, Task
from .units import UnitRegistry
from .workbook import Grid, WorkbookError, column_letter, load_grids

log = logging.getLogger(__name__)

# --- header recognition ---------------------------------------------------------

#: Canonical fields of the appendix, with the Vietnamese name shown in messages.
FIELD_LABELS = {
    "code": "TT",
    "title": "Lĩnh vực/Tiêu chí/Tiêu chí thành phần (Nhiệm vụ)",
    "products": "Sản phẩm đầu ra",
    "lead": "Cơ quan chủ trì",
    "support": "Cơ quan phối hợp",
    "deadline": "Thời gian hoàn thành",
    "status": "Tiến độ / Trạng thái",
}
#: Synonyms accepted for each field, shown in the missing-column hint.
FIELD_SYNONYMS = {
    "code": ["TT", "STT", "Số TT"],
    "title": ["Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Nhiệm vụ", "Nội dung", "Tên nhiệm vụ"],
    "products": ["Sản phẩm đầu ra", "Kết quả", "Kết quả dự kiến", "Sản phẩm dự kiến"],
    "lead": ["Cơ quan chủ trì", "Đơn vị chủ trì", "Cơ quan/Đơn vị chủ trì", "Đơn vị thực hiện"],
    "support": ["Cơ quan phối hợp", "Đơn vị phối hợp", "Cơ quan/Đơn vị phối hợp"],
    "deadline": ["Thời gian hoàn thành", "Thời hạn", "Thời gian thực hiện", "Thời hạn hoàn thành"],
}
REQUIRED = ("code", "title", "lead", "deadline")
RECOMMENDED = ("products", "support")

# Ordered rules on the folded header text: the first that matches wins. Extra
# columns that contain a field's keyword ("Văn bản giao nhiệm vụ") come first.
_EXTRA_FIRST = ("van ban giao", "ghi chu", "kinh phi", "nguon kinh phi", "can cu", "ket qua thuc hien")
_HEADER_RULES: list[tuple[str, re.Pattern]] = [
    ("code", re.compile(r"^(s?tt|so tt|so thu tu|thu tu)$")),
    ("status", re.compile(r"^(tien do|trang thai|tinh trang|muc do hoan thanh)\b")),
    ("lead", re.compile(r"\bchu tri\b|^(co quan|don vi|bo phan) thuc hien$|^(co quan|don vi) (co quan |don vi )?thuc hien$")),
    ("support", re.compile(r"\bphoi hop\b")),
    ("deadline", re.compile(r"^(thoi gian|thoi han|han hoan thanh|moc thoi gian)")),
    ("products", re.compile(r"\bsan pham\b|^ket qua\b")),
    ("title", re.compile(r"\b(linh vuc|tieu chi|nhiem vu|noi dung)\b")),
]


@functools.lru_cache(maxsize=16384)  # header scans meet the same texts again and again
def classify_header(text: str) -> str | None:
    """Which field a header cell names, or None for an extra column."""
    folded = tx.fold(text)
    if not folded:
        return None
    if folded.startswith(_EXTRA_FIRST):
        return None
    for name, rule in _HEADER_RULES:
        if rule.search(folded):
            return name
    return None


@dataclass(slots=True)
class Header:
    row: int  # the (last) header row
    first_row: int  # first header row (two-row headers)
    data_start: int  # first row after the header (and the "(1) (2)" row)
    columns: dict[str, int]  # field -> 1-based column
    texts: dict[int, str]  # column -> header text
    extras: dict[int, str]  # column -> header text of columns kept as "extra"


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return tx.normalize(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime):
        if value.hour or value.minute:
            return value.strftime("%d/%m/%Y %H:%M")
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return tx.normalize(str(value))


def bad_number(file: str, sheet: str, cell: str, row: int, value, column: str, reason: str) -> Finding:
    """The finding for a cell of a number column that holds something else."""
    return make("number-invalid", file=file, sheet=sheet, cell=cell, row=row, text=cell_text(value),
                column=column, reason=reason)


class Sheet:
    """Random access to a grid's cells with merged ranges resolved."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self._header_texts: dict[tuple[int, int, int], dict[int, str]] = {}
        self.rows: dict[int, list] = dict(grid.rows)
        self.order = [r for r, _ in grid.rows]
        # merged areas: (row, col) of a non-anchor cell -> anchor (row, col)
        self.merged_from: dict[tuple[int, int], tuple[int, int]] = {}
        self.row_spans: dict[int, tuple[int, int]] = {}  # row -> widest horizontal merge on it
        for c1, r1, c2, r2 in grid.merges:
            if (c2 - c1 + 1) * (r2 - r1 + 1) > 200_000:
                continue  # a whole-column merge: nothing useful to fill
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.merged_from[(r, c)] = (r1, c1)
            if c2 > c1:
                for r in range(r1, r2 + 1):
                    old = self.row_spans.get(r)
                    if old is None or (c2 - c1) > (old[1] - old[0]):
                        self.row_spans[r] = (c1, c2)

    def raw(self, row: int, col: int):
        cells = self.rows.get(row)
        if cells is None or col > len(cells):
            return None
        return cells[col - 1]

    def cell(self, row: int, col: int, *, fill_horizontal: bool = False, fill_vertical: bool = True):
        """The cell, or the anchor of the merge it belongs to."""
        cell = self.raw(row, col)
        if cell is not None:
            return cell
        anchor = self.merged_from.get((row, col))
        if anchor is None:
            return None
        ar, ac = anchor
        if ac != col and not fill_horizontal:
            return None
        if ar != row and not fill_vertical:
            return None
        return self.raw(ar, ac)

    def text(self, row: int, col: int, **kw) -> str:
        return cell_text(self.cell(row, col, **kw))

    def header_texts(self, first: int, last: int, width: int) -> dict[int, str]:
        """Column -> the text of rows first..last in it, as a header would read
        (merged cells filled): the same for every kind of header looked for."""
        key = (first, last, width)
        texts = self._header_texts.get(key)
        if texts is None:
            texts = {}
            for col in range(1, width + 1):
                parts: list[str] = []
                for r in range(first, last + 1):
                    t = self.text(r, col, fill_horizontal=True)
                    if t and t not in parts:
                        parts.append(t)
                if parts:
                    texts[col] = " ".join(" ".join(parts).split())
            self._header_texts[key] = texts
        return dict(texts)


_COLNUM = re.compile(r"^\(?\s*(\d{1,2}|[ivx]{1,4})\s*\)?$", re.IGNORECASE)


def _is_column_number_row(sheet: Sheet, row: int) -> bool:
    cells = [c for c in sheet.rows.get(row, []) if c is not None]
    if len(cells) < 3:
        return False
    return all(_COLNUM.match(cell_text(c)) for c in cells)


def _plan_header(columns: dict[str, int]) -> bool:
    return "code" in columns and "title" in columns and bool({"lead", "deadline", "products"} & columns.keys())


def find_header(sheet: Sheet, scan_rows: int = 40, *, classify=None, accept=None) -> Header | None:
    """The first row (or pair of rows) whose cells name the columns ``accept``
    asks for (by default the appendix's: code, title and at least one of
    lead / deadline / products). ``classify`` maps a header text to a field."""
    classify = classify or classify_header
    accept = accept or _plan_header
    candidates = [r for r in sheet.order[:scan_rows]]
    best: Header | None = None
    for index, row in enumerate(candidates):
        width = len(sheet.rows.get(row, []))
        next_row = candidates[index + 1] if index + 1 < len(candidates) else None
        options = [(row, row)]
        if next_row is not None and next_row == row + 1:
            options.append((row, next_row))
        for first, last in options:
            texts = sheet.header_texts(first, last, max(width, len(sheet.rows.get(last, []))))
            columns: dict[str, int] = {}
            for col, t in texts.items():
                name = classify(t)
                if name and name not in columns:
                    columns[name] = col
            if accept(columns):
                header = Header(row=last, first_row=first, data_start=last + 1, columns=columns, texts=texts,
                                extras={c: t for c, t in texts.items() if c not in columns.values()})
                if best is None or len(columns) > len(best.columns):
                    best = header
        if best is not None and best.first_row == row:
            break
    if best is None:
        return None
    nxt = best.row + 1
    while nxt in sheet.rows and _is_column_number_row(sheet, nxt):
        nxt += 1
    best.data_start = nxt
    return best


# --- title block ------------------------------------------------------------------

_ISSUER = re.compile(r"^(UBND|ỦY BAN|UỶ BAN|SỞ|BAN|PHÒNG|HĐND|HỘI ĐỒNG|VĂN PHÒNG|TRUNG TÂM|BỘ|TỈNH|HUYỆN|XÃ|THỊ)\b")
_NATIONAL = re.compile(r"CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐỘC LẬP|^-{2,}|^_{2,}", re.IGNORECASE)
_DOCNO = re.compile(r"\bSố\s*:?\s*([0-9]*\s*/\s*[0-9]{0,4}\s*/?\s*[A-ZĐ][A-ZĐa-z\-]*)")
_DOCNO_IN = re.compile(r"\b(?:Kế hoạch|Quyết định|Công văn|Văn bản)\s+số\s*:?\s*([0-9]*\s*/\s*[0-9]{0,4}\s*/?\s*[A-ZĐ][A-ZĐ\-]*)", re.IGNORECASE)
_ATTACHED = re.compile(r"^\(?\s*(Ban hành )?kèm theo", re.IGNORECASE)
_PLACE_DATE = re.compile(r",?\s*ngày\s.*tháng.*năm", re.IGNORECASE)
_HEADING_ONLY = re.compile(r"^(DỰ THẢO\s+)?(PHỤ LỤC|BIỂU|MẪU)(\s+[0-9IVX]+[a-z]?)?\s*:?$", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"(?:giai đoạn|năm)\s+((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})", re.IGNORECASE)
_YEAR = re.compile(r"năm\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def title_cells(sheet: Sheet, header: Header):
    """(row, column, text) of every non-empty cell above the header, a merged
    area once: the title block of any kind of sheet."""
    for row in sheet.order:
        if row >= header.first_row:
            break
        for col in range(1, len(sheet.rows[row]) + 1):
            text = sheet.text(row, col, fill_vertical=False)
            if text:
                yield row, col, text


def is_illustrative_mark(text: str) -> bool:
    """A title-block line that marks the whole sheet as not real figures:
    “DỮ LIỆU MINH HỌA – …” (written by `cchc demo-data`, or by hand)."""
    return tx.fold(text).startswith("du lieu minh hoa")


def read_title_block(sheet: Sheet, header: Header) -> PlanMeta:
    meta = PlanMeta()
    meta.lines.extend(text for _, _, text in title_cells(sheet, header))
    titles: list[str] = []
    headings: list[str] = []
    for line in meta.lines:
        flat = " ".join(line.split())
        if is_illustrative_mark(flat):
            meta.illustrative = True
            continue
        if _NATIONAL.search(flat):
            continue
        if _ATTACHED.match(flat):
            meta.attached_to = flat
            continue
        m = _DOCNO.search(flat)
        if m and not meta.document_number:
            meta.document_number = "Số " + re.sub(r"\s+", "", m.group(1))
            if flat.lower().startswith("số"):
                continue
        if _PLACE_DATE.search(flat) and len(flat) < 80 and "," in flat:
            continue
        if not meta.issuer and flat.isupper() and _ISSUER.match(flat):
            meta.issuer = flat
            continue
        if _HEADING_ONLY.match(flat):
            headings.append(flat)
            continue
        titles.append(flat)
    meta.title = " ".join(titles) if titles else " ".join(headings)
    if not meta.document_number and meta.attached_to:
        m = _DOCNO_IN.search(meta.attached_to)
        if m:
            meta.document_number = "Số " + re.sub(r"\s+", "", m.group(1))
    for source in (meta.title, meta.attached_to, " ".join(meta.lines)):
        if not source:
            continue
        m = _YEAR_RANGE.search(source)
        if m:
            meta.year, meta.year_end = int(m.group(1)), int(m.group(2))
            break
        m = _YEAR.search(source)
        if m:
            meta.year = int(m.group(1))
            break
    return meta


# --- TT codes ---------------------------------------------------------------------

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_GROUP = re.compile(r"^(NHÓM|PHẦN|NHOM|PHAN|CHƯƠNG|MỤC)\s+([0-9IVXA-Z]+)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_DOTTED = re.compile(r"^\d{1,5}(\.\d{1,4})*$")
_ROMAN_DOTTED = re.compile(r"^([IVX]+)\.(\d{1,3}(?:\.\d{1,3})*)$")
_LOWER = re.compile(r"^[a-zđ]$")
_BULLETS = {"-", "+", "*", "•", "–", "—", "o", "·"}
_FMT_DECIMALS = re.compile(r"^0\.(0+)$")


@dataclass(slots=True)
class Code:
    text: str  # normalised code ("1.1.1", "III", "NHÓM 1", "a", "")
    rank: int  # depth in the hierarchy: smaller is higher
    kind: str  # "group" | "part" | "criterion" | "item" | "none" | "invalid"
    numeric: bool = False  # typed as a number in Excel
    group_title: str = ""


def _is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN.match(token))


def code_from_cell(value, number_format: str = "General") -> Code:
    """Interpret the TT cell: number formats keep "1.10" typed as a number."""
    if value is None:
        return Code("", 99, "none")
    if isinstance(value, bool):
        return Code(str(value), 99, "invalid")
    if isinstance(value, (int, float)):
        m = _FMT_DECIMALS.match(number_format or "")
        if m:
            text = f"{value:.{len(m.group(1))}f}"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = repr(value) if isinstance(value, float) else str(value)
        code = parse_code(text)
        code.numeric = True
        return code
    if isinstance(value, (dt.datetime, dt.date)):
        return Code(f"{value.day}.{value.month}", 99, "invalid", numeric=True)
    return parse_code(cell_text(value))


def parse_code(raw: str) -> Code:
    text = " ".join(raw.split())
    if not text:
        return Code("", 99, "none")
    group = _GROUP.match(text)
    if group:
        word = group.group(1).upper()
        return Code(f"{word} {group.group(2)}", 0, "group", group_title=group.group(3).strip())
    bare = text.rstrip(".):").strip()
    if bare in _BULLETS or text in _BULLETS:
        return Code("", 99, "none")
    if _DOTTED.match(bare):
        return Code(bare, 10 + bare.count("."), "criterion")
    upper = bare.upper()
    if _is_roman(upper) and bare == upper:
        return Code(upper, 2, "part")
    m = _ROMAN_DOTTED.match(bare)
    if m and _is_roman(m.group(1)):
        return Code(bare, 3 + bare.count(".") - 1, "part")
    if len(bare) == 1 and bare.isalpha() and bare.isupper():
        return Code(bare, 1, "part")
    if _LOWER.match(bare):
        return Code(bare, 40, "item")
    return Code(text, 99, "invalid")


# --- rows -------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    number: int
    code: Code
    values: dict[str, str]  # field -> text
    raw_deadline: object
    extras: dict[str, str]
    group_row: bool = False
    section: Section | None = None
    parent: Section | None = None
    has_children: bool = False
    children_rows: list["_Row"] = field(default_factory=list)


@dataclass(slots=True)
class SheetResult:
    plan: Plan | None
    findings: list[Finding]


def read_plan_sheet(grid: Grid, file: str, registry: UnitRegistry, sheet: Sheet | None = None,
                    header: Header | None = None) -> SheetResult:
    """Read one sheet; ``plan`` is None when it has no recognisable header."""
    sheet = sheet or Sheet(grid)
    header = header or find_header(sheet)
    if header is None:
        return SheetResult(None, [])
    findings: list[Finding] = []
    cols = header.columns
    letter = {name: column_letter(col) for name, col in cols.items()}
    for name in REQUIRED + RECOMMENDED:
        if name not in cols:
            findings.append(make(
                "missing-column", file=file, sheet=grid.name, cell=f"A{header.row}", row=header.row,
                severity=None if name in REQUIRED else "warning",
                column=FIELD_LABELS[name], synonyms=", ".join(f"“{s}”" for s in FIELD_SYNONYMS[name]),
            ))
    meta = read_title_block(sheet, header)

    last_col = max(max(header.texts, default=1), max(cols.values()))
    code_col = cols["code"]
    normalised_cells: list[str] = []
    rows: list[_Row] = []
    footer = False
    field_cols = [(name, col) for name, col in cols.items() if name != "code"]
    extra_cols = list(header.extras.items())
    has_merges = bool(sheet.merged_from)
    for number in sheet.order:
        if number < header.data_start:
            continue
        cells = sheet.rows[number]
        if footer:
            meta.lines.extend(t for t in (cell_text(c) for c in cells) if t)
            continue
        span = sheet.row_spans.get(number)
        group_row = bool(span and span[0] <= code_col and span[1] - span[0] + 1 >= min(3, last_col))
        values: dict[str, str] = {}
        raw_deadline = None
        width = len(cells)
        for name, col in field_cols:
            cell = cells[col - 1] if col <= width else None
            if cell is None:
                if not has_merges:
                    continue
                # vertical merges are filled down (a lead unit merged over several
                # rows applies to each); horizontal ones stay in their anchor cell
                cell = sheet.cell(number, col, fill_vertical=not group_row)
                if cell is None:
                    continue
            value = cell
            if isinstance(value, str) and not value.isascii() and not unicodedata.is_normalized("NFC", value):
                normalised_cells.append(f"{column_letter(col)}{number}")
            if name == "deadline":
                raw_deadline = value
            values[name] = cell_text(cell)
        extras = {}
        for col, head in extra_cols:
            t = sheet.text(number, col, fill_vertical=not group_row)
            if t:
                extras[head] = t
        code_cell = cells[code_col - 1] if code_col <= width else None
        if isinstance(code_cell, str) and not unicodedata.is_normalized("NFC", code_cell):
            normalised_cells.append(f"{column_letter(code_col)}{number}")
        if isinstance(code_cell, (int, float)) and not isinstance(code_cell, bool):
            code = code_from_cell(code_cell, grid.number_format(f"{column_letter(code_col)}{number}"))
        else:
            code = code_from_cell(code_cell)
        if code.kind == "none" and group_row and not values.get("title"):
            # a merged-across row with its text somewhere else than the TT cell
            anchor = sheet.cell(number, span[0], fill_horizontal=True)
            code = parse_code(cell_text(anchor)) if anchor else code
            if code.kind != "group":
                values["title"] = cell_text(anchor)
                code = Code("", 0, "group")
        if code.kind == "none" and not any(values.values()) and not extras:
            continue
        first_text = values.get("title") or next((v for v in values.values() if v), "")
        if code.kind == "none" and first_text.lower().startswith(("nơi nhận", "tm. ", "tm.ủy", "kt. ")):
            footer = True
            meta.lines.extend(t for t in (cell_text(c) for c in cells) if t)
            continue
        if code.kind == "invalid":
            findings.append(make("tt-invalid", file=file, sheet=grid.name, cell=f"{letter['code']}{number}",
                                 row=number, code=code.text))
        rows.append(_Row(number, code, values, raw_deadline, extras, group_row=group_row or code.kind == "group"))

    if normalised_cells:
        more = f" và {len(normalised_cells) - 1} ô khác" if len(normalised_cells) > 1 else ""
        findings.append(make("text-normalised", file=file, sheet=grid.name, cell=normalised_cells[0],
                             row=int(re.sub(r"^[A-Z]+", "", normalised_cells[0])),
                             what=f"chữ tiếng Việt dạng tổ hợp (NFD){more}"))
    for ref, formula in grid.formulas_without_value.items():
        row_number = int(re.sub(r"^[A-Z]+", "", ref))
        findings.append(make("formula-without-value", file=file, sheet=grid.name, cell=ref, row=row_number,
                             formula=formula))

    if meta.year is None:
        years = Counter(int(y) for r in rows for y in _ANY_YEAR.findall(r.values.get("deadline", "")))
        if years:
            meta.year = years.most_common(1)[0][0]
    plan = Plan(
        file=file, sheet=grid.name, meta=meta, header_row=header.row, first_data_row=header.data_start,
        columns=letter, headers={column_letter(c): t for c, t in header.texts.items()},
    )
    if not meta.title:
        meta.title = grid.name
    _build_tree(plan, rows, registry)
    return SheetResult(plan, findings)


def _build_tree(plan: Plan, rows: list[_Row], registry: UnitRegistry) -> None:
    """Turn rows into the criteria tree and the task list (stack on TT rank)."""
    stack: list[tuple[int, Section, _Row]] = []
    root_items: list[_Row] = []
    for row in rows:
        code = row.code
        if code.kind in ("none", "invalid") and not row.group_row:
            # an un-numbered sub-item of the nearest numbered row above
            parent_row = stack[-1][2] if stack else None
            row.parent = stack[-1][1] if stack else None
            if parent_row is not None:
                parent_row.has_children = True
                parent_row.children_rows.append(row)
            else:
                root_items.append(row)
            continue
        rank = code.rank if not row.group_row else min(code.rank, 0)
        title_text = row.values.get("title", "")
        if row.group_row and code.group_title and not title_text:
            title_text = code.group_title
        title, points = tx.parse_points(title_text)
        kind = "group" if row.group_row else code.kind
        if kind in ("item",):
            kind = "criterion"
        notes = {FIELD_LABELS[k]: v for k, v in row.values.items() if k != "title" and v}
        notes.update(row.extras)
        section = Section(code=code.text, title=title, row=row.number, kind=kind, points=points,
                          notes=notes, numeric_code=code.numeric)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            stack[-1][1].children.append(section)
            stack[-1][2].has_children = True
        else:
            plan.sections.append(section)
        row.section = section
        row.parent = stack[-1][1] if stack else None
        stack.append((rank, section, row))

    # Tasks, in sheet order.
    sub_counter: Counter = Counter()
    for row in rows:
        section = row.section
        if section is not None:
            is_task = (not row.has_children and section.kind == "criterion") or bool(
                row.values.get("lead") or (not row.has_children and any(
                    row.values.get(k) for k in ("products", "support", "deadline"))))
            if not is_task:
                continue
            section.notes = dict(row.extras)
            task_id = section.code or f"dong-{row.number}"
            task = _make_task(plan, row, task_id, section.code, section.code, registry,
                              title_points=(section.title, section.points))
            section.task_ids.append(task.id)
        else:
            parent = row.parent
            parent_code = parent.code if parent is not None else ""
            if parent_code:
                sub_counter[parent_code] += 1
                task_id = f"{parent_code}-{sub_counter[parent_code]}"
            else:
                task_id = f"dong-{row.number}"
            task = _make_task(plan, row, task_id, "", parent_code or None, registry)
            if parent is not None:
                parent.task_ids.append(task.id)
        plan.tasks.append(task)


@functools.lru_cache(maxsize=8192)
def _products(text: str) -> tuple[Product, ...]:
    """Products of a cell; cached because real sheets repeat the same texts."""
    return tuple(Product(item, (tx.product_tags(item) or [None])[0]) for item in tx.split_items(text))


def _make_task(plan: Plan, row: _Row, task_id: str, code: str, criterion: str | None,
               registry: UnitRegistry, title_points: tuple[str, float | None] | None = None) -> Task:
    values = row.values
    title, points = title_points or tx.parse_points(values.get("title", ""))
    products_text = values.get("products", "")
    products = list(_products(products_text)) if products_text else []
    lead_text = values.get("lead", "")
    support_text = values.get("support", "")
    deadline_value = row.raw_deadline
    if isinstance(deadline_value, str):
        deadline_value = values.get("deadline", "")
    deadlines = parse_deadlines(deadline_value, plan_year=plan.meta.year) if deadline_value not in (None, "") else []
    extra = dict(row.extras)
    status = values.get("status", "")
    if status:
        status_header = plan.headers.get(plan.columns.get("status", ""), "Tiến độ")
        extra[status_header] = status
    return Task(
        id=task_id, code=code, row=row.number, title=title, criterion=criterion, points=points,
        products=products, lead=registry.match(lead_text) if lead_text else [],
        support=registry.match(support_text) if support_text else [],
        deadlines=deadlines, lead_text=lead_text, support_text=support_text,
        deadline_text=values.get("deadline", ""), products_text=products_text, extra=extra,
        status_text=status,
    )


# --- workbooks --------------------------------------------------------------------


#: The guide and list sheets of `cchc template` workbooks: skipped without a word.
TEMPLATE_SHEETS = {"huong dan", "danh muc"}

#: The kinds of sheet, with the Vietnamese name shown to people.
KIND_LABELS = {"plan": "bảng phân công", "scores": "bảng điểm Chỉ số CCHC", "tthc": "bảng tiến độ giải quyết TTHC",
               "inspection": "kế hoạch kiểm tra CCHC", "remediation": "bảng theo dõi khắc phục sau kiểm tra"}


@dataclass(slots=True)
class WorkbookResult:
    file: str  # the name shown to people (relative to the content folder or the working folder)
    plans: list[Plan]
    findings: list[Finding]
    sheets: list[str] = field(default_factory=list)
    readable: bool = True
    path: Path | None = None  # where it was read from
    scores: list = field(default_factory=list)  # ScoreCards
    tthc: list = field(default_factory=list)  # TthcReports
    inspections: list = field(default_factory=list)  # InspectionPlans (Kế hoạch kiểm tra + Khắc phục)
    kinds: dict[str, str] = field(default_factory=dict)  # sheet -> "plan" | "scores" | "tthc"
    summary: dict = field(default_factory=dict)  # what the report says of the file (commands.check_workbook)


def detect_kind(sheet: Sheet) -> tuple[str, Header] | None:
    """Which kind of sheet this is, told from its header alone: the kind
    whose header names the most of its columns."""
    from .inspection_reader import find_inspection_header, find_remediation_header
    from .score_reader import find_score_header
    from .tthc_reader import find_tthc_header

    found: list[tuple[str, Header]] = []
    scan = 40
    for kind, finder in (("plan", find_header), ("scores", find_score_header), ("tthc", find_tthc_header),
                         ("inspection", find_inspection_header), ("remediation", find_remediation_header)):
        header = finder(sheet, scan_rows=scan)
        if header is not None:
            found.append((kind, header))
            # a header of another kind further down cannot come first: look no further than this one
            scan = min(scan, sheet.order.index(header.first_row) + 2)
    if not found:
        return None
    return max(found, key=lambda item: (len(item[1].columns), -item[1].row))


def expected_headers() -> str:
    from .score_reader import SCORE_SYNONYMS
    from .tthc_reader import TTHC_EXPECTED

    plan = ", ".join(FIELD_SYNONYMS[f][0] for f in REQUIRED + RECOMMENDED)
    scores = ", ".join(SCORE_SYNONYMS[f][0] for f in ("code", "title", "maximum", "self_score", "appraised",
                                                      "not_applicable", "reason"))
    from .inspection_reader import INSPECTION_EXPECTED, REMEDIATION_EXPECTED

    return (f"{KIND_LABELS['plan']}: {plan}; {KIND_LABELS['scores']}: {scores}; "
            f"{KIND_LABELS['tthc']}: {TTHC_EXPECTED}; {KIND_LABELS['inspection']}: {INSPECTION_EXPECTED}; "
            f"{KIND_LABELS['remediation']}: {REMEDIATION_EXPECTED}")


def _read_inspections(result: WorkbookResult, sheets: list, registry: UnitRegistry) -> None:
    """The inspection list, then the remediation sheet (its deadlines count from
    the conclusions of the list), into one InspectionPlan of the workbook."""
    from .inspection_reader import read_inspection_sheet, read_remediation_sheet

    plan = None
    for kind, grid, sheet, header in sorted(sheets, key=lambda item: item[0] != "inspection"):
        reader = read_inspection_sheet if kind == "inspection" else read_remediation_sheet
        plan, findings = reader(grid, result.file, registry, sheet, header, plan)
        result.findings.extend(findings)
        if plan is not None:
            plan.illustrative[kind] = any(is_illustrative_mark(text) for _, _, text in title_cells(sheet, header))
    if plan is not None:
        from .inspection import resolve_remediations

        resolve_remediations(plan)
        result.inspections.append(plan)


def read_workbook(path: Path, registry: UnitRegistry, display: str | None = None) -> WorkbookResult:
    """Read every sheet with a recognisable header, whatever its kind (plan
    appendix, CCHC scores, TTHC progress). Never raises for bad input: an
    unreadable file gives a result with one error finding and nothing read."""
    from .score_reader import read_score_sheet
    from .tthc_reader import read_tthc_sheet

    display = display or path.name
    try:
        grids = load_grids(path, display)
    except WorkbookError as exc:
        return WorkbookResult(display, [], [exc.finding], readable=False, path=path)
    result = WorkbookResult(display, [], [], [g.name for g in grids], path=path)
    skipped: list[Finding] = []
    inspection_sheets: list[tuple[str, Grid, Sheet, Header]] = []
    for grid in grids:
        sheet = Sheet(grid)
        detected = detect_kind(sheet)
        if detected is None:
            if grid.rows and tx.fold(grid.name) not in TEMPLATE_SHEETS:
                skipped.append(make("sheet-skipped", file=display, sheet=grid.name))
            continue
        kind, header = detected
        result.kinds[grid.name] = kind
        if kind == "plan":
            sheet_result = read_plan_sheet(grid, display, registry, sheet, header)
            result.plans.append(sheet_result.plan)
            result.findings.extend(sheet_result.findings)
        elif kind == "scores":
            card, findings = read_score_sheet(grid, display, sheet, header)
            if card.items:
                result.scores.append(card)
            result.findings.extend(findings)
        elif kind == "tthc":
            report, findings = read_tthc_sheet(grid, display, sheet, header)
            if report.rows:
                result.tthc.append(report)
            result.findings.extend(findings)
        else:
            inspection_sheets.append((kind, grid, sheet, header))
    if inspection_sheets:
        _read_inspections(result, inspection_sheets, registry)
    if not result.kinds:
        if not any(g.rows for g in grids):
            result.findings = [make("file-empty", file=display)]
            return result
        result.findings.append(make("missing-header", file=display, expected=expected_headers()))
    result.findings = skipped + result.findings
    return result
