"""The site's pages from hand-built models, without MkDocs or a browser: what
each page lists (statuses, the next 30 days, links between pages), how
spreadsheet text is escaped, and the pure helpers behind them
(``site.relative``, ``status.task_status``)."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import markdown
import pytest
import yaml

from generator import site as s
from generator.findings import Report
from generator.model import Deadline, DeadlineKind, Plan, PlanMeta, Product, Section, Task, UnitRef
from generator.pages import md, render_pages
from generator.reader import read_workbook
from generator.status import SOON_DAYS, Status, task_status

from .workbooks import HEADER, TITLE_BLOCK, appendix

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2022, 11, 1)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def before(offset: int) -> str:
    return f"Trước {day(offset):%d/%m/%Y}"


def pages_by_url(model) -> dict[str, str]:
    return {p.url: p.text for p in render_pages(model)}


def section(text: str, heading: str) -> str:
    """The part of a page's markdown from ``## heading`` to the next ``## ``."""
    import re

    start = re.search(rf"^## {re.escape(heading)}( \{{[^}}]*\}})?$", text, re.M).start()
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


# --- markdown as MkDocs renders it ---------------------------------------------------


def _markdown() -> markdown.Markdown:
    """A Markdown converter with the extensions of mkdocs.yml."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for ext in config.get("markdown_extensions", []):
        if isinstance(ext, dict):
            (name, options), = ext.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(ext)
    return markdown.Markdown(extensions=names, extension_configs=configs)


def to_html(page_text: str) -> str:
    body = page_text.split("---\n", 2)[2] if page_text.startswith("---\n") else page_text
    return _markdown().convert(body)


class _Elements(HTMLParser):
    """Tags, link targets and heading texts of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.event_handlers: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src"):
                self.hrefs.append(value or "")
            if name.startswith("on"):
                self.event_handlers.append(f"{tag} {name}={value}")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag, ""]

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append((self._heading[0], self._heading[1]))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data


def elements(html_text: str) -> _Elements:
    parser = _Elements()
    parser.feed(html_text)
    parser.close()
    return parser


# --- a workbook with one task of each status ---------------------------------------------

#: (TT, title, products, lead, support, deadline, Tiến độ)
STATUS_ROWS = [
    ("1", "Tiêu chí thử: 5đ", None, None, None, None, None),
    ("1.1", "Nhiệm vụ quá hạn: 1đ", "Báo cáo", "Phòng Nội vụ", None, before(-31), None),
    ("1.2", "Nhiệm vụ sắp đến hạn: 1đ", "Kế hoạch", "Phòng Tư pháp", "Phòng Nội vụ", before(5), None),
    ("1.3", "Nhiệm vụ còn hạn: 1đ", "Quyết định", "Phòng Nội vụ", None, before(60), None),
    ("1.4", "Nhiệm vụ thường xuyên: 1đ", "Báo cáo", "Phòng Nội vụ", None, "Thường xuyên", None),
    ("1.5", "Nhiệm vụ đã xong: 1đ", "Báo cáo", "Phòng Nội vụ", None, before(10), "Đã hoàn thành"),
]

EXPECTED_STATUS = {
    "1.1": Status.OVERDUE,
    "1.2": Status.SOON,
    "1.3": Status.OPEN,
    "1.4": Status.UNKNOWN,
    "1.5": Status.DONE,
}

SLUG = "tien-do"
PLAN_URL = f"ke-hoach/{SLUG}/"


@pytest.fixture(scope="module")
def status_model(tmp_path_factory, registry):
    path = appendix(tmp_path_factory.mktemp("tien-do") / f"{SLUG}.xlsx", STATUS_ROWS, header=[*HEADER, "Tiến độ"])
    result = read_workbook(path, registry, path.name)
    assert result.readable and len(result.plans) == 1
    report = Report()
    report.extend(result.findings)
    return s.build_site_model(result.plans, report, registry, today=TODAY, site_name="Công khai CCHC thử",
                              issuer="UBND huyện Thử")


@pytest.fixture(scope="module")
def status_pages(status_model) -> dict[str, str]:
    return pages_by_url(status_model)


def test_each_task_has_its_status(status_model):
    plan = status_model.plans[0]
    assert plan.slug == SLUG
    assert {t.task.id: t.status.status for t in plan.tasks} == EXPECTED_STATUS
    assert plan.task_map["1.5"].task.status_text == "Đã hoàn thành"


def test_home_counts_tasks_by_status(status_pages):
    home = status_pages[s.HOME]
    found = re.findall(r'<li class="cchc-status--([a-z-]+)"><strong>(\d+)</strong> ([^<]+)</li>', home)
    counts = {status: (int(n), label) for status, n, label in found}
    assert counts == {
        "qua-han": (1, "quá hạn"),
        "sap-den-han": (1, "sắp đến hạn"),
        "con-han": (1, "còn hạn"),
        "khong-xac-dinh": (1, "không xác định"),
        "da-hoan-thanh": (1, "đã hoàn thành"),
    }


def test_home_lists_the_next_30_days(status_pages):
    upcoming = section(status_pages[s.HOME], "Thời hạn trong 30 ngày tới")
    assert f'href="{PLAN_URL}#nv-1-2"' in upcoming  # 5 days ahead
    assert f'<time datetime="{day(5).isoformat()}">{day(5):%d/%m/%Y}</time>' in upcoming
    assert "#nv-1-3" not in upcoming  # 60 days ahead
    assert "#nv-1-5" not in upcoming  # 10 days ahead, but done
    assert "#nv-1-1" not in upcoming  # already past
    assert "#nv-1-4" not in upcoming  # no date


def test_home_lists_overdue_tasks(status_pages):
    overdue = section(status_pages[s.HOME], "Nhiệm vụ quá hạn")
    assert re.findall(r'href="[^"]*#(nv-[0-9-]+)"', overdue) == ["nv-1-1"]
    assert 'href="don-vi/phong-noi-vu/"' in overdue


def test_plan_page_has_task_anchors_and_relative_links(status_pages):
    plan = status_pages[PLAN_URL]
    for task_id in EXPECTED_STATUS:
        assert f'<tr id="nv-{task_id.replace(".", "-")}" class="cchc-task' in plan
    assert 'href="../../don-vi/phong-noi-vu/"' in plan
    assert 'href="../../don-vi/phong-tu-phap/"' in plan
    assert f'href="../../lich/{SLUG}.ics"' in plan
    assert 'href="../../du-lieu/"' in plan
    row = re.search(r'<tr id="nv-1-5".*?</tr>', plan).group(0)
    assert "cchc-status--da-hoan-thanh" in row and "Tiến độ: Đã hoàn thành" in row


def test_links_between_pages(status_pages):
    assert f'href="{PLAN_URL}"' in status_pages[s.HOME]
    unit = status_pages[s.unit_url("phong-noi-vu")]
    assert f'href="../../{PLAN_URL}#nv-1-1"' in unit
    assert 'href="../../lich/don-vi/phong-noi-vu.ics"' in unit
    tu_phap = status_pages[s.unit_url("phong-tu-phap")]
    assert f'href="../../{PLAN_URL}#nv-1-2"' in section(tu_phap, "Nhiệm vụ chủ trì")
    calendar = status_pages[s.CALENDAR]
    assert f'href="../{PLAN_URL}#nv-1-2"' in calendar
    assert f'href="{SLUG}.ics"' in calendar


def test_every_relative_link_points_to_a_page_or_a_file(status_model, status_pages):
    """Resolved like a browser does, every link of every page lands on a page
    of the site, or on a calendar / data file the build writes."""
    files = {p.ics for p in status_model.plans} | {u.ics for u in status_model.units if u.tasks} | {
        "du-lieu/nhiem-vu.csv", "du-lieu/ke-hoach.json", "du-lieu/datapackage.json"}
    anchors = {f"{p.url}#{t.anchor}" for p in status_model.plans for t in p.tasks}
    root = "http://cchc.invalid/"
    broken = []
    for url, text in status_pages.items():
        for href in re.findall(r'href="([^"]*)"', text):
            target = urljoin(root + url, href)[len(root):]
            path, _, fragment = target.partition("#")
            ok = (path in status_pages or path in files) and (not fragment or target in anchors)
            if not ok:
                broken.append(f"{url or 'home'}: {href}")
    assert broken == []


# --- hostile text -------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "[bấm](javascript:alert(1))"
JINJA = "{{ 7*7 }}"
HOSTILE = f"{SCRIPT} {IMG} {MD_LINK} {JINJA} *_[]"


def hostile_plan() -> Plan:
    task = Task(
        id="1.1", code="1.1", row=8, title=f"Nhiệm vụ {HOSTILE}", criterion="1", points=1.0,
        products=[Product(f"Sản phẩm {HOSTILE}")],
        lead=[UnitRef("Phòng Nội vụ", unit_id="phong-noi-vu"), UnitRef(IMG)],
        support=[UnitRef(f"Đơn vị {SCRIPT}")],
        deadlines=[Deadline(f"Trước {day(5):%d/%m/%Y} {SCRIPT}", DeadlineKind.BEFORE_DATE, date=day(5),
                            label=f"Nhãn {IMG}"),
                   Deadline(f"Khi có yêu cầu {HOSTILE}", DeadlineKind.RELATIVE)],
        lead_text=f"Phòng Nội vụ; {IMG}", support_text=f"Đơn vị {SCRIPT}",
        extra={f"Ghi chú {SCRIPT}": f"{HOSTILE}\n{MD_LINK}"},
    )
    criterion = Section(code="1", title=f"Tiêu chí {HOSTILE}", row=7, kind="criterion", points=1.0,
                        task_ids=["1.1"], notes={f"Cột {IMG}": HOSTILE})
    meta = PlanMeta(issuer=f"UBND {SCRIPT}", title=f"Kế hoạch {HOSTILE}", document_number=f"Số {IMG}",
                    attached_to=f"Kèm theo {MD_LINK}", year=2022, lines=list(TITLE_BLOCK))
    return Plan(file="doc-hai.xlsx", sheet=f"Phụ lục {SCRIPT}", meta=meta, header_row=6, first_data_row=7,
                columns={}, headers={}, sections=[criterion], tasks=[task])


@pytest.fixture(scope="module")
def hostile_pages(registry) -> dict[str, str]:
    model = s.build_site_model([hostile_plan()], Report(), registry, today=TODAY,
                               site_name=f"Trang {SCRIPT} {JINJA} *_[]", issuer=f"UBND {IMG}")
    return pages_by_url(model)


def test_hostile_text_is_html_escaped(hostile_pages):
    plan = hostile_pages["ke-hoach/doc-hai/"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in plan
    assert "&lt;img src=x onerror=alert(1)&gt;" in plan
    for url, text in hostile_pages.items():
        lowered = text.lower()
        assert "<script" not in lowered and "<img" not in lowered, url
        assert not re.search(r'href="\s*javascript:', lowered), url
        assert "49" not in text.replace("2022", ""), url  # {{ 7*7 }} is never evaluated


def test_hostile_text_is_markdown_escaped_in_headings(hostile_pages):
    plan = hostile_pages["ke-hoach/doc-hai/"]
    headings = [line for line in plan.splitlines() if line.startswith("#")]
    h1 = next(h for h in headings if h.startswith("# "))
    h2 = next(h for h in headings if h.startswith("## "))
    for heading in (h1, h2):
        assert "&lt;script&gt;" in heading
        assert r"\*\_\[\]" in heading
        assert r"\[bấm\]\(javascript:alert\(1\)\)" in heading
        assert r"\{\{ 7\*7 \}\}" in heading
    front = yaml.safe_load(plan.split("---\n", 2)[1])
    # MkDocs' theme prints page titles (<title>, navigation) without escaping them
    assert front["title"] == html.escape(f"Kế hoạch {HOSTILE}")


def test_hostile_pages_render_to_text_only(hostile_pages):
    """Through Markdown (mkdocs.yml's extensions): no element, attribute or link
    comes from a cell, and headings show the cell text as typed."""
    for url, text in hostile_pages.items():
        found = elements(to_html(text))
        assert "script" not in found.tags and "img" not in found.tags, url
        assert found.event_handlers == [], url
        assert not [h for h in found.hrefs if h.strip().lower().startswith("javascript:")], url
    plan = elements(to_html(hostile_pages["ke-hoach/doc-hai/"]))
    assert ("h1", f"Kế hoạch {HOSTILE}") in plan.headings
    assert ("h2", f"1. Tiêu chí {HOSTILE} (1 điểm)") in plan.headings
    home = elements(to_html(hostile_pages[s.HOME]))
    assert ("h1", f"Trang {SCRIPT} {JINJA} *_[]") in home.headings


@pytest.mark.parametrize("text", [
    "*_[]",
    "{{ 7*7 }}",
    "<script>alert(1)</script>",
    "[bấm](javascript:alert(1))",
    "# 1. Không phải tiêu đề",
    "1. Không phải danh sách",
    "- Không phải danh sách",
    "+ cộng",
    "`mã` và \\ gạch chéo",
    "A & B < C > D",
    "Tài chính - Kế hoạch!",
    "Báo cáo | quý",
    "Tỷ lệ ~50%",
    "{: .lop }",
])
def test_md_filter_shows_text_as_typed_in_a_heading(text):
    rendered = elements(to_html(f"## {md(text)}\n"))
    assert rendered.headings == [("h2", text)]
    assert rendered.tags == ["h2"]


# --- site.relative -------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "page", "expected"), [
    ("don-vi/phong-noi-vu/", "ke-hoach/quang-dien/", "../../don-vi/phong-noi-vu/"),
    ("ke-hoach/quang-dien/", "", "ke-hoach/quang-dien/"),
    ("ke-hoach/quang-dien/#nv-1-1", "don-vi/phong-noi-vu/", "../../ke-hoach/quang-dien/#nv-1-1"),
    ("ke-hoach/quang-dien/#nv-1-1", "lich/", "../ke-hoach/quang-dien/#nv-1-1"),
    ("ke-hoach/quang-dien/#nv-1-1", "ke-hoach/quang-dien/", "#nv-1-1"),
    ("kiem-tra/", "ke-hoach/", "../kiem-tra/"),
    ("kiem-tra/", "", "kiem-tra/"),
    ("ke-hoach/", "ke-hoach/", "./"),
    ("lich/quang-dien.ics", "ke-hoach/quang-dien/", "../../lich/quang-dien.ics"),
    ("lich/quang-dien.ics", "lich/", "quang-dien.ics"),
    ("lich/don-vi/phong-tu-phap.ics", "don-vi/phong-tu-phap/", "../../lich/don-vi/phong-tu-phap.ics"),
    ("du-lieu/nhiem-vu.csv", "du-lieu/", "nhiem-vu.csv"),
    ("du-lieu/", "ke-hoach/quang-dien/", "../../du-lieu/"),
    ("don-vi/phong-noi-vu/", "don-vi/phong-tu-phap/", "../phong-noi-vu/"),
    ("don-vi/phong-noi-vu/", "du-lieu/nhiem-vu.csv", "../don-vi/phong-noi-vu/"),  # from a file: its folder
])
def test_relative(target, page, expected):
    assert s.relative(target, page) == expected
    base = "http://cchc.invalid/"
    assert urljoin(base + page, expected) == base + target


_URLS = ["", "ke-hoach/", "ke-hoach/quang-dien/", "don-vi/phong-noi-vu/", "lich/", "lich/quang-dien.ics",
         "lich/don-vi/phong-noi-vu.ics", "du-lieu/nhiem-vu.csv", "kiem-tra/", "ke-hoach/quang-dien/#nv-2-1-1"]


@pytest.mark.parametrize("page", [u for u in _URLS if u.endswith("/") or u == ""])
def test_relative_resolves_back_to_the_target(page):
    """Whatever the pair, a browser on ``page`` following the link lands on ``target``."""
    base = "http://cchc.invalid/"
    for target in _URLS:
        link = s.relative(target, page)
        assert not link.startswith("/"), (target, page, link)
        assert urljoin(base + page, link) == base + target, (target, page, link)


# --- status.task_status ---------------------------------------------------------------------


def _task(*dates: dt.date | None, status_text: str = "", texts: tuple[str, ...] = ()) -> Task:
    deadlines = [Deadline(f"Trước {d:%d/%m/%Y}", DeadlineKind.BEFORE_DATE, date=d) for d in dates if d]
    deadlines += [Deadline(t, DeadlineKind.RECURRING) for t in texts]
    return Task(id="1", code="1", row=1, title="Nhiệm vụ", deadlines=deadlines, status_text=status_text)


@pytest.mark.parametrize(("task", "status", "next_offset", "missed_offset", "days_left"), [
    pytest.param(_task(), Status.UNKNOWN, None, None, None, id="no-deadline"),
    pytest.param(_task(texts=("Thường xuyên",)), Status.UNKNOWN, None, None, None, id="recurring"),
    pytest.param(_task(day(-1)), Status.OVERDUE, None, -1, None, id="yesterday"),
    pytest.param(_task(day(-400), day(-31)), Status.OVERDUE, None, -31, None, id="overdue-latest-missed"),
    pytest.param(_task(day(0)), Status.SOON, 0, None, 0, id="today"),
    pytest.param(_task(day(5)), Status.SOON, 5, None, 5, id="5-days"),
    pytest.param(_task(day(SOON_DAYS)), Status.SOON, SOON_DAYS, None, SOON_DAYS, id="soon-boundary"),
    pytest.param(_task(day(SOON_DAYS + 1)), Status.OPEN, SOON_DAYS + 1, None, SOON_DAYS + 1, id="after-boundary"),
    pytest.param(_task(day(60)), Status.OPEN, 60, None, 60, id="60-days"),
    pytest.param(_task(day(60), day(5)), Status.SOON, 5, None, 5, id="unsorted-next-first"),
    pytest.param(_task(day(-10), day(60)), Status.OPEN, 60, -10, 60, id="missed-one-next-later"),
    pytest.param(_task(day(-10), texts=("Thường xuyên",)), Status.OVERDUE, None, -10, None, id="dated-and-recurring"),
    pytest.param(_task(day(-10), status_text="Đã hoàn thành"), Status.DONE, None, -10, None, id="done-after-deadline"),
    pytest.param(_task(day(5), status_text="Xong"), Status.DONE, 5, None, 5, id="done-xong"),
    pytest.param(_task(status_text="Hoàn thành"), Status.DONE, None, None, None, id="done-no-deadline"),
    pytest.param(_task(day(-10), status_text="Chưa hoàn thành"), Status.OVERDUE, None, -10, None, id="not-done"),
    pytest.param(_task(day(5), status_text="Đang thực hiện"), Status.SOON, 5, None, 5, id="in-progress"),
])
def test_task_status(task, status, next_offset, missed_offset, days_left):
    result = task_status(task, TODAY)
    assert result.status is status
    assert result.label == status.label
    assert (result.next_deadline.date if result.next_deadline else None) == (
        day(next_offset) if next_offset is not None else None)
    assert (result.last_missed.date if result.last_missed else None) == (
        day(missed_offset) if missed_offset is not None else None)
    assert result.days_left == days_left
