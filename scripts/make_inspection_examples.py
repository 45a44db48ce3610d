#!/usr/bin/env python3
"""Write the inspection workbooks of the embedded content and of the Đắk Lắk
example (same bytes every run):

* examples/dak-lak-2020-kiem-tra/sheets/kiem-tra-cchc-2020.xlsx — the inspection
  plan of the Quyết định of the Chủ tịch UBND tỉnh Đắk Lắk (May 2020): the 12
  agencies and districts of its list, the round (August – October 2020), the
  form of inspection. The decision does not state conclusion dates nor what was
  found: those cells are illustrative and say so (Ghi chú column, and a
  "DỮ LIỆU MINH HỌA" line over the remediation sheet).
* content/nguon/kiem-tra-cchc-2022.xlsx — Quảng Điền 2022 (a source of site.yml:
  `cchc sync` publishes it into content/sheets/): the inspection tasks
  of the appendix (1.3.1 "Kiểm tra phòng, ban chuyên môn và UBND cấp xã trong
  năm", 1.3.2 "Xử lý các vấn đề phát hiện qua kiểm tra": remediation "chậm nhất
  30 ngày kể từ thời điểm có Thông báo kết luận"). The appendix names no unit:
  the whole workbook is illustrative.

    python scripts/make_inspection_examples.py
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parent.parent
FIXED = dt.datetime(2024, 1, 1)

PLAN_HEADER = ["TT", "Đơn vị được kiểm tra", "Đợt", "Hình thức", "Thời gian kiểm tra", "Ngày thông báo kết luận",
               "Số thông báo", "Ghi chú"]
FIX_HEADER = ["TT", "Đơn vị", "Tồn tại, hạn chế", "Nhiệm vụ khắc phục", "Tiêu chí liên quan", "Hạn khắc phục",
              "Tình trạng", "Minh chứng"]
MARK = "DỮ LIỆU MINH HỌA – không có trong văn bản, chỉ để minh họa cách trang hiển thị"
ILLUSTRATIVE_NOTE = "Ngày và số thông báo kết luận: dữ liệu minh họa"


def _sheet(wb, name: str, title: list[str], header: list[str], rows: list[list], merge_col: int | None = None):
    ws = wb.create_sheet(name)
    for i, line in enumerate(title, start=1):
        ws.cell(i, 1, line).font = Font(bold=i <= 2)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(header))
    top = len(title) + 2
    for col, text in enumerate(header, start=1):
        cell = ws.cell(top, col, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    if merge_col and rows:  # one round written once, merged down its rows
        ws.merge_cells(start_row=top + 1, start_column=merge_col, end_row=top + len(rows), end_column=merge_col)
    for col, width in zip("ABCDEFGH", (6, 34, 22, 20, 22, 16, 16, 36)):
        ws.column_dimensions[col].width = width
    return ws


def _save(wb, path: Path) -> None:
    del wb["Sheet"]
    wb.properties.created = wb.properties.modified = FIXED
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    # the same bytes every run: fixed times inside the zip too
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            info.date_time = (2024, 1, 1, 0, 0, 0)
            zout.writestr(info, zin.read(info.filename))
    tmp.unlink()


def dak_lak(folder: Path) -> Path:
    round_name = "Kiểm tra theo kế hoạch năm 2020"
    units = ["Sở Kế hoạch và Đầu tư", "Sở Xây dựng", "Sở Ngoại vụ", "Sở Tư pháp", "Sở Y tế", "Thanh tra tỉnh",
             "Kho bạc Nhà nước tỉnh", "UBND huyện Ea H'leo", "UBND thị xã Buôn Hồ", "UBND huyện Krông Pắc",
             "UBND huyện Lắk", "UBND huyện Buôn Đôn"]
    # illustrative: the first seven have a conclusion (a month after their visit), the others wait for one
    visits = [dt.date(2020, 8, 11 + 3 * i) if i < 7 else None for i in range(12)]
    rows = []
    for i, unit in enumerate(units):
        visit = visits[i]
        rows.append([i + 1, unit, round_name if i == 0 else None, "Kiểm tra trực tiếp",
                     f"{visit:%d/%m/%Y}" if visit else "Tháng 8 - 10/2020",
                     visit + dt.timedelta(days=30) if visit else None,
                     f"{110 + i}/TB-SNV" if visit else None, ILLUSTRATIVE_NOTE if visit else None])
    wb = openpyxl.Workbook()
    _sheet(wb, "Kế hoạch kiểm tra", [
        "UBND TỈNH ĐẮK LẮK",
        "DANH SÁCH CÁC ĐƠN VỊ ĐƯỢC KIỂM TRA CẢI CÁCH HÀNH CHÍNH NĂM 2020",
        "(Ban hành kèm theo Quyết định số /QĐ-UBND ngày /5/2020 của Chủ tịch UBND tỉnh Đắk Lắk)",
    ], PLAN_HEADER, rows, merge_col=3)
    later = "Chậm nhất 30 ngày kể từ ngày có thông báo kết luận"
    fixes = [
        [1, "Sở Kế hoạch và Đầu tư", "Chưa ban hành kế hoạch kiểm tra CCHC tại các đơn vị trực thuộc",
         "Ban hành kế hoạch kiểm tra CCHC năm 2021", "1.3", later, "Đã khắc phục", "Kế hoạch số 45/KH-SKHĐT"],
        [2, "Sở Xây dựng", "Tỷ lệ hồ sơ TTHC giải quyết trực tuyến thấp", "Rà soát, đưa TTHC lên mức độ 3, 4",
         "7.2", later, "Đang khắc phục", None],
        [3, "Sở Ngoại vụ", "Niêm yết TTHC tại Bộ phận Một cửa chưa đầy đủ", "Niêm yết lại đầy đủ, đúng quy định",
         "3.1.2", later, None, None],
        [4, "Sở Tư pháp", "Chưa gửi văn bản xin lỗi khi giải quyết hồ sơ quá hạn", "Gửi thư xin lỗi theo quy định",
         "3.1.5", later, "Đã khắc phục", "Công văn số 12/STP-VP"],
        [5, "Sở Y tế", "Chậm cập nhật hồ sơ công chức trên phần mềm quản lý", "Cập nhật đầy đủ hồ sơ",
         "5.2", later, "Đang khắc phục", None],
        [6, "Thanh tra tỉnh", "Báo cáo CCHC định kỳ gửi chậm", "Gửi báo cáo đúng hạn", "1.2", later, None, None],
        [7, "UBND huyện Ea H'leo", "Tỷ lệ hồ sơ quá hạn còn cao", "Rà soát quy trình, đôn đốc giải quyết hồ sơ",
         "3.5.1", later, "Chưa khắc phục", None],
        [8, "UBND huyện Krông Pắc", "Chưa kiểm tra CCHC tại UBND cấp xã", "Kiểm tra 20% UBND cấp xã", "1.3",
         later, None, None],
    ]
    _sheet(wb, "Khắc phục", [
        "UBND TỈNH ĐẮK LẮK",
        "TÌNH HÌNH KHẮC PHỤC TỒN TẠI, HẠN CHẾ SAU KIỂM TRA CẢI CÁCH HÀNH CHÍNH NĂM 2020",
        MARK,
    ], FIX_HEADER, fixes)
    path = folder / "sheets" / "kiem-tra-cchc-2020.xlsx"  # a plain content folder: no sources, no sync
    _save(wb, path)
    return path


def quang_dien(folder: Path) -> Path:
    round1, round2 = "Đợt 1 (tháng 5/2022)", "Đợt 2 (tháng 9/2022)"
    rows = [
        [1, "Phòng Tư pháp", round1, "Kiểm tra trực tiếp", "10/05/2022", dt.date(2022, 6, 8), "35/TB-UBND", None],
        [2, "Phòng Tài nguyên và Môi trường", round1, "Kiểm tra trực tiếp", "11/05/2022", dt.date(2022, 6, 8),
         "36/TB-UBND", None],
        [3, "UBND xã Quảng An", round1, "Kiểm tra trực tiếp", "12/05/2022", dt.date(2022, 6, 9), "37/TB-UBND", None],
        [4, "UBND xã Quảng Thành", round1, "Kiểm tra trực tiếp", "13/05/2022", dt.date(2022, 6, 9), "38/TB-UBND",
         None],
        [5, "Phòng Kinh tế và Hạ tầng", round2, "Kiểm tra trực tiếp", "Tháng 9/2022", None, None, None],
        [6, "UBND thị trấn Sịa", round2, "Kiểm tra trực tiếp", "Tháng 9/2022", None, None, None],
    ]
    wb = openpyxl.Workbook()
    _sheet(wb, "Kế hoạch kiểm tra", [
        "UBND HUYỆN QUẢNG ĐIỀN",
        "KẾ HOẠCH KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2022",
        "(Thực hiện tiêu chí 1.3.1 của Phụ lục phân công nhiệm vụ CCHC năm 2022)",
        MARK,
    ], PLAN_HEADER, rows)
    later = "Chậm nhất 30 ngày kể từ thời điểm có Thông báo kết luận của Đoàn kiểm tra"
    fixes = [
        [1, "Phòng Tư pháp", "Chưa cập nhật kết quả giải quyết TTHC lên Cổng dịch vụ công",
         "Cập nhật đầy đủ kết quả giải quyết hồ sơ", "1.3.2; 3.1", later, "Đã khắc phục", "Báo cáo số 21/BC-TP"],
        [2, "Phòng Tài nguyên và Môi trường", "Hồ sơ TTHC quá hạn chưa có văn bản xin lỗi",
         "Gửi văn bản xin lỗi tổ chức, cá nhân", "1.3.2; 3.5.3", later, "Đang khắc phục", None],
        [3, "UBND xã Quảng An", "Chưa niêm yết công khai TTHC mới ban hành",
         "Niêm yết đầy đủ TTHC tại Bộ phận Một cửa", "1.3.2", later, None, None],
        [4, "UBND xã Quảng Thành", "Chưa ban hành kế hoạch tuyên truyền CCHC", "Ban hành kế hoạch tuyên truyền",
         "1.3.2; 1.4", later, "Đã khắc phục", "Kế hoạch số 15/KH-UBND"],
        [5, "Phòng Kinh tế và Hạ tầng", "(sau đợt 2)", "Khắc phục theo thông báo kết luận của đợt 2", "1.3.2",
         later, None, None],
    ]
    _sheet(wb, "Khắc phục", [
        "UBND HUYỆN QUẢNG ĐIỀN",
        "TÌNH HÌNH KHẮC PHỤC SAU KIỂM TRA CẢI CÁCH HÀNH CHÍNH NĂM 2022",
        "(Thực hiện tiêu chí 1.3.2 của Phụ lục phân công nhiệm vụ CCHC năm 2022)",
        MARK,
    ], FIX_HEADER, fixes)
    path = folder / "nguon" / "kiem-tra-cchc-2022.xlsx"
    _save(wb, path)
    return path


def main() -> int:
    for path in (dak_lak(ROOT / "examples" / "dak-lak-2020-kiem-tra"), quang_dien(ROOT / "content")):
        print(f"Đã ghi {path.relative_to(ROOT)}")
    print("Với content/: chạy cchc sync để kiểm tra và công bố bản mới vào content/sheets/.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
