"""Write the embedded default TTHC progress workbook (content/sheets/tien-do-tthc.xlsx).

The 2021 row holds the only real figures the district published (Kế hoạch
nâng cao Chỉ số CCHC năm 2022 of Quảng Điền: 1.962 of 6.690 dossiers received
online, 29,32%); every figure it did not publish is left empty. The 2022
monthly rows are illustrative ("Dữ liệu minh họa"), generated from a fixed
seed so that the file is the same on every run, and consistent with the
form's identities.

    .venv/bin/python scripts/make_demo_tthc.py [OUT]
    .venv/bin/cchc sync --source tien-do-tthc   # check it and publish it to content/sheets/
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "nguon" / "tien-do-tthc.xlsx"  # the source; `cchc sync` publishes it to sheets/

SINGLE = ["Kỳ", "Đơn vị", "Từ ngày", "Đến ngày"]
GROUPS = [
    ("Số hồ sơ tiếp nhận", ["Tổng số", "Kỳ trước chuyển sang", "Tiếp nhận mới", "Trực tuyến", "Trực tiếp",
                            "Qua BCCI"]),
    ("Đã giải quyết", ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"]),
    ("Đang giải quyết", ["Tổng số", "Trong hạn", "Quá hạn"]),
]
TAIL = ["Số thư xin lỗi", "Số hồ sơ số hóa", "Tỷ lệ trực tuyến (%)", "Tỷ lệ giải quyết đúng hạn (%)",
        "Nguồn số liệu"]
REAL_SOURCE = ("Số liệu thật: Kế hoạch nâng cao Chỉ số CCHC năm 2022 của UBND huyện Quảng Điền "
               "(tiêu chí 7.2: 1.962/6.690 hồ sơ trực tuyến, 29,32%)")
DEMO_SOURCE = "Dữ liệu minh họa"
UNITS = {"Trung tâm Hành chính công huyện": 420, "UBND các xã, thị trấn": 610}


def dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def demo_rows(rng: random.Random) -> list[list]:
    rows = []
    pending = {unit: (18 if unit.startswith("Trung") else 25) for unit in UNITS}
    for month in range(1, 11):
        last = calendar.monthrange(2022, month)[1]
        for unit, base in UNITS.items():
            carried = pending[unit]
            new = base + rng.randint(-60, 80)
            online = round(new * (0.30 + 0.012 * month + rng.uniform(-0.02, 0.02)))
            postal = round(new * rng.uniform(0.02, 0.07))
            direct = new - online - postal
            total = carried + new
            pending_now = rng.randint(15, 35)
            resolved = total - pending_now
            late = rng.randint(0, 9)
            early = round(resolved * rng.uniform(0.55, 0.7))
            on_time = resolved - early - late
            pending_late = rng.randint(0, 2)
            apologies = late - (1 if late and rng.random() < 0.15 else 0)
            digitised = round(new * rng.uniform(0.82, 0.97))
            rate_on_time = (early + on_time) / resolved * 100
            rows.append([
                f"Tháng {month:02d}/2022", unit, dt.date(2022, month, 1), dt.date(2022, month, last),
                total, carried, new, online, direct, postal, resolved, early, on_time, late,
                pending_now, pending_now - pending_late, pending_late, apologies, digitised,
                None, f"{rate_on_time:.2f}".replace(".", ",") + "%", DEMO_SOURCE,
            ])
            pending[unit] = pending_now
    return rows


def build(out: Path = OUT) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tiến độ TTHC"
    width = len(SINGLE) + sum(len(s) for _, s in GROUPS) + len(TAIL)
    ws.cell(1, 1, "UBND HUYỆN QUẢNG ĐIỀN")
    ws.cell(2, 1, "TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(3, 1, "Số liệu năm 2021 theo Kế hoạch nâng cao Chỉ số CCHC năm 2022; số liệu năm 2022 là dữ liệu "
                  "minh họa, thay bằng số liệu thật của đơn vị.")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    top, sub = 5, 6
    col = 1
    for name in SINGLE:
        ws.cell(top, col, name)
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        col += 1
    for group, names in GROUPS:
        ws.cell(top, col, group)
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(names) - 1)
        for offset, name in enumerate(names):
            ws.cell(sub, col + offset, name)
        col += len(names)
    for name in TAIL:
        ws.cell(top, col, name)
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        col += 1
    for row in (top, sub):
        for c in range(1, width + 1):
            ws.cell(row, c).font = Font(bold=True)
            ws.cell(row, c).alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    real = ["Năm 2021", "Trung tâm Hành chính công huyện", dt.date(2021, 1, 1), dt.date(2021, 12, 31),
            None, None, dotted(6690), dotted(1962), None, None, None, None, None, None, None, None, None,
            None, None, "29,32%", None, REAL_SOURCE]
    rows = [real] + demo_rows(random.Random(2022))
    for index, values in enumerate(rows, start=sub + 1):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(index, c, value)
            if isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 30
    wb.properties.creator = "cchc"
    wb.properties.created = wb.properties.modified = dt.datetime(2022, 11, 15)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
