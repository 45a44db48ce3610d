"""Reading inspection workbooks (kế hoạch kiểm tra CCHC và theo dõi khắc phục).

Same principles as the other readers: the header is found by its column
names (synonyms accepted, columns in any order, a two-row header such as
"Thông báo kết luận" over "Số" / "Ngày" understood), the title block above it
gives the title and the year, merged cells are filled down (a "Đợt" merged
over the rows of its round), text is NFC, units are matched against the
registry and an unknown name is reported as the plan reader reports it
(``unknown-unit``). Dates are real Excel dates or text (dd/mm/yyyy).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from . import text as tx
from .findings import Finding, make
from .inspection import (
    Inspection, InspectionPlan, Remediation, parse_criteria, parse_period, parse_status, resolve_remediations,
    to_date,
)
from .inspection_checks import make_finding
from .reader import Header, Sheet, cell_text, find_header, is_illustrative_mark, title_cells
from .units import UnitRegistry
from .workbook import Grid, WorkbookError, column_letter, load_grids

#: Vietnamese column names, shown in messages.
INSPECTION_LABELS = {
    "code": "TT",
    "unit": "Đơn vị được kiểm tra",
    "round": "Đợt",
    "form": "Hình thức",
    "time": "Thời gian kiểm tra",
    "conclusion_date": "Ngày thông báo kết luận",
    "notice_number": "Số thông báo",
}
REMEDIATION_LABELS = {
    "code": "TT",
    "unit": "Đơn vị",
    "round": "Đợt",
    "issue": "Tồn tại, hạn chế",
    "task": "Nhiệm vụ khắc phục",
    "criteria": "Tiêu chí liên quan",
    "deadline": "Hạn khắc phục",
    "status": "Tình trạng",
    "evidence": "Minh chứng",
}
#: Synonyms accepted for each column (for the missing-column hint and the guide).
INSPECTION_SYNONYMS = {
    "unit": ["Đơn vị được kiểm tra", "Cơ quan, đơn vị được kiểm tra", "Đơn vị", "Tên đơn vị", "Địa phương"],
    "round": ["Đợt", "Đợt kiểm tra", "Lần kiểm tra"],
    "form": ["Hình thức", "Hình thức kiểm tra", "Phương thức"],
    "time": ["Thời gian kiểm tra", "Thời gian", "Ngày kiểm tra", "Thời điểm kiểm tra"],
    "conclusion_date": ["Ngày thông báo kết luận", "Ngày kết luận", "Thông báo kết luận › Ngày"],
    "notice_number": ["Số thông báo", "Số thông báo kết luận", "Thông báo kết luận › Số"],
}
REMEDIATION_SYNONYMS = {
    "unit": ["Đơn vị", "Đơn vị được kiểm tra", "Cơ quan, đơn vị", "Đơn vị thực hiện"],
    "issue": ["Tồn tại, hạn chế", "Tồn tại", "Hạn chế", "Nội dung tồn tại"],
    "task": ["Nhiệm vụ khắc phục", "Biện pháp khắc phục", "Nội dung khắc phục", "Giải pháp khắc phục"],
    "criteria": ["Tiêu chí liên quan", "Tiêu chí", "Tiêu chí, tiêu chí thành phần"],
    "deadline": ["Hạn khắc phục", "Thời hạn khắc phục", "Thời hạn", "Thời gian hoàn thành"],
    "status": ["Tình trạng", "Trạng thái", "Kết quả khắc phục", "Tiến độ"],
    "evidence": ["Minh chứng", "Tài liệu kiểm chứng", "Văn bản chứng minh"],
}
INSPECTION_REQUIRED = ("unit", "time", "conclusion_date")
REMEDIATION_REQUIRED = ("unit", "task", "deadline", "status")

#: What the missing-header message lists for these kinds of sheet.
INSPECTION_EXPECTED = ("TT, Đơn vị được kiểm tra, Đợt, Hình thức, Thời gian kiểm tra, "
                       "Ngày thông báo kết luận, Số thông báo")
REMEDIATION_EXPECTED = ("TT, Đơn vị, Tồn tại, hạn chế, Nhiệm vụ khắc phục, Tiêu chí liên quan, "
                        "Hạn khắc phục, Tình trạng, Minh chứng")

_CODE = re.compile(r"^(s?tt|so tt|so thu tu|thu tu)$")
_UNIT = re.compile(r"^(ten )?(co quan|don vi|dia phuong|doi tuong)\b")
_ROUND = re.compile(r"^(dot|lan)( kiem tra)?\b")
_CONCLUSION = re.compile(r"\bket luan\b|\bthong bao\b")
_REMEDIATION_WORDS = re.compile(r"\bton tai\b|\bhan che\b|\bkhac phuc\b|\bminh chung\b|\btinh trang\b")


@functools.lru_cache(maxsize=4096)
def classify_inspection_header(text: str) -> str | None:
    """The field of a header cell of the "Kế hoạch kiểm tra" sheet; "_remediation"
    for a column that only a "Khắc phục" sheet has."""
    f = tx.fold(text)
    if not f:
        return None
    if _CODE.match(f):
        return "code"
    if _REMEDIATION_WORDS.search(f):
        return "_remediation"
    if _CONCLUSION.search(f):
        if re.search(r"\bngay\b|\bthoi gian\b", f):
            return "conclusion_date"
        if re.search(r"\bso\b|\bso hieu\b|\bky hieu\b", f):
            return "notice_number"
        return None
    if _ROUND.match(f):
        return "round"
    if f.startswith(("hinh thuc", "phuong thuc")):
        return "form"
    if f.startswith(("thoi gian", "ngay kiem tra", "thoi diem", "lich kiem tra")):
        return "time"
    if _UNIT.match(f) and "chu tri" not in f and "phoi hop" not in f:
        return "unit"
    return None


def accept_inspection_header(columns: dict[str, int]) -> bool:
    return ("unit" in columns and "_remediation" not in columns
            and ("time" in columns or "conclusion_date" in columns or "round" in columns))


@functools.lru_cache(maxsize=4096)
def classify_remediation_header(text: str) -> str | None:
    """The field of a header cell of the "Khắc phục" sheet."""
    f = tx.fold(text)
    if not f:
        return None
    if _CODE.match(f):
        return "code"
    if "minh chung" in f or "kiem chung" in f or "chung minh" in f:
        return "evidence"
    if "tieu chi" in f:
        return "criteria"
    if f.startswith(("tinh trang", "trang thai", "tien do", "ket qua khac phuc", "ket qua thuc hien")):
        return "status"
    if re.search(r"^(thoi han|han|thoi gian)\b", f):
        return "deadline"
    if "ton tai" in f or "han che" in f or "thieu sot" in f:
        return "issue"
    if re.search(r"\b(nhiem vu|bien phap|noi dung|giai phap)\b", f) or f.startswith("khac phuc"):
        return "task"
    if _ROUND.match(f):
        return "round"
    if _UNIT.match(f) and "phoi hop" not in f:
        return "unit"
    return None


def accept_remediation_header(columns: dict[str, int]) -> bool:
    return ("unit" in columns and ("issue" in columns or "task" in columns)
            and ("deadline" in columns or "status" in columns))


def find_inspection_header(sheet: Sheet, scan_rows: int = 40) -> Header | None:
    header = find_header(sheet, scan_rows, classify=classify_inspection_header, accept=accept_inspection_header)
    if header is not None:
        header.columns.pop("_remediation", None)
    return header


def find_remediation_header(sheet: Sheet, scan_rows: int = 40) -> Header | None:
    return find_header(sheet, scan_rows, classify=classify_remediation_header, accept=accept_remediation_header)


# --- shared -------------------------------------------------------------------------

_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def _title(sheet: Sheet, header: Header, fallback: str) -> tuple[str, int | None]:
    lines = [t for _, _, t in title_cells(sheet, header) if not is_illustrative_mark(t)]
    title = " ".join(" ".join(line.split()) for line in lines if not line.isupper() or "KIỂM TRA" in line
                     or "KHẮC PHỤC" in line) or " ".join(lines)
    years = [m.group(1) for line in lines for m in [_YEAR.search(line)] if m]
    if not years:
        years = [y for line in lines for y in _ANY_YEAR.findall(line)]
    return title or fallback, int(years[0]) if years else None


def _missing_columns(header: Header, required, labels, synonyms, file: str, sheet: str) -> list[Finding]:
    return [make("missing-column", file=file, sheet=sheet, cell=f"A{header.row}", row=header.row,
                 column=labels[name], synonyms=", ".join(f"“{s}”" for s in synonyms[name]))
            for name in required if name not in header.columns]


def _units(registry: UnitRegistry, text: str, ref: str, row: int, file: str, sheet: str,
           findings: list[Finding]) -> list[str]:
    refs = registry.match(text) if text else []
    for unit in refs:
        if unit.unit_id is None and unit.group is None:
            hint = f" — có phải là “{unit.suggestion}”?" if unit.suggestion else "."
            findings.append(make("unknown-unit", file=file, sheet=sheet, cell=ref, row=row, name=unit.text,
                                 suggestion=hint))
    return registry.expand(refs)


class _Rows:
    """Data rows of a sheet: values by field, vertical merges filled down,
    NFD cells remembered for one text-normalised finding."""

    def __init__(self, sheet: Sheet, header: Header, fill_down: tuple[str, ...]):
        self.sheet, self.header, self.fill_down = sheet, header, fill_down
        self.nfd: list[str] = []

    def __iter__(self):
        cols = self.header.columns
        for number in self.sheet.order:
            if number < self.header.data_start:
                continue
            raw, texts, cells = {}, {}, {}
            for name, col in cols.items():
                ref = f"{column_letter(col)}{number}"
                cells[name] = ref
                value = self.sheet.cell(number, col, fill_vertical=name in self.fill_down)
                if isinstance(value, str) and not value.isascii() and not unicodedata.is_normalized("NFC", value):
                    self.nfd.append(ref)
                raw[name] = value
                texts[name] = cell_text(value)
            heading = _ROUND.match(tx.fold(texts.get("code", "")))
            if not heading and not any(t for name, t in texts.items() if name not in ("code", *self.fill_down)):
                continue
            yield number, raw, texts, cells

    def findings(self, file: str, sheet: str) -> list[Finding]:
        if not self.nfd:
            return []
        more = f" và {len(self.nfd) - 1} ô khác" if len(self.nfd) > 1 else ""
        return [make("text-normalised", file=file, sheet=sheet, cell=self.nfd[0],
                     row=int(re.sub(r"^[A-Z]+", "", self.nfd[0])), what=f"chữ tiếng Việt dạng tổ hợp (NFD){more}")]


def _date_finding(file: str, sheet: str, ref: str, row: int, value, column: str) -> Finding:
    return make_finding("inspection-date-invalid", file=file, sheet=sheet, cell=ref, row=row,
                        text=cell_text(value), column=column)


# --- the inspection list ------------------------------------------------------------


def _begin(plan: InspectionPlan | None, kind: str, sheet: Sheet, header: Header, file: str,
           name: str) -> tuple[InspectionPlan, list[Finding]]:
    """The plan a sheet of ``kind`` ("inspection" / "remediation") is read into,
    with its title, year, columns and header row; the missing-column findings."""
    required, labels, synonyms = ((INSPECTION_REQUIRED, INSPECTION_LABELS, INSPECTION_SYNONYMS) if kind == "inspection"
                                  else (REMEDIATION_REQUIRED, REMEDIATION_LABELS, REMEDIATION_SYNONYMS))
    findings = _missing_columns(header, required, labels, synonyms, file, name)
    title, year = _title(sheet, header, name)
    plan = plan or InspectionPlan(file=file)
    setattr(plan, f"{kind}_sheet", name)
    plan.title = plan.title or title
    plan.year = plan.year or year
    plan.columns[kind] = {k: column_letter(c) for k, c in header.columns.items()}
    plan.header_rows[kind] = header.row
    return plan, findings


def read_inspection_sheet(grid: Grid, file: str, registry: UnitRegistry, sheet: Sheet | None = None,
                          header: Header | None = None, plan: InspectionPlan | None = None
                          ) -> tuple[InspectionPlan | None, list[Finding]]:
    """Read the "Kế hoạch kiểm tra" sheet into ``plan`` (a new one when None).
    (None, []) when the sheet has no inspection header."""
    sheet = sheet or Sheet(grid)
    header = header or find_inspection_header(sheet)
    if header is None:
        return None, []
    name = grid.name
    plan, findings = _begin(plan, "inspection", sheet, header, file, name)
    rows = _Rows(sheet, header, fill_down=("round", "form", "time", "conclusion_date", "notice_number"))
    last_round = ""
    for number, raw, texts, cells in rows:
        unit_text = texts.get("unit", "")
        if not unit_text:
            heading = next((t for t in (texts.get("code", ""), texts.get("round", "")) if _ROUND.match(tx.fold(t))), "")
            if heading:  # a round heading over its units ("ĐỢT 1: Tháng 8/2020")
                last_round = heading.split(":")[0].strip()
            continue
        if tx.fold(unit_text).startswith(("tong cong", "tong so", "cong")):
            continue
        round_text = texts.get("round", "") or last_round
        last_round = round_text
        item = Inspection(row=number, unit_text=unit_text, round=round_text, form=texts.get("form", ""),
                          time_text=texts.get("time", ""), notice_number=texts.get("notice_number", ""),
                          code=texts.get("code", ""), cells=cells,
                          extra={head: t for col, head in header.extras.items()
                                 if (t := sheet.text(number, col, fill_vertical=False))})
        item.unit_ids = _units(registry, unit_text, cells["unit"], number, file, name, findings)
        if "time" in raw and raw["time"] not in (None, ""):
            item.start, item.end, item.exact = parse_period(raw["time"], plan.year)
            if item.start is None:
                findings.append(_date_finding(file, name, cells["time"], number, raw["time"],
                                              INSPECTION_LABELS["time"]))
        value = raw.get("conclusion_date")
        if value not in (None, ""):
            item.conclusion_date = to_date(value, plan.year)
            if item.conclusion_date is None:
                findings.append(_date_finding(file, name, cells["conclusion_date"], number, value,
                                              INSPECTION_LABELS["conclusion_date"]))
        plan.inspections.append(item)
    findings.extend(rows.findings(file, name))
    if not plan.inspections:
        findings.append(make("no-data-rows", file=file, sheet=name, cell=f"A{header.row}", row=header.row,
                             kind="kế hoạch kiểm tra CCHC"))
    if plan.remediations:
        resolve_remediations(plan)
    return plan, findings


# --- the remediation list -----------------------------------------------------------


def read_remediation_sheet(grid: Grid, file: str, registry: UnitRegistry, sheet: Sheet | None = None,
                           header: Header | None = None, plan: InspectionPlan | None = None
                           ) -> tuple[InspectionPlan | None, list[Finding]]:
    """Read the "Khắc phục" sheet into ``plan`` (a new one when None); relative
    deadlines are resolved against the conclusions already in ``plan``."""
    sheet = sheet or Sheet(grid)
    header = header or find_remediation_header(sheet)
    if header is None:
        return None, []
    name = grid.name
    plan, findings = _begin(plan, "remediation", sheet, header, file, name)
    rows = _Rows(sheet, header, fill_down=("unit", "round"))
    for number, raw, texts, cells in rows:
        unit_text = texts.get("unit", "")
        if not any(texts.get(k) for k in ("issue", "task", "deadline", "status")):
            continue
        item = Remediation(row=number, unit_text=unit_text, issue=texts.get("issue", ""),
                           task=texts.get("task", ""), criteria_text=texts.get("criteria", ""),
                           deadline_text=texts.get("deadline", ""), status_text=texts.get("status", ""),
                           evidence=texts.get("evidence", ""), round=texts.get("round", ""),
                           code=texts.get("code", ""), cells=cells,
                           extra={head: t for col, head in header.extras.items()
                                  if (t := sheet.text(number, col, fill_vertical=False))})
        item.deadline_value = raw.get("deadline")
        if isinstance(item.deadline_value, str):
            item.deadline_value = item.deadline_text
        item.criteria = parse_criteria(item.criteria_text)
        item.status = parse_status(item.status_text)
        if unit_text and "unit" in cells:
            item.unit_ids = _units(registry, unit_text, cells["unit"], number, file, name, findings)
        plan.remediations.append(item)
    findings.extend(rows.findings(file, name))
    if not plan.remediations:
        findings.append(make("no-data-rows", file=file, sheet=name, cell=f"A{header.row}", row=header.row,
                             kind="bảng theo dõi khắc phục sau kiểm tra"))
    resolve_remediations(plan)
    return plan, findings


# --- a whole workbook ---------------------------------------------------------------


def read_inspection_workbook(path: Path, registry: UnitRegistry, display: str | None = None
                             ) -> tuple[InspectionPlan | None, list[Finding]]:
    """Both sheets of an inspection workbook, whichever order they come in:
    the inspection list is read first so that remediation deadlines resolve
    against its conclusion dates. Unreadable files give (None, [finding])."""
    display = display or path.name
    try:
        grids = load_grids(path, display)
    except WorkbookError as exc:
        return None, [exc.finding]
    plan: InspectionPlan | None = None
    findings: list[Finding] = []
    sheets = [(grid, Sheet(grid)) for grid in grids]
    pending = []
    for grid, sheet in sheets:
        header = find_inspection_header(sheet)
        if header is not None:
            plan, found = read_inspection_sheet(grid, display, registry, sheet, header, plan)
            findings.extend(found)
        else:
            pending.append((grid, sheet))
    for grid, sheet in pending:
        header = find_remediation_header(sheet)
        if header is not None:
            plan, found = read_remediation_sheet(grid, display, registry, sheet, header, plan)
            findings.extend(found)
    if plan is None:
        findings.append(make("missing-header", file=display,
                             expected=f"kế hoạch kiểm tra: {INSPECTION_EXPECTED}; "
                                      f"theo dõi khắc phục: {REMEDIATION_EXPECTED}"))
    return plan, findings


__all__ = [
    "INSPECTION_EXPECTED", "INSPECTION_LABELS", "INSPECTION_SYNONYMS", "REMEDIATION_EXPECTED", "REMEDIATION_LABELS",
    "REMEDIATION_SYNONYMS", "accept_inspection_header", "accept_remediation_header", "classify_inspection_header",
    "classify_remediation_header", "find_inspection_header", "find_remediation_header", "read_inspection_sheet",
    "read_inspection_workbook", "read_remediation_sheet",
]
