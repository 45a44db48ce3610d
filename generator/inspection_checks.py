"""Checks of an inspection workbook (kế hoạch kiểm tra CCHC, theo dõi khắc phục).

Coverage of the inspection list against the units registry and the targets
(cơ quan ≥ 30 %, xã 15–20 %); a unit inspected twice in one round; a
conclusion dated before its inspection; a remediation past its deadline and
not done; a related criterion that the plan does not have; a remediation for
a unit that is not on the inspection list. Every finding names the cell it
concerns.

The finding codes are declared here (``FINDING_CODES``) until they move into
``findings.REGISTRY``; ``make_finding`` builds the same ``Finding`` that
``findings.make`` would, and uses the registry once a code is there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .findings import REGISTRY, Finding, FindingType, Severity, make
from .inspection import (
    DONE, STATUS_LABELS, Coverage, InspectionPlan, coverage, round_key,
)

#: code -> (severity, message template, fix): the same fields as a REGISTRY
#: entry's severity / template / hint, formatted with the finding's params
#: (plus cell, row, sheet and name = the file, as ``findings.make`` does).
FINDING_CODES: dict[str, tuple[str, str, str]] = {
    "inspection-coverage-low": (
        "warning",
        "Ô {cell}: kế hoạch kiểm tra mới có {count}/{total} {group} ({percent}), thấp hơn chỉ tiêu {target}.",
        "Bổ sung {missing} {group} vào danh sách được kiểm tra để đạt chỉ tiêu {target}.",
    ),
    "inspection-coverage-high": (
        "info",
        "Ô {cell}: kế hoạch kiểm tra có {count}/{total} {group} ({percent}), cao hơn mức {target}.",
        "Không bắt buộc sửa; kiểm tra lại nếu kế hoạch chỉ nhằm kiểm tra {target} {group}.",
    ),
    "inspection-duplicate": (
        "error",
        "Ô {cell}: {unit} được kiểm tra hai lần trong {round} (đã có ở dòng {other_row}).",
        "Xóa dòng trùng, hoặc ghi đúng đợt kiểm tra của dòng {row}.",
    ),
    "inspection-conclusion-before": (
        "error",
        "Ô {cell}: ngày thông báo kết luận {conclusion} của {unit} trước {when} {date}.",
        "Sửa lại ngày thông báo kết luận (ô {cell}) hoặc thời gian kiểm tra của dòng {row}.",
    ),
    "inspection-date-invalid": (
        "warning",
        "Ô {cell}: không đọc được ngày “{text}” ở cột “{column}”.",
        "Ghi ngày theo dạng dd/mm/yyyy (ví dụ 15/09/2020); thời gian kiểm tra có thể ghi “Tháng 8-10/2020”, "
        "“Quý III/2020” hoặc “từ 05/8/2020 đến 07/8/2020”.",
    ),
    "remediation-overdue": (
        "warning",
        "Ô {cell}: {unit} — nhiệm vụ khắc phục “{task}” đã quá hạn {deadline} mà {state}.",
        "Cập nhật tình trạng khắc phục vào ô {cell} (Đã khắc phục / Đang khắc phục / Chưa khắc phục) và minh chứng.",
    ),
    "remediation-unknown-criterion": (
        "warning",
        "Ô {cell}: tiêu chí {code} không có trong kế hoạch CCHC.",
        "Ghi đúng mã tiêu chí, tiêu chí thành phần của kế hoạch (ví dụ 1.3.1), cách nhau bằng dấu chấm phẩy.",
    ),
    "remediation-unit-not-inspected": (
        "warning",
        "Ô {cell}: {unit} có nhiệm vụ khắc phục nhưng không có trong danh sách được kiểm tra.",
        "Kiểm tra lại tên đơn vị ở ô {cell}, hoặc bổ sung đơn vị vào trang Kế hoạch kiểm tra.",
    ),
}
#: code -> (title, example): the rest of a REGISTRY entry, for the guide.
FINDING_DETAILS: dict[str, tuple[str, str]] = {
    "inspection-coverage-low": ("Kiểm tra chưa đủ chỉ tiêu",
                                "Ô B6: kế hoạch kiểm tra mới có 3/25 UBND xã, thị trấn (12%), thấp hơn chỉ tiêu 15–20%."),
    "inspection-coverage-high": ("Kiểm tra vượt mức chỉ tiêu",
                                 "Ô B6: kế hoạch kiểm tra có 6/25 UBND xã, thị trấn (24%), cao hơn mức 15–20%."),
    "inspection-duplicate": ("Một đơn vị được kiểm tra hai lần trong một đợt",
                             "Ô B12: UBND xã Quảng Thái được kiểm tra hai lần trong “Đợt 1” (đã có ở dòng 8)."),
    "inspection-conclusion-before": ("Kết luận trước khi kiểm tra",
                                     "Ô F9: ngày thông báo kết luận 01/08/2020 của Phòng Nội vụ trước ngày bắt đầu "
                                     "kiểm tra 05/08/2020."),
    "inspection-date-invalid": ("Ngày không đọc được",
                                "Ô F10: không đọc được ngày “sau đợt 1” ở cột “Ngày thông báo kết luận”."),
    "remediation-overdue": ("Quá hạn khắc phục",
                            "Ô G8: Phòng Nội vụ — nhiệm vụ khắc phục “Cập nhật hồ sơ TTHC” đã quá hạn 15/10/2020 "
                            "mà chưa ghi tình trạng."),
    "remediation-unknown-criterion": ("Tiêu chí không có trong kế hoạch",
                                      "Ô E9: tiêu chí 9.9.9 không có trong kế hoạch CCHC."),
    "remediation-unit-not-inspected": ("Khắc phục của đơn vị chưa được kiểm tra",
                                       "Ô B11: UBND xã Quảng Phú có nhiệm vụ khắc phục nhưng không có trong danh "
                                       "sách được kiểm tra."),
}


def finding_types() -> list[FindingType]:
    """The codes as REGISTRY entries, for the integrator to move into findings.py."""
    return [FindingType(code, Severity(severity), FINDING_DETAILS[code][0], template, hint, FINDING_DETAILS[code][1])
            for code, (severity, template, hint) in FINDING_CODES.items()]


def make_finding(code: str, /, *, file: str = "", sheet: str = "", cell: str = "", row: int | None = None,
                 severity: Severity | str | None = None, **params) -> Finding:
    """``findings.make`` for the codes of this module (the registry's own when it has them)."""
    if code in REGISTRY:
        return make(code, file=file, sheet=sheet, cell=cell, row=row, severity=severity, **params)
    default, template, hint = FINDING_CODES[code]
    values = {"cell": cell, "row": row, "sheet": sheet, "name": file, **params}
    return Finding(code=code, severity=Severity(severity) if severity else Severity(default), file=file,
                   sheet=sheet, cell=cell, row=row, message=template.format(**values), hint=hint.format(**values))


# --- checks -------------------------------------------------------------------------


def _unit_name(registry, unit_id: str, fallback: str) -> str:
    name = registry.name_of(unit_id) if registry is not None else None
    return name or fallback


def check_coverage(plan: InspectionPlan, registry, targets: dict | None = None,
                   groups: dict | None = None) -> list[Finding]:
    """inspection-coverage-low for a group under its minimum, -high above its
    maximum; the cell is the header cell of the "Đơn vị được kiểm tra" column."""
    if not plan.inspection_sheet:
        return []
    cell = plan.header_cell("inspection", "unit")
    row = plan.header_rows.get("inspection")
    out = []
    for item in coverage(plan, registry, targets, groups).values():
        state = item.state
        if state not in ("low", "high"):
            continue
        params = dict(count=item.count, total=item.total, group=item.label, percent=item.percent_text,
                      target=item.target_text)
        if state == "low":
            params["missing"] = _missing(item)
        out.append(make_finding(f"inspection-coverage-{state}", file=plan.file, sheet=plan.inspection_sheet,
                                cell=cell, row=row, **params))
    return out


def _missing(item: Coverage) -> int:
    """How many more units reach the group's minimum."""
    low = item.target[0] if item.target else None
    if low is None or not item.total:
        return 0
    needed = -(-low * item.total // 100)  # ceiling
    return max(int(needed) - item.count, 0)


def check_duplicates(plan: InspectionPlan, registry=None) -> list[Finding]:
    """inspection-duplicate: a unit on two rows of one round (cell: the unit of the second)."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for item in plan.inspections:
        for unit_id in item.unit_ids:
            key = (round_key(item.round), unit_id)
            if key in seen:
                where = f"“{item.round}”" if item.round else "cùng một đợt"
                out.append(make_finding("inspection-duplicate", file=plan.file, sheet=plan.inspection_sheet,
                                        cell=item.cells.get("unit", ""), row=item.row,
                                        unit=_unit_name(registry, unit_id, item.unit_text), round=where,
                                        other_row=seen[key]))
            else:
                seen[key] = item.row
    return out


def check_conclusion_dates(plan: InspectionPlan) -> list[Finding]:
    """inspection-conclusion-before: a conclusion dated before the inspection
    starts, or before it ends when its days are written exactly (a month or
    quarter is only a window). Cell: the conclusion date."""
    out = []
    for item in plan.inspections:
        if item.conclusion_date is None:
            continue
        if item.start and item.conclusion_date < item.start:
            when, date = "ngày bắt đầu kiểm tra", item.start
        elif item.exact and item.end and item.conclusion_date < item.end:
            when, date = "ngày kết thúc kiểm tra", item.end
        else:
            continue
        out.append(make_finding("inspection-conclusion-before", file=plan.file, sheet=plan.inspection_sheet,
                                cell=item.cells.get("conclusion_date", ""), row=item.row, unit=item.unit_text,
                                conclusion=f"{item.conclusion_date:%d/%m/%Y}", when=when, date=f"{date:%d/%m/%Y}"))
    return out


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def check_overdue(plan: InspectionPlan, today: dt.date) -> list[Finding]:
    """remediation-overdue: the deadline has passed and the status is not
    "đã khắc phục" (cell: Tình trạng). Waiting deadlines are never overdue."""
    out = []
    for item in plan.remediations:
        if item.deadline is None or item.waiting_conclusion or item.deadline >= today or item.status == DONE:
            continue
        state = (f"tình trạng mới ghi “{item.status_text}” ({STATUS_LABELS[item.status]})" if item.status_text
                 else "chưa ghi tình trạng")
        out.append(make_finding("remediation-overdue", file=plan.file, sheet=plan.remediation_sheet,
                                cell=item.cells.get("status", item.cells.get("deadline", "")), row=item.row,
                                unit=item.unit_text or "Đơn vị", task=_short(item.task or item.issue),
                                deadline=f"{item.deadline:%d/%m/%Y}", state=state))
    return out


def known_codes(plans: Iterable) -> set[str]:
    """The TT codes of the plans' criteria trees and tasks (model.Plan)."""
    codes: set[str] = set()
    for plan in plans:
        for top in plan.sections:
            codes.update(section.code for section in top.walk() if section.code)
        codes.update(task.code for task in plan.tasks if task.code)
    return codes


def check_criteria(plan: InspectionPlan, known: set[str] | None) -> list[Finding]:
    """remediation-unknown-criterion: a "Tiêu chí liên quan" code not among
    ``known`` (cell: Tiêu chí liên quan). Nothing when ``known`` is empty:
    without a plan there is nothing to compare with."""
    if not known:
        return []
    out = []
    for item in plan.remediations:
        for code in item.criteria:
            if code not in known:
                out.append(make_finding("remediation-unknown-criterion", file=plan.file,
                                        sheet=plan.remediation_sheet, cell=item.cells.get("criteria", ""),
                                        row=item.row, code=code))
    return out


def check_not_inspected(plan: InspectionPlan, registry=None) -> list[Finding]:
    """remediation-unit-not-inspected: a remediation of a (known) unit that no
    row of the inspection list names (cell: the unit). Needs the list."""
    if not plan.inspection_sheet:
        return []
    inspected = set(plan.inspected_ids)
    out = []
    for item in plan.remediations:
        for unit_id in item.unit_ids:
            if unit_id not in inspected:
                out.append(make_finding("remediation-unit-not-inspected", file=plan.file,
                                        sheet=plan.remediation_sheet, cell=item.cells.get("unit", ""), row=item.row,
                                        unit=_unit_name(registry, unit_id, item.unit_text)))
    return out


def check_inspection_plan(plan: InspectionPlan, registry, today: dt.date, known: set[str] | None = None,
                          targets: dict | None = None, groups: dict | None = None) -> list[Finding]:
    """Every check, in sheet order of concern."""
    return [
        *check_coverage(plan, registry, targets, groups),
        *check_duplicates(plan, registry),
        *check_conclusion_dates(plan),
        *check_overdue(plan, today),
        *check_criteria(plan, known),
        *check_not_inspected(plan, registry),
    ]


__all__ = [
    "FINDING_CODES", "FINDING_DETAILS", "check_conclusion_dates", "check_coverage", "check_criteria",
    "check_duplicates", "check_inspection_plan", "check_not_inspected", "check_overdue", "finding_types",
    "known_codes", "make_finding",
]
