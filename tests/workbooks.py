"""Builders of test workbooks: small appendices and a corpus of broken files.

Everything is generated at test time with openpyxl (or raw bytes for the files
that are not workbooks at all), so the corpus documents exactly what is wrong
with each file.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import openpyxl

HEADER = ["TT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Sản phẩm đầu ra", "Cơ quan chủ trì",
          "Cơ quan phối hợp", "Thời gian hoàn thành"]

TITLE_BLOCK = [
    "UBND HUYỆN QUẢNG ĐIỀN",
    "PHỤ LỤC",
    "Phân công triển khai các nhiệm vụ cải cách hành chính năm 2022",
    "(Ban hành kèm theo Kế hoạch số 45/KH-UBND ngày 10 tháng 3 năm 2022)",
]

#: A small, clean appendix: (TT, title, product, lead, support, deadline)
CLEAN_ROWS = [
    ("NHÓM 1: TỰ ĐÁNH GIÁ", None, None, None, None, None),
    ("1", "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC: 2đ", None, None, None, None),
    ("1.1", "Ban hành kế hoạch CCHC: 0,5đ", "Kế hoạch CCHC 2022", "Phòng Nội vụ",
     "Các phòng, ban cấp huyện", "Trước 05/01/2022"),
    ("1.2", "Báo cáo CCHC định kỳ: 1,5đ", "Báo cáo quý, năm", "Phòng Nội vụ",
     "UBND các xã, thị trấn", "Quý IV/2022"),
    ("2", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH: 1đ", None, None, None, None),
    ("2.1", "Công khai TTHC: 1đ", "Hình ảnh niêm yết", "Văn phòng HĐND và UBND huyện",
     "Trung tâm Hành chính công huyện", "Tháng 6/2022"),
]


def write_title(ws, title_lines, width: int) -> None:
    """The real title block: each line from row 1, merged across ``width`` columns."""
    for i, line in enumerate(title_lines, start=1):
        ws.cell(i, 1, line)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)


def new_sheet(title_lines, width: int, sheet: str):
    """A workbook whose active sheet is named ``sheet``, with its title block."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    write_title(ws, title_lines, width)
    return wb, ws


def appendix(path: Path, rows=CLEAN_ROWS, *, header=HEADER, title=TITLE_BLOCK, sheet="Phụ lục",
             extra_sheets=(), group_merges=True) -> Path:
    """Write an appendix in the real layout: title block, header, data rows."""
    width = len(header)
    wb, ws = new_sheet(title, width, sheet)
    header_row = len(title) + 2
    for col, name in enumerate(header, start=1):
        ws.cell(header_row, col, name)
    for r, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, col, value)
        if group_merges and isinstance(values[0], str) and values[0].upper().startswith("NHÓM"):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    for name, sheet_rows in extra_sheets:
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(list(row))
    wb.save(path)
    return path


def header_row_of(title=TITLE_BLOCK) -> int:
    return len(title) + 2


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def broken_corpus(folder: Path) -> dict[str, Path]:
    """One file per kind of breakage a clerk can produce. Returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    # no header at all: data rows without the TT / Nhiệm vụ line
    files["missing-header"] = appendix(folder / "khong-tieu-de.xlsx", header=["", "", "", "", "", ""])

    # columns in another order, with synonyms
    shuffled = ["Thời hạn", "Nhiệm vụ", "STT", "Đơn vị phối hợp", "Kết quả dự kiến", "Đơn vị chủ trì"]
    order = [5, 1, 0, 4, 2, 3]
    rows = [tuple(r[i] for i in order) for r in CLEAN_ROWS]
    files["shuffled"] = appendix(folder / "dao-cot.xlsx", rows, header=shuffled, group_merges=False)

    # merges everywhere: over data, over the header, overlapping the title block
    path = folder / "gop-o-lung-tung.xlsx"
    appendix(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for rng in ("B8:C9", "D10:D12", "E11:F11", "A13:B13", "C2:F3"):
        try:
            ws.merge_cells(rng)
        except Exception:  # overlapping merges are refused by openpyxl; that is fine
            pass
    wb.save(path)
    files["merged-chaos"] = path

    # decomposed (NFD) Vietnamese, as typed by some input methods on macOS
    nfd_rows = [tuple(nfd(v) if isinstance(v, str) else v for v in r) for r in CLEAN_ROWS]
    files["nfd"] = appendix(folder / "nfd.xlsx", nfd_rows, title=[nfd(t) for t in TITLE_BLOCK])

    # TT typed as numbers: 1.10 became 1.1
    numeric = [("1", "Tiêu chí: 10đ", None, None, None, None)]
    for i in range(1, 11):
        numeric.append((float(f"1.{i}"), f"Nhiệm vụ {i}: 1đ", "Báo cáo", "Phòng Nội vụ", None, "Trước 15/11/2022"))
    files["numeric-tt"] = appendix(folder / "tt-so.xlsx", numeric)

    # an .xls saved by Excel 97-2003, renamed to .xlsx (OLE compound file header)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 1024
    (folder / "xls-doi-ten.xlsx").write_bytes(ole)
    files["xls-renamed"] = folder / "xls-doi-ten.xlsx"
    (folder / "bao-cao.xls").write_bytes(ole)
    files["xls"] = folder / "bao-cao.xls"

    # password-protected .xlsx: an OLE container with an EncryptedPackage stream
    enc = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
           + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024)
    (folder / "mat-khau.xlsx").write_bytes(enc)
    files["encrypted"] = folder / "mat-khau.xlsx"

    # OpenDocument spreadsheet
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    (folder / "bang.ods").write_bytes(buf.getvalue())
    files["ods"] = folder / "bang.ods"

    # a download cut short: the first half of a good workbook
    good = appendix(folder / "tam.xlsx").read_bytes()
    (folder / "tam.xlsx").unlink()
    (folder / "cat-cut.xlsx").write_bytes(good[: len(good) // 2])
    files["truncated"] = folder / "cat-cut.xlsx"

    # zero bytes, and a workbook with no data at all
    (folder / "rong.xlsx").write_bytes(b"")
    files["empty-bytes"] = folder / "rong.xlsx"
    openpyxl.Workbook().save(folder / "khong-du-lieu.xlsx")
    files["empty-workbook"] = folder / "khong-du-lieu.xlsx"

    # not a spreadsheet at all
    (folder / "ghi-chu.xlsx").write_text("đây không phải bảng tính", encoding="utf-8")
    files["text-as-xlsx"] = folder / "ghi-chu.xlsx"

    # a zip bomb: one part that inflates 1000-fold
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (12 * 1024 * 1024))
    (folder / "bom-nen.xlsx").write_bytes(buf.getvalue())
    files["zip-bomb"] = folder / "bom-nen.xlsx"

    # formulas saved without cached values (written by a script, never opened in Excel)
    formula_rows = list(CLEAN_ROWS)
    formula_rows[2] = ("1.1", '="Ban hành kế hoạch CCHC: "&"0,5đ"', "Kế hoạch", "Phòng Nội vụ", None, "Trước 05/01/2022")
    files["formula"] = appendix(folder / "cong-thuc.xlsx", formula_rows)

    # hostile text: must be kept as text, never interpreted downstream
    hostile = list(CLEAN_ROWS)
    hostile[2] = ("1.1", "<script>alert(1)</script> =HYPERLINK(\"http://x\") {{ 7*7 }}: 0,5đ",
                  "<img src=x onerror=alert(1)>", "Phòng Nội vụ", None, "Trước 05/01/2022")
    files["hostile"] = appendix(folder / "doc-hai.xlsx", hostile)
    return files


def big_appendix(path: Path, n_rows: int) -> Path:
    """A large appendix in write-only mode: sections of 10 tasks each."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Phụ lục")
    for line in TITLE_BLOCK:
        ws.append([line])
    ws.append([])
    ws.append(HEADER)
    leads = ["Phòng Nội vụ", "Phòng Tư pháp", "Văn phòng HĐND và UBND huyện", "Phòng Tài chính - Kế hoạch",
             "Trung tâm Hành chính công huyện"]
    written = 0
    section = 0
    while written < n_rows:
        section += 1
        ws.append([str(section), f"Lĩnh vực {section}: 10đ"])
        written += 1
        for i in range(1, 11):
            if written >= n_rows:
                break
            ws.append([f"{section}.{i}", f"Nhiệm vụ {section}.{i} về cải cách hành chính: 1đ",
                       f"- Báo cáo kết quả nhiệm vụ {section}.{i} (Sản phẩm 1)\n- Kế hoạch thực hiện (Sản phẩm 2)",
                       leads[(section + i) % len(leads)], "Các phòng, ban cấp huyện, UBND các xã, thị trấn",
                       f"- Trước {1 + (section + i) % 28:02d}/{1 + section % 12:02d}/2022 (Sản phẩm 1)\n- Quý {1 + i % 4}/2022 (Sản phẩm 2)"])
            written += 1
    wb.save(path)
    return path
