"""Checks on the typed model of a plan. Pure: model in, findings out.

Each check names the cell it concerns (the plan knows the column of every
field) and says how to fix it. All findings are collected; none stops the run.
"""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Finding, make
from .model import DeadlineKind, Plan, Section, Task
from .text import format_number

_DATED = {DeadlineKind.DATE, DeadlineKind.BEFORE_DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER,
          DeadlineKind.YEAR_RANGE}
_TOLERANCE = 1e-6


def validate_plan(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    for check in (check_codes, check_points, check_tasks):
        findings.extend(check(plan))
    findings.sort(key=lambda f: (f.row or 0, f.cell))
    return findings


def _loc(plan: Plan, field: str, row: int) -> dict:
    return {"file": plan.file, "sheet": plan.sheet, "cell": plan.cell(field, row), "row": row}


def _dotted(code: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in code.split("."))
    except ValueError:
        return None


def check_codes(plan: Plan) -> Iterator[Finding]:
    """tt-duplicate, tt-out-of-order, tt-orphan: numbering restarts inside each
    part (I, II, A, NHÓM), so codes are compared within their part."""
    seen: dict[tuple[int, str], int] = {}

    def visit(nodes: list[Section], parent: Section | None, scope: int) -> Iterator[Finding]:
        previous: Section | None = None
        for node in nodes:
            if node.kind in ("group", "part"):
                node_scope = id(node)
            else:
                node_scope = scope
            if node.code:
                key = (scope, node.code)
                if key in seen:
                    yield make("tt-duplicate", **_loc(plan, "code", node.row), code=node.code, other_row=seen[key])
                else:
                    seen[key] = node.row
            mine = _dotted(node.code)
            if mine and parent is not None and len(mine) > 1:
                expected = ".".join(str(p) for p in mine[:-1])
                if _dotted(parent.code) != mine[:-1]:
                    yield make("tt-orphan", **_loc(plan, "code", node.row), code=node.code, parent=expected)
            elif mine and len(mine) > 1 and parent is None:
                yield make("tt-orphan", **_loc(plan, "code", node.row), code=node.code,
                           parent=".".join(str(p) for p in mine[:-1]))
            if previous is not None and mine:
                before = _dotted(previous.code)
                if before and len(before) == len(mine) and mine <= before:
                    if node.numeric_code:
                        fix = (f"Excel đã đổi số thứ tự thành số (ví dụ 1.10 thành 1.1). Định dạng cột TT là "
                               f"Văn bản (Text) rồi gõ lại “{node.code}”, hoặc gõ dấu nháy đơn trước: '1.10.")
                    else:
                        fix = "Sắp xếp lại các dòng hoặc đánh lại số thứ tự cho liên tục."
                    yield make("tt-out-of-order", **_loc(plan, "code", node.row), code=node.code,
                               previous=previous.code, previous_row=previous.row, fix=fix)
            if node.code and node.kind != "group":
                previous = node
            yield from visit(node.children, node, node_scope)

    yield from visit(plan.sections, None, 0)


def check_points(plan: Plan) -> Iterator[Finding]:
    """points-sum-mismatch: a parent's points against the sum of its children
    (child criteria, or the un-numbered sub-items when it has no child criteria)."""
    tasks = {t.id: t for t in plan.tasks}
    for node in plan.walk_sections():
        if node.points is None:
            continue
        if node.children:
            parts = [(c.code, c.points) for c in node.children]
        else:
            parts = [(tasks[i].id, tasks[i].points) for i in node.task_ids if i in tasks and not tasks[i].code]
        if not parts:
            continue
        known = [p for _, p in parts if p is not None]
        if not known:
            continue
        total = sum(known)
        complete = len(known) == len(parts)
        if (complete and abs(total - node.points) > _TOLERANCE) or (not complete and total > node.points + _TOLERANCE):
            children = " + ".join(format_number(p) for p in known)
            if not complete:
                children += f"; {len(parts) - len(known)} mục con không ghi điểm"
            yield make("points-sum-mismatch", **_loc(plan, "title", node.row), code=node.code or node.title,
                       points=format_number(node.points), total=format_number(total), children=children)


def _year_window(plan: Plan) -> tuple[int, int] | None:
    if plan.meta.year is None:
        return None
    return plan.meta.year, plan.meta.year_end or plan.meta.year


def check_tasks(plan: Plan) -> Iterator[Finding]:
    window = _year_window(plan)
    for task in plan.tasks:
        label = task.code or task.id
        if not task.title:
            yield make("empty-title", **_loc(plan, "title", task.row))
        if not task.lead_text:
            yield make("missing-lead", **_loc(plan, "lead", task.row), code=label)
        if not task.deadline_text and "deadline" in plan.columns:
            yield make("missing-deadline", **_loc(plan, "deadline", task.row), code=label)
        for field, refs in (("lead", task.lead), ("support", task.support)):
            for ref in refs:
                if ref.unit_id is None and ref.group is None:
                    hint = f" — có phải là “{ref.suggestion}”?" if ref.suggestion else "."
                    yield make("unknown-unit", **_loc(plan, field, task.row), name=ref.text, suggestion=hint)
        yield from _check_deadlines(plan, task, window)
        yield from _check_product_tags(plan, task)


def _check_deadlines(plan: Plan, task: Task, window: tuple[int, int] | None) -> Iterator[Finding]:
    for deadline in task.deadlines:
        loc = _loc(plan, "deadline", task.row)
        if deadline.invalid:
            yield make("deadline-invalid", **loc, text=deadline.text, reason=deadline.invalid)
            continue
        if deadline.kind is DeadlineKind.FREE_TEXT:
            yield make("deadline-unparsed", **loc, text=deadline.text)
            continue
        if window is None or deadline.kind not in _DATED or deadline.date is None:
            continue
        first, last = window
        start = deadline.start or deadline.date
        end = deadline.date
        shown = _show(deadline)
        if end.year < first and not (end.year == first - 1 and end.month == 12):
            # a plan made late in the year before may set December deadlines
            yield make("deadline-outside-plan-year", **loc, date=shown, where="trước", year=_years(window))
        elif start.year > last:
            yield make("deadline-outside-plan-year", **loc, date=shown, where="sau", year=_years(window))


def _show(deadline) -> str:
    if deadline.kind in (DeadlineKind.DATE, DeadlineKind.BEFORE_DATE):
        return deadline.date.strftime("%d/%m/%Y")
    return f"“{deadline.text}”"


def _years(window: tuple[int, int]) -> str:
    return str(window[0]) if window[0] == window[1] else f"{window[0]}–{window[1]}"


def _check_product_tags(plan: Plan, task: Task) -> Iterator[Finding]:
    """The "(Sản phẩm N)" tags of products, lead units and deadlines must agree."""
    numbered = sorted({p.number for p in task.products if p.number is not None})
    if not numbered:
        return
    label = task.code or task.id
    for code, field, items in (("product-without-deadline", "deadline", task.deadlines),
                               ("product-without-lead", "lead", task.lead)):
        tagged = {item.product for item in items if item.product is not None}
        missing = [n for n in numbered if n not in tagged]
        if tagged and missing:  # an untagged cell applies to every product
            yield make(code, **_loc(plan, field, task.row), code=label,
                       products=", ".join(str(n) for n in missing))
