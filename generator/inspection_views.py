"""What the site shows of the inspection cycle: the rounds with their units and
where each unit stands, coverage against the targets, the remediation table,
and for each unit and each criterion what concerns it. Pure (no I/O): built
from the InspectionPlans, the units registry and "today", tested like the
other page contexts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import inspection as ins

URL = "kiem-tra-cchc/"

#: CSS modifier of each unit status (badges on the page).
STATUS_CLASS = {
    ins.STATUS_NOT_INSPECTED: "chua", ins.STATUS_WAITING: "cho", ins.STATUS_CONCLUDED: "ket-luan",
    ins.STATUS_REMEDIATING: "dang", ins.STATUS_REMEDIATED: "xong",
}


@dataclass(slots=True, eq=False)
class InspectionRow:
    item: ins.Inspection
    status: str  # one of the STATUS_* labels
    units: list  # UnitLink-like (name, url)

    @property
    def status_class(self) -> str:
        return STATUS_CLASS.get(self.status, "")


@dataclass(slots=True, eq=False)
class RemediationRow:
    item: ins.Remediation
    overdue: bool
    units: list
    criteria: list[tuple[str, str | None]]  # (code, url of the task or criterion on its plan page, or None)

    @property
    def status_label(self) -> str:
        return ins.STATUS_LABELS.get(self.item.status, "") or self.item.status_text or "chưa ghi"


@dataclass(slots=True, eq=False)
class PlanView:
    plan: ins.InspectionPlan
    rounds: list[tuple[str, list[InspectionRow]]]
    coverage: list[ins.Coverage]
    remediations: list[RemediationRow]

    @property
    def illustrative(self) -> bool:
        return any(self.plan.illustrative.values()) or any(r.item.illustrative for _, rows in self.rounds
                                                           for r in rows)

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.remediations if r.overdue)

    @property
    def waiting(self) -> int:
        return sum(1 for r in self.remediations if r.item.waiting_conclusion)


@dataclass(slots=True, eq=False)
class InspectionsView:
    plans: list[PlanView]
    today: dt.date
    by_unit: dict[str, list[tuple[PlanView, list[InspectionRow], list[RemediationRow]]]] = field(default_factory=dict)
    by_code: dict[str, list[RemediationRow]] = field(default_factory=dict)

    url: str = URL

    def for_unit(self, unit_id: str):
        return self.by_unit.get(unit_id, [])

    def for_codes(self, *codes: str | None) -> list[RemediationRow]:
        """Remediation tied to a criterion or any of its parents (1.3.2 → 1.3 → 1)."""
        seen: dict[int, RemediationRow] = {}
        for code in codes:
            while code:
                for row in self.by_code.get(code, []):
                    seen.setdefault(id(row), row)
                code = code.rpartition(".")[0]
        return list(seen.values())

    def dated(self) -> list[tuple[dt.date, str, str, object]]:
        """(date, what, unit names, row) of every inspection and remediation
        deadline that has a date, for the calendar."""
        out = []
        for pv in self.plans:
            for _round, rows in pv.rounds:
                for row in rows:
                    names = ", ".join(name for name, _ in row.units) or row.item.unit_text
                    if row.item.start:
                        out.append((row.item.start, "Kiểm tra CCHC", names, row))
                    if row.item.conclusion_date:
                        out.append((row.item.conclusion_date, "Thông báo kết luận kiểm tra", names, row))
            for row in pv.remediations:
                if row.item.deadline:
                    names = ", ".join(name for name, _ in row.units) or row.item.unit_text
                    out.append((row.item.deadline, "Hạn khắc phục sau kiểm tra", names, row))
        return sorted(out, key=lambda entry: (entry[0], entry[1], entry[2]))


def _unit_links(ids: list[str], text: str, registry) -> list[tuple[str, str | None]]:
    from .site import unit_url

    links = []
    for uid in ids:
        unit = registry.get(uid)
        links.append((unit.name if unit else uid, unit_url(uid)))
    return links or [(text, None)]


def inspections_view(plans: list[ins.InspectionPlan], registry, today: dt.date, targets=None,
                     task_urls: dict[str, str] | None = None) -> InspectionsView:
    """``task_urls``: criterion / task code -> its place on a plan page."""
    task_urls = task_urls or {}
    view = InspectionsView([], today)
    groups = ins.coverage_groups(registry)
    for plan in plans:
        rounds: dict[str, list[InspectionRow]] = {}
        rows_by_unit: dict[str, list[InspectionRow]] = {}
        for item in plan.inspections:
            status = ins.unit_status(item.unit_ids[0], plan, today) if item.unit_ids else ins.STATUS_WAITING
            row = InspectionRow(item, status, _unit_links(item.unit_ids, item.unit_text, registry))
            rounds.setdefault(item.round or "Kiểm tra", []).append(row)
            for uid in item.unit_ids:
                rows_by_unit.setdefault(uid, []).append(row)
        fixes = []
        fixes_by_unit: dict[str, list[RemediationRow]] = {}
        for item in plan.remediations:
            overdue = bool(item.deadline and item.deadline < today and item.status != ins.DONE)
            row = RemediationRow(item, overdue, _unit_links(item.unit_ids, item.unit_text, registry),
                                 [(code, task_urls.get(code)) for code in item.criteria])
            fixes.append(row)
            for uid in item.unit_ids:
                fixes_by_unit.setdefault(uid, []).append(row)
            for code in item.criteria:
                view.by_code.setdefault(code, []).append(row)
        covered = ins.coverage(plan, registry, targets, groups)
        pv = PlanView(plan, list(rounds.items()), [c for c in covered.values() if c.total], fixes)
        view.plans.append(pv)
        for uid in sorted(set(rows_by_unit) | set(fixes_by_unit)):
            view.by_unit.setdefault(uid, []).append((pv, rows_by_unit.get(uid, []), fixes_by_unit.get(uid, [])))
    return view
