"""Fixtures of the end-to-end tests: sites built once per session, served on
127.0.0.1, and a browser that records (and blocks) every request leaving it.

Two sites are built:

* ``default_site``: the embedded default content (content/), as of 01/11/2022;
* ``hostile_site``: the embedded workbook, a workbook whose cells try to run
  script, inject Markdown links and Jinja2 expressions, and a corrupt
  ``hong.xlsx`` (the first half of a valid workbook).
"""

from __future__ import annotations

import os

import datetime as dt
import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build import BuildResult, build_site
from tests.workbooks import TITLE_BLOCK, appendix

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONTENT = ROOT / "content"

TODAY = dt.date(2022, 11, 1)
LOCAL_HOST = "127.0.0.1"

CHROMIUM = os.environ.get("CCHC_CHROMIUM") or "/usr/bin/chromium"  # as generator.pdf.chromium_path
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# --- hostile cell text ----------------------------------------------------------------

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
MD_LINK = "[bấm](javascript:window.__pwned=1)"
JINJA = "{{ 7*7 }}"
MD_CHARS = "*_[]"
PAYLOAD = f"{SCRIPT} {IMG} {MD_LINK} {JINJA} {MD_CHARS}"

#: The hostile workbook's plan title (third line of the title block) and its file.
HOSTILE_TITLE = f"Phân công triển khai các nhiệm vụ cải cách hành chính năm 2022 {SCRIPT} {JINJA} {MD_CHARS}"
HOSTILE_FILE = "doc-hai.xlsx"
HOSTILE_SLUG = "doc-hai"
CORRUPT_FILE = "hong.xlsx"

#: (TT, title, products, lead, support, deadline): the payload in every kind of cell.
HOSTILE_ROWS = [
    (f"NHÓM 1: {PAYLOAD}", None, None, None, None, None),
    ("1", f"Tiêu chí {PAYLOAD}: 2đ", None, None, None, None),
    # a known lead unit, so the task shows on don-vi/phong-tu-phap/
    ("1.1", f"Nhiệm vụ một {PAYLOAD}: 0,5đ", f"Sản phẩm {PAYLOAD}", "Phòng Tư pháp", "Phòng Nội vụ",
     f"Trước 05/12/2022 {PAYLOAD}"),
    # the payload as the lead / support unit and as the whole deadline
    ("1.2", f"Nhiệm vụ hai {PAYLOAD}: 0,5đ", f"- Báo cáo {SCRIPT}\n- {MD_LINK}\n- {IMG}", PAYLOAD, IMG, PAYLOAD),
    ("1.3", f"Nhiệm vụ ba {MD_LINK}: 0,5đ", MD_LINK, f"Phòng Tư pháp; {MD_LINK}", JINJA, MD_LINK),
]


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an e2e test (``-m "not e2e"`` skips them)."""
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


# --- the browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own: the network is closed)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def is_local(url: str) -> bool:
    """A request that stays on this machine: 127.0.0.1, or no host at all (data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == LOCAL_HOST


@dataclass
class BrowserLog:
    """What the pages of a test did: every request URL, dialogs, script errors."""

    requests: list[str] = field(default_factory=list)  # seen by the "request" listener
    routed: list[str] = field(default_factory=list)  # seen by the router
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return sorted({u for u in self.requests + self.routed if not is_local(u)})


@pytest.fixture
def browser_log(context) -> BrowserLog:
    """Records every request of the test's browser context (pages and their
    workers) and aborts any that would leave 127.0.0.1."""
    log = BrowserLog()

    def handle(route):
        url = route.request.url
        log.routed.append(url)
        if is_local(url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", handle)
    # and listen: a request the router might not see is still recorded
    context.on("request", lambda request: log.requests.append(request.url))
    return log


@pytest.fixture
def page(context, browser_log):
    """pytest-playwright's page, with the request log, dialog and error listeners."""
    page = context.new_page()

    def on_dialog(dialog):
        browser_log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    return page


# --- built sites ----------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that navigates away mid-download breaks the pipe: not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) in a daemon thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Site:
    url: str  # base URL, ends with "/"
    result: BuildResult
    content: Path | None  # None: the embedded default content

    @property
    def out(self) -> Path:
        return self.result.out


def make_content(folder: Path, workbooks=None) -> Path:
    """A content folder: the embedded site.yml, units.yml, cong-thuc.yml and pages/,
    and ``workbooks`` in sheets/ (default: every embedded workbook)."""
    (folder / "sheets").mkdir(parents=True)
    for name in ("site.yml", "units.yml", "cong-thuc.yml"):
        shutil.copy2(CONTENT / name, folder / name)
    if (CONTENT / "pages").is_dir():  # the content folder's own pages (Hiệu năng)
        shutil.copytree(CONTENT / "pages", folder / "pages")
    if workbooks is None:  # the published snapshots and their metadata
        workbooks = sorted((CONTENT / "sheets").glob("*.xlsx")) + sorted((CONTENT / "sheets").glob("*.meta.json"))
    for workbook in workbooks:
        shutil.copy2(workbook, folder / "sheets" / Path(workbook).name)
    return folder


def write_hostile_content(folder: Path) -> Path:
    """The embedded workbook, the hostile workbook and a corrupt one."""
    make_content(folder)
    title = [*TITLE_BLOCK[:2], HOSTILE_TITLE, *TITLE_BLOCK[3:]]
    appendix(folder / "sheets" / HOSTILE_FILE, HOSTILE_ROWS, title=title)
    good = appendix(folder / "valid.xlsx").read_bytes()
    (folder / "valid.xlsx").unlink()
    (folder / "sheets" / CORRUPT_FILE).write_bytes(good[: len(good) // 2])
    return folder


@pytest.fixture(scope="session")
def default_site(tmp_path_factory) -> Iterator[Site]:
    """The embedded default content, built once, served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("default-site")
    result = build_site(None, tmp / "site", today=TODAY, work=tmp / "work")
    with serve(result.out) as url:
        yield Site(url, result, None)


@pytest.fixture(scope="session")
def hostile_content(tmp_path_factory) -> Path:
    return write_hostile_content(tmp_path_factory.mktemp("hostile-content"))


@pytest.fixture(scope="session")
def hostile_site(hostile_content, tmp_path_factory) -> Iterator[Site]:
    """Hostile and corrupt workbooks next to the embedded one, built once (not --strict)."""
    tmp = tmp_path_factory.mktemp("hostile-site")
    result = build_site(hostile_content, tmp / "site", today=TODAY, work=tmp / "work")
    with serve(result.out) as url:
        yield Site(url, result, hostile_content)
