"""`cchc`: the command-line tool. Parses options, calls generator.commands,
renders results. Library exceptions become one clear Vietnamese line and an
exit code, never a traceback (like sqlite-utils' CLI)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import commands
from .findings import Report, Severity

log = logging.getLogger("generator")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _setup_logging(verbose: int, quiet: bool) -> None:
    from rich.console import Console
    from rich.logging import RichHandler

    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    handler = RichHandler(console=Console(stderr=True), show_time=False, show_path=False, markup=False)
    logging.basicConfig(level=level, handlers=[handler], format="%(message)s", force=True)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"Lỗi: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turn unexpected exceptions into one line (and the traceback only with -vv)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except commands.UsageError as exc:
            _fail(str(exc))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("đã dừng theo yêu cầu.", 130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            log.debug("Lỗi không mong đợi", exc_info=True)
            _fail(f"lỗi không mong đợi ({type(exc).__name__}: {exc}). Chạy lại với -vv để xem chi tiết.", 3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Ghi nhật ký chi tiết hơn (-vv: gỡ lỗi).")
@click.option("-q", "--quiet", is_flag=True, help="Chỉ in cảnh báo và lỗi.")
@click.version_option(package_name="cchc-minh-bach", message="cchc %(version)s")
def main(verbose: int, quiet: bool) -> None:
    """Công khai cải cách hành chính: kiểm tra bảng tính, xuất dữ liệu, dựng trang."""
    _setup_logging(verbose, quiet)


# --- validate ---------------------------------------------------------------------

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _contents(entry: dict) -> str:
    """What a file holds, in words: “Phụ lục” (128 nhiệm vụ), …"""
    parts = [f"“{p['sheet']}” ({p['tasks']} nhiệm vụ)" for p in entry.get("plans", [])]
    parts += [f"“{c['sheet']}” (bảng điểm {c['year'] or ''}, {c['criteria']} tiêu chí)".replace(" ,", ",")
              for c in entry.get("scores", [])]
    parts += [f"“{t['sheet']}” (tiến độ TTHC, {t['rows']} dòng)" for t in entry.get("tthc", [])]
    return ", ".join(parts)


def render_text(report: Report) -> None:
    """Findings grouped by file and sheet, for people (on stdout)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    groups: dict[tuple[str, str], list] = {}
    for finding in report.findings:
        groups.setdefault((finding.file, finding.sheet), []).append(finding)
    for entry in report.files:
        if not any(key[0] == entry["file"] for key in groups):
            console.print(f"[green]✓[/] {entry['file']}: không có vấn đề. {_contents(entry)}")
    for (file, sheet), findings in groups.items():
        title = f"{file} › {sheet}" if sheet else file
        table = Table(title=title, title_justify="left", show_lines=False, expand=True)
        table.add_column("Ô", no_wrap=True)
        table.add_column("Mức", no_wrap=True)
        table.add_column("Mã", no_wrap=True)
        table.add_column("Nội dung và cách sửa", ratio=1)
        for f in findings:
            table.add_row(f.cell or "—", f"[{_SEVERITY_STYLE[f.severity]}]{f.severity.label}[/]", f.code,
                          f"{f.message}\n[dim]→ {f.hint}[/]")
        console.print(table)
    s = report.summary
    colour = "red" if s["errors"] else ("yellow" if s["warnings"] else "green")
    console.print(f"[{colour}]{len(report.files)} tệp: {s['errors']} lỗi, {s['warnings']} cảnh báo, "
                  f"{s['info']} thông tin.[/]")


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in report.findings:
        props = [f"file={_gh_escape(f.file, True)}"]
        if f.row:
            props.append(f"line={f.row}")
        title = f"{f.code} {f.sheet}!{f.cell}" if f.cell else f.code
        props.append(f"title={_gh_escape(title, True)}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_gh_escape(f.message + ' → ' + f.hint)}")
    return "\n".join(lines) + ("\n" if lines else "")


class _progress:
    """A rich progress bar on stderr, only when stderr is a terminal. The
    callback it yields takes (label, done, total)."""

    def __enter__(self):
        from rich.console import Console

        console = Console(stderr=True)
        self._bar = None
        if not console.is_terminal:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

        self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             console=console, transient=True)
        self._bar.start()
        self._task = self._bar.add_task("Bắt đầu", total=None)
        return self.update

    def update(self, label: str, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total, description=label)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
        return False


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="Định dạng kết quả.")
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi (mã thoát 1).")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục nội dung (mặc định: nội dung kèm theo).")
@click.option("--units", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Tệp danh mục đơn vị (mặc định: units.yml của thư mục nội dung).")
def validate(paths: tuple[Path, ...], fmt: str, strict: bool, content: Path | None, units: Path | None) -> None:
    """Kiểm tra các bảng phân công và chỉ ra ô cần sửa.

    PATHS là tệp .xlsx hoặc thư mục; mặc định là các bảng trong thư mục nội dung.
    Mã thoát: 0 không có lỗi, 1 có lỗi (hoặc cảnh báo với --strict), 2 không dùng được đường dẫn.
    """
    with _progress() as progress:
        on_file = (lambda done, total, name: progress(f"Đọc {name}", done, total)) if progress else None
        run = commands.validate(list(paths), content=content, units=units, progress=on_file, lean=True)
    report = run.report
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "github":
        click.echo(render_github(report), nl=False)
    else:
        render_text(report)
    sys.exit(commands.check_exit_code(report, strict))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Ghi ra tệp thay vì màn hình.")
@click.option("--units", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Tệp danh mục đơn vị.")
def export(path: Path, fmt: str, output: Path | None, units: Path | None) -> None:
    """Xuất mô hình dữ liệu của bảng phân công (JSON hoặc CSV)."""
    text = commands.export(path, fmt, units=units)
    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        output.write_bytes(text.encode("utf-8"))
        log.info("Đã ghi %s", output)


_TODAY = click.DateTime(formats=["%Y-%m-%d"])


@main.command()
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục nội dung (mặc định: nội dung kèm theo).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="Thư mục ghi trang đã dựng.")
@click.option("--today", type=_TODAY, default=None, help="Ngày dùng để tính trạng thái (YYYY-MM-DD); mặc định hôm nay.")
@click.option("--strict", is_flag=True, help="Dừng (mã thoát 1) nếu có bảng tính không đọc được.")
@click.option("--no-pdf", is_flag=True, help="Không in bản PDF của các trang (nhanh hơn).")
@click.option("--no-cache", is_flag=True,
              help="Dựng lại toàn bộ, không dùng bộ nhớ đệm (bảng tính đã đọc, bản PDF, trang không đổi).")
@click.option("--work", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục làm việc giữ bộ nhớ đệm giữa các lần dựng (mặc định: build/ của công cụ); "
                   "mỗi thư mục nội dung nên có thư mục làm việc riêng.")
def build(content: Path | None, out: Path, today, strict: bool, no_pdf: bool, no_cache: bool,
          work: Path | None) -> None:
    """Dựng trang công khai từ các bảng tính (đọc, kiểm tra, tạo trang, bản PDF, MkDocs).

    Lần dựng sau chỉ đọc lại bảng tính đã đổi, chỉ in lại bản PDF đã đổi và chỉ dựng lại
    các trang đã đổi (bộ nhớ đệm trong thư mục làm việc); kết quả giống hệt dựng toàn bộ."""
    from .build import BuildError, build_site

    with _progress() as progress:
        try:
            result = build_site(content, out, today=today.date() if today else None, strict=strict,
                                progress=progress, pdf=not no_pdf, cache=not no_cache, work=work)
        except BuildError as exc:
            _fail(str(exc), EXIT_FINDINGS)
    s = result.run.report.summary
    pdfs = f", {result.pdfs} bản PDF" if result.pdfs else (", không kèm bản PDF" if not no_pdf else "")
    click.echo(f"Đã dựng {result.pages} trang{pdfs} vào {result.out} ({s['errors']} lỗi, {s['warnings']} cảnh báo "
               f"trong dữ liệu). Xem: python3 -m http.server -d {result.out} 8000, rồi mở http://127.0.0.1:8000",
               err=True)
    for notice in result.model.notices:
        click.echo(f"Chú ý: không đọc được {notice.file}: {notice.message}", err=True)


@main.command()
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục nội dung (mặc định: nội dung kèm theo).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("pdf"), show_default=True,
              help="Thư mục ghi các tệp PDF.")
@click.option("--what", type=click.Choice(["plan", "units", "scores", "tthc", "inspections", "all"]), default="all",
              show_default=True, help="In gì: kế hoạch, từng đơn vị, chỉ số CCHC, tiến độ TTHC, hoặc tất cả.")
@click.option("--today", type=_TODAY, default=None, help="Ngày ghi sau địa danh (YYYY-MM-DD); mặc định hôm nay.")
def pdf(content: Path | None, out: Path, what: str, today) -> None:
    """In bản PDF theo thể thức Nghị định 30/2020/NĐ-CP (Chromium)."""
    from .pdf import PdfError

    with _progress() as progress:
        try:
            written = commands.pdf(content, out, what=what, today=today.date() if today else None,
                                   progress=(lambda i, n, name: progress(f"In {name}", i, n)) if progress else None)
        except PdfError as exc:
            _fail(str(exc), EXIT_USAGE)
    click.echo(f"Đã in {len(written)} tệp PDF vào {out}.", err=True)


@main.command()
@click.argument("kind", type=click.Choice(["plan", "scores", "tthc", "inspection"]))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Tệp .xlsx sẽ ghi.")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục nội dung (lấy danh mục đơn vị và tên cơ quan).")
@click.option("--year", type=int, default=None, help="Năm của bảng (mặc định: năm nay).")
def template(kind: str, out: Path, content: Path | None, year: int | None) -> None:
    """Tạo bảng tính mẫu để cán bộ nhập liệu: plan (phân công), scores (điểm Chỉ số CCHC), tthc (tiến độ TTHC),
    inspection (kế hoạch kiểm tra CCHC và theo dõi khắc phục)."""
    import datetime as dt

    from .config import DEFAULT_CONTENT, ConfigError, load_site_config
    from .xlsx_templates import write_template

    if out.suffix.lower() != ".xlsx":
        _fail(f"Tệp mẫu phải có đuôi .xlsx: “{out}”.", EXIT_USAGE)
    if out.exists():
        _fail(f"“{out}” đã có: chọn tên khác để không ghi đè.", EXIT_USAGE)
    try:
        config = load_site_config(content or DEFAULT_CONTENT)
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE)
    registry = commands.load_units(content)
    write_template(kind, out, registry, year=year or dt.date.today().year, issuer=config.issuer,
                   place=config.place)
    click.echo(f"Đã tạo {out}.", err=True)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--issuer", default="UBND huyện …", show_default=True, help="Cơ quan ban hành.")
@click.option("--place", default="…", show_default=True, help="Địa danh ghi trong ngày tháng.")
@click.option("--year", type=int, default=None, help="Năm của kế hoạch (mặc định: năm nay).")
def init(directory: Path, issuer: str, place: str, year: int | None) -> None:
    """Tạo khung trang cho một huyện, tỉnh khác: nội dung, mẫu bảng tính, giao diện, quy trình CI."""
    from .init_site import init_site, next_steps

    written = init_site(directory, issuer=issuer, place=place, year=year)
    log.info("Đã ghi %d tệp", len(written))
    click.echo(next_steps(directory))


@main.command("demo-data")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Thư mục nội dung sẽ tạo (phải trống hoặc chưa có, trừ khi dùng --force).")
@click.option("--units", "n_units", type=click.IntRange(1, 2000), default=20, show_default=True,
              help="Số cơ quan, đơn vị (mỗi đơn vị một bảng phân công).")
@click.option("--rows", type=click.IntRange(1, 5000), default=80, show_default=True,
              help="Số dòng nhiệm vụ của mỗi bảng phân công (chưa kể dòng lĩnh vực, tiêu chí).")
@click.option("--months", type=click.IntRange(1, 120), default=12, show_default=True,
              help="Số tháng số liệu tiến độ giải quyết TTHC, từ tháng 1 của năm kế hoạch.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng tham số thì cùng từng byte.")
@click.option("--failures", type=click.IntRange(0, None), default=3, show_default=True,
              help="Số ô cố ý ghi sai (ngày không có thật, điểm vượt tối đa, số hồ sơ không khớp…).")
@click.option("--year", type=click.IntRange(1990, 2090), default=None,
              help="Năm của kế hoạch (mặc định: năm nay); bảng điểm Chỉ số CCHC là của năm trước.")
@click.option("--force", is_flag=True, help="Ghi vào thư mục đã có tệp (thay dữ liệu minh họa cũ).")
def demo_data(out: Path, n_units: int, rows: int, months: int, seed: int, failures: int, year: int | None,
              force: bool) -> None:
    """Tạo thư mục nội dung minh họa (dữ liệu giả định) ở mọi quy mô: danh mục đơn vị, bảng phân công,
    bảng điểm Chỉ số CCHC, tiến độ giải quyết TTHC, kèm vài ô cố ý ghi sai để thử kiểm tra."""
    import datetime as dt

    from rich.console import Console
    from rich.markup import escape

    from .demo_data import DemoDataError, make_demo_content

    if out.exists() and not out.is_dir():
        _fail(f"“{out}” là một tệp, không phải thư mục.", EXIT_USAGE)
    if out.is_dir() and any(out.iterdir()) and not force:
        _fail(f"thư mục “{out}” đã có tệp: chọn thư mục trống, hoặc thêm --force để ghi đè dữ liệu minh họa.",
              EXIT_USAGE)
    try:
        summary = make_demo_content(out, units=n_units, rows=rows, months=months, seed=seed, failures=failures,
                                    year=year or dt.date.today().year)
    except DemoDataError as exc:
        _fail(str(exc), EXIT_USAGE)
    console = Console(highlight=False)
    console.print(f"[green]Đã tạo dữ liệu minh họa[/] tỉnh {summary.province} (năm {summary.year}, hạt giống "
                  f"{summary.seed}) trong {escape(str(out))}: {len(summary.files)} tệp, {summary.units} đơn vị, {summary.groups} "
                  f"nhóm, {summary.plans} bảng phân công × {summary.rows} dòng nhiệm vụ, bảng điểm Chỉ số CCHC năm "
                  f"{summary.year - 1} ({summary.score_criteria} tiêu chí), tiến độ TTHC {summary.months} tháng "
                  f"({summary.tthc_rows} dòng).")
    if summary.failures:
        console.print(f"{len(summary.failures)} ô cố ý ghi sai (cchc validate phải báo đúng các ô này):")
        for f in summary.failures:
            level = "[red]lỗi[/]" if f.severity == "error" else "[yellow]cảnh báo[/]"
            console.print(f"  • {escape(f.file)} › {escape(f.sheet)} › {f.cell}: {f.code} ({level}) — "
                          f"{escape(f.description)}")
    else:
        console.print("Không có ô nào cố ý ghi sai: cchc validate sẽ không báo lỗi nào.")
    where = escape(str(out))
    console.print(f"Tiếp theo: cchc validate --content {where}; cchc build --content {where} --out <thư mục trang>")


@main.command()
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục nội dung (mặc định: nội dung kèm theo).")
@click.option("--source", "source_ids", multiple=True, metavar="ID",
              help="Chỉ đồng bộ nguồn này (dùng nhiều lần được); mặc định: mọi nguồn trong site.yml.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Định dạng bảng tóm tắt (json cho CI).")
@click.option("--write-findings", is_flag=True,
              help="Ghi kết quả kiểm tra vào trang “Kết quả kiểm tra” của từng Google Sheet.")
def sync(content: Path | None, source_ids: tuple[str, ...], fmt: str, write_findings: bool) -> None:
    """Lấy bản mới của các nguồn (tệp .xlsx, Google Sheets), kiểm tra, giữ bản đúng gần nhất.

    Mã thoát: 0 mọi nguồn đã cập nhật hoặc vẫn giữ bản đúng gần nhất; 1 có nguồn chưa có bản nào
    công bố được (tải lỗi, hoặc bản đầu tiên có lỗi); 2 cấu hình, nguồn hoặc khóa Google không dùng được.
    """
    from sheets_sync.sync import SyncUsageError
    from sheets_sync.sync import sync as run_sync

    with _progress() as progress:
        on_source = (lambda done, total, name: progress(f"Đồng bộ {name}", done, total)) if progress else None
        try:
            run = run_sync(content, list(source_ids) or None, write_findings=write_findings, progress=on_source)
        except SyncUsageError as exc:
            _fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps(run.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_sync(run)
    sys.exit(run.exit_code)


def render_sync(run) -> None:
    """The summary table: source, status, rows, findings."""
    from rich.console import Console
    from rich.table import Table

    style = {"new": "green", "unchanged": "dim", "kept": "yellow", "error": "bold red"}
    table = Table(title="Đồng bộ nguồn dữ liệu", title_justify="left", expand=True)
    table.add_column("Nguồn", no_wrap=True)
    table.add_column("Trạng thái", no_wrap=True)
    table.add_column("Dòng", justify="right")
    table.add_column("Lỗi / cảnh báo", justify="right")
    table.add_column("Ghi chú", ratio=1)
    for r in run.results:
        data = r.to_dict()
        table.add_row(r.source.id, f"[{style[r.status]}]{r.label}[/]", "" if r.rows is None else str(r.rows),
                      f"{data['errors']} / {data['warnings']}", r.message)
    Console(highlight=False).print(table)


@main.command()
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục nội dung (mặc định: nội dung kèm theo).")
@click.option("--today", type=_TODAY, default=None, help="Ngày dùng để tính trạng thái (YYYY-MM-DD).")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Địa chỉ:cổng để phục vụ.")
def serve(content: Path | None, today, dev_addr: str) -> None:
    """Xem trang trên máy, tự cập nhật khi bảng tính trong thư mục nội dung thay đổi."""
    from .build import serve_site

    serve_site(content, today=today.date() if today else None, dev_addr=dev_addr)


if __name__ == "__main__":  # pragma: no cover
    main()
