"""The model as open data: JSON (the whole tree) and CSV (one row per task).

CSV is UTF-8 with a BOM so that Excel opens Vietnamese text correctly, and
every cell that a spreadsheet would run as a formula is made inert.
"""

from __future__ import annotations

import csv
import io
import json

from .model import Deadline, Plan, Section, Task, UnitRef


def unit_dict(ref: UnitRef) -> dict:
    kind = "group" if ref.group else ("unit" if ref.unit_id else "unknown")
    data = {"text": ref.text, "id": ref.group or ref.unit_id, "kind": kind}
    if ref.product is not None:
        data["product"] = ref.product
    if ref.qualifier:
        data["qualifier"] = ref.qualifier
    return data


def deadline_dict(deadline: Deadline) -> dict:
    data = {
        "text": deadline.text,
        "kind": deadline.kind.value,
        "date": deadline.date.isoformat() if deadline.date else None,
    }
    if deadline.start:
        data["start"] = deadline.start.isoformat()
    if deadline.label:
        data["label"] = deadline.label
    if deadline.product is not None:
        data["product"] = deadline.product
    if deadline.invalid:
        data["invalid"] = deadline.invalid
    return data


def task_dict(task: Task) -> dict:
    return {
        "id": task.id,
        "code": task.code,
        "row": task.row,
        "criterion": task.criterion,
        "title": task.title,
        "points": task.points,
        "lead": [unit_dict(r) for r in task.lead],
        "support": [unit_dict(r) for r in task.support],
        "products": [{"text": p.text, "number": p.number} for p in task.products],
        "deadlines": [deadline_dict(d) for d in task.deadlines],
        "extra": dict(task.extra),
    }


def section_dict(section: Section) -> dict:
    return {
        "code": section.code,
        "title": section.title,
        "kind": section.kind,
        "row": section.row,
        "points": section.points,
        "tasks": list(section.task_ids),
        "notes": dict(section.notes),
        "children": [section_dict(c) for c in section.children],
    }


def plan_dict(plan: Plan) -> dict:
    meta = plan.meta
    return {
        "title": meta.title,
        "issuer": meta.issuer,
        "year": meta.year,
        "year_end": meta.year_end,
        "document_number": meta.document_number,
        "attached_to": meta.attached_to,
        "file": plan.file,
        "sheet": plan.sheet,
        "header_row": plan.header_row,
        "columns": dict(plan.columns),
        "sections": [section_dict(s) for s in plan.sections],
        "tasks": [task_dict(t) for t in plan.tasks],
    }


def to_json(plans: list[Plan]) -> str:
    return json.dumps({"plans": [plan_dict(p) for p in plans]}, ensure_ascii=False, indent=2) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert(value: str) -> str:
    """Prefix a cell that a spreadsheet would evaluate (OWASP CSV injection)."""
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


CSV_COLUMNS = ["file", "sheet", "row", "id", "code", "criterion", "title", "points", "products", "lead",
               "support", "lead_ids", "support_ids", "deadlines", "deadline_dates", "deadline_kinds"]


def _ids(refs: list[UnitRef]) -> str:
    """Registry ids of the units and groups named ("?" for an unknown name)."""
    return "; ".join(r.group or r.unit_id or "?" for r in refs)


def to_csv(plans: list[Plan]) -> str:
    extra_keys: list[str] = []
    for plan in plans:
        for task in plan.tasks:
            for key in task.extra:
                if key not in extra_keys:
                    extra_keys.append(key)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS + extra_keys)
    for plan in plans:
        for task in plan.tasks:
            points = "" if task.points is None else f"{task.points:g}".replace(".", ",")
            row = [
                plan.file, plan.sheet, str(task.row), task.id, task.code, task.criterion or "", task.title, points,
                "\n".join(p.text for p in task.products), task.lead_text, task.support_text,
                _ids(task.lead), _ids(task.support),
                "\n".join(d.text for d in task.deadlines),
                "\n".join(d.date.isoformat() if d.date else "" for d in task.deadlines),
                "\n".join(d.kind.value for d in task.deadlines),
            ] + [task.extra.get(key, "") for key in extra_keys]
            writer.writerow([inert(cell) for cell in row])
    return out.getvalue()
