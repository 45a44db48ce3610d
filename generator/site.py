"""The site's model: what every page shows, computed once from the plans,
the findings and "today". Pure (no I/O) so tests can build it by hand and
check it like datasette checks its template contexts."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slugify import slugify

from .findings import Finding, Report, Severity
from .model import Deadline, Plan, Task, UnitRef
from .status import ORDER, Status, TaskStatus, task_status
from .text import fold, format_number
from .units import UnitRegistry

if TYPE_CHECKING:
    from .index_views import LostPoints, ScoresView, TthcView
    from .inspection_views import InspectionsView

UPCOMING_DAYS = 30
#: Longest list of tasks or deadlines a page shows in full: beyond it the most
#: urgent come first and the rest are counted per plan, with links (a province
#: has thousands of tasks; a page must still open on a cheap phone).
LIST_LIMIT = 100

# URLs (directory style, relative to the site root, no leading slash)
HOME = ""
PLANS = "ke-hoach/"
UNITS = "don-vi/"
CALENDAR = "lich/"
DATA = "du-lieu/"
CHECKS = "kiem-tra/"
SCORES = "chi-so-cchc/"
TTHC = "tien-do-tthc/"
CHANGES = "thay-doi/"


def plan_url(slug: str) -> str:
    return f"{PLANS}{slug}/"


def unit_url(unit_id: str) -> str:
    return f"{UNITS}{unit_id}/"


def plan_ics(slug: str) -> str:
    return f"{CALENDAR}{slug}.ics"


def unit_ics(unit_id: str) -> str:
    return f"{CALENDAR}don-vi/{unit_id}.ics"


def relative(target: str, page: str) -> str:
    """A link from the page at URL ``page`` to ``target`` (both site-relative)."""
    base = page if page.endswith("/") or not page else posixpath.dirname(page) + "/"
    rel = posixpath.relpath("/" + target, "/" + base)
    if target.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel


def show_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def task_anchor(task: Task) -> str:
    return "nv-" + slugify(task.id, separator="-", regex_pattern=r"[^-a-z0-9]+") if task.id else f"dong-{task.row}"


@dataclass(slots=True)
class UnitLink:
    name: str
    url: str | None  # None for an unknown unit or a group
    known: bool
    note: str = ""  # qualifier, product tag


@dataclass(slots=True, eq=False)
class TaskView:
    plan: "PlanView"
    task: Task
    status: TaskStatus
    anchor: str
    lead: list[UnitLink]
    support: list[UnitLink]
    lead_ids: list[str]  # units (groups expanded) that lead
    support_ids: list[str]

    @property
    def url(self) -> str:
        return f"{self.plan.url}#{self.anchor}"

    @property
    def label(self) -> str:
        return self.task.code or self.task.id


@dataclass(slots=True, eq=False)
class DeadlineItem:
    """A dated deadline of a task, for the calendar and the upcoming lists."""

    date: dt.date
    deadline: Deadline
    view: TaskView


@dataclass(slots=True, eq=False)
class PlanView:
    plan: Plan
    slug: str
    updated: dt.datetime | None = None
    tasks: list[TaskView] = field(default_factory=list)

    @property
    def url(self) -> str:
        return plan_url(self.slug)

    @property
    def ics(self) -> str:
        return plan_ics(self.slug)

    @property
    def task_map(self) -> dict[str, TaskView]:
        return {t.task.id: t for t in self.tasks}

    @property
    def counts(self) -> dict[Status, int]:
        counter = Counter(t.status.status for t in self.tasks)
        return {s: counter.get(s, 0) for s in ORDER}

    @property
    def total_points(self) -> str:
        total = sum(s.points or 0 for s in self.plan.sections if s.kind == "criterion")
        if not total:
            total = sum(c.points or 0 for s in self.plan.sections for c in s.children)
        return format_number(total) if total else ""


@dataclass(slots=True, eq=False)
class UnitView:
    id: str
    name: str
    kind: str
    leads: list[TaskView] = field(default_factory=list)
    supports: list[TaskView] = field(default_factory=list)

    @property
    def url(self) -> str:
        return unit_url(self.id)

    @property
    def ics(self) -> str:
        return unit_ics(self.id)

    @property
    def tasks(self) -> list[TaskView]:
        leads = set(map(id, self.leads))
        return self.leads + [t for t in self.supports if id(t) not in leads]

    def overdue(self) -> list[TaskView]:
        return [t for t in self.leads if t.status.status is Status.OVERDUE]

    def search_terms(self) -> str:
        return fold(self.name)


@dataclass(slots=True)
class Shortlist:
    """At most LIST_LIMIT items of a long list, and where the others are."""

    shown: list
    total: int
    plans: list[tuple[PlanView, int]]  # when some are hidden: each plan of the whole list, with its count

    @property
    def hidden(self) -> int:
        return self.total - len(self.shown)


def _plan_of(item) -> PlanView:
    return item.view.plan if isinstance(item, DeadlineItem) else item.plan


def _urgency(item) -> tuple:
    view = item.view if isinstance(item, DeadlineItem) else item
    days = view.status.days_left
    return (ORDER.index(view.status.status), days if days is not None else 10**6)


def shortlist(items: list, limit: int = LIST_LIMIT, urgent_first: bool = True) -> Shortlist:
    """The list itself when it is short; else the ``limit`` most urgent items
    (overdue, then the nearest deadline; ``urgent_first=False`` keeps the order)
    and the count of every plan's items."""
    if len(items) <= limit:
        return Shortlist(list(items), len(items), [])
    ordered = sorted(items, key=_urgency) if urgent_first else items
    counts = Counter(id(_plan_of(i)) for i in items)
    plans = {id(_plan_of(i)): _plan_of(i) for i in items}
    return Shortlist(ordered[:limit], len(items), [(plans[k], n) for k, n in counts.items()])


@dataclass(slots=True)
class Notice:
    """A workbook the site could not use, shown on the home and check pages."""

    file: str
    message: str


@dataclass(slots=True)
class SiteModel:
    site_name: str
    issuer: str
    today: dt.date
    plans: list[PlanView]
    units: list[UnitView]
    report: Report
    notices: list[Notice]
    files: list[dict]
    scores: "ScoresView | None" = None
    tthc: "TthcView | None" = None
    sources: list = field(default_factory=list)  # SourceStates (content folders with sources:)
    changes: list = field(default_factory=list)  # history.Change, newest first
    pdfs: dict = field(default_factory=dict)  # page url -> "pdf/<name>.pdf" (the printable copy)
    pdf_list: list = field(default_factory=list)  # {"path", "title", "size"} of every PDF, for the data page
    illustrative: list[str] = field(default_factory=list)  # workbooks marked “DỮ LIỆU MINH HỌA”
    inspections: "InspectionsView | None" = None  # Kế hoạch kiểm tra CCHC and Khắc phục
    _dated: list | None = field(default=None, repr=False, compare=False)

    def source_title(self, source_id: str) -> str:
        """A source's title from site.yml (its id if it has none or is no longer declared)."""
        return next((state.source.label for state in self.sources if state.source.id == source_id), source_id)

    @property
    def source_notices(self) -> list:
        """Sources whose newest copy was refused, or that have no data yet."""
        return [state for state in self.sources if state.notice]

    def task_changes(self, view: TaskView) -> list:
        """The public history of one task (deadline moved, lead changed…), newest first."""
        if not self.changes:
            return []
        from .history import task_history

        return task_history(self.changes, view.plan.plan.file, view.task.id, sheet=view.plan.plan.sheet)

    def lost_points(self, view: TaskView) -> "LostPoints | None":
        """What the task's criterion lost in last year's CCHC index (joined by TT)."""
        if self.scores is None:
            return None
        return self.scores.lost_for(view.task.code or view.task.criterion, view.plan.plan.year)

    def all_tasks(self) -> list[TaskView]:
        return [t for p in self.plans for t in p.tasks]

    def counts(self) -> dict[Status, int]:
        counter = Counter(t.status.status for t in self.all_tasks())
        return {s: counter.get(s, 0) for s in ORDER}

    def dated(self) -> list[DeadlineItem]:
        if self._dated is None:  # asked for by several pages: computed once
            items = [DeadlineItem(d.date, d, t) for t in self.all_tasks() for d in t.task.deadlines if d.date]
            self._dated = sorted(items, key=lambda i: (i.date, i.view.plan.slug, i.view.task.row))
        return self._dated

    def shortlist(self, items: list, urgent_first: bool = True, limit: int = LIST_LIMIT) -> Shortlist:
        return shortlist(items, limit, urgent_first)

    def upcoming(self, days: int = UPCOMING_DAYS) -> list[DeadlineItem]:
        end = self.today + dt.timedelta(days=days)
        return [i for i in self.dated() if self.today <= i.date <= end and i.view.status.status is not Status.DONE]

    def overdue(self) -> list[TaskView]:
        return [t for t in self.all_tasks() if t.status.status is Status.OVERDUE]

    def by_month(self) -> list[tuple[str, list[DeadlineItem]]]:
        months: dict[str, list[DeadlineItem]] = {}
        for item in self.dated():
            months.setdefault(f"Tháng {item.date.month:02d}/{item.date.year}", []).append(item)
        return list(months.items())

    def findings_by_sheet(self) -> list[tuple[str, str, list[Finding]]]:
        groups: dict[tuple[str, str], list[Finding]] = {}
        for f in self.report.findings:
            groups.setdefault((f.file, f.sheet), []).append(f)
        return [(file, sheet, items) for (file, sheet), items in groups.items()]

    def summary(self) -> dict[str, int]:
        return self.report.summary


def _links(refs: list[UnitRef], registry: UnitRegistry) -> list[UnitLink]:
    links = []
    for ref in refs:
        notes = [n for n in (ref.qualifier, f"sản phẩm {ref.product}" if ref.product else "") if n]
        note = ", ".join(notes)
        if ref.unit_id:
            unit = registry.get(ref.unit_id)
            links.append(UnitLink(unit.name if unit else ref.text, unit_url(ref.unit_id), True, note))
        elif ref.group:
            links.append(UnitLink(registry.name_of(ref.group) or ref.text, None, True, note))
        else:
            links.append(UnitLink(ref.text, None, False, note))
    return links


def plan_slug(plan: Plan, taken: set[str]) -> str:
    stem = plan.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    base = slugify(stem) or "ke-hoach"
    slug = base
    if slug in taken:
        slug = slugify(f"{stem}-{plan.sheet}") or base
    n = 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


_FILE_LEVEL = {"file-format", "file-encrypted", "file-corrupt", "file-too-large", "file-empty", "missing-header"}


def build_site_model(plans: list[Plan], report: Report, registry: UnitRegistry, *, today: dt.date,
                     site_name: str, issuer: str = "",
                     updated: dict[str, dt.datetime] | None = None, cards: list | None = None,
                     tthc: list | None = None, formulas=None, sources: list | None = None,
                     changes: list | None = None, inspections: list | None = None,
                     targets: dict | None = None) -> SiteModel:
    updated = updated or {}
    taken: set[str] = set()
    views: list[PlanView] = []
    units = {u.id: UnitView(u.id, u.name, u.kind) for u in registry.units.values()}
    for plan in plans:
        pv = PlanView(plan, plan_slug(plan, taken), updated.get(plan.file))
        for task in plan.tasks:
            lead_ids = registry.expand(task.lead)
            support_ids = registry.expand(task.support)
            tv = TaskView(pv, task, task_status(task, today), task_anchor(task),
                          _links(task.lead, registry), _links(task.support, registry), lead_ids, support_ids)
            pv.tasks.append(tv)
            lead_set = set(lead_ids)
            for uid in lead_ids:
                if uid in units:
                    units[uid].leads.append(tv)
            for uid in support_ids:
                if uid in units and uid not in lead_set:
                    units[uid].supports.append(tv)
        views.append(pv)
    notices = [Notice(f.file, f.message) for f in report.findings
               if f.code in _FILE_LEVEL and f.severity is Severity.ERROR]
    unit_list = sorted(units.values(), key=lambda u: (_KIND_ORDER.get(u.kind, 9), fold(u.name)))
    model = SiteModel(site_name, issuer, today, views, unit_list, report, notices, report.files,
                      sources=list(sources or []), changes=list(changes or []))
    marked = [p.file for p in plans if p.meta.illustrative] + [c.file for c in cards or () if c.illustrative] \
        + [t.file for t in tthc or () if t.marked]
    model.illustrative = list(dict.fromkeys(marked))
    if inspections:
        from .inspection_views import inspections_view

        task_urls: dict[str, str] = {}
        for pv in views:
            for tv in pv.tasks:
                for code in (tv.task.code, tv.task.criterion):
                    if code:
                        task_urls.setdefault(code, tv.url)
        model.inspections = inspections_view(inspections, registry, today, targets, task_urls)
        marked = [p.file for p in inspections if p.illustrative and all(p.illustrative.values())]  # else per row
        model.illustrative = list(dict.fromkeys([*model.illustrative, *marked]))
    if cards or tthc:
        from .index_views import scores_view, tthc_view

        model.scores = scores_view(cards) if cards else None
        model.tthc = tthc_view(tthc, formulas, cards or []) if tthc else None
    return model


_KIND_ORDER = {"phong-ban": 0, "trung-tam": 1, "xa-thi-tran": 2, "cap-huyen": 3, "cap-tinh": 4}
KIND_LABELS = {
    "phong-ban": "Phòng, ban chuyên môn",
    "trung-tam": "Trung tâm, đơn vị sự nghiệp",
    "xa-thi-tran": "UBND xã, thị trấn",
    "cap-huyen": "Cấp huyện",
    "cap-tinh": "Cơ quan cấp tỉnh",
}
