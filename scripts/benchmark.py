#!/usr/bin/env python3
"""Benchmark: read + validate of a generated appendix against a plain openpyxl
read-only pass over the same file, in one run. Prints the figures; the target
(issue 3) is a ratio of at most 2.0.

    python scripts/benchmark.py [--rows 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 2.0


def plain_pass(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
    return n


def ours(path: Path, registry) -> int:
    from generator.reader import read_workbook
    from generator.validate import validate_plan

    result = read_workbook(path, registry, path.name)
    findings = list(result.findings)
    for plan in result.plans:
        findings.extend(validate_plan(plan))
    return sum(len(p.tasks) for p in result.plans)


def best_of(repeat: int, fn, *args) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from generator.units import load_registry
    from tests.workbooks import big_appendix

    registry = load_registry(ROOT / "content" / "units.yml")
    with tempfile.TemporaryDirectory() as tmp:
        path = big_appendix(Path(tmp) / "lon.xlsx", args.rows)
        size = path.stat().st_size
        plain_t, plain_rows = best_of(args.repeat, plain_pass, path)
        ours_t, tasks = best_of(args.repeat, ours, path, registry)
        tracemalloc.start()
        ours(path, registry)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    ratio = ours_t / plain_t
    print(f"tệp: {args.rows} dòng, {size / 1024:.0f} KB")
    print(f"openpyxl read-only (đọc thuần): {plain_t:.3f} s ({plain_rows} dòng)")
    print(f"cchc đọc + kiểm tra:            {ours_t:.3f} s ({tasks} nhiệm vụ)")
    print(f"tỉ lệ: {ratio:.2f} (mục tiêu ≤ {TARGET})")
    print(f"bộ nhớ đỉnh (tracemalloc) khi đọc + kiểm tra: {peak / 1024 / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
