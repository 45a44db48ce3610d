"""The `cchc` commands as plain functions, callable from tests and scripts.

The CLI (cli.py) only parses options, calls these and renders the result.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_CONTENT, ConfigError, load_site_config
from .findings import Report
from .model import Plan
from .reader import WorkbookResult, read_workbook
from .score_checks import check_card
from .scores import ScoreCard
from .tthc import TthcReport
from .tthc_checks import check_overlaps, check_report
from .units import UnitRegistry, UnitsConfigError, load_registry
from .validate import validate_plan
from .workbook import OTHER_FORMATS, WORKBOOK_SUFFIXES

log = logging.getLogger(__name__)


class UsageError(Exception):
    """A path or setting that cannot be used at all (exit code 2)."""


@dataclass(slots=True)
class Run:
    """What one validation run read and found."""

    report: Report
    results: list[WorkbookResult] = field(default_factory=list)

    @property
    def plans(self) -> list[Plan]:
        return [plan for result in self.results for plan in result.plans]

    @property
    def scores(self) -> list[ScoreCard]:
        return [card for result in self.results for card in result.scores]

    @property
    def tthc(self) -> list[TthcReport]:
        return [report for result in self.results for report in result.tthc]

    @property
    def inspections(self) -> list:
        return [plan for result in self.results for plan in result.inspections]


def _is_candidate(path: Path) -> bool:
    name = path.name
    if name.startswith(("~$", ".~lock", ".")):
        return False  # Excel / LibreOffice lock files and hidden files
    suffix = path.suffix.lower()
    return suffix in WORKBOOK_SUFFIXES or suffix in OTHER_FORMATS


def collect_workbooks(paths: list[Path]) -> list[Path]:
    """Expand folders into the spreadsheet files they hold (sorted, recursive).
    Files in formats we cannot read are included so that they get a finding."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"Không tìm thấy “{path}”.")
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and _is_candidate(p)))
        else:
            found.append(path)
    return found


def load_units(content: Path | None = None, units: Path | None = None) -> UnitRegistry:
    try:
        if units is not None:
            if not units.exists():
                raise UsageError(f"Không tìm thấy danh mục đơn vị “{units}”.")
            return load_registry(units)
        config = load_site_config(content or DEFAULT_CONTENT)
        path = config.units_path
        if not path.exists():
            path = DEFAULT_CONTENT / "units.yml"
        return load_registry(path)
    except (UnitsConfigError, ConfigError) as exc:
        raise UsageError(str(exc)) from None


def load_formula_file(config):
    """The scoring formulas of the content folder (None if it has none); a
    malformed file is a UsageError naming the line."""
    from .formulas import FormulaConfigError, load_formulas

    path = config.formulas_path
    if not path.exists():
        log.info("Không có tệp công thức %s: không tính điểm dự kiến.", path)
        return None
    try:
        formulas = load_formulas(path)
    except FormulaConfigError as exc:
        raise UsageError(str(exc)) from None
    formulas.file = config.formulas  # shown on the site: relative to the content folder
    return formulas


def _display(path: Path, root: Path | None = None) -> str:
    """The name findings and pages show: relative to ``root`` (the content
    folder, for the site: it must not publish where the builder keeps files)
    or to the working folder."""
    for base in ([root] if root else []) + [Path.cwd()]:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name if root else str(path)


def validate(paths: list[Path] | None = None, *, content: Path | None = None,
             units: Path | None = None, progress: Callable[[int, int, str], None] | None = None,
             relative_to: Path | None = None, cache: Path | None = None, jobs: int | None = None,
             lean: bool = False, today: dt.date | None = None) -> Run:
    """Read and check workbooks (default: the content folder's sheets).

    ``progress(done, total, name)`` is called as files are read (for a progress bar).
    ``cache``: a folder where readings are kept by content hash (see read_cache);
    ``jobs``: worker processes for the files not in it (default: one per core).
    ``lean``: only the findings are wanted (`cchc validate`): the plans read are
    not kept in the result (``run.plans`` is empty), which spares carrying them
    back from the worker processes."""
    content = content or DEFAULT_CONTENT
    config = None
    if not paths:
        try:
            config = load_site_config(content)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        paths = [config.sheets_path]
        if config.sources:
            # the declared sources' last good snapshots, and any other workbook put in the
            # sheets folder by hand (never silently left out)
            declared = [path for source in config.sources if (path := config.workbook_of(source)) is not None]
            owned = {p.resolve() for p in declared} | {(config.root / s.path).resolve() for s in config.sources
                                                       if s.path}
            others = [p for p in collect_workbooks([config.sheets_path]) if p.resolve() not in owned] \
                if config.sheets_path.is_dir() else []
            paths = declared + others
        load_formula_file(config)  # a malformed formula file is named before any sheet is read
    registry = load_units(content, units)
    files = collect_workbooks(paths)
    report = Report()
    run = Run(report)
    from .read_cache import check_workbooks

    named = [(path, _display(path, relative_to)) for path in files]
    for result, findings in check_workbooks(named, registry, cache=cache, jobs=jobs, progress=progress,
                                            lean=lean):
        run.results.append(result)
        report.extend(findings)
        report.files.append(result.summary)
    report.extend(check_overlaps(run.tthc))  # across sheets and files
    if run.inspections:  # against the registry, the plans' criteria and the targets of site.yml
        from .inspection import coverage_groups
        from .inspection_checks import check_inspection_plan, known_codes
        from .text import VN

        targets = config.inspection_targets if config is not None else None
        day = today or dt.datetime.now(VN).date()
        known = known_codes(run.plans)
        for plan in run.inspections:
            report.extend(check_inspection_plan(plan, registry, day, known=known, targets=targets,
                                                groups=coverage_groups(registry)))
    if not files:
        log.warning("Không có tệp .xlsx nào trong %s", ", ".join(str(p) for p in paths))
    return run


def check_workbook(path: Path, registry: UnitRegistry, display: str,
                   lean: bool = False) -> tuple[WorkbookResult, list]:
    """Read one workbook and run every check on what it holds; ``lean``: drop
    the plans once checked (their summary stays in ``result.summary``)."""
    result = read_workbook(path, registry, display)
    findings = list(result.findings)
    for plan in result.plans:
        findings.extend(validate_plan(plan))
    for card in result.scores:
        findings.extend(check_card(card))
    for tthc in result.tthc:
        findings.extend(check_report(tthc))
    findings.extend(_template_examples(result))
    result.summary = {
        "file": result.file,
        "readable": result.readable,
        "sheets": result.sheets,
        "kinds": result.kinds,
        "plans": [{"sheet": p.sheet, "title": p.title, "tasks": len(p.tasks)} for p in result.plans],
        "scores": [{"sheet": c.sheet, "year": c.year, "criteria": len(c.all_items())} for c in result.scores],
        "tthc": [{"sheet": t.sheet, "rows": len(t.rows)} for t in result.tthc],
    }
    if lean:
        result.plans = []
        result.findings = []  # the same as ``findings``
    return result, findings


def _template_examples(result: WorkbookResult) -> list:
    """The example rows of a `cchc template` workbook that are still there."""
    from .findings import make
    from .xlsx_templates import EXAMPLE_MARK

    rows = [(plan.sheet, f"{plan.columns.get('title', 'B')}{task.row}", task.row, task.title)
            for plan in result.plans for task in plan.tasks]
    rows += [(card.sheet, item.cells.get("title", ""), item.row, item.title)
             for card in result.scores for item in card.all_items()]
    rows += [(report.sheet, f"{report.columns.get('source', 'A')}{row.row}", row.row, row.source)
             for report in result.tthc for row in report.rows]
    for plan in result.inspections:
        rows += [(plan.inspection_sheet, item.cells.get("form", ""), item.row, item.form) for item in plan.inspections]
        rows += [(plan.remediation_sheet, item.cells.get("issue", ""), item.row, item.issue)
                 for item in plan.remediations]
    return [make("template-example", file=result.file, sheet=sheet, cell=cell, row=row, text=text)
            for sheet, cell, row, text in rows if text.startswith(EXAMPLE_MARK)]


def check_exit_code(report: Report, strict: bool = False) -> int:
    return 1 if report.has_errors(strict) else 0


def export(path: Path, fmt: str = "json", *, units: Path | None = None) -> str:
    """The typed model of the workbooks under ``path`` as JSON or CSV text."""
    from . import export as exporter

    run = validate([path], units=units)
    unreadable = [f for f in run.report.findings if f.code.startswith("file-") or f.code == "missing-header"]
    if not run.plans and unreadable:
        raise UsageError(unreadable[0].message)
    if not run.plans and (run.scores or run.tthc):
        from .reader import KIND_LABELS

        kinds = sorted({KIND_LABELS[k] for r in run.results for k in r.kinds.values()})
        raise UsageError(f"“{path}” là {', '.join(kinds)}: cchc export chỉ xuất bảng phân công; điểm Chỉ số CCHC "
                         f"và tiến độ TTHC có trong mục Dữ liệu mở của trang (chi-so-cchc.csv, tien-do-tthc.csv).")
    if fmt == "json":
        return exporter.to_json(run.plans)
    if fmt == "csv":
        return exporter.to_csv(run.plans)
    raise UsageError(f"Định dạng “{fmt}” không hỗ trợ (json hoặc csv).")


def pdf(content: Path | None = None, out: Path = Path("pdf"), *, what: str = "all", today=None,
        progress: Callable[[int, int, str], None] | None = None) -> list[Path]:
    """Print the plan, each unit's tasks, the scores and TTHC reports as PDFs into ``out``."""
    import datetime as dt

    from .build import _print_inputs, _read_content
    from .pdf import KINDS, make_pdfs

    content = content or DEFAULT_CONTENT
    try:
        config = load_site_config(content)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    run, model = _read_content(content, config, today or dt.date.today())
    kinds = KINDS if what == "all" else (what,)
    stamp = dt.datetime.combine(today or dt.date.today(), dt.time(), tzinfo=dt.timezone.utc)
    inputs = _print_inputs(run, model, config)
    _, files = make_pdfs(model, inputs["workbooks"], issuer=config.issuer, place=config.place,
                      site_url=config.site_url, today=today, fallback_time=stamp, times=inputs["times"],
                      extra=inputs["extra"], what=kinds, progress=progress)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for rel, data in sorted(files.items()):
        path = out / Path(rel).name
        path.write_bytes(data)
        written.append(path)
    return written


__all__ = ["Run", "UsageError", "collect_workbooks", "export", "load_units", "pdf", "validate"]
