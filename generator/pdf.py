"""`cchc pdf`: print documents in the format of Nghị định 30/2020/NĐ-CP.

Print templates (site_templates/print/*.html.j2: Jinja2 HTML with their own
print CSS, not screenshots of the site) are rendered by Chromium through
Playwright, one browser for every document. The page itself comes from CSS:
A4 (landscape for the wide appendix), the decree's margins, page numbers in the
top margin box from the second page on, and in the bottom margin box the data
time, a short SHA-256 of the data and a QR code (segno, offline) to the page on
the site. The PDF's metadata (title, author, dates) is then rewritten with
pypdf from the data time, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import site as s
from .text import fold, format_count, format_number, format_percent

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates" / "print"
PDF_DIR = "pdf"  # inside the site: pdf/<name>.pdf
KINDS = ("plan", "units", "scores", "tthc", "inspections")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = "cài bằng lệnh: sudo apt-get install chromium fonts-liberation2 (hoặc chạy make test một lần)"


class PdfError(Exception):
    """PDFs cannot be made at all (no Chromium…); the message is Vietnamese."""


@dataclass(slots=True)
class PrintDoc:
    name: str  # file name without .pdf: "ke-hoach-<slug>", "don-vi-<id>", "chi-so-cchc", "tien-do-tthc"
    kind: str  # plan | units | scores | tthc
    template: str
    title: str
    page_url: str  # the page on the site it prints (site-relative)
    landscape: bool
    context: dict = field(default_factory=dict)
    data_hash: str = ""  # SHA-256 of the workbooks it was made from
    files: list[str] = field(default_factory=list)  # those workbooks, as pages name them
    data_time: dt.datetime | None = None  # when they were last updated (set by make_pdfs)

    @property
    def path(self) -> str:
        return f"{PDF_DIR}/{self.name}.pdf"


def chromium_path() -> str:
    """Debian's Chromium (or CCHC_CHROMIUM); PdfError with how to install it."""
    candidate = os.environ.get("CCHC_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    raise PdfError(f"Không tìm thấy trình duyệt Chromium để in PDF: {INSTALL_HINT}.")


def _hash(files: dict[str, bytes], names) -> str:
    digest = hashlib.sha256()
    for name in sorted(set(names)):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files.get(name, b"")).digest())
    return digest.hexdigest()


def _document_number(meta) -> str:
    """“Số: 45/KH-UBND” when the sheet gives its own number (not the one of the
    plan it is attached to, nor a blank “Số /KH-UBND”)."""
    number = (meta.document_number or "").removeprefix("Số").strip(" :")
    digits = number.split("/")[0].strip()
    if not digits or not digits.isdigit() or (meta.attached_to and number in meta.attached_to.replace(" ", "")):
        return ""
    return f"Số: {number}"


def print_documents(model: s.SiteModel, workbooks: dict[str, bytes], what=KINDS,
                    extra: dict[str, list[str]] | None = None) -> list[PrintDoc]:
    """What to print: one document per plan, per unit, and the score and TTHC reports.
    ``workbooks`` maps each file's name (as pages show it) to its bytes; ``extra``
    names the other files a kind of document depends on (the formula file…)."""
    extra = extra or {}
    docs: list[PrintDoc] = []
    plan_files = [pv.plan.file for pv in model.plans]

    def add(name, kind, template, title, url, landscape, context, files):
        files = sorted(set(files))
        docs.append(PrintDoc(name, kind, template, title, url, landscape, context,
                             _hash(workbooks, files + extra.get(kind, [])), files))

    if "plan" in what:
        for pv in model.plans:
            meta = pv.plan.meta
            context = {"plan": pv, "doc_number": _document_number(meta)}
            if meta.issuer:  # else the issuer of site.yml
                context["issuer_name"] = meta.issuer
            add(f"ke-hoach-{pv.slug}", "plan", "plan.html.j2", pv.plan.title or pv.plan.sheet, pv.url, True, context,
                [pv.plan.file])
    if "units" in what:
        for unit in model.units:
            add(f"don-vi-{unit.id}", "units", "unit.html.j2", unit.name, unit.url, False,
                {"unit": unit, "site_plans": len(model.plans)}, [t.plan.plan.file for t in unit.tasks] or plan_files)
    if "scores" in what and model.scores is not None and model.scores.cards:
        add("chi-so-cchc", "scores", "scores.html.j2", "Chỉ số cải cách hành chính", s.SCORES, False,
            {"sv": model.scores}, [cv.card.file for cv in model.scores.cards])
    if "inspections" in what and model.inspections is not None:
        for n, pv in enumerate(model.inspections.plans, start=1):
            name = "kiem-tra-cchc" if n == 1 else f"kiem-tra-cchc-{n}"
            add(name, "inspections", "inspections.html.j2", pv.plan.title or "Kế hoạch kiểm tra CCHC",
                model.inspections.url, True,
                {"iv_plan": pv, "today_text": model.today.strftime("%d/%m/%Y")}, [pv.plan.file])
    if "tthc" in what and model.tthc is not None and model.tthc.periods:
        add("tien-do-tthc", "tthc", "tthc.html.j2", "Tiến độ giải quyết hồ sơ thủ tục hành chính", s.TTHC, True,
            {"tv": model.tthc}, [r.file for r in model.tthc.reports])
    return docs


def environment() -> jinja2.Environment:
    from .index_views import points
    from .pages import lines

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(lines=lines, date=s.show_date, num=format_number, pts=points, count=format_count,
                       pct=format_percent, fold=fold)
    env.globals.update(KIND_LABELS=s.KIND_LABELS)
    return env


def vietnamese_date(day: dt.date) -> str:
    """"ngày 25 tháng 11 năm 2026" (the decree writes days and months below 10 with a 0 only for 1 and 2)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(border=1, scale=4)


@dataclass(slots=True)
class PrintSettings:
    issuer: str  # "UBND huyện Quảng Điền" (site.yml)
    place: str  # "Quảng Điền"
    site_url: str  # absolute base for the QR codes ("" → no QR code)
    today: dt.date | None  # the date printed after the place; None: the date of the document's data
    data_time: dt.datetime  # when the data was last updated, for documents without a time of their own


_FONT = '"Times New Roman", "Liberation Serif", "Tinos", serif'


def page_css(footer: str, qr: str) -> Markup:
    """The margin boxes of every page: number at the top from page 2, data line and QR code at the bottom.
    Only our own text goes here (digits, a date, a data: URI): never spreadsheet text."""
    boxes = (f'@top-center {{ content: counter(page); font: 13pt {_FONT}; }}'
             f'@bottom-left {{ content: "{footer}"; font: italic 9.5pt {_FONT}; vertical-align: middle; }}')
    if qr:  # a fixed 16 mm square whatever the length of the address: never clipped at the page edge
        boxes += (f'@bottom-right {{ content: ""; width: 16mm; height: 16mm; margin: auto 0; '
                  f'background: url("{qr}") no-repeat right center / contain; }}')
    first = "@top-center { content: none; }"
    return Markup(f"@page {{ {boxes} }} @page :first {{ {first} }} "
                  f"@page wide {{ {boxes} }} @page wide:first {{ {first} }}")


def render_html(doc: PrintDoc, settings: PrintSettings, env: jinja2.Environment | None = None) -> str:
    env = env or environment()
    url = settings.site_url.rstrip("/") + "/" + doc.page_url if settings.site_url else ""
    css = (TEMPLATES / "print.css").read_text(encoding="utf-8")
    when = doc.data_time or settings.data_time
    footer = f"Bản in từ dữ liệu cập nhật ngày {when:%d/%m/%Y %H:%M} · SHA-256 {doc.data_hash[:12]}"
    context = {"issuer_parent": "", "issuer_name": settings.issuer, "doc_number": "", "site_plans": 1,
               **doc.context}
    return env.get_template(doc.template).render(
        doc=doc, css=css, page_css=page_css(footer, qr_data_uri(url) if url else ""), place=settings.place,
        date_text=vietnamese_date(settings.today or when.date()), page_link=url, **context)


def finalize(data: bytes, *, title: str, author: str, when: dt.datetime, ident: bytes | None = None) -> bytes:
    """Chromium's PDF with our metadata and dates, and an /ID from its content
    (or ``ident``, a digest of what it was printed from): the same data gives
    the same file."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stamp = when.strftime("D:%Y%m%d%H%M%S") + (when.strftime("%z")[:3] + "'" + when.strftime("%z")[3:] + "'"
                                               if when.tzinfo else "Z")
    writer.metadata = None
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": "Công khai cải cách hành chính",
                         "/Creator": "cchc", "/Producer": "cchc (Chromium, pypdf)",
                         "/CreationDate": stamp, "/ModDate": stamp})
    def write(ident: bytes) -> bytes:
        writer._ID = ArrayObject([ByteStringObject(ident), ByteStringObject(ident)])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    if ident is not None:
        return write(ident[:16].ljust(16, b"\0"))
    # the /ID is a digest of the file itself (written once with a blank one): no date inside it
    return write(hashlib.md5(write(bytes(16)), usedforsecurity=False).digest())


#: Part of the key of cached PDFs: change it when finalize() or the print flags change.
_PDF_CACHE_VERSION = b"cchc-pdf-1"


def _pdf_key(html: str, title: str, author: str, when: dt.datetime, landscape: bool) -> str:
    digest = hashlib.sha256(_PDF_CACHE_VERSION)
    for part in (html, title, author, when.isoformat(), str(landscape)):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def render_pdfs(docs: list[PrintDoc], settings: PrintSettings,
                progress: Callable[[int, int, str], None] | None = None,
                cache: Path | None = None, jobs: int | None = None) -> dict[str, bytes]:
    """{site path ("pdf/x.pdf"): bytes} of every document.

    A document whose print HTML (and title, author, time) is the same as in an
    earlier build is taken from ``cache``; the others are printed by one
    Chromium, ``jobs`` pages at a time (default: one per core, at most 4)."""
    if not docs:
        return {}
    env = environment()
    out: dict[str, bytes] = {}
    todo = []
    for doc in docs:
        html = render_html(doc, settings, env)
        author = doc.context.get("issuer_name") or settings.issuer
        when = doc.data_time or settings.data_time
        key = _pdf_key(html, doc.title, author, when, doc.landscape)
        if cache is not None:
            try:
                out[doc.path] = (cache / f"{key}.pdf").read_bytes()
                continue
            except OSError:
                pass
        todo.append((doc, html, author, when, key))
    if todo:
        from .parallel import jobs_wanted
        from .read_cache import store

        printed = _print_all(todo, min(jobs or jobs_wanted(), 4, len(todo)), progress, len(docs) - len(todo),
                             len(docs))
        for doc, _html, _author, _when, key in todo:
            out[doc.path] = printed[doc.path]
            if cache is not None:
                store(cache, f"{key}.pdf", printed[doc.path])
    return {doc.path: out[doc.path] for doc in docs}


def _print_all(todo, workers: int, progress, done: int, total: int) -> dict[str, bytes]:
    """The finished PDF of each (doc, html, author, time, key): printed by
    Chromium, ``workers`` tabs of one browser at a time, each finalised in a
    thread while Chromium prints the next ones."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor as Threads

    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    executable = chromium_path()
    printed: dict[str, bytes] = {}
    counter = [done]

    async def run() -> None:
        async with async_playwright() as playwright:
            try:
                browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            except PlaywrightError as exc:
                raise PdfError(f"Không chạy được Chromium ({executable}: {str(exc).splitlines()[0][:160]}); "
                               f"{INSTALL_HINT}.") from None
            queue = list(reversed(todo))

            async def tab() -> None:
                page = await browser.new_page()
                # the print HTML is self-contained: anything else it asks for is refused
                await page.route("**/*", lambda route: route.abort())
                loop = asyncio.get_running_loop()
                while queue:
                    doc, html, author, when, key = queue.pop()
                    if progress:
                        progress(counter[0], total, doc.name)
                    await page.set_content(html, wait_until="load")
                    data = await page.pdf(prefer_css_page_size=True, print_background=True, outline=False,
                                          tagged=False)
                    if b"LiberationSerif" not in data and b"TimesNewRoman" not in data:
                        log.warning("%s: không có phông Times New Roman / Liberation Serif, PDF dùng phông khác "
                                    "(cài fonts-liberation2).", doc.name)
                    ident = hashlib.md5(key.encode(), usedforsecurity=False).digest()
                    printed[doc.path] = await loop.run_in_executor(
                        finishers, lambda d=data, t=doc.title, a=author, w=when, i=ident:
                        finalize(d, title=t, author=a, when=w, ident=i))
                    counter[0] += 1
                await page.close()

            with Threads(max_workers=max(1, workers), thread_name_prefix="cchc-pdf-finish") as finishers:
                try:
                    await asyncio.gather(*(tab() for _ in range(max(1, workers))))
                finally:
                    await browser.close()

    # a thread of its own: the caller may already run an event loop
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cchc-pdf") as pool:
        try:
            pool.submit(asyncio.run, run()).result()
        except PlaywrightError as exc:
            raise PdfError(f"Chromium không in được PDF: {str(exc).splitlines()[0][:200]}.") from None
    return printed


def _epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH, the reproducible-builds convention, when it is set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    from .text import VN

    return dt.datetime.fromtimestamp(int(value), VN)


def make_pdfs(model: s.SiteModel, workbooks: dict[str, bytes], *, issuer: str, place: str, site_url: str,
              today: dt.date | None, fallback_time: dt.datetime, times: dict[str, dt.datetime] | None = None,
              extra: dict[str, list[str]] | None = None, what=KINDS,
              progress: Callable[[int, int, str], None] | None = None,
              cache: Path | None = None) -> tuple[list[PrintDoc], dict[str, bytes]]:
    """Every print document of the model, and its PDF bytes by site path. Each document
    carries the time of its own workbooks (``times``), or SOURCE_DATE_EPOCH when set."""
    from .text import VN

    times = times or {}
    epoch = _epoch()
    fallback = (epoch or fallback_time).astimezone(VN)
    docs = print_documents(model, workbooks, what, extra)
    for doc in docs:
        own = [times[f] for f in doc.files if f in times]
        doc.data_time = epoch or (max(own).astimezone(VN) if own else fallback)
    if not site_url:
        log.info("site.yml chưa có site_url: bản PDF không in mã QR dẫn về trang.")
    settings = PrintSettings(issuer=issuer, place=place, site_url=site_url, today=today, data_time=fallback)
    return docs, render_pdfs(docs, settings, progress, cache=cache)
