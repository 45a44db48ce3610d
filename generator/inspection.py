"""The typed model of a CCHC inspection workbook (kế hoạch kiểm tra CCHC).

Pure data and pure functions, no I/O. Two sheets:

    Kế hoạch kiểm tra: TT | Đơn vị được kiểm tra | Đợt | Hình thức |
                       Thời gian kiểm tra | Ngày thông báo kết luận | Số thông báo
    Khắc phục:         TT | Đơn vị | Tồn tại, hạn chế | Nhiệm vụ khắc phục |
                       Tiêu chí liên quan | Hạn khắc phục | Tình trạng | Minh chứng

A remediation deadline written relative to the conclusion ("Chậm nhất 30 ngày
kể từ ngày có thông báo kết luận") resolves against the unit's conclusion
date; before a conclusion exists it is *waiting* ("chờ thông báo kết luận"),
never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from . import text as tx
from .deadlines import parse_deadlines
from .model import DeadlineKind

# --- labels -------------------------------------------------------------------------

#: What a remediation deadline shows before the conclusion it counts from exists.
WAITING_LABEL = "chờ thông báo kết luận"

#: Where a unit stands in the inspection cycle (``unit_status``).
STATUS_NOT_INSPECTED = "chưa kiểm tra"
STATUS_WAITING = "đã kiểm tra, chờ kết luận"
STATUS_REMEDIATING = "đang khắc phục"
STATUS_REMEDIATED = "đã khắc phục"
#: A conclusion was announced but the Khắc phục sheet has no row for the unit.
STATUS_CONCLUDED = "đã có kết luận"

#: Remediation statuses (``Remediation.status``) and their Vietnamese labels.
DONE, IN_PROGRESS, NOT_DONE, UNKNOWN = "da-khac-phuc", "dang-khac-phuc", "chua-khac-phuc", ""
STATUS_LABELS = {DONE: "đã khắc phục", IN_PROGRESS: "đang khắc phục", NOT_DONE: "chưa khắc phục",
                 UNKNOWN: "chưa rõ"}

#: Coverage groups: key -> (Vietnamese label, registry unit kinds). Provincial
#: bodies (cap-tinh) of a district registry are the inspectors' superiors, not
#: inspected units, so they are in no group by default.
COVERAGE_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "agencies": ("cơ quan, đơn vị cấp huyện", ("phong-ban", "trung-tam")),
    "districts": ("UBND cấp huyện", ("cap-huyen",)),
    "communes": ("UBND xã, thị trấn", ("xa-thi-tran",)),
}
#: Targets (min %, max % or None) of a district's plan: cơ quan ≥ 30 %, xã 15–20 %.
DEFAULT_TARGETS: dict[str, tuple[float | None, float | None]] = {"agencies": (30, None), "communes": (15, 20)}
def coverage_groups(registry) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The groups coverage is counted in: a district's own offices and centres,
    or, in a province's registry (no district offices), its sở, ban, ngành."""
    groups = dict(COVERAGE_GROUPS)
    if not any(u.kind in COVERAGE_GROUPS["agencies"][1] for u in registry.units.values()):
        groups["agencies"] = ("sở, ban, ngành", ("cap-tinh",))
    return groups


#: A province's plan also inspects 30 % or more of its districts.
PROVINCE_TARGETS: dict[str, tuple[float | None, float | None]] = {**DEFAULT_TARGETS, "districts": (30, None)}


# --- the model ----------------------------------------------------------------------


@dataclass(slots=True)
class Inspection:
    """One row of the "Kế hoạch kiểm tra" sheet: one unit inspected in one round."""

    row: int
    unit_text: str
    unit_ids: list[str] = field(default_factory=list)  # registry ids (groups expanded)
    round: str = ""  # "Đợt" as typed ("Đợt 1", "I"), filled down a merged cell
    form: str = ""  # "Hình thức" ("Trực tiếp", "Qua hồ sơ")
    time_text: str = ""  # "Thời gian kiểm tra" as typed
    start: dt.date | None = None
    end: dt.date | None = None
    exact: bool = False  # the time was written as day dates, not a month / quarter window
    conclusion_date: dt.date | None = None
    notice_number: str = ""
    code: str = ""  # TT
    cells: dict[str, str] = field(default_factory=dict)  # field -> A1 reference
    extra: dict[str, str] = field(default_factory=dict)  # other columns (Ghi chú…): header -> text

    @property
    def illustrative(self) -> bool:
        """A note says its dates are “dữ liệu minh họa”."""
        return any("minh hoa" in _fold(text) for text in self.extra.values())


@dataclass(slots=True)
class Remediation:
    """One row of the "Khắc phục" sheet: a shortcoming and what fixes it."""

    row: int
    unit_text: str
    unit_ids: list[str] = field(default_factory=list)
    issue: str = ""  # Tồn tại, hạn chế
    task: str = ""  # Nhiệm vụ khắc phục
    criteria: list[str] = field(default_factory=list)  # "1.3.1", "2.2"
    criteria_text: str = ""
    deadline_text: str = ""
    deadline: dt.date | None = None  # resolved
    waiting_conclusion: bool = False  # relative to a conclusion that does not exist yet
    status_text: str = ""
    status: str = UNKNOWN  # DONE | IN_PROGRESS | NOT_DONE | UNKNOWN
    evidence: str = ""
    round: str = ""  # "Đợt", when the sheet has that column
    code: str = ""
    deadline_value: object = None  # the cell as read (text or date), to resolve again
    cells: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # other columns: header -> text

    @property
    def deadline_label(self) -> str:
        if self.waiting_conclusion:
            return WAITING_LABEL
        return f"{self.deadline:%d/%m/%Y}" if self.deadline else self.deadline_text


@dataclass(slots=True)
class InspectionPlan:
    """An inspection workbook: its plan sheet and its remediation sheet."""

    file: str
    inspection_sheet: str = ""
    remediation_sheet: str = ""
    title: str = ""
    year: int | None = None
    inspections: list[Inspection] = field(default_factory=list)
    remediations: list[Remediation] = field(default_factory=list)
    #: "inspection" / "remediation" -> field -> column letter
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)  # "inspection" / "remediation" -> row
    illustrative: dict[str, bool] = field(default_factory=dict)  # sheet kind -> “DỮ LIỆU MINH HỌA” line

    @property
    def sheets(self) -> list[str]:
        return [s for s in (self.inspection_sheet, self.remediation_sheet) if s]

    def header_cell(self, kind: str, name: str) -> str:
        """A1 of the header cell of a column ("inspection", "unit" -> "B6"), or "" if absent."""
        letter = self.columns.get(kind, {}).get(name)
        return f"{letter}{self.header_rows[kind]}" if letter and kind in self.header_rows else ""

    def inspections_of(self, unit_id: str) -> list[Inspection]:
        return [i for i in self.inspections if unit_id in i.unit_ids]

    def remediations_of(self, unit_id: str) -> list[Remediation]:
        return [r for r in self.remediations if unit_id in r.unit_ids]

    @property
    def inspected_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for inspection in self.inspections:
            seen.update(dict.fromkeys(inspection.unit_ids))
        return list(seen)


# --- text helpers -------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case, no diacritics, đ→d, dashes unified; "/" and "." kept (dates)."""
    text = unicodedata.normalize("NFD", tx.normalize(text).lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return " ".join(text.split())


def round_key(text: str) -> str:
    """"Đợt 1", "Đợt I", "1", "đợt  1" -> one key, for comparing rounds."""
    folded = tx.fold(text)
    folded = re.sub(r"^(dot|lan|dot kiem tra)\s*", "", folded)
    romans = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
    return romans.get(folded, folded)


_STATUS_RULES: tuple[tuple[str, re.Pattern], ...] = (
    (NOT_DONE, re.compile(r"\bchua\b|\bkhong (khac phuc|thuc hien|hoan thanh)\b")),
    (IN_PROGRESS, re.compile(r"\bdang\b|mot phan|\bmot so\b|tiep tuc")),
    (DONE, re.compile(r"\bda (khac phuc|hoan thanh|thuc hien|xu ly|chan chinh|sua)|\bhoan thanh\b|\bxong\b"
                      r"|^da$|^dat$")),
)


def parse_status(text: str) -> str:
    """"Đã khắc phục" -> DONE, "Đang thực hiện" / "Đã khắc phục một phần" ->
    IN_PROGRESS, "Chưa khắc phục" -> NOT_DONE, anything else -> UNKNOWN."""
    folded = tx.fold(text)
    if not folded:
        return UNKNOWN
    for status, rule in _STATUS_RULES:
        if rule.search(folded):
            return status
    return UNKNOWN


_CRITERION = re.compile(r"(?<![\d.])(?<!\d,)\d{1,2}(?:\.\d{1,3}){0,4}(?!\d)(?!,\d)(?!\.\d)")
_POINTS = re.compile(r"\d+(?:[.,]\d+)?\s*(?:đ|điểm)\b", re.IGNORECASE)


def parse_criteria(text: str) -> list[str]:
    """The criterion codes of a "Tiêu chí liên quan" cell: "Tiêu chí 1.3.1; 2.2
    (0,5đ)" -> ["1.3.1", "2.2"]; points and parenthesised notes are skipped."""
    if not text:
        return []
    body = _POINTS.sub(" ", re.sub(r"\([^()]*\)", " ", tx.normalize(text)))
    seen: dict[str, None] = {}
    for code in _CRITERION.findall(body):
        seen.setdefault(code.rstrip("."), None)
    return list(seen)


# --- dates --------------------------------------------------------------------------

_DAY_RANGE = re.compile(r"(?<![\d/])(\d{1,2})\s*-\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?!\d)")
_MONTH_RANGE = re.compile(r"\bthang\s*(\d{1,2})\s*(?:-|den|toi)\s*(?:thang\s*)?(\d{1,2})\s*(?:[/.,-]|nam)?\s*(?:nam\s*)?(\d{4})?")
_EXPLICIT = (DeadlineKind.DATE, DeadlineKind.BEFORE_DATE)
_PERIODS = (DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR_RANGE)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def to_date(value, plan_year: int | None = None) -> dt.date | None:
    """A date cell: a real Excel date, or text "15/9/2020", "ngày 15 tháng 9 năm 2020"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value in (None, "") or isinstance(value, bool):
        return None
    found = parse_deadlines(value, plan_year=plan_year)
    if len(found) == 1 and found[0].kind in _EXPLICIT and found[0].date and not found[0].start:
        return found[0].date
    return None


def parse_period(value, plan_year: int | None = None) -> tuple[dt.date | None, dt.date | None, bool]:
    """(start, end, exact) of a "Thời gian kiểm tra" cell: a date, "từ 05/8/2020
    đến 07/8/2020", "05-07/8/2020" (exact days), "Tháng 8-10/2020", "Tháng
    9/2020", "Quý III/2020" (a window). (None, None, False) when unreadable."""
    if isinstance(value, (dt.date, dt.datetime)):
        day = to_date(value)
        return day, day, True
    if value in (None, "") or isinstance(value, bool):
        return None, None, False
    text = tx.normalize(str(value)) if not isinstance(value, (int, float)) else str(value)
    folded = _fold(text)
    m = _DAY_RANGE.search(folded)
    if m:
        first, last, month, year = (int(g) for g in m.groups())
        start, end = _safe_date(year, month, first), _safe_date(year, month, last)
        if start and end:
            return start, end, True
    m = _MONTH_RANGE.search(folded)
    if m:
        first, last = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else plan_year
        if year and 1 <= first <= last <= 12:
            return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1]), False
    found = [d for d in parse_deadlines(text, plan_year=plan_year) if d.date and not d.invalid]
    if not found:
        return None, None, False
    if all(d.kind in _EXPLICIT for d in found):
        days = [d for item in found for d in (item.start, item.date) if d]
        return min(days), max(days), True
    first = found[0]
    if first.kind in _PERIODS:
        return first.start or first.date, max(d.date for d in found), False
    return None, None, False


# --- relative deadlines -------------------------------------------------------------

_OFFSET = re.compile(r"(\d{1,3})\s*(ngay|tuan|thang)(\s+lam viec)?\s*(?:,\s*)?(?:ke tu|tinh tu|sau)\b")
_ANCHOR_DATE = re.compile(r"(?:ke tu|tinh tu|sau)\s+(?:ngay\s*)?(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start`` (Saturdays and Sundays skipped;
    public holidays are not known here)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def _add_months(start: dt.date, months: int) -> dt.date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def is_relative(text: str) -> bool:
    """Whether a deadline counts from an event ("30 ngày kể từ …")."""
    return bool(text) and bool(_OFFSET.search(_fold(text)))


def resolve_deadline(value, conclusion_date: dt.date | None,
                     plan_year: int | None = None) -> tuple[dt.date | None, bool]:
    """(deadline, waiting) of a "Hạn khắc phục" cell.

    Absolute deadlines (a date, "Trước 31/12/2020", "Quý IV/2020") resolve as
    parse_deadlines says, whatever the conclusion. "Chậm nhất N ngày kể từ ngày
    có thông báo kết luận", "Trong vòng N ngày làm việc kể từ …" count N
    calendar days (working days: Saturdays and Sundays skipped; tuần, tháng
    also understood) from the conclusion date — or from a date written in the
    cell ("… kể từ ngày 15/9/2020"). Without either: (None, True), waiting for
    the conclusion. Unreadable text: (None, False)."""
    if value in (None, ""):
        return None, False
    if isinstance(value, (dt.date, dt.datetime)):
        return to_date(value), False
    text = str(value) if not isinstance(value, str) else value
    folded = _fold(text)
    offset = _OFFSET.search(folded)
    if offset:
        anchor_match = _ANCHOR_DATE.search(folded, offset.start())
        anchor = to_date(anchor_match.group(1)) if anchor_match else conclusion_date
        if anchor is None:
            return None, True
        n, unit, working = int(offset.group(1)), offset.group(2), bool(offset.group(3))
        if unit == "thang":
            return _add_months(anchor, n), False
        if unit == "tuan":
            return anchor + dt.timedelta(weeks=n), False
        return (add_working_days(anchor, n) if working else anchor + dt.timedelta(days=n)), False
    found = [d for d in parse_deadlines(value, plan_year=plan_year) if d.date and not d.invalid]
    if found and all(d.kind in _EXPLICIT + _PERIODS for d in found):
        return max(d.date for d in found), False
    return None, False


def conclusion_for(plan: InspectionPlan, unit_ids: list[str], round_text: str = "") -> dt.date | None:
    """The conclusion date a remediation of these units counts from: that of
    the unit's inspection in the same round when a round is given, else the
    latest conclusion announced for any of the units."""
    wanted = round_key(round_text) if round_text else None
    dates = [i.conclusion_date for i in plan.inspections
             if i.conclusion_date and set(i.unit_ids) & set(unit_ids)
             and (wanted is None or round_key(i.round) == wanted)]
    return max(dates, default=None)


def resolve_remediations(plan: InspectionPlan) -> None:
    """Resolve every remediation's deadline against its unit's conclusion date."""
    for item in plan.remediations:
        value = item.deadline_value if item.deadline_value not in (None, "") else item.deadline_text
        item.deadline, item.waiting_conclusion = resolve_deadline(
            value, conclusion_for(plan, item.unit_ids, item.round), plan.year)


# --- where a unit stands ------------------------------------------------------------


def unit_status(unit_id: str, plan: InspectionPlan, today: dt.date) -> str:
    """STATUS_NOT_INSPECTED when no inspection of the unit has started by
    ``today``; STATUS_WAITING when its latest started inspection has no
    conclusion announced by ``today``; then STATUS_REMEDIATING while any of its
    remediations is not done, STATUS_REMEDIATED when all are, and
    STATUS_CONCLUDED when the conclusion has no remediation rows."""
    started = [i for i in plan.inspections_of(unit_id) if (i.start or i.end or today) <= today]
    if not started:
        return STATUS_NOT_INSPECTED
    latest = max(started, key=lambda i: (i.start or i.end or dt.date.min, i.row))
    if latest.conclusion_date is None or latest.conclusion_date > today:
        return STATUS_WAITING
    items = plan.remediations_of(unit_id)
    if latest.round and any(r.round for r in items):
        items = [r for r in items if round_key(r.round) == round_key(latest.round)]
    if not items:
        return STATUS_CONCLUDED
    return STATUS_REMEDIATED if all(r.status == DONE for r in items) else STATUS_REMEDIATING


# --- coverage -----------------------------------------------------------------------


@dataclass(slots=True)
class Coverage:
    """How many units of one group the plan inspects, against the target."""

    key: str  # "agencies" | "districts" | "communes"
    label: str
    inspected: list[str]  # unit ids of the group that are inspected
    total: int  # units of the group in the registry
    target: tuple[float | None, float | None] | None = None  # (min %, max %)

    @property
    def count(self) -> int:
        return len(self.inspected)

    @property
    def percent(self) -> float | None:
        return self.count * 100 / self.total if self.total else None

    @property
    def state(self) -> str:
        """"low", "high", "ok", or "" when there is no target or no unit."""
        if self.target is None or self.percent is None:
            return ""
        low, high = self.target
        if low is not None and self.percent < low - 1e-9:
            return "low"
        if high is not None and self.percent > high + 1e-9:
            return "high"
        return "ok"

    @property
    def percent_text(self) -> str:
        return f"{tx.format_number(self.percent, 1)}%" if self.percent is not None else ""

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        low, high = self.target
        if low is not None and high is not None:
            return f"{tx.format_number(low, 1)}–{tx.format_number(high, 1)}%"
        if low is not None:
            return f"từ {tx.format_number(low, 1)}% trở lên"
        return f"không quá {tx.format_number(high, 1)}%"


def coverage(plan: InspectionPlan, registry, targets: dict | None = None,
             groups: dict[str, tuple[str, tuple[str, ...]]] | None = None) -> dict[str, Coverage]:
    """Per group: the registry's units of its kinds, those the plan inspects
    (in any round, each unit once), and the target. ``registry`` is a
    UnitRegistry (only ``.units`` is used)."""
    targets = DEFAULT_TARGETS if targets is None else targets
    groups = groups or COVERAGE_GROUPS
    inspected = set(plan.inspected_ids)
    out = {}
    for key, (label, kinds) in groups.items():
        members = [u.id for u in registry.units.values() if u.kind in kinds]
        out[key] = Coverage(key, label, [u for u in members if u in inspected], len(members), targets.get(key))
    return out


__all__ = [
    "COVERAGE_GROUPS", "Coverage", "coverage_groups", "DEFAULT_TARGETS", "DONE", "IN_PROGRESS", "Inspection", "InspectionPlan",
    "NOT_DONE", "PROVINCE_TARGETS", "Remediation", "STATUS_CONCLUDED", "STATUS_LABELS", "STATUS_NOT_INSPECTED",
    "STATUS_REMEDIATED", "STATUS_REMEDIATING", "STATUS_WAITING", "UNKNOWN", "WAITING_LABEL", "add_working_days",
    "conclusion_for", "coverage", "is_relative", "parse_criteria", "parse_period", "parse_status",
    "resolve_deadline", "resolve_remediations", "round_key", "to_date", "unit_status",
]
