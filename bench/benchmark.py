#!/usr/bin/env python3
"""Benchmark of cchc at district and province scale. Prints a table; it is not
a test and asserts nothing: the targets are printed beside the figures.

For each size (default 1, 20 and 150 units × 80 task rows × 12 months of TTHC
figures), on the content folder `cchc demo-data` generates:

* read + validate every workbook, against a plain openpyxl read-only pass over
  the same files (target ≤ 0,5);
* a full `cchc build` (no PDF, empty cache), against a plain `mkdocs build` of
  the markdown it generated (target ≤ 1,3), and its peak memory (≤ 1 GB);
* a rebuild after one cell of one sheet changed (target ≤ 15 s at 150 units);
* with --pdf, a full build with the PDFs (target ≤ 60 s at 150 units);
* the heaviest HTML page gzipped (≤ 60 KB), the search index, and, when
  Chromium is installed, what a phone downloads before and at its first search.

Every build runs in a process of its own (imports included), the machine and
versions are recorded, and the tables are written as markdown into the site's
"Hiệu năng" page (content/pages/hieu-nang.md) unless --no-write.

    python bench/benchmark.py [--sizes 1,20,150] [--rows 80] [--months 12] [--repeat 3] [--pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2024, 6, 1)  # inside the generated plans' year: statuses of every kind
PAGE = ROOT / "content" / "pages" / "hieu-nang.md"

TARGETS = {"read": 0.5, "build": 1.3, "incremental": 15.0, "full": 60.0, "memory": 1024, "page": 60}


def num(value: float, digits: int = 1) -> str:
    from generator.text import format_number

    return format_number(round(value, digits), digits)


# --- measurements run in their own process ------------------------------------------------

_CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from generator.build import build_site
start = time.perf_counter()
result = build_site(Path({content!r}), Path({out!r}), today=dt.date.fromisoformat({today!r}), pdf={pdf},
                    work=Path({work!r}))
seconds = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({{"seconds": seconds, "peak_kb": peak, "pages": result.pages, "pdfs": result.pdfs}}))
"""


def child_build(content: Path, out: Path, work: Path, pdf: bool = False) -> dict:
    code = _CHILD.format(root=str(ROOT), content=str(content), out=str(out), today=TODAY.isoformat(), pdf=pdf,
                         work=str(work))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cchc build thất bại:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def plain_mkdocs(kept: Path, site: Path, content: Path, tmp: Path) -> float:
    """`mkdocs build` of the markdown cchc generated (kept in build/cache/site/docs)
    with the project's mkdocs.yml and the navigation cchc gave it; nothing of
    cchc runs."""
    import yaml

    from generator.build import _mkdocs_yml
    from generator.config import load_site_config

    config = load_site_config(content)
    base = _mkdocs_yml(config)
    child = tmp / "mkdocs-bench.yml"
    child.write_text(yaml.safe_dump({
        "INHERIT": str(base), "docs_dir": str(kept / "docs"), "site_dir": str(site), "site_name": config.site_name,
        "theme": {"name": "material", "custom_dir": str(base.parent / "site_templates" / "overrides")},
        "nav": json.loads((kept / "nav.json").read_text(encoding="utf-8")),
    }, allow_unicode=True), encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(child)], capture_output=True,
                          text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build thất bại:\n{done.stderr[-3000:]}")
    return seconds


_READ = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
files = [Path(f) for f in {files!r}]
content = Path({content!r})
if {mode!r} == "openpyxl":
    import openpyxl

    def work():
        rows = 0
        for path in files:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for ws in wb.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    rows += 1
            wb.close()
        return rows
else:
    import python_calamine  # noqa: F401 - imported before the clock starts, like openpyxl
    from generator.commands import validate

    def work():  # "validate": what `cchc validate` does; "model": what `cchc build` reads (plans kept)
        run = validate(None, content=content, relative_to=content, lean={mode!r} == "validate")
        return sum(p["tasks"] for f in run.report.files for p in f["plans"])
start = time.perf_counter()
value = work()
print(json.dumps({{"seconds": time.perf_counter() - start, "value": value}}))
"""


def read_in_child(content: Path, files: list[Path], mode: str) -> tuple[float, int]:
    """``mode``: openpyxl | validate | model. A fresh process each time: no cache
    of an earlier run helps (imports are done before the clock starts, for all)."""
    code = _READ.format(root=str(ROOT), files=[str(f) for f in files], content=str(content), mode=mode)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"đo đọc thất bại:\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data["seconds"], data["value"]


def best(repeat: int, fn, *args) -> tuple[float, object]:
    results = [fn(*args) for _ in range(repeat)]
    return min(r[0] for r in results), results[0][1]


def edit_one_cell(content: Path) -> str:
    """Move one deadline of one task in one published sheet, as a sync would."""
    import openpyxl

    books = sorted((content / "sheets").glob("phan-cong-*.xlsx"))
    book = books[len(books) // 2]
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=8):
        cell = row[5]
        if isinstance(cell.value, str) and cell.value.startswith("Trước "):
            cell.value = cell.value.replace("Trước ", "Chậm nhất ngày ", 1)
            wb.save(book)
            return f"{book.name}!{cell.coordinate}"
    raise SystemExit(f"không tìm thấy ô thời hạn để sửa trong {book}")


def page_weights(site: Path) -> tuple[str, int, int, int]:
    """(heaviest page, its gzipped bytes, search index bytes, gzipped)."""
    heaviest, size = "", 0
    for page in site.rglob("*.html"):
        n = len(gzip.compress(page.read_bytes(), 9))
        if n > size:
            heaviest, size = page.relative_to(site).as_posix(), n
    index = (site / "search" / "search_index.json").read_bytes()
    return heaviest, size, len(index), len(gzip.compress(index, 9))


def phone_downloads(site: Path) -> tuple[int, int] | None:
    """Bytes (gzipped, as a server sends them) a 360 px phone downloads to open
    the home page, and then for its first search: the files the server was
    asked for, sized from the disk. None without Chromium."""
    import functools
    import http.server
    import threading
    from urllib.parse import unquote, urlsplit

    try:
        from generator.pdf import CHROMIUM_FLAGS, PdfError, chromium_path

        executable = chromium_path()
    except (ImportError, PdfError):
        return None
    from playwright.sync_api import sync_playwright

    asked: list[str] = []

    class Recording(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            asked.append(unquote(urlsplit(self.path).path))
            super().do_GET()

    def weight(paths: list[str]) -> int:
        total = 0
        for rel in dict.fromkeys(paths):
            target = site / rel.lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                total += len(gzip.compress(target.read_bytes(), 6))
        return total

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Recording, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.goto(base, wait_until="networkidle")
            first = weight(asked)
            page.locator("label.md-search__icon, label[for='__search']").first.click()
            page.locator("input.md-search__input").press_sequentially("ke hoach", delay=30)
            page.wait_for_selector(".md-search-result__item", timeout=60_000)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    return first, weight(asked)


def machine() -> str:
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")) / 1024 / 1024
        memory = f"{num(mem)} GB RAM"
    except (OSError, StopIteration):
        memory = "RAM không rõ"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(f"{name} {version(name)}" for name in
                         ("mkdocs", "mkdocs-material", "python-calamine", "openpyxl", "Jinja2"))
    return (f"{cpu}, {cores} lõi, {memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {versions}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,20,150", help="số đơn vị, cách nhau bằng dấu phẩy")
    parser.add_argument("--rows", type=int, default=80)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3, help="đọc + kiểm tra: lấy lần nhanh nhất")
    parser.add_argument("--pdf", action="store_true", help="đo thêm lần dựng có in PDF (cần Chromium)")
    parser.add_argument("--no-browser", action="store_true", help="không đo dung lượng tải trên điện thoại")
    parser.add_argument("--no-write", action="store_true", help="chỉ in bảng, không ghi trang Hiệu năng")
    args = parser.parse_args()

    from generator.demo_data import make_demo_content

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    speed, weight = [], []
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for n in sizes:
            folder = tmp / f"{n}"
            content = folder / "noi-dung"
            summary = make_demo_content(content, units=n, rows=args.rows, months=args.months, seed=1, failures=3)
            files = sorted((content / "sheets").glob("*.xlsx"))
            plain_t, plain_rows = best(args.repeat, read_in_child, content, files, "openpyxl")
            ours_t, tasks = best(args.repeat, read_in_child, content, files, "validate")
            model_t, _ = best(args.repeat, read_in_child, content, files, "model")
            work = folder / "work"
            full = child_build(content, folder / "site", work)
            mk_t = plain_mkdocs(work / "cache" / "site", folder / "plain", content, folder)
            cell = edit_one_cell(content)
            again = child_build(content, folder / "site", work)
            pdf = child_build(content, folder / "site-pdf", folder / "work-pdf", pdf=True) if args.pdf else None
            heaviest, page_gz, index_raw, index_gz = page_weights(folder / "site")
            phone = None if args.no_browser else phone_downloads(folder / "site")
            label = f"{n} đơn vị"
            speed.append([
                label, f"{tasks:,}".replace(",", "."), num(ours_t, 2), num(plain_t, 2), num(ours_t / plain_t, 2),
                num(model_t, 2),
                num(full["seconds"]), num(mk_t), num(full["seconds"] / mk_t, 2), num(again["seconds"]),
                num(pdf["seconds"]) + f" ({pdf['pdfs']} PDF)" if pdf else "—",
                num(max(full["peak_kb"], again["peak_kb"], pdf["peak_kb"] if pdf else 0) / 1024, 0),
            ])
            weight.append([
                label, str(full["pages"]), f"{num(page_gz / 1024)} ({heaviest})", num(index_raw / 1024 / 1024, 2),
                num(index_gz / 1024, 0), f"{num(phone[0] / 1024, 0)} / {num(phone[1] / 1024, 0)}" if phone else "—",
            ])
            print(f"{label}: xong ({len(files)} bảng tính, {plain_rows} dòng, sửa ô {cell})", flush=True)
    speed_head = ["Quy mô", "Nhiệm vụ", "cchc validate: đọc + kiểm tra (s)", "openpyxl đọc thuần (s)",
                  "Tỉ lệ (≤ 0,5)", "Đọc + kiểm tra, giữ mô hình cho cchc build (s)",
                  "cchc build (s)", "mkdocs build (s)", "Tỉ lệ (≤ 1,3)", "Dựng lại sau khi sửa 1 ô (s) (≤ 15)",
                  "Dựng kèm PDF (s) (≤ 60)", "Bộ nhớ đỉnh (MB) (≤ 1024)"]
    weight_head = ["Quy mô", "Trang", "Trang nặng nhất, gzip (KB) (≤ 60)", "Chỉ mục tìm kiếm (MB)",
                   "Chỉ mục, gzip (KB)", "Điện thoại tải: mở trang chủ / đến lần tìm đầu (KB, gzip)"]
    text = "\n".join([
        "# Hiệu năng", "",
        f"Đo ngày {dt.date.today():%d/%m/%Y} bằng `python bench/benchmark.py` trên: {machine()}.", "",
        f"Dữ liệu: `cchc demo-data` (hạt giống 1), mỗi đơn vị một bảng phân công {args.rows} dòng nhiệm vụ, "
        f"{args.months} tháng số liệu TTHC, bảng điểm Chỉ số CCHC năm trước. Mỗi lần dựng chạy trong một tiến "
        "trình riêng, bộ nhớ đệm trống (trừ lần dựng lại sau khi sửa một ô). Không đo bằng bài kiểm thử có "
        "giới hạn thời gian: đây là số liệu để theo dõi.", "",
        "## Tốc độ", "", _table(speed_head, speed), "",
        "## Dung lượng", "", _table(weight_head, weight), "",
        "Trang nặng nhất: cỡ tệp HTML nén gzip, như máy chủ gửi đến điện thoại. Tải trên điện thoại: Chromium "
        "ở khổ 360 px mở trang chủ, rồi gõ tìm kiếm; cộng cỡ nén gzip của mọi tệp đã tải.", "",
    ])
    print(text)
    if not args.no_write:
        PAGE.parent.mkdir(parents=True, exist_ok=True)
        PAGE.write_text(text, encoding="utf-8")
        print(f"Đã ghi {PAGE.relative_to(ROOT)}")
    return 0


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
