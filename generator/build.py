"""`cchc build`: content folder -> validated model -> pages and data files ->
MkDocs -> the site, swapped into place only when the whole build succeeded.

Generated markdown goes to a work folder (build/…), never into content/.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import commands
from .config import DEFAULT_CONTENT, ConfigError, SiteConfig, load_site_config
from .pages import TEMPLATES, extra_pages, nav, render_pages
from .site import SiteModel, build_site_model
from .text import format_number

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class BuildError(Exception):
    """The build cannot produce a site (exit code 1); the message is Vietnamese."""


@dataclass(slots=True)
class BuildResult:
    out: Path
    model: SiteModel
    run: commands.Run
    pages: int
    pdfs: int = 0


@contextmanager
def source_date_epoch(today: dt.date):
    """Fix MkDocs' build date (sitemap) to SOURCE_DATE_EPOCH, or to ``today``."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if old is None:
        midnight = dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    try:
        yield int(os.environ["SOURCE_DATE_EPOCH"])
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _file_times(run: commands.Run, states=()) -> dict[str, dt.datetime]:
    """When each workbook was last changed: its snapshot metadata if a sync
    wrote one, else the file's modification time."""
    from .text import VN

    times = {}
    for state in states:
        moment = state.modified_at or state.published_at
        if state.file and moment is not None:
            times[state.file] = moment.astimezone(VN) if moment.tzinfo else moment.replace(tzinfo=VN)
    for result in run.results:
        if result.file in times:
            continue
        try:  # shown in Vietnam's time, whatever the time zone of the machine that builds
            times[result.file] = dt.datetime.fromtimestamp(result.path.stat().st_mtime, VN)
        except (OSError, AttributeError):
            continue
    return times


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{format_number(n / 1024, 1)} KB" if n < 1024 * 1024 else \
        f"{format_number(n / 1024 / 1024, 1)} MB"


INSPECTION_ICS = "lich/kiem-tra-cchc.ics"

_DESCRIPTIONS = {
    "nhiem-vu.csv": "Mọi nhiệm vụ, mỗi dòng một nhiệm vụ (CSV, mở bằng Excel)",
    "ke-hoach.json": "Toàn bộ kế hoạch: cây tiêu chí, nhiệm vụ, thời hạn (JSON)",
    "chi-so-cchc.csv": "Điểm Chỉ số CCHC, mỗi dòng một tiêu chí của một năm (CSV)",
    "tien-do-tthc.csv": "Số hồ sơ TTHC, mỗi dòng một đơn vị trong một kỳ (CSV)",
    "datapackage.json": "Mô tả các tệp dữ liệu (Frictionless Data Package)",
}


def generate_docs(model: SiteModel, run: commands.Run, config: SiteConfig, docs: Path, stamp: dt.datetime,
                  pdfs: dict[str, bytes] | None = None, changed: set[str] | None = None) -> list:
    """Write pages, data files and calendars into ``docs``, only those that
    changed (their paths are added to ``changed``)."""
    from .calendar_feed import EventCache, inspection_calendar, inspection_events, plan_calendar, unit_calendar
    from .opendata import open_data_files

    docs.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    workbooks = []
    for result in run.results:
        if result.readable and result.path is not None and result.path.exists():
            workbooks.append((result.path.name, result.path.read_bytes()))
    for rel, data in open_data_files(run.plans, workbooks, run.scores, run.tthc).items():
        files[f"du-lieu/{rel}"] = data
    base = config.site_url.rstrip("/") + "/" if config.site_url else ""

    def url_for(plan_view):
        anchors = {id(t.task): t.anchor for t in plan_view.tasks}
        return lambda task: base + plan_view.url + "#" + anchors[id(task)]

    def calendars() -> dict[str, bytes]:
        events = EventCache()  # a task's event is written once for its plan's and its units' calendars
        out = {pv.ics: plan_calendar(pv.plan, url_for_task=url_for(pv), stamp=stamp,
                                     name=pv.plan.title or pv.plan.sheet, events=events) for pv in model.plans}
        views = {id(t.task): t for t in model.all_tasks()}
        iv = model.inspections
        page = base + iv.url if iv is not None else ""

        def inspected(unit) -> list:
            return inspection_events(iv, stamp, page, unit.id) if iv is not None and iv.for_unit(unit.id) else []

        out.update({unit.ics: unit_calendar(unit.name, [(t.plan.plan, t.task) for t in unit.tasks], stamp=stamp,
                                            name=unit.name, url_for_task=lambda task: base + views[id(task)].url,
                                            events=events, extra=inspected(unit))
                    for unit in model.units if unit.tasks or (iv is not None and iv.for_unit(unit.id))})
        if iv is not None:
            out[INSPECTION_ICS] = inspection_calendar(iv, stamp=stamp, url=page, name="Kiểm tra CCHC")
        return out

    if pdfs:
        files.update(pdfs)
    data_files = [{"path": rel[len("du-lieu/"):], "size": _size(len(data)),
                   "description": _DESCRIPTIONS.get(rel[len("du-lieu/"):], "Bảng tính gốc (.xlsx)")}
                  for rel, data in files.items() if rel.startswith("du-lieu/")]
    # calendars and pages on every core (forked workers inherit the model); a small site in one go
    from .parallel import jobs_wanted, run_forked

    shares = 2 if len(model.plans) + len(model.units) > 20 and jobs_wanted() > 1 else 1
    parts = run_forked([calendars, *[(lambda i=i: render_pages(model, data_files=data_files, part=(i, shares)))
                                     for i in range(shares)]], workers=1 if shares == 1 else None)
    files.update(parts[0])
    shared = parts[1:]
    pages = [shared[i % shares][i // shares] for i in range(sum(map(len, shared)))]
    pages += extra_pages(config.root / "pages")
    for page in pages:
        files[page.path] = page.text.encode("utf-8")
    files["assets/cchc.css"] = (TEMPLATES / "assets" / "cchc.css").read_bytes()
    written = _sync_folder(docs, files)
    if changed is not None:
        changed |= written
    return pages


def _sync_folder(folder: Path, files: dict[str, bytes]) -> set[str]:
    """Make ``folder`` hold exactly ``files``, writing only what changed (so
    `cchc serve`'s watcher sees one change, not a storm, and an incremental
    build renders only those pages); the paths written or removed."""
    changed: set[str] = set()
    for rel, data in files.items():
        target = folder / rel
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed.add(rel)
    wanted = {folder / rel for rel in files}
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            changed.add(path.relative_to(folder).as_posix())
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def _mkdocs_yml(config: SiteConfig) -> Path:
    own = config.root.parent / "mkdocs.yml"  # a site made by `cchc init` customises its own copy
    return own if own.is_file() else MKDOCS_YML


def mkdocs_build(docs: Path, site_dir: Path, config: SiteConfig, navigation: list, *,
                 dirty: bool = False) -> None:
    """MkDocs over ``docs`` into ``site_dir``; ``dirty``: only the pages whose
    markdown is newer than their HTML (see incremental)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    mkdocs_log = logging.getLogger("mkdocs.commands.build")
    try:
        cfg = load_config(config_file=str(_mkdocs_yml(config)), docs_dir=str(docs),
                          site_dir=str(site_dir), site_name=config.site_name, nav=navigation)
        if config.site_url:
            cfg["site_url"] = config.site_url
        from .incremental import CompactSearchIndex

        cfg.plugins["cchc/compact-search-index"] = CompactSearchIndex()
        if dirty:
            from .incremental import DIRTY_WARNING, KeepSearchIndex, previous_entries

            cfg.plugins["cchc/keep-search-index"] = KeepSearchIndex(previous_entries(site_dir))
            mkdocs_log.addFilter(DIRTY_WARNING)
        build(cfg, dirty=dirty)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs không dựng được trang: {exc}") from None
    finally:
        if dirty:
            mkdocs_log.removeFilter(DIRTY_WARNING)


def _incremental_mkdocs(model: SiteModel, pages: list, changed: set[str], config: SiteConfig,
                        site_cache: Path) -> Path:
    """Render into the kept output of the last build (build/cache/site/html),
    only the changed pages when nothing shared by every page changed."""
    from . import incremental

    docs, built = site_cache / "docs", site_cache / "html"
    navigation = nav(pages, model)
    files = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    yml = _mkdocs_yml(config)
    fingerprint = incremental.fingerprint(
        navigation=navigation, files=files, mkdocs_yml=yml, overrides=yml.parent / "site_templates" / "overrides",
        settings={"site_name": config.site_name, "site_url": config.site_url})
    dirty = built.is_dir() and incremental.read_state(site_cache) == fingerprint
    incremental.forget_state(site_cache)
    if dirty:
        incremental.drop_outputs(built, changed)
        log.info("Dựng lại %d tệp đã đổi (trong %d tệp)", len(changed), len(files))
    mkdocs_build(docs, built, config, navigation, dirty=dirty)
    incremental.write_state(site_cache, fingerprint)
    # the navigation MkDocs was given, kept beside the docs (to rebuild them by hand, or to benchmark)
    (site_cache / "nav.json").write_text(json.dumps(navigation, ensure_ascii=False, indent=1), encoding="utf-8")
    return built


def _read_content(content: Path, config: SiteConfig, today: dt.date,
                  progress: Callable[[int, int, str], None] | None = None,
                  cache: Path | None = None) -> tuple[commands.Run, SiteModel]:
    """Read and check every workbook of the content folder (readings cached in
    ``cache``), and build the site's model."""
    run = commands.validate(None, content=content, relative_to=content, progress=progress, cache=cache, today=today)
    registry = commands.load_units(content)
    from .history import load_history
    from .source_status import source_states

    formulas = commands.load_formula_file(config) if run.tthc else None
    states = source_states(config)
    changes = load_history(config.history_path) if config.history_path.is_dir() else []
    model = build_site_model(run.plans, run.report, registry, today=today, site_name=config.site_name,
                             issuer=config.issuer, updated=_file_times(run, states), cards=run.scores,
                             tthc=run.tthc, formulas=formulas, sources=states, changes=changes,
                             inspections=run.inspections, targets=config.inspection_targets)
    return run, model


def workbook_bytes(run: commands.Run) -> dict[str, bytes]:
    return {r.file: r.path.read_bytes() for r in run.results if r.readable and r.path and r.path.exists()}


def _print_inputs(run: commands.Run, model: SiteModel, config: SiteConfig) -> dict:
    """What the PDFs are made from: the workbooks (and the formula file, for the
    TTHC projections) with their times."""
    files = workbook_bytes(run)
    extra = {}
    if config.formulas_path.is_file():
        files[config.formulas] = config.formulas_path.read_bytes()
        extra["tthc"] = [config.formulas]
    return {"workbooks": files, "extra": extra, "times": _file_times(run, model.sources)}


def _link_pdfs(model: SiteModel, inputs: dict) -> None:
    """Link every print document from its page now; sizes come once it is printed."""
    from .pdf import print_documents

    for doc in print_documents(model, inputs["workbooks"], extra=inputs["extra"]):
        model.pdfs[doc.page_url] = doc.path
        model.pdf_list.append({"path": doc.path, "title": doc.title, "size": ""})


def _print_pdfs(model, config, stamp, inputs, cache, progress=None) -> dict[str, bytes]:
    from .pdf import make_pdfs

    return make_pdfs(model, inputs["workbooks"], issuer=config.issuer, place=config.place,
                     site_url=config.site_url, today=None, fallback_time=stamp, times=inputs["times"],
                     extra=inputs["extra"], progress=progress, cache=cache)[1]


def _printed(model: SiteModel, strict: bool, print_pdfs: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
    """The PDFs ``print_pdfs`` makes; the links and sizes of those printed are
    kept. Without Chromium the site goes without them (a BuildError with --strict)."""
    from .pdf import PdfError

    try:
        files = print_pdfs()
    except PdfError as exc:
        if strict:
            raise BuildError(f"không in được bản PDF (--strict): {exc}") from None
        log.warning("Dựng trang không kèm bản PDF: %s", exc)
        files = {}
    for url in [url for url, path in model.pdfs.items() if path not in files]:
        del model.pdfs[url]
    model.pdf_list[:] = [dict(entry, size=_size(len(files[entry["path"]])))
                         for entry in model.pdf_list if entry["path"] in files]
    return files


def _pdfs(model: SiteModel, run: commands.Run, config: SiteConfig, stamp: dt.datetime, step,
          strict: bool = False, cache: Path | None = None) -> dict[str, bytes]:
    """The printable copies, printed before the pages are built, and linked from them."""
    inputs = _print_inputs(run, model, config)
    _link_pdfs(model, inputs)
    return _printed(model, strict, lambda: _print_pdfs(
        model, config, stamp, inputs, cache, progress=lambda i, n, name: step(f"In PDF {name}", i, n)))


def _pdfs_beside(model: SiteModel, run: commands.Run, config: SiteConfig, stamp: dt.datetime,
                 cache: Path | None):
    """Start printing the PDFs in a process of their own, so that Chromium works
    while MkDocs builds the pages; the pages link to every document now (their
    sizes come when they are printed). None where that cannot be done."""
    from .parallel import start_forked

    inputs = _print_inputs(run, model, config)
    started = start_forked(lambda: _print_pdfs(model, config, stamp, inputs, cache))
    if started is None:
        return None
    _link_pdfs(model, inputs)
    return started


def _pdfs_printed(started, model: SiteModel, strict: bool) -> dict[str, bytes]:
    """The PDFs printed beside the build (see _printed)."""
    executor, future = started
    try:
        return _printed(model, strict, future.result)
    finally:
        executor.shutdown()


def _staged(out: Path, fill: Callable[[Path], None]) -> Path:
    """A new folder beside ``out`` filled by ``fill``; removed if that fails."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        fill(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def build_site(content: Path | None = None, out: Path = Path("site"), *, today: dt.date | None = None,
               strict: bool = False, work: Path | None = None, progress: Progress | None = None,
               pdf: bool = True, cache: bool = True) -> BuildResult:
    """Build the public site from a content folder into ``out``, atomically.

    With ``cache``, what does not depend on the edited cells is reused from the
    work folder (``work``, default build/): readings of unchanged workbooks,
    PDFs whose print HTML did not change and the HTML of unchanged pages."""
    content = content or DEFAULT_CONTENT
    today = today or dt.date.today()
    try:
        config = load_site_config(content)
    except ConfigError as exc:
        raise commands.UsageError(str(exc)) from None

    def step(stage: str, done: int = 0, total: int = 1):
        if progress:
            progress(stage, done, total)

    work_root = work or (ROOT / "build")
    cache_dir = work_root / "cache" / "doc" if cache else None
    run, model = _read_content(content, config, today, lambda i, n, name: step(f"Đọc {name}", i, n), cache_dir)
    if strict and model.notices:
        names = ", ".join(n.file for n in model.notices)
        raise BuildError(f"không đọc được bảng tính: {names} (--strict).")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-", dir=work_root) as tmp, source_date_epoch(today) as epoch:
        stamp = dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)
        site_cache = work_root / "cache" / "site"
        lock = _try_lock(site_cache) if cache else None
        printing = _pdfs_beside(model, run, config, stamp, work_root / "cache" / "pdf") \
            if pdf and lock is not None else None
        pdf_files = _pdfs(model, run, config, stamp, step, strict,
                          work_root / "cache" / "pdf" if cache else None) if pdf and printing is None else {}
        step("Tạo trang", 0, 2)
        if lock is not None:
            try:
                changed: set[str] = set()
                docs = site_cache / "docs"
                if printing is not None:
                    # while Chromium prints: every page, with the PDFs of the last build in their place
                    kept = {e["path"]: (docs / e["path"]).read_bytes() if (docs / e["path"]).is_file() else b""
                            for e in model.pdf_list}
                    for entry in model.pdf_list:
                        entry["size"] = _size(len(kept[entry["path"]]))
                    pages = generate_docs(model, run, config, docs, stamp, kept, changed)
                    step("Dựng trang (MkDocs)", 1, 3)
                    _incremental_mkdocs(model, pages, changed, config, site_cache)
                    step("In PDF", 2, 3)
                    pdf_files = _pdfs_printed(printing, model, strict)
                    changed = set()  # then only what the new PDFs change: the files, the data page
                pages = generate_docs(model, run, config, docs, stamp, pdf_files, changed)
                step("Dựng trang (MkDocs)", 1, 2)
                built = _incremental_mkdocs(model, pages, changed, config, site_cache)
                staging = _staged(out, lambda folder: shutil.copytree(built, folder, dirs_exist_ok=True))
            finally:
                if printing is not None and not printing[1].done():
                    printing[0].shutdown(cancel_futures=True)
                lock.close()  # releases the lock
        else:
            docs = Path(tmp) / "docs"
            pages = generate_docs(model, run, config, docs, stamp, pdf_files)
            step("Dựng trang (MkDocs)", 1, 2)
            staging = _staged(out, lambda folder: mkdocs_build(docs, folder, config, nav(pages, model)))
        _swap(staging, out)
        step("Xong", 2, 2)
    return BuildResult(out, model, run, len(pages), len(pdf_files))


def _try_lock(folder: Path):
    """An exclusive lock on the kept output, or None when another build holds
    it (that build then goes without the cache: slower, never wrong)."""
    import fcntl

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / ".lock").open("a")
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        log.info("Một lần dựng khác đang dùng %s: dựng lại toàn bộ, không dùng bộ nhớ đệm.", folder)
        return None
    return handle


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``: a reader sees the old site or the new one."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}-old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --- cchc serve ---------------------------------------------------------------------

_serve_state: dict = {}


def regenerate_for_serve() -> None:
    """Called by the MkDocs hook before each (re)build while serving."""
    state = _serve_state
    content, today, docs = state["content"], state["today"], state["docs"]
    config = load_site_config(content)
    run, model = _read_content(content, config, today or dt.date.today())
    stamp = dt.datetime.combine(today or dt.date.today(), dt.time(), tzinfo=dt.timezone.utc)
    state["pages"] = generate_docs(model, run, config, docs, stamp)
    state["model"] = model


def serve_site(content: Path | None = None, *, today: dt.date | None = None, dev_addr: str = "127.0.0.1:8000",
               work: Path | None = None) -> None:
    """The site with live reload: a change to a workbook, units.yml or
    site.yml in the content folder regenerates the pages."""
    from mkdocs.commands.serve import serve

    content = (content or DEFAULT_CONTENT).resolve()
    docs = (work or ROOT / "build" / "serve") / "docs"
    _serve_state.update(content=content, today=today, docs=docs)
    regenerate_for_serve()
    config = load_site_config(content)
    serve(config_file=str(MKDOCS_YML), livereload=True, watch=[str(content)], dev_addr=dev_addr,
          docs_dir=str(docs), site_name=config.site_name,
          nav=nav(_serve_state["pages"], _serve_state["model"]),
          hooks=[str(Path(__file__).resolve().parent / "serve_hooks.py")])
