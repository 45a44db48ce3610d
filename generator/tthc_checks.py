"""Checks of a TTHC progress report: the identities of the standard form.

Per row: total received = carried over + new; online + direct + postal = new;
resolved + pending = total received; early + on time + late = resolved;
in time + late = pending; apology letters against late dossiers; typed rates
against the computed ones. Across rows: one row per unit and period, and a
period's dates in order. Each finding names the cell it concerns.
"""

from __future__ import annotations

from . import text as tx
from .findings import Finding, make
from .scores import TypedTotal
from .totals import typed_total_findings
from .tthc import FIGURE_BY_KEY, RATES, TthcReport, TthcRow

#: (the figure that is the sum, its parts, the rule in words)
IDENTITIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("received_total", ("carried_over", "received_new"),
     "tổng số tiếp nhận = kỳ trước chuyển sang + tiếp nhận mới"),
    ("received_new", ("online", "direct", "postal"),
     "tiếp nhận mới = trực tuyến + trực tiếp + qua BCCI"),
    ("received_total", ("resolved_total", "pending_total"),
     "tổng số tiếp nhận = đã giải quyết + đang giải quyết"),
    ("resolved_total", ("resolved_early", "resolved_on_time", "resolved_late"),
     "đã giải quyết = trước hạn + đúng hạn + quá hạn"),
    ("pending_total", ("pending_in_time", "pending_late"),
     "đang giải quyết = trong hạn + quá hạn"),
)


def _count(value: float | None) -> str:
    return tx.format_count(value)


def _identity_findings(report: TthcReport, row: TthcRow) -> list[Finding]:
    out = []
    for total_key, parts, rule in IDENTITIES:
        total = row.figure(total_key)
        values = [row.figure(p) for p in parts]
        if total is None or any(v is None for v in values):
            continue
        computed = sum(values)
        if computed == total:
            continue
        formula = " + ".join(f"{FIGURE_BY_KEY[p].label.lower()} {_count(v)}" for p, v in zip(parts, values))
        out.append(make("tthc-sum-mismatch", file=report.file, sheet=report.sheet, cell=row.cells[total_key],
                        row=row.row, label=FIGURE_BY_KEY[total_key].label, value=_count(total),
                        formula=formula, computed=_count(computed), rule=rule))
    return out


def _apology_findings(report: TthcReport, row: TthcRow) -> list[Finding]:
    if row.apologies is None or row.resolved_late is None:
        return []
    where = dict(file=report.file, sheet=report.sheet, cell=row.cells["apologies"], row=row.row)
    if row.apologies > row.resolved_late + (row.pending_late or 0):
        return [make("tthc-apologies", detail=f"{_count(row.apologies)} thư xin lỗi nhưng chỉ có "
                     f"{_count(row.resolved_late)} hồ sơ giải quyết quá hạn"
                     + (f" và {_count(row.pending_late)} hồ sơ đang quá hạn" if row.pending_late else ""), **where)]
    if row.apologies < row.resolved_late:
        missing = row.resolved_late - row.apologies
        return [make("tthc-apologies", severity="info",
                     detail=f"có {_count(row.resolved_late)} hồ sơ giải quyết quá hạn nhưng chỉ "
                            f"{_count(row.apologies)} thư xin lỗi ({_count(missing)} hồ sơ chưa được xin lỗi)",
                     **where)]
    return []


def _rate_findings(report: TthcReport, row: TthcRow) -> list[Finding]:
    out = []
    for key, fraction in row.typed_rates.items():
        computed = row.rate(key)
        if computed is None:
            continue
        typed = TypedTotal("rate", fraction * 100, row.rate_texts[key].rstrip("%").strip(), row.cells[key],
                           row.row, row.rate_decimals.get(key, 2))
        what = RATES[key].split(" (")[0].lower()
        out.extend(typed_total_findings(typed, computed * 100, what, file=report.file, sheet=report.sheet,
                                        unit="%"))
    return out


def check_report(report: TthcReport) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[tuple[str, str], int] = {}
    for row in report.rows:
        findings.extend(_identity_findings(report, row))
        findings.extend(_apology_findings(report, row))
        findings.extend(_rate_findings(report, row))
        first_cell = next(iter(row.cells.values()), "")
        if row.start and row.end and row.start > row.end:
            cell = f"{report.columns.get('start', first_cell[:1] or 'A')}{row.row}"
            findings.append(make("tthc-period-invalid", file=report.file, sheet=report.sheet, cell=cell,
                                 row=row.row, detail=f"ngày bắt đầu {row.start:%d/%m/%Y} sau ngày kết thúc "
                                                     f"{row.end:%d/%m/%Y}"))
        if not row.period and row.start is None and row.end is None and not row.is_total:
            cell = f"{report.columns.get('period', report.columns.get('start', 'A'))}{row.row}"
            findings.append(make("tthc-period-invalid", file=report.file, sheet=report.sheet, cell=cell,
                                 row=row.row, detail="dòng có số liệu nhưng không ghi kỳ báo cáo"))
        key = (tx.fold(row.unit), tx.fold(row.period) or f"{row.start}-{row.end}")
        if key in seen and not row.is_total:
            cell = f"{report.columns.get('period', 'A')}{row.row}"
            findings.append(make("tthc-duplicate-row", file=report.file, sheet=report.sheet, cell=cell,
                                 row=row.row, unit=row.unit or "Đơn vị", period=row.period, other_row=seen[key]))
        seen.setdefault(key, row.row)
    return findings


def check_overlaps(reports: list[TthcReport]) -> list[Finding]:
    """Rows of one unit whose periods overlap, across every sheet and file:
    their figures would be added twice (months and the quarter that holds them,
    one month in two files). Identical periods in one sheet are
    tthc-duplicate-row's concern."""
    by_unit: dict[str, list[tuple[TthcReport, TthcRow]]] = {}
    for report in reports:
        for row in report.rows:
            if row.start and row.end and not row.is_total:
                by_unit.setdefault(tx.fold(row.unit), []).append((report, row))
    findings = []
    for items in by_unit.values():
        items.sort(key=lambda item: (item[1].start, item[1].end, item[0].file, item[0].sheet, item[1].row))
        for index, (report, row) in enumerate(items):
            for other_report, other in items[:index]:
                if other.end < row.start:
                    continue
                same_sheet = (other_report.file, other_report.sheet) == (report.file, report.sheet)
                if same_sheet and (other.start, other.end) == (row.start, row.end):
                    continue
                where = f"dòng {other.row}" if same_sheet else f"{other_report.file} › {other_report.sheet}, dòng {other.row}"
                findings.append(make("tthc-period-overlap", file=report.file, sheet=report.sheet,
                                     cell=f"{report.columns.get('period', report.columns.get('start', 'A'))}{row.row}",
                                     row=row.row, unit=row.unit or "Đơn vị", period=row.period,
                                     other=other.period, where=where))
                break
    return findings
