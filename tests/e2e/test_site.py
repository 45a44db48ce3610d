"""The built site, end to end: in Debian's Chromium for what a citizen does
(navigate, search, read on a phone, print), on the output folder for what the
build promises (escaping, --strict, feeds, open data, byte-identical builds).

Sites are built once per session (see conftest.py); the browser never leaves
127.0.0.1.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from generator.build import BuildError, build_site
from generator.config import load_site_config

from .conftest import (
    CONTENT,
    CORRUPT_FILE,
    HOSTILE_SLUG,
    HOSTILE_TITLE,
    IMG,
    JINJA,
    LOCAL_HOST,
    MD_CHARS,
    MD_LINK,
    PAYLOAD,
    SCRIPT,
    TODAY,
    make_content,
)

pytestmark = pytest.mark.e2e

SITE_NAME = load_site_config(CONTENT).site_name
PLAN_SLUG = "quang-dien-2022-phan-cong"
PLAN_PAGE = f"ke-hoach/{PLAN_SLUG}/"
NOI_VU = "don-vi/phong-noi-vu/"
TU_PHAP = "don-vi/phong-tu-phap/"

#: The pages a citizen lands on (site-relative URLs).
PAGES = ["", PLAN_PAGE, NOI_VU, "lich/", "du-lieu/", "kiem-tra/", "chi-so-cchc/", "tien-do-tthc/", "thay-doi/",
         "kiem-tra-cchc/", "trang/hieu-nang/", "huong-dan/nhap-lieu/", "huong-dan/quan-tri/", "huong-dan/van-phong/"]

PHONE = {"width": 360, "height": 740}


# --- helpers -----------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """relative path -> (sha256, mtime_ns) of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def article(page):
    """The page's content area (not the header, tabs or sidebars)."""
    return page.locator("article.md-content__inner")


_RESULT_PATHS = """() => [...document.querySelectorAll('.md-search-result__list > li')]
    .map(li => li.querySelector('a'))
    .filter(a => a)
    .map(a => new URL(a.href).pathname)"""


def search(page, query: str, timeout: float = 10.0) -> list[str]:
    """Type ``query`` into Material's search (key by key: fill() does not
    trigger it) and return the paths of the result documents once they have
    settled (each keystroke runs a search; the last one wins)."""
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(query, delay=30)
    # Material searches on keyup. Playwright types a letter that is not on the
    # US keyboard ("ụ") as inserted text, with no key events, where a real
    # Vietnamese keyboard (Telex, VNI, a phone's IME) sends a keyup for every
    # keystroke. A key that changes nothing gives the last letter its keyup.
    box.press("End")
    expect(box).to_have_value(query)
    deadline = time.monotonic() + timeout
    last, stable_since = None, time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(150)
        results = page.evaluate(_RESULT_PATHS)
        if results != last:
            last, stable_since = results, time.monotonic()
        elif results and time.monotonic() - stable_since >= 0.6:
            break
    return last or []


def goto(page, url: str):
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    return response


# --- 1. navigation -------------------------------------------------------------------------


def test_navigation_home_plan_unit_calendar(page, browser_log, default_site):
    site = default_site
    plan = site.result.model.plans[0]
    assert plan.slug == PLAN_SLUG and plan.url == PLAN_PAGE
    goto(page, site.url)
    content = article(page)
    expect(content.locator("h1")).to_have_text(SITE_NAME)
    expect(content).to_contain_text("Số liệu tính đến ngày 01/11/2022")

    # home -> plan, by the plan's title
    content.get_by_role("link", name=plan.plan.title, exact=True).first.click()
    expect(page).to_have_url(site.url + PLAN_PAGE)
    expect(content.locator("h1")).to_have_text(plan.plan.title)
    row = content.locator("#nv-2-1-1")
    expect(row).to_contain_text("2.1.1")
    expect(row).to_contain_text("15/01/2021")
    expect(row).to_contain_text("Phòng Tư pháp")
    expect(row).to_contain_text("Quá hạn")  # 15/01/2021 is before 01/11/2022

    # plan -> unit
    content.get_by_role("link", name="Phòng Nội vụ", exact=True).first.click()
    expect(page).to_have_url(site.url + NOI_VU)
    expect(content.locator("h1")).to_have_text("Phòng Nội vụ")
    task = plan.task_map["1.1.1"]
    assert "phong-noi-vu" in task.lead_ids
    link_to_task = page.locator(f'a[href$="{PLAN_PAGE}#nv-1-1-1"]')
    task_link = content.locator(f'a[href$="{PLAN_PAGE}#nv-1-1-1"]').first
    expect(task_link).to_have_text(task.task.title)
    expect(content.locator("tr").filter(has=link_to_task).first.locator("td").first).to_have_text("1.1.1")

    # unit -> the task's row on the plan page
    task_link.click()
    expect(page).to_have_url(site.url + PLAN_PAGE + "#nv-1-1-1")
    expect(page.locator("#nv-1-1-1")).to_be_in_viewport()

    # -> calendar, from the tabs
    page.locator(".md-tabs").get_by_role("link", name="Lịch", exact=True).click()
    expect(page).to_have_url(site.url + "lich/")
    expect(content.locator("h1")).to_have_text("Lịch thời hạn")
    expect(content.get_by_role("heading", name="Tháng 01/2021")).to_be_visible()
    item = content.locator("li", has=page.locator('a[href$="#nv-2-1-1"]')).first
    expect(item).to_contain_text("15/01/2021")
    expect(content.locator(f'a[href$="{PLAN_SLUG}.ics"]')).to_have_count(1)
    assert browser_log.page_errors == []


# --- 2. search, with and without diacritics -------------------------------------------------


@pytest.mark.parametrize(("query", "target"), [
    ("noi vu", NOI_VU),
    ("Nội vụ", NOI_VU),
    ("NOI VU", NOI_VU),
    ("tu phap", TU_PHAP),
])
def test_search_finds_unit_with_or_without_diacritics(page, default_site, query, target):
    goto(page, default_site.url)
    expected = "/" + target
    results = search(page, query)
    assert results, f"no search result for {query!r}"
    # among the first results a citizen sees, not somewhere down the list
    assert expected in results[:5], f"{query!r}: {expected} not in the first results {results[:10]}"


# --- 3. phones: no horizontal scrolling ----------------------------------------------------


_WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className == 'string' ? '.' + e.className.split(' ').join('.') : '')
              + ' right=' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_no_horizontal_scroll_at_360px(page, default_site, path):
    page.set_viewport_size(PHONE)
    goto(page, default_site.url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path or 'home'}: page is {width}px wide; too wide: {page.evaluate(_WIDEST)}"


# --- 4. nothing leaves 127.0.0.1 -------------------------------------------------------------


def test_no_request_leaves_localhost(page, browser_log, default_site):
    for path in PAGES:
        goto(page, default_site.url + path)
    goto(page, default_site.url)
    assert "/" + NOI_VU in search(page, "noi vu")
    seen = browser_log.requests + browser_log.routed
    assert any(u.endswith("/search/search_index.json") for u in seen), "the search index request was not seen"
    assert browser_log.foreign() == []
    hosts = {urlsplit(u).hostname for u in seen if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {LOCAL_HOST}


class _Resources(HTMLParser):
    """What a page loads by itself (scripts, styles, icons, images, frames), the
    links it offers, and its element ids."""

    LOADS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src",
             "embed": "src", "object": "data"}
    LOADED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get(self.LOADS.get(tag, "")):
            self.loads.append(attrs[self.LOADS[tag]])
        elif tag == "link" and attrs.get("href"):
            rel = set((attrs.get("rel") or "").lower().split())
            (self.loads if rel & self.LOADED_LINKS else self.links).append(attrs["href"])
        elif tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])


def _parse(path: Path) -> _Resources:
    parser = _Resources()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_built_pages_load_nothing_from_other_hosts(default_site):
    """Every page, not only those visited: no script, style, image or font from elsewhere."""
    out = default_site.out
    foreign, loads = [], 0
    for path in html_files(out):
        found = _parse(path).loads
        loads += len(found)
        foreign += [(path.relative_to(out).as_posix(), u) for u in found
                    if urlsplit(u).scheme not in ("", "data") or u.startswith("//")]
    assert loads > 0
    for path in sorted(out.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        foreign += [(path.relative_to(out).as_posix(), u)
                    for u in re.findall(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", text)]
    assert foreign == []


def test_every_internal_link_resolves(default_site):
    """Every relative link and resource of every page points to a file of the
    site (a folder URL to its index.html), and a #fragment to an id on it."""
    out = default_site.out
    parsed = {p: _parse(p) for p in html_files(out)}
    broken, checked = [], 0
    for path, res in parsed.items():
        page_dir = path.parent
        for url in res.links + res.loads:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or not (parts.path or parts.fragment):
                continue
            checked += 1
            base = out if parts.path.startswith("/") else page_dir  # 404.html links from the root
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            rel = path.relative_to(out).as_posix()
            if not target.is_file() or not target.is_relative_to(out.resolve()):
                broken.append(f"{rel}: {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{rel}: {url} (no id {parts.fragment!r})")
    assert checked > 10 * len(parsed)
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:10]}"


# --- 5. hostile workbooks ------------------------------------------------------------------


def test_hostile_build_succeeds(hostile_site):
    model = hostile_site.result.model
    slugs = [p.slug for p in model.plans]
    assert HOSTILE_SLUG in slugs and PLAN_SLUG in slugs
    hostile = next(p for p in model.plans if p.slug == HOSTILE_SLUG)
    assert hostile.plan.title == HOSTILE_TITLE  # kept verbatim
    assert [t.task.id for t in hostile.tasks] == ["1.1", "1.2", "1.3"]
    assert [Path(n.file).name for n in model.notices] == [CORRUPT_FILE]
    assert (hostile_site.out / "ke-hoach" / HOSTILE_SLUG / "index.html").is_file()


#: Hostile pages, and text each one must show (so the check is not vacuous).
HOSTILE_PAGES = {
    "": HOSTILE_TITLE,
    f"ke-hoach/{HOSTILE_SLUG}/": f"Nhiệm vụ một {PAYLOAD}",
    TU_PHAP: f"Nhiệm vụ một {PAYLOAD}",
    "kiem-tra/": "không nhận ra đơn vị “script>window”",
    "lich/": "Nhiệm vụ một <script>",
}


@pytest.mark.parametrize("path", list(HOSTILE_PAGES), ids=lambda p: p or "home")
def test_hostile_payload_never_runs(page, browser_log, hostile_site, path):
    goto(page, hostile_site.url + path)
    page.wait_for_load_state("networkidle")  # images have failed and their handlers had their chance
    expect(article(page)).to_contain_text(HOSTILE_PAGES[path])
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert browser_log.dialogs == []
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script:not([src])").evaluate_all(
        "els => els.filter(e => e.textContent.includes('__pwned')).length") == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert browser_log.page_errors == []
    assert browser_log.foreign() == []


def test_hostile_search_results_stay_text(page, browser_log, hostile_site):
    """Material renders search results as HTML: the index must hold escaped text."""
    goto(page, hostile_site.url)
    results = search(page, "Nhiệm vụ một")
    assert f"/ke-hoach/{HOSTILE_SLUG}/" in results
    page.wait_for_load_state("networkidle")
    expect(page.locator(".md-search-result")).to_contain_text("<script>")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert browser_log.dialogs == []
    assert page.locator('.md-search-result img, .md-search-result script, .md-search-result a[href^="javascript:" i]'
                        ).count() == 0


def test_hostile_text_is_shown_as_text(page, hostile_site):
    goto(page, hostile_site.url + f"ke-hoach/{HOSTILE_SLUG}/")
    content = article(page)
    expect(content.locator("h1")).to_have_text(HOSTILE_TITLE)  # Markdown-escaped, shown verbatim
    expect(content.locator("h2").filter(has_text="NHÓM 1")).to_have_text(f"NHÓM 1: {PAYLOAD}")
    expect(content.locator("h3").filter(has_text="Tiêu chí")).to_have_text(f"1. Tiêu chí {PAYLOAD} (2 điểm)")
    row = content.locator("#nv-1-1")
    expect(row).to_contain_text(f"Nhiệm vụ một {PAYLOAD}")  # title
    expect(row).to_contain_text(f"Sản phẩm {PAYLOAD}")  # products
    expect(row).to_contain_text(f"trước 05/12/2022")  # the deadline still parsed
    text = content.inner_text()
    for literal in (SCRIPT, "<script>", JINJA, IMG, MD_LINK, MD_CHARS):
        assert literal in text, literal
    # {{ 7*7 }} was never evaluated: checked where the payload is shown (the whole page also shows
    # the workbook's time, and a time such as 10:49 holds a "49")
    for shown in (content.locator("h1"), content.locator("h2").filter(has_text="NHÓM 1"),
                  content.locator("h3").filter(has_text="Tiêu chí"), row):
        assert JINJA in shown.inner_text() and "49" not in shown.inner_text()
    # the hostile lead unit is shown, as text, in the lead column of 1.2
    expect(content.locator("#nv-1-2 td").nth(2)).to_contain_text("script>")
    expect(page).to_have_title(re.compile(re.escape(HOSTILE_TITLE)))


_JS_LINK = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_no_javascript_links_in_built_html(hostile_site):
    out = hostile_site.out
    offenders = [p.relative_to(out).as_posix() for p in html_files(out) if _JS_LINK.search(p.read_text("utf-8"))]
    assert offenders == []
    hostile = (out / "ke-hoach" / HOSTILE_SLUG / "index.html").read_text("utf-8")
    assert "javascript:window.__pwned=1" in hostile  # the text is there, only never as a link
    assert "<script>window.__pwned" not in hostile and "<img src=x" not in hostile


@pytest.mark.parametrize("path", ["", "kiem-tra/"], ids=["home", "kiem-tra"])
def test_corrupt_workbook_is_named_in_a_notice(page, hostile_site, path):
    goto(page, hostile_site.url + path)
    notice = article(page).locator(".admonition.warning")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(CORRUPT_FILE)
    expect(notice).to_contain_text("Không đọc được bảng tính")


# --- 6. --strict -----------------------------------------------------------------------------


def test_strict_build_fails_and_keeps_the_published_site(hostile_content, tmp_path):
    out = tmp_path / "public" / "site"
    build_site(hostile_content, out, today=TODAY, work=tmp_path / "work")
    before = snapshot(out)
    neighbours = sorted(p.name for p in out.parent.iterdir())
    assert before and neighbours == ["site"]

    with pytest.raises(BuildError) as failure:
        build_site(hostile_content, out, today=TODAY, strict=True, work=tmp_path / "work")
    assert CORRUPT_FILE in str(failure.value)
    assert snapshot(out) == before  # same files, same bytes, not even rewritten
    assert sorted(p.name for p in out.parent.iterdir()) == neighbours  # no staging folder left behind


# --- 7. calendar feeds -------------------------------------------------------------------------


def _events(path: Path) -> list:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_plan_feed_has_one_event_per_dated_deadline(default_site):
    plan = default_site.result.model.plans[0]
    expected = sorted(d.date for t in plan.plan.tasks for d in t.deadlines if d.date is not None)
    assert len(expected) > 50
    events = _events(default_site.out / "lich" / f"{plan.slug}.ics")
    assert len(events) == len(expected)
    assert sorted(e.decoded("DTSTART") for e in events) == expected
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_unit_feed_parses(default_site):
    unit = next(u for u in default_site.result.model.units if u.id == "phong-tu-phap")
    expected = [d.date for t in unit.tasks for d in t.task.deadlines if d.date is not None]
    inspections = default_site.result.model.inspections  # its inspection, conclusion and remediation deadline
    expected = sorted(expected + [day for day, _what, _names, row in inspections.dated()
                                  if "phong-tu-phap" in row.item.unit_ids])
    events = _events(default_site.out / "lich" / "don-vi" / "phong-tu-phap.ics")
    assert len(events) >= 1
    assert sorted(e.decoded("DTSTART") for e in events) == expected
    assert any("2.1.1" in str(e["SUMMARY"]) for e in events)


# --- 8. open data ---------------------------------------------------------------------------


def test_csv_has_bom_and_one_row_per_task(default_site):
    data = (default_site.out / "du-lieu" / "nhiem-vu.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["file", "sheet", "row", "id"]
    tasks = default_site.result.model.all_tasks()
    assert len(body) == len(tasks)
    assert [r[header.index("id")] for r in body] == [t.task.id for t in tasks]


def test_datapackage_lists_the_csv(default_site):
    folder = default_site.out / "du-lieu"
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    resources = {r["path"]: r for r in package["resources"]}
    assert "nhiem-vu.csv" in resources
    csv_bytes = (folder / "nhiem-vu.csv").read_bytes()
    assert resources["nhiem-vu.csv"]["bytes"] == len(csv_bytes)
    assert resources["nhiem-vu.csv"]["hash"] == "sha256:" + hashlib.sha256(csv_bytes).hexdigest()
    for path in resources:  # every resource is published next to the descriptor
        assert (folder / path).is_file(), path


# --- 9. reproducible builds ------------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path):
    first = build_site(None, tmp_path / "a" / "site", today=TODAY, work=tmp_path / "work-a")
    second = build_site(None, tmp_path / "b" / "out", today=TODAY, work=tmp_path / "work-b")
    a, b = files_of(first.out), files_of(second.out)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_same_data_in_another_folder_builds_the_same_site(tmp_path):
    """README: same data and same --today give a byte-identical site. The
    workbooks copied (with their times) to another folder are the same data;
    the public site must not depend on, nor publish, where the builder keeps them."""
    moved = make_content(tmp_path / "elsewhere" / "noi-dung")  # copy2: same bytes, same mtime
    first = build_site(None, tmp_path / "a", today=TODAY, work=tmp_path / "work-a")
    second = build_site(moved, tmp_path / "b", today=TODAY, work=tmp_path / "work-b")
    a, b = files_of(first.out), files_of(second.out)
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    leaks = [name for name, data in b.items() if str(tmp_path).encode() in data]
    assert differ == [] and leaks == [], f"{len(differ)} files differ, e.g. {differ[:5]}; " \
                                         f"{len(leaks)} publish the build folder, e.g. {leaks[:5]}"


# --- 10. accessibility ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", PLAN_PAGE, NOI_VU, "chi-so-cchc/", "tien-do-tthc/", "kiem-tra-cchc/",
                                  "huong-dan/nhap-lieu/"],
                         ids=["home", "plan", "unit", "scores", "tthc", "inspections", "guide"])
def test_no_serious_accessibility_violations(page, default_site, path):
    from axe_playwright_python.sync_playwright import Axe

    goto(page, default_site.url + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    if serious:
        report = []
        for v in serious:
            report.append(f"{v['id']} ({v['impact']}): {v['help']}")
            for node in v["nodes"][:5]:
                report.append(f"    {node['target']}: {node['html'][:200]}")
        print("\n".join(report))
        pytest.fail(f"{path or 'home'}: {len(serious)} serious/critical axe violations:\n" + "\n".join(report))


# --- 11. light pages ---------------------------------------------------------------------


def test_plan_page_is_light(default_site):
    html = (default_site.out / PLAN_PAGE / "index.html").read_bytes()
    size = len(gzip.compress(html, mtime=0))
    assert size <= 100 * 1024, f"{PLAN_PAGE}index.html is {size} bytes gzipped"


# --- 12. print ------------------------------------------------------------------------------


def test_print_hides_header_and_navigation(page, default_site):
    goto(page, default_site.url + PLAN_PAGE)
    expect(page.locator(".md-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-tabs")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(article(page).locator("#nv-2-1-1")).to_be_visible()  # the content itself is printed
