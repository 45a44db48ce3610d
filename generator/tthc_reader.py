"""Reading TTHC progress reports (tiến độ giải quyết hồ sơ TTHC).

The standard form has a two-row merged header ("Số hồ sơ tiếp nhận" over
Tổng / Kỳ trước chuyển sang / Tiếp nhận mới / Trực tuyến / Trực tiếp / Qua
BCCI, …): each column is named by its group and sub-header together, so the
columns may come in any order and extra columns are kept. Counts may be typed
as text with a thousands dot ("6.690"), rates as text ("98,63%").
"""

from __future__ import annotations

import functools
import calendar
import datetime as dt
import re

from . import text as tx
from .deadlines import parse_deadlines
from .findings import Finding, make
from .reader import Header, Sheet, bad_number, cell_text, find_header, is_illustrative_mark, title_cells
from .totals import text_decimals, typed_decimals
from .tthc import FIGURE_BY_KEY, FIGURES, RATES, TthcReport, TthcRow
from .workbook import Grid, column_letter

#: What the missing-header message lists for this kind of sheet.
TTHC_EXPECTED = ("Kỳ (hoặc Từ ngày, Đến ngày), Số hồ sơ tiếp nhận (Tổng, Kỳ trước chuyển sang, Tiếp nhận mới, "
                 "Trực tuyến, Trực tiếp, Qua BCCI), Đã giải quyết (Tổng, Trước hạn, Đúng hạn, Quá hạn), "
                 "Đang giải quyết (Tổng, Trong hạn, Quá hạn), Số thư xin lỗi, Số hồ sơ số hóa")

_RATE_RULES = [
    ("on_time_rate", re.compile(r"dung han|truoc han")),
    ("online_rate", re.compile(r"truc tuyen")),
    ("postal_rate", re.compile(r"bcci|buu chinh")),
    ("apology_rate", re.compile(r"xin loi")),
    ("digitised_rate", re.compile(r"so hoa")),
]
_RECEIVED = re.compile(r"\btiep nhan\b|\bnhan moi\b")
_RESOLVED = re.compile(r"\bda giai quyet\b|\bda xu ly\b|\bgiai quyet xong\b")
_PENDING = re.compile(r"\bdang giai quyet\b|\bchua giai quyet\b|\bdang xu ly\b")
_TOTAL = re.compile(r"\btong( so)?\b|\bcong\b")


@functools.lru_cache(maxsize=16384)  # header scans meet the same texts again and again
def classify_tthc_header(text: str) -> str | None:
    """The field a (group + sub) header names: a FIGURES key, a RATES key,
    or period / start / end / unit / source."""
    f = tx.fold(text)
    if not f:
        return None
    if re.match(r"^(ky|ky bao cao|thoi gian|thoi ky|thang|quy)$", f):
        return "period"
    if f.startswith("tu ngay"):
        return "start"
    if f.startswith("den ngay"):
        return "end"
    if re.match(r"^(don vi|co quan|cap|bo phan|noi tiep nhan|dia ban)\b", f) and "ho so" not in f:
        return "unit"
    if f.startswith("nguon"):
        return "source"
    if f.startswith(("ty le", "ti le")) or f.endswith("(%)") or f.endswith("%"):
        for key, rule in _RATE_RULES:
            if rule.search(f):
                return key
        return None
    if "xin loi" in f:
        return "apologies"
    if "so hoa" in f:
        return "digitised"
    if _PENDING.search(f):
        if "trong han" in f or "chua den han" in f or "chua qua han" in f:
            return "pending_in_time"
        if "qua han" in f or "tre han" in f:
            return "pending_late"
        return "pending_total" if _TOTAL.search(f) or f == "dang giai quyet" else None
    if _RESOLVED.search(f):
        if "truoc han" in f:
            return "resolved_early"
        if "dung han" in f:
            return "resolved_on_time"
        if "qua han" in f or "tre han" in f:
            return "resolved_late"
        return "resolved_total" if _TOTAL.search(f) or f == "da giai quyet" else None
    if "truc tuyen" in f:
        return "online"
    if "truc tiep" in f:
        return "direct"
    if "bcci" in f or "buu chinh" in f:
        return "postal"
    if "ky truoc" in f or "chuyen sang" in f or "ton ky" in f:
        return "carried_over"
    if re.search(r"\bmoi\b|trong ky", f) and _RECEIVED.search(f):
        return "received_new"
    if _RECEIVED.search(f) and _TOTAL.search(f):
        return "received_total"
    return None


def accept_tthc_header(columns: dict[str, int]) -> bool:
    has_period = "period" in columns or "start" in columns or "end" in columns
    received = "received_new" in columns or "received_total" in columns
    return has_period and received and "resolved_total" in columns


def find_tthc_header(sheet: Sheet, scan_rows: int = 40) -> Header | None:
    return find_header(sheet, scan_rows, classify=classify_tthc_header, accept=accept_tthc_header)


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        return None
    found = parse_deadlines(value)
    return found[0].date if found and found[0].date and found[0].kind.value in ("date", "before-date") else None


def _period_bounds(text: str) -> tuple[dt.date | None, dt.date | None]:
    """"Tháng 01/2022" -> (01/01/2022, 31/01/2022); "Quý I/2022", "Năm 2021"."""
    if not text:
        return None, None
    folded = tx.fold(text)
    months = re.search(r"(\d{1,2}) thang (dau|cuoi) nam\D*((?:19|20)\d{2})", folded)
    if months and 1 <= int(months.group(1)) <= 12:  # "6 tháng đầu năm 2022", "9 tháng đầu năm"
        n, year = int(months.group(1)), int(months.group(3))
        if months.group(2) == "dau":
            return dt.date(year, 1, 1), dt.date(year, n, calendar.monthrange(year, n)[1])
        return dt.date(year, 13 - n, 1), dt.date(year, 12, 31)
    if re.search(r"\d\s*(-|–|—|\bđến\b)", text.lower()) and len(set(re.findall(r"(?:19|20)\d{2}", folded))) > 1:
        return None, None  # a range over two years: only Từ ngày / Đến ngày can say it
    found = parse_deadlines(text)
    if not found:
        return None, None
    deadline = found[0]
    if deadline.kind.value in ("month", "quarter", "year-range"):
        return deadline.start, deadline.date
    return None, None


def read_tthc_sheet(grid: Grid, file: str, sheet: Sheet | None = None,
                    header: Header | None = None) -> tuple[TthcReport | None, list[Finding]]:
    sheet = sheet or Sheet(grid)
    header = header or find_tthc_header(sheet)
    if header is None:
        return None, []
    cols = header.columns
    report = TthcReport(file=file, sheet=grid.name, header_row=header.row,
                        columns={k: column_letter(c) for k, c in cols.items()})
    findings: list[Finding] = []
    lines = [text for _, _, text in title_cells(sheet, header)]
    report.marked = any(is_illustrative_mark(line) for line in lines)
    report.title = " ".join(line for line in lines if not is_illustrative_mark(line)) or grid.name
    last_period = ""
    for number in sheet.order:
        if number < header.data_start:
            continue

        def text(name: str) -> str:
            return sheet.text(number, cols[name], fill_vertical=False) if name in cols else ""

        period = text("period")
        unit = text("unit")
        raw_start = sheet.cell(number, cols["start"], fill_vertical=False) if "start" in cols else None
        raw_end = sheet.cell(number, cols["end"], fill_vertical=False) if "end" in cols else None
        values = {key: sheet.cell(number, cols[key], fill_vertical=False) for key in FIGURE_BY_KEY if key in cols}
        rates = {key: sheet.cell(number, cols[key], fill_vertical=False) for key in RATES if key in cols}
        extra = {head: t for c, head in header.extras.items() if (t := sheet.text(number, c, fill_vertical=False))}
        source = text("source")
        if not any(v not in (None, "") for v in values.values()) and not any(rates.values()):
            if period or unit:
                last_period = period or last_period  # a period heading over unit rows
            continue
        # a period merged over several unit rows is filled down
        if not period and "period" in cols:
            period = sheet.text(number, cols["period"]) or last_period
        last_period = period or last_period
        row = TthcRow(row=number, period=period, unit=unit, source=source, extra=extra,
                      illustrative=report.marked
                      or "minh hoa" in tx.fold(source + " " + " ".join(extra.values())))
        # a total row says so in its unit cell, or (with no unit) in its period cell
        row.is_total = tx.fold(unit or period).startswith(("tong cong", "tong so", "cong"))
        row.start, row.end = _date(raw_start), _date(raw_end)
        if row.start is None and row.end is None:
            row.start, row.end = _period_bounds(period)
            if row.start is None and period and not row.is_total:
                ref = f"{column_letter(cols['period'])}{number}" if "period" in cols else f"A{number}"
                findings.append(make("tthc-period-invalid", file=file, sheet=grid.name, cell=ref, row=number,
                                     detail=f"không xác định được ngày của kỳ “{period}”, nên số liệu của dòng "
                                            f"này không được tính vào từng năm; ghi thêm Từ ngày và Đến ngày"))
        elif not period:
            row.period = f"{row.start:%d/%m/%Y} – {row.end:%d/%m/%Y}" if row.start and row.end else ""
        for ref_name, raw, parsed in (("start", raw_start, row.start), ("end", raw_end, row.end)):
            if raw not in (None, "") and parsed is None:
                ref = f"{column_letter(cols[ref_name])}{number}"
                findings.append(make("tthc-period-invalid", file=file, sheet=grid.name, cell=ref, row=number,
                                     detail=f"không đọc được ngày “{cell_text(raw)}”"))
        for key, value in values.items():
            ref = f"{column_letter(cols[key])}{number}"
            row.cells[key] = ref
            label = FIGURE_BY_KEY[key].label
            try:
                parsed = tx.parse_number(value, count=True)
            except tx.NumberError as exc:
                findings.append(bad_number(file, grid.name, ref, number, value, label, str(exc)))
                continue
            if parsed is not None and (parsed < 0 or not float(parsed).is_integer()):
                reason = "số hồ sơ không thể âm" if parsed < 0 else \
                    "số hồ sơ phải là số nguyên; hàng nghìn ngăn cách bằng dấu chấm (6.690)"
                findings.append(bad_number(file, grid.name, ref, number, value, label, reason))
                continue
            setattr(row, key, parsed)
        for key, value in rates.items():
            ref = f"{column_letter(cols[key])}{number}"
            fmt = grid.number_format(ref)
            try:
                # a rate column holds percentages ("98,63", "98,63%", 98.63), unless the
                # cell's own format is a percentage (then Excel stores the fraction 0.9863)
                parsed = tx.parse_number(value)
            except tx.NumberError as exc:
                findings.append(bad_number(file, grid.name, ref, number, value,
                                           header.texts.get(cols[key], RATES[key]), str(exc)))
                continue
            if parsed is None:
                continue
            stored_fraction = not isinstance(value, str) and "%" in (fmt or "")
            percent = parsed * 100 if stored_fraction else parsed
            row.cells[key] = ref
            row.typed_rates[key] = percent / 100
            if isinstance(value, str):
                decimals = text_decimals(value)
                shown = tx.normalize(value).strip()
            else:
                decimals = typed_decimals(percent, fmt.replace("%", "") if stored_fraction else fmt)
                shown = tx.format_number(percent, decimals)
            row.rate_decimals[key] = decimals
            row.rate_texts[key] = shown if shown.endswith("%") else shown + "%"
        report.rows.append(row)
    if not report.rows:
        findings.append(make("no-data-rows", file=file, sheet=grid.name, cell=f"A{header.row}", row=header.row,
                             kind="bảng tiến độ giải quyết TTHC"))
    return report, findings


__all__ = ["FIGURES", "TTHC_EXPECTED", "accept_tthc_header", "classify_tthc_header", "find_tthc_header",
           "read_tthc_sheet"]
