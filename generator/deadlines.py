"""Parse a "Thời gian hoàn thành" (deadline) cell into typed deadlines.

A cell may hold several deadlines, one per line / bullet / ";"-separated item,
each optionally tagged "(Sản phẩm N)" and optionally prefixed by a label
("Báo cáo Quý I: Trước ngày 12/3/2022"). Each item becomes one ``Deadline``
whose ``kind`` says how it was written (see ``DeadlineKind``) and whose
``date`` / ``start`` hold what it resolves to, where that can be derived.

Pure functions, no I/O. All matching is done on a *folded* copy of the text
(lower case, no diacritics, đ→d, dashes unified, spaces collapsed) so that
"Quý"/"Quí", "hằng"/"hàng", NFD input, capitals and extra spaces all match the
same patterns; the Deadline keeps the original (NFC) text verbatim.

Order of recognition for one item (the first that applies wins):

1. explicit dates ("05/01/2022", "ngày 5 tháng 1 năm 2022", "15/11" + plan
   year) → DATE, or BEFORE_DATE when "trước", "chậm nhất", "hạn", "không quá",
   "đến"… precedes the last date; RELATIVE when an offset ("15 ngày kể từ")
   precedes it (the date is then the anchor, not the deadline);
2. an offset from an event ("30 ngày kể từ…", "1 tháng sau khi…") → RELATIVE;
3. a month ("Tháng 6/2022") → MONTH;
4. a quarter ("Quý I/2022") → QUARTER;
5. a year or a range of years ("Năm 2025-2030", "2026 - 2030") → YEAR_RANGE;
6. "Thường xuyên", "Hằng năm", "Định kỳ"… → RECURRING;
7. "Theo yêu cầu…", "Theo quy định…", "tại thời điểm…" → RELATIVE;
8. anything else → FREE_TEXT.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import itertools
import re
import unicodedata
from typing import NamedTuple

from .model import Deadline, DeadlineKind
from .text import normalize, product_tags, split_items, strip_product_tags

__all__ = ["parse_deadlines"]

MIN_YEAR = 1900
MAX_YEAR = 2100

# Excel serial day numbers of 2000-01-01 and 2099-12-31 (1900 date system):
# a plain number in that range in a deadline column is a date whose cell lost
# its date format.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = 36526
_SERIAL_MAX = 73050


# --------------------------------------------------------------------------
# Folding: a matching-only copy of the text.


def _build_fold_table() -> dict[int, str | None]:
    """str.translate table: Latin letters with diacritics to their base
    letter, combining marks dropped, đ→d, dash and slash variants unified."""
    table: dict[int, str | None] = {}
    for cp in itertools.chain(range(0x00C0, 0x0250), range(0x1E00, 0x1F00)):
        char = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if base and base != char:
            table[cp] = base
    for cp in range(0x0300, 0x0370):  # stray combining marks
        table[cp] = None
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        table[ord(dash)] = "-"
    table[ord("\uff0f")] = "/"  # fullwidth solidus
    return table


_FOLD_TABLE = _build_fold_table()
_WS = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Lower case, no diacritics, one space between words; punctuation kept
    (unlike text.fold, which drops the "/" and "." dates need)."""
    return _WS.sub(" ", text.translate(_FOLD_TABLE).lower()).strip()


# --------------------------------------------------------------------------
# Patterns, all applied to folded text.

# Not preceded by a digit, "/", or a digit followed by "." / "-": keeps us out
# of the middle of numbers and of document numbers ("24/2021/QĐ-UBND").
_NOT_AFTER_NUMBER = r"(?<![\d/])(?<!\d[.-])"

_DATE = re.compile(
    # "ngày 15 tháng 11 năm 2022" ("ngày" optional)
    r"(?:ngay\s*)?(?P<wd>\d{1,2})\s*thang\s*(?P<wm>\d{1,2})\s*,?\s*nam\s*(?P<wy>\d{4})(?!\d)"
    # "ngày 15 tháng 11" (no year: "ngày" required, else it is a month phrase)
    r"|ngay\s*(?P<pwd>\d{1,2})\s*thang\s*(?P<pwm>\d{1,2})(?!\d)"
    # "15/11/2022", "5-1-2022", "05.01.2022", "15/11/22" (same separator twice)
    rf"|{_NOT_AFTER_NUMBER}(?P<d>\d{{1,2}})\s*(?P<sep>[/.-])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<y>\d{{4}}|\d{{2}})"
    r"(?![\d/]|[.-]\d)"
    # "15/11" (no year; "/" only, "1-2" or "1.5" are rarely dates)
    rf"|{_NOT_AFTER_NUMBER}(?P<pd>\d{{1,2}})\s*/\s*(?P<pm>\d{{1,2}})(?![\d/]|\s*[/.-]\s*\d)"
)
# "tháng 6/7", "quý 1/2": the number after "tháng"/"quý" is not a day.
_MONTH_OR_QUARTER_BEFORE = re.compile(r"\b(?:thang|qu[yi])\s*$")

# Names of documents: a year or date right after one ("Kế hoạch CCHC năm 2020",
# "Kế hoạch số 12/KH-UBND ngày 15/3/2022") dates the document, not the work.
_DOCUMENTS = (r"(?:ke hoach|quyet dinh|chuong trinh|nghi quyet|van ban|thong tu|nghi dinh|chi thi"
              r"|cong van|de an|thong bao|huong dan)")
_DOCUMENT_DATE = re.compile(rf"\b{_DOCUMENTS}\s+(?:so\s*)?\S*\d\S*\s*(?:ngay\s*)?$")

# Words that make a date a limit ("before / at the latest / by").
_BEFORE = re.compile(r"\b(?:truoc|cham nhat|muon nhat|han|khong qua|den)\b")
# Between two dates, these make a range: "từ 01/01 đến 15/11/2022".
_RANGE_JOIN = re.compile(r"\s*(?:den|toi|-)\s*(?:het\s+)?(?:ngay\s*)?")

# An offset from an event: "30 ngày kể từ", "1 tháng sau khi", "15 ngày trước".
_OFFSET = re.compile(
    r"\b\d+\s*(?:ngay|thang|tuan|nam|gio)(?:\s+lam viec)?\s*(?:ke tu|tinh tu|sau|truoc)\b"
)

_MONTH = re.compile(
    r"\bthang\s*(?P<m>\d{1,2})(?!\d)(?:\s*(?:[/.-]|,?\s*nam)\s*(?P<y>\d{4})(?!\d))?"
)
_QUARTER = re.compile(
    r"\bqu[yi]\s*(?P<q>iv|iii|ii|i|[1-4])(?!\w)"
    r"(?:\s*(?:,|va|-)\s*(?P<q2>iv|iii|ii|i|[1-4])(?!\w))*"  # "Quý I, II/2024": the last one listed
    r"(?:\s*[/.,-]?\s*(?:nam\s*)?(?P<y>\d{4})(?!\d))?"
)
# "6 tháng đầu năm 2024", "6 tháng cuối năm": the first / last months of the year.
_HALF = re.compile(r"\b(?P<n>[1-9]|1[01])\s*thang\s*(?P<side>dau|cuoi)\s*(?:cua\s*)?nam(?:\s*(?P<y>\d{4})(?!\d))?")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_YEARS = re.compile(
    r"(?<![\w/.-])(?P<y1>\d{4})"
    r"(?:\s*(?:-|(?:den|toi)(?:\s+nam)?)\s*(?P<y2>\d{4}|\d{2}))?"
    r"(?![\w/]|[.,]\d)"
)
# A year counts only right after one of these words (or alone in the item):
# "Năm 2025-2030", "Giai đoạn 2021-2025", "Trong năm 2022"; never inside a
# title ("Kế hoạch CCHC 2020") or a document number ("24/2021/QĐ-UBND").
_YEAR_PREFIX = re.compile(r"\b(?:nam|giai doan|gd|trong|den|tu|truoc)\s*:?\s*$")
# … unless that "năm" belongs to a document's name: "Kế hoạch CCHC năm 2020".
_DOCUMENT_YEAR = re.compile(rf"\b{_DOCUMENTS}(?:\s+\S+){{0,5}}?\s+nam\s*$")
# "Trong năm", "Cả năm" without a number: the plan's year.
_PLAN_YEAR_WORDS = re.compile(r"^(?:trong|ca|suot|trong ca)\s+nam(?:\s+nay|\s+ke hoach)?$")
# "trước" right before a month / quarter / year: the period itself is excluded.
_BEFORE_PERIOD = re.compile(r"\btruoc\s*(?:nam\s*)?$")

_RECURRING = re.compile(
    r"\b(?:thuong xuyen|lien tuc|dinh ky"
    r"|hang (?:nam|thang|quy|tuan|ngay|ky)"
    r"|moi (?:nam|thang|quy|tuan)"
    r"|\d+ thang\s*,?\s*(?:va\s+|ca\s+)?nam"  # "6 tháng, năm"
    r"|quy\s*,\s*(?:\d+ thang\s*,\s*)?nam)\b"  # "quý, 6 tháng, năm"
)

_RELATIVE = re.compile(
    r"\b(?:ke tu|tinh tu|sau khi|truoc khi|ngay khi|khi co|thoi diem|dot xuat"
    r"|theo (?:thoi gian |thoi han |tien do )?(?:yeu cau|quy dinh|de nghi|chi dao|huong dan|thong bao|lich))\b"
)

# Text before a colon that only introduces the deadline ("Thời hạn: …") is
# not a label: it is part of the deadline ("hạn" makes it a before-date).
_INTRO = re.compile(r"^(?:thoi gian(?: hoan thanh| thuc hien)?|thoi han(?: hoan thanh)?|han(?: chot| cuoi)?"
                    r"|hoan thanh|moc thoi gian)$")
_COLON = re.compile(r":")


# --------------------------------------------------------------------------
# Results.


class _Parsed(NamedTuple):
    """What one deadline text resolves to (without label / product)."""

    kind: DeadlineKind
    date: dt.date | None = None
    start: dt.date | None = None
    invalid: str = ""


_FREE = _Parsed(DeadlineKind.FREE_TEXT)


def _year_problem(year: int) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}"
    return ""


def _make_date(day: int, month: int, year: int) -> tuple[dt.date | None, str]:
    """The date, or None and a Vietnamese reason why it cannot exist."""
    problem = _year_problem(year)
    if problem:
        return None, problem
    if not 1 <= month <= 12:
        return None, f"không có tháng {month}"
    if day < 1:
        return None, f"không có ngày {day}"
    if day > calendar.monthrange(year, month)[1]:
        return None, f"tháng {month} năm {year} không có ngày {day}"
    return dt.date(year, month, day), ""


def _full_year(year: int) -> int:
    """Two-digit years: "22" → 2022 ("70"…"99" → 1970…1999)."""
    if year >= 100:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _month_bounds(month: int, year: int) -> _Parsed:
    problem = _year_problem(year) or ("" if 1 <= month <= 12 else f"không có tháng {month}")
    if problem:
        return _Parsed(DeadlineKind.MONTH, invalid=problem)
    last = calendar.monthrange(year, month)[1]
    return _Parsed(DeadlineKind.MONTH, dt.date(year, month, last), dt.date(year, month, 1))


def _before(period_start: dt.date) -> _Parsed:
    """"Trước tháng 6/2022": the day before the period starts."""
    return _Parsed(DeadlineKind.BEFORE_DATE, period_start - dt.timedelta(days=1))


# --------------------------------------------------------------------------
# Recognisers, one per step of the module docstring; each returns None when
# it does not apply.


class _Found(NamedTuple):
    start: int
    end: int
    day: int
    month: int
    year: int | None  # None: written without a year


def _find_dates(folded: str) -> list[_Found]:
    found = []
    for m in _DATE.finditer(folded):
        if _DOCUMENT_DATE.search(folded, 0, m.start()):
            continue  # the date a document was issued
        if m.group("wd"):
            day, month, year = int(m.group("wd")), int(m.group("wm")), int(m.group("wy"))
        elif m.group("pwd"):
            day, month, year = int(m.group("pwd")), int(m.group("pwm")), None
        elif m.group("d"):
            day, month, year = int(m.group("d")), int(m.group("m")), _full_year(int(m.group("y")))
        else:
            if _MONTH_OR_QUARTER_BEFORE.search(folded, 0, m.start()):
                continue
            day, month, year = int(m.group("pd")), int(m.group("pm")), None
        found.append(_Found(m.start(), m.end(), day, month, year))
    return found


def _dates(folded: str, plan_year: int | None) -> _Parsed | None:
    found = _find_dates(folded)
    if not found:
        return None
    last = found[-1]
    if _OFFSET.search(folded, 0, last.start):
        # "15 ngày kể từ ngày 01/3/2022": the date is the event, not the deadline
        return _Parsed(DeadlineKind.RELATIVE)

    # A date without a year takes the year of the next full date in the item
    # ("từ 01/01 đến 15/11/2022"), else of the previous one, else the plan's.
    years = [f.year for f in found]

    def year_of(index: int) -> int | None:
        if years[index] is not None:
            return years[index]
        later = next((y for y in years[index + 1:] if y is not None), None)
        earlier = next((y for y in reversed(years[:index]) if y is not None), None)
        return later or earlier or plan_year

    resolved: list[tuple[dt.date | None, str]] = []
    for index, f in enumerate(found):
        year = year_of(index)
        resolved.append((None, "") if year is None else _make_date(f.day, f.month, year))
    if year_of(len(found) - 1) is None:
        return _FREE  # "Trước 15/11" with no plan year: nothing to resolve it to

    kind = DeadlineKind.BEFORE_DATE if _BEFORE.search(folded, 0, last.start) else DeadlineKind.DATE
    end, reason = resolved[-1]
    start = None
    if len(found) >= 2 and _RANGE_JOIN.fullmatch(folded, found[-2].end, last.start):
        start, start_reason = resolved[-2]
        reason = reason or start_reason
        if start and end and start > end:
            reason = f"ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}"
            start = end = None
    # an impossible date elsewhere in the item ("Trước 31/02/2022 hoặc 30/11/2022")
    reason = reason or next((r for _, r in resolved if r), "")
    return _Parsed(kind, end, start, reason)


def _month(folded: str, plan_year: int | None) -> _Parsed | None:
    matches = list(_MONTH.finditer(folded))
    if not matches:
        return None
    m = matches[-1]
    year = int(m.group("y")) if m.group("y") else plan_year
    if year is None:
        return None
    parsed = _month_bounds(int(m.group("m")), year)
    if parsed.start and _BEFORE_PERIOD.search(folded, 0, m.start()):
        return _before(parsed.start)
    return parsed


def _quarter(folded: str, plan_year: int | None) -> _Parsed | None:
    matches = list(_QUARTER.finditer(folded))
    if not matches:
        return None
    m = matches[-1]
    year = int(m.group("y")) if m.group("y") else plan_year
    if year is None:
        return None
    problem = _year_problem(year)
    if problem:
        return _Parsed(DeadlineKind.QUARTER, invalid=problem)
    quarter = _QUARTERS[m.group("q")]
    first = dt.date(year, 3 * quarter - 2, 1)
    last_month = 3 * max(quarter, _QUARTERS[m.group("q2")] if m.group("q2") else quarter)
    last = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    if _BEFORE_PERIOD.search(folded, 0, m.start()):
        return _before(first)
    return _Parsed(DeadlineKind.QUARTER, last, first)


def _half(folded: str, plan_year: int | None) -> _Parsed | None:
    """"6 tháng đầu năm 2024" → 01/01–30/06/2024; "6 tháng cuối năm" → 01/07–31/12."""
    m = _HALF.search(folded)
    if not m:
        return None
    year = int(m.group("y")) if m.group("y") else plan_year
    if year is None:
        return None
    problem = _year_problem(year)
    if problem:
        return _Parsed(DeadlineKind.MONTH, invalid=problem)
    months = int(m.group("n"))
    if m.group("side") == "dau":
        return _Parsed(DeadlineKind.MONTH, dt.date(year, months, calendar.monthrange(year, months)[1]),
                       dt.date(year, 1, 1))
    return _Parsed(DeadlineKind.MONTH, dt.date(year, 12, 31), dt.date(year, 13 - months, 1))


def _years(folded: str, plan_year: int | None) -> _Parsed | None:
    if _PLAN_YEAR_WORDS.match(folded.rstrip(" .;,")):
        if plan_year is None:
            return None
        return _Parsed(DeadlineKind.YEAR_RANGE, dt.date(plan_year, 12, 31), dt.date(plan_year, 1, 1))
    chosen = None
    for m in _YEARS.finditer(folded):
        before = folded[: m.start()]
        alone = not before.strip() and not folded[m.end():].strip(" .;,")
        if alone or (_YEAR_PREFIX.search(before) and not _DOCUMENT_YEAR.search(before)):
            chosen = m
    if chosen is None:
        return None
    first = int(chosen.group("y1"))
    last = first
    if chosen.group("y2"):
        last = int(chosen.group("y2"))
        if last < 100:  # "2021-25"
            last += first - first % 100
    problem = _year_problem(first) or _year_problem(last)
    if not problem and last < first:
        problem = f"năm bắt đầu {first} sau năm kết thúc {last}"
    if problem:
        return _Parsed(DeadlineKind.YEAR_RANGE, invalid=problem)
    if first == last and _BEFORE_PERIOD.search(folded, 0, chosen.start()):
        return _before(dt.date(first, 1, 1))
    return _Parsed(DeadlineKind.YEAR_RANGE, dt.date(last, 12, 31), dt.date(first, 1, 1))


def _classify(folded: str, plan_year: int | None) -> _Parsed:
    """The kind and dates of one (folded) deadline text, label excluded."""
    if not folded:
        return _FREE
    parsed = _dates(folded, plan_year)
    if parsed is not None:
        return parsed
    if _OFFSET.search(folded):
        return _Parsed(DeadlineKind.RELATIVE)
    for recogniser in (_half, _month, _quarter, _years):
        parsed = recogniser(folded, plan_year)
        if parsed is not None:
            return parsed
    if _RECURRING.search(folded):
        return _Parsed(DeadlineKind.RECURRING)
    if _RELATIVE.search(folded):
        return _Parsed(DeadlineKind.RELATIVE)
    return _FREE


# --------------------------------------------------------------------------
# Items and cells.


@functools.lru_cache(maxsize=8192)
def _parse_item(item: str, plan_year: int | None) -> tuple[_Parsed, str, int | None]:
    """(parsed, label, product) of one item; cached because real sheets repeat
    the same deadline texts on many rows."""
    tags = product_tags(item)
    product = tags[0] if tags else None
    body = strip_product_tags(item)

    # "Báo cáo Quý I: Trước ngày 12/3/2022": the part before the colon is a
    # label only if the part after it is a recognisable deadline.
    for colon in _COLON.finditer(body):
        i = colon.start()
        if 0 < i < len(body) - 1 and body[i - 1].isdigit() and body[i + 1].isdigit():
            continue  # a time of day, "10:30"
        head, tail = body[:i].strip(), body[i + 1:].strip()
        if not head or not tail or _INTRO.match(_fold(head)):
            continue
        parsed = _classify(_fold(tail), plan_year)
        if parsed.kind is not DeadlineKind.FREE_TEXT:
            return parsed, head, product
    return _classify(_fold(body), plan_year), "", product


def _from_number(value: int | float) -> Deadline:
    """A number typed in the cell: a year (2025, 2025.0) or a date serial
    whose date format was lost (44927 → 01/01/2023)."""
    whole = float(value).is_integer()
    text = str(int(value)) if whole else str(value)
    if whole and MIN_YEAR <= value <= MAX_YEAR:
        year = int(value)
        return Deadline(text, DeadlineKind.YEAR_RANGE, dt.date(year, 12, 31), dt.date(year, 1, 1))
    if _SERIAL_MIN <= value <= _SERIAL_MAX:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return Deadline(day.strftime("%d/%m/%Y"), DeadlineKind.DATE, day)
    return Deadline(text, DeadlineKind.FREE_TEXT)


def parse_deadlines(value, *, plan_year: int | None = None) -> list[Deadline]:
    """Deadlines of a "Thời gian hoàn thành" cell, one per item.

    ``value`` is the cell value as read: text, a datetime / date (a real Excel
    date), a number (a year typed as a number) or None. ``plan_year`` resolves
    deadlines written without a year ("Trước 15/11", "Tháng 6", "Quý I");
    without it those are FREE_TEXT.
    """
    if value is None:
        return []
    if isinstance(value, dt.datetime):
        day = value.date()
        return [Deadline(day.strftime("%d/%m/%Y"), DeadlineKind.DATE, day)]
    if isinstance(value, dt.date):
        return [Deadline(value.strftime("%d/%m/%Y"), DeadlineKind.DATE, value)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
            return []
        return [_from_number(value)]

    deadlines = []
    for item in split_items(normalize(str(value))):
        parsed, label, product = _parse_item(item, plan_year)
        deadlines.append(Deadline(item, parsed.kind, parsed.date, parsed.start, label, product, parsed.invalid))
    return deadlines
