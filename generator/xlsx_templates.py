"""Blank workbooks clerks start from (`cchc template plan|scores|tthc`).

Each template has a title block, the header row(s) exactly as the readers
expect, two worked example rows (italic grey, to delete), data validation
(unit names from a hidden "Danh mục" sheet, points and counts ≥ 0, dates),
the header frozen and locked (no password; the data area stays editable),
A4 landscape print setup with the margins of Nghị định 30/2020 and the header
repeated on every page, and a "Hướng dẫn" sheet explaining every column.
COLUMN_NOTES feeds the clerks' guide on the site with the same notes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .reader import KIND_LABELS
from .tthc_checks import IDENTITIES
from .units import UnitRegistry
from .workbook import column_letter

KIND_TITLES = KIND_LABELS
FONT, SIZE, GREY = "Times New Roman", 13, "FF808080"
HEADER_ROW = 5  # rows 1-4: issuer / place and date, title, subtitle, blank
DATA_ROWS = 500  # rows below the header styled, unlocked and validated
EXAMPLE_YEAR = 2026  # the year of COLUMN_NOTES' examples (the site's guide)
MM = 1 / 25.4  # inches


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # header text (the sub-header of a two-row header)
    width: float
    check: str  # "" | "code" | "units" | "decimal" | "whole" | "date"
    how: str  # "Cách ghi" on the Hướng dẫn sheet
    example: str  # "Ví dụ", with {year}
    group: str = ""  # upper header of a two-row header

    @property
    def label(self) -> str:
        return f"{self.group} – {self.name}" if self.group else self.name


_UNIT_HOW = ("Chọn trong danh sách (lấy từ danh mục đơn vị) hoặc gõ đúng tên trong danh mục; nhiều đơn vị thì "
             "mỗi đơn vị một dòng (Alt+Enter). Chủ trì từng sản phẩm: ghi kèm “(Sản phẩm N)”.")
_SCORE_HOW = "Số điểm từ 0 trở lên, dấu phẩy cho phần thập phân (0,25). "
PLAN = (
    Column("TT", 8, "code", "Số thứ tự: 1, 2… cho lĩnh vực, tiêu chí; 1.1, 1.1.1… cho tiêu chí thành phần, nhiệm vụ; "
           "mục con đặt ngay dưới mục cha.", "1.1"),
    Column("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", 45, "", "Tên tiêu chí hoặc nhiệm vụ; điểm (nếu có) ghi sau dấu "
           "hai chấm. Điểm của mục cha bằng tổng điểm các mục con.", "Công tác chỉ đạo, điều hành CCHC: 2đ"),
    Column("Sản phẩm đầu ra", 32, "", "Văn bản, kết quả phải có. Nhiều sản phẩm: mỗi sản phẩm một dòng (Alt+Enter), "
           "đánh dấu “(Sản phẩm 1)”, “(Sản phẩm 2)”…", "Kế hoạch CCHC năm {year} của UBND huyện"),
    Column("Cơ quan chủ trì", 24, "units", _UNIT_HOW, "Phòng Nội vụ"),
    Column("Cơ quan phối hợp", 24, "units", _UNIT_HOW.split(" Chủ trì")[0], "Các phòng, ban cấp huyện"),
    Column("Thời gian hoàn thành", 22, "", "Một trong các cách ghi ở bảng “Cách ghi thời hạn” bên dưới; nhiều sản "
           "phẩm thì mỗi thời hạn một dòng, kèm “(Sản phẩm N)”.", "Trước 15/01/{year}"),
)
SCORES = (
    Column("TT", 8, "code", "Số thứ tự: 1, 2… cho lĩnh vực; 1.1, 1.1.1… cho tiêu chí, tiêu chí thành phần.", "1.1"),
    Column("Lĩnh vực/Tiêu chí", 50, "", "Tên lĩnh vực, tiêu chí đúng như bộ Chỉ số CCHC.", "Kế hoạch CCHC năm"),
    Column("Điểm tối đa", 12, "decimal", _SCORE_HOW + "Điểm của mục cha bằng tổng điểm các mục con.", "2"),
    Column("Điểm tự đánh giá", 13, "decimal", _SCORE_HOW + "Không quá điểm tối đa.", "2"),
    Column("Điểm thẩm định", 13, "decimal", _SCORE_HOW + "Không quá điểm tối đa; để trống cả cột nếu chưa thẩm định.",
           "1,5"),
    Column("Điểm không phát sinh", 13, "decimal", "Số điểm của tiêu chí không phát sinh nhiệm vụ trong năm (bằng điểm "
           "tối đa nếu cả tiêu chí không phát sinh; khi đó để trống hai cột điểm); để trống nếu có phát sinh.", "0,5"),
    Column("Lý do mất điểm / Ghi chú", 35, "", "Lý do bị trừ điểm, tài liệu kiểm chứng hoặc ghi chú khác.",
           "Kế hoạch ban hành chậm so với quy định"),
)
_R, _S, _P = "Số hồ sơ tiếp nhận", "Đã giải quyết", "Đang giải quyết"
TTHC = (
    Column("Kỳ", 16, "", "Kỳ báo cáo: “Tháng 01/{year}”, “Quý I/{year}”, “6 tháng đầu năm {year}” hoặc “Năm {year}”.",
           "Tháng 01/{year}"),
    Column("Đơn vị", 28, "units", "Đơn vị tiếp nhận hồ sơ: chọn trong danh sách hoặc gõ tên. Mỗi đơn vị, mỗi kỳ "
           "một dòng.", "Trung tâm Hành chính công huyện"),
    Column("Từ ngày", 13, "date", "Ngày đầu của kỳ (dd/mm/yyyy); có thể để trống nếu cột Kỳ ghi tháng, quý, năm.",
           "01/01/{year}"),
    Column("Đến ngày", 13, "date", "Ngày cuối của kỳ (dd/mm/yyyy).", "31/01/{year}"),
    Column("Tổng số", 10, "whole", "= Kỳ trước chuyển sang + Tiếp nhận mới = Đã giải quyết + Đang giải quyết.",
           "470", _R),
    Column("Kỳ trước chuyển sang", 11, "whole", "Hồ sơ kỳ trước chưa giải quyết xong, chuyển sang kỳ này.", "20", _R),
    Column("Tiếp nhận mới", 10, "whole", "Hồ sơ tiếp nhận trong kỳ = Trực tuyến + Trực tiếp + Qua BCCI.", "450", _R),
    Column("Trực tuyến", 10, "whole", "Hồ sơ nộp trực tuyến (Cổng Dịch vụ công).", "180", _R),
    Column("Trực tiếp", 10, "whole", "Hồ sơ nộp trực tiếp tại Bộ phận Một cửa.", "250", _R),
    Column("Qua BCCI", 10, "whole", "Hồ sơ nộp qua dịch vụ bưu chính công ích.", "20", _R),
    Column("Tổng số", 10, "whole", "= Trước hạn + Đúng hạn + Quá hạn.", "445", _S),
    Column("Trước hạn", 10, "whole", "Hồ sơ trả kết quả trước hạn.", "300", _S),
    Column("Đúng hạn", 10, "whole", "Hồ sơ trả kết quả đúng hạn.", "142", _S),
    Column("Quá hạn", 10, "whole", "Hồ sơ trả kết quả quá hạn (mỗi hồ sơ cần một thư xin lỗi).", "3", _S),
    Column("Tổng số", 10, "whole", "= Trong hạn + Quá hạn.", "25", _P),
    Column("Trong hạn", 10, "whole", "Hồ sơ đang giải quyết, chưa đến hạn.", "24", _P),
    Column("Quá hạn", 10, "whole", "Hồ sơ đang giải quyết, đã quá hạn.", "1", _P),
    Column("Số thư xin lỗi", 11, "whole", "Số thư xin lỗi đã gửi vì giải quyết quá hạn.", "3"),
    Column("Số hồ sơ số hóa", 11, "whole", "Số hồ sơ đã số hóa hồ sơ, kết quả giải quyết.", "410"),
    Column("Nguồn số liệu", 30, "", "Nơi lấy số liệu; ghi “Dữ liệu minh họa” nếu không phải số liệu thật.",
           "Hệ thống thông tin giải quyết TTHC tỉnh"),
)
_DATE_HOW = "Ngày dạng dd/mm/yyyy (ô kiểu ngày tháng); để trống khi chưa có."
INSPECTION = (
    Column("TT", 6, "code", "Số thứ tự: 1, 2, 3…", "1"),
    Column("Đơn vị được kiểm tra", 32, "units", "Chọn trong danh sách (lấy từ danh mục đơn vị) hoặc gõ đúng tên trong "
           "danh mục; mỗi đơn vị một dòng.", "UBND xã Quảng An"),
    Column("Đợt", 18, "", "Tên đợt kiểm tra; một đợt nhiều đơn vị thì có thể gộp ô (Merge) theo chiều dọc.",
           "Đợt 1 (tháng 5/{year})"),
    Column("Hình thức", 18, "", "Kiểm tra trực tiếp, qua hồ sơ, trực tuyến…", "Kiểm tra trực tiếp"),
    Column("Thời gian kiểm tra", 20, "", "Ngày (10/05/{year}), khoảng ngày (từ 10/5/{year} đến 12/5/{year}), tháng "
           "(Tháng 8 - 10/{year}) hoặc quý (Quý III/{year}).", "10/05/{year}"),
    Column("Ngày thông báo kết luận", 16, "date", _DATE_HOW + " Hạn khắc phục “chậm nhất N ngày kể từ…” tính từ ngày "
           "này.", "08/06/{year}"),
    Column("Số thông báo", 16, "", "Số, ký hiệu của thông báo kết luận.", "35/TB-UBND"),
)
REMEDIATION = (
    Column("TT", 6, "code", "Số thứ tự: 1, 2, 3…", "1"),
    Column("Đơn vị", 28, "units", "Đơn vị phải khắc phục (có trong trang Kế hoạch kiểm tra).", "UBND xã Quảng An"),
    Column("Tồn tại, hạn chế", 32, "", "Điều thông báo kết luận đã nêu.", "Chưa niêm yết công khai TTHC mới ban hành"),
    Column("Nhiệm vụ khắc phục", 32, "", "Việc đơn vị phải làm.", "Niêm yết đầy đủ TTHC tại Bộ phận Một cửa"),
    Column("Tiêu chí liên quan", 12, "", "Mã tiêu chí của kế hoạch CCHC (1.3.2); nhiều mã cách nhau bằng dấu chấm "
           "phẩy.", "1.3.2; 3.1"),
    Column("Hạn khắc phục", 22, "", "Ngày (Trước 30/06/{year}) hoặc tính từ kết luận (Chậm nhất 30 ngày kể từ ngày có "
           "thông báo kết luận): trang ghi “chờ thông báo kết luận” cho đến khi có ngày kết luận.",
           "Chậm nhất 30 ngày kể từ ngày có thông báo kết luận"),
    Column("Tình trạng", 16, "", "Đã khắc phục, Đang khắc phục hoặc Chưa khắc phục; quá hạn mà để trống sẽ được "
           "báo.", "Đang khắc phục"),
    Column("Minh chứng", 28, "", "Văn bản, hình ảnh chứng minh đã khắc phục.", "Báo cáo số 21/BC-UBND"),
)
COLUMNS = {"plan": PLAN, "scores": SCORES, "tthc": TTHC, "inspection": INSPECTION, "remediation": REMEDIATION}
SHEETS = {"plan": "Phân công", "scores": "Chỉ số CCHC", "tthc": "Tiến độ TTHC", "inspection": "Kế hoạch kiểm tra",
          "remediation": "Khắc phục"}
TITLES = {"plan": "PHỤ LỤC PHÂN CÔNG THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
          "scores": "KẾT QUẢ TỰ ĐÁNH GIÁ, THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
          "tthc": "TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM {year}",
          "inspection": "KẾ HOẠCH KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {year}",
          "remediation": "TÌNH HÌNH KHẮC PHỤC SAU KIỂM TRA CẢI CÁCH HÀNH CHÍNH NĂM {year}"}
#: Templates of several sheets: the kind `cchc template` writes -> the kinds of its sheets.
WORKBOOKS = {"inspection": ("inspection", "remediation")}
#: (name, how, example) of every column, for the clerks' guide on the site.
COLUMN_NOTES = {kind: tuple((c.label, c.how.format(year=EXAMPLE_YEAR), c.example.format(year=EXAMPLE_YEAR))
                            for c in columns) for kind, columns in COLUMNS.items()}

#: Deadline forms the reader understands (generator/deadlines.py), with {year}.
DEADLINE_FORMS = (
    ("Trước 15/11/{year}",
     "Hạn là một ngày cụ thể (cũng có thể ghi “Chậm nhất ngày 15/11/{year}” hoặc “15/11/{year}”)."),
    ("Tháng 6/{year}", "Hạn là ngày cuối tháng."),
    ("Quý II/{year}", "Hạn là ngày cuối quý (Quý I, II, III, IV)."),
    ("Năm {year}", "Hạn là ngày 31/12 của năm; cả giai đoạn thì ghi “{year} - 2030”."),
    ("Thường xuyên", "Nhiệm vụ thường xuyên, hằng năm, định kỳ: không có ngày hạn cụ thể."),
    ("Chậm nhất 30 ngày kể từ ngày văn bản của UBND tỉnh được ban hành",
     "Hạn tính từ một sự kiện: trang công khai giữ nguyên văn."),
    ("Trước 31/3/{year} (Sản phẩm 1)\nTrước 15/11/{year} (Sản phẩm 2)",
     "Nhiều sản phẩm: mỗi thời hạn một dòng, kèm “(Sản phẩm N)” như ở cột Sản phẩm đầu ra."),
)
_NOTES = {
    "plan": "Hai cột Cơ quan chủ trì, Cơ quan phối hợp có danh sách chọn lấy từ danh mục đơn vị (trang ẩn “Danh mục”); "
            "vẫn gõ được tên khác hoặc nhiều đơn vị trong một ô. Tên lạ sẽ được báo khi kiểm tra.",
    "scores": "Điểm của lĩnh vực, tiêu chí cha bằng tổng điểm các tiêu chí con; điểm tự đánh giá và điểm thẩm định "
              "không vượt quá điểm tối đa trừ điểm không phát sinh.",
    "tthc": "Các số của một dòng phải khớp: " + "; ".join(rule for *_, rule in IDENTITIES) + ".",
    "inspection": "Mỗi đơn vị một dòng trong mỗi đợt; tỷ lệ đơn vị được kiểm tra được so với chỉ tiêu của site.yml "
                  "(mặc định từ 30% cơ quan chuyên môn, 15–20% UBND cấp xã).",
    "remediation": "Trang “Khắc phục” đi cùng trang “Kế hoạch kiểm tra” trong một tệp: hạn tính từ ngày thông báo "
                   "kết luận của chính đơn vị đó.",
}


#: How the two example rows of a template begin: the checks warn while one is still there.
EXAMPLE_MARK = "Ví dụ:"


def _examples(kind: str, year: int, registry: UnitRegistry) -> list[list]:
    if kind == "plan":
        unit = registry.units.get("phong-noi-vu") or next(iter(registry.units.values()), None)
        group = registry.groups.get("phong-ban-cap-huyen") or next(iter(registry.groups.values()), None)
        lead = unit.name if unit else "Phòng Nội vụ"
        support = group.name if group else "Các phòng, ban cấp huyện"
        return [["1", f"{EXAMPLE_MARK} Công tác chỉ đạo, điều hành CCHC: 2đ", "", lead, "", "Thường xuyên"],
                ["1.1", f"{EXAMPLE_MARK} Xây dựng, ban hành Kế hoạch CCHC năm {year} của UBND huyện",
                 f"Kế hoạch CCHC năm {year} của UBND huyện", lead, support, f"Trước 15/01/{year}"]]
    if kind == "scores":
        return [["1", f"{EXAMPLE_MARK} Công tác chỉ đạo, điều hành CCHC", 2, 2, 1.5, None, ""],
                ["1.1", f"{EXAMPLE_MARK} Kế hoạch CCHC năm", 2, 2, 1.5, None, "Kế hoạch ban hành chậm so với quy định"]]
    if kind == "inspection":
        unit = next((u.name for u in registry.units.values() if u.kind == "xa-thi-tran"), "UBND xã ……")
        return [["1", unit, f"Đợt 1 (tháng 5/{year})", f"{EXAMPLE_MARK} Kiểm tra trực tiếp", f"10/05/{year}",
                 dt.date(year, 6, 8), "35/TB-UBND"]]
    if kind == "remediation":
        unit = next((u.name for u in registry.units.values() if u.kind == "xa-thi-tran"), "UBND xã ……")
        return [["1", unit, f"{EXAMPLE_MARK} Chưa niêm yết công khai TTHC mới ban hành",
                 "Niêm yết đầy đủ TTHC tại Bộ phận Một cửa", "1.3.2",
                 "Chậm nhất 30 ngày kể từ ngày có thông báo kết luận", "Đang khắc phục", ""]]
    source = f"{EXAMPLE_MARK} (dữ liệu minh họa) xóa dòng này trước khi nhập"
    start, end = dt.date(year, 1, 1), dt.date(year, 1, 31)
    return [[f"Tháng 01/{year}", "Trung tâm Hành chính công huyện", start, end,
             470, 20, 450, 180, 250, 20, 445, 300, 142, 3, 25, 24, 1, 3, 410, source],
            [f"Tháng 01/{year}", "UBND các xã, thị trấn", start, end,
             650, 30, 620, 150, 450, 20, 618, 400, 216, 2, 32, 30, 2, 2, 560, source]]


def write_template(kind: str, out: Path, registry: UnitRegistry, *, year: int | None = None, issuer: str = "",
                   place: str = "") -> Path:
    """Write the blank workbook of ``kind`` ("plan", "scores", "tthc" or "inspection") to ``out``."""
    if kind not in COLUMNS or kind == "remediation":
        raise ValueError(f"Không có mẫu “{kind}”: chọn plan, scores, tthc hoặc inspection.")
    from openpyxl import Workbook

    year = year or dt.date.today().year
    wb = Workbook()
    for n, sheet_kind in enumerate(WORKBOOKS.get(kind, (kind,))):
        _template_sheet(wb, wb.active if n == 0 else wb.create_sheet(), sheet_kind, registry, year, issuer, place)
    # the data sheets first, then the guide, then the hidden list of units
    wb._sheets.sort(key=lambda sheet: {"Hướng dẫn": 1, "Danh mục": 2}.get(sheet.title, 0))
    wb.properties.creator = "cchc"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _template_sheet(wb, ws, kind: str, registry: UnitRegistry, year: int, issuer: str, place: str) -> None:
    columns = COLUMNS[kind]
    ws.title = SHEETS[kind]
    header_last = HEADER_ROW + (1 if any(c.group for c in columns) else 0)
    first, last = header_last + 1, header_last + DATA_ROWS
    _title_block(ws, kind, len(columns), year, issuer, place)
    _header(ws, columns, header_last)
    _data_area(ws, columns, first, last, _examples(kind, year, registry))
    names = [u.name for u in registry.units.values()] + [g.name for g in registry.groups.values()]
    guide = wb["Hướng dẫn"] if "Hướng dẫn" in wb.sheetnames else wb.create_sheet("Hướng dẫn")
    _guide(guide, kind, columns, year, header_last)
    _validations(wb, ws, columns, first, last, names)
    ws.freeze_panes = f"{'C' if kind == 'tthc' else 'A'}{first}"
    protection = ws.protection
    protection.sheet = True  # no password: the header is locked against slips, not against people
    for allowed in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
        setattr(protection, allowed, False)
    _print_setup(ws, "landscape")
    ws.print_title_rows = f"{HEADER_ROW}:{header_last}"


def _font(**kw):
    from openpyxl.styles import Font

    return Font(name=FONT, size=SIZE, **kw)


def _put(ws, row: int, col: int, value, *, last_col: int | None = None, font=None, align=None):
    from openpyxl.styles import Alignment

    cell = ws.cell(row, col, value)
    cell.font = font or _font()
    cell.alignment = align or Alignment(wrap_text=True, vertical="top")
    if last_col and last_col > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last_col)
    return cell


def _fit(ws, row: int, texts_widths) -> None:
    """A row height that shows wrapped text (Excel does not measure it on opening)."""
    lines = max((sum(math.ceil(len(part) * 1.15 / max(width, 1)) or 1 for part in str(text).split("\n"))
                 for text, width in texts_widths), default=1)
    ws.row_dimensions[row].height = 18 * lines + 4


def _title_block(ws, kind: str, width: int, year: int, issuer: str, place: str) -> None:
    from openpyxl.styles import Alignment

    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    issuer_text = issuer.strip() or "UBND ……"
    _put(ws, 1, 1, issuer_text.upper(), last_col=2, font=_font(bold=True), align=center)
    _put(ws, 1, width - 1, f"{place.strip() or '……'}, ngày … tháng … năm {year}", last_col=width,
         font=_font(italic=True), align=center)
    title = TITLES[kind].format(year=year)
    if kind == "scores":  # "… NĂM 2026 - HUYỆN QUẢNG ĐIỀN": the body scored
        subject = re.sub(r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", "", issuer.strip(), flags=re.IGNORECASE)
        title += f" - {subject.upper()}" if subject and subject != issuer.strip() else ""
    _put(ws, 2, 1, title, last_col=width, font=_font(bold=True), align=center)
    subtitle = {"plan": f"(Kèm theo Kế hoạch số ……/KH-UBND ngày … tháng … năm {year} của {issuer_text})",
                "tthc": "(Đơn vị tính: hồ sơ)"}.get(kind)
    if subtitle:
        _put(ws, 3, 1, subtitle, last_col=width, font=_font(italic=True), align=center)
    ws.row_dimensions[2].height = 40


def _header(ws, columns, header_last: int) -> None:
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    two = header_last > HEADER_ROW
    for col, column in enumerate(columns, start=1):
        ws.column_dimensions[column_letter(col)].width = column.width
    col = 1
    while col <= len(columns):
        column = columns[col - 1]
        if column.group and two:
            rest = columns[col - 1:]
            span = next((i for i, c in enumerate(rest) if c.group != column.group), len(rest))
            for offset, sub in enumerate(rest[:span]):
                _put(ws, header_last, col + offset, sub.name, font=_font(bold=True), align=center)
            _put(ws, HEADER_ROW, col, column.group, last_col=col + span - 1, font=_font(bold=True), align=center)
            col += span
            continue
        _put(ws, HEADER_ROW, col, column.name, font=_font(bold=True), align=center)
        if two:
            ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=header_last, end_column=col)
        col += 1
    for row in range(HEADER_ROW, header_last + 1):
        for c in range(1, len(columns) + 1):
            ws.cell(row, c).border = box
    _fit(ws, header_last, [(c.name, c.width) for c in columns])
    if two:
        ws.row_dimensions[HEADER_ROW].height = 40


def _data_area(ws, columns, first: int, last: int, examples: list[list]) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Border, Protection, Side

    unlocked = Protection(locked=False)
    plain, example = _font(), _font(italic=True, color=GREY)
    for c, column in enumerate(columns, start=1):
        align = Alignment(wrap_text=True, vertical="top",
                          horizontal="center" if column.check in ("code", "date") else
                          "right" if column.check in ("decimal", "whole") else None)
        fmt = {"code": "@", "date": "dd/mm/yyyy"}.get(column.check, "General")
        for row in range(first, last + 1):
            values = examples[row - first] if row - first < len(examples) else None
            cell = ws.cell(row, c, values[c - 1] if values and values[c - 1] not in ("", None) else None)
            cell.font, cell.alignment, cell.protection, cell.number_format = \
                (example if values else plain), align, unlocked, fmt
    # whole rows unlocked too (the cells past the table): Excel deletes a row of a protected sheet
    # only when every cell of it is unlocked, and clerks must be able to delete the example rows
    for row in range(first, last + 1):
        ws.row_dimensions[row].protection = unlocked
    thin = Side(style="thin")
    end = column_letter(len(columns))
    ws.conditional_formatting.add(  # a filled row gets the table's borders; empty rows print nothing
        f"A{first}:{end}{last}",
        FormulaRule(formula=[f"COUNTA($A{first}:${end}{first})>0"],
                    border=Border(left=thin, right=thin, top=thin, bottom=thin)))


def _validations(wb, ws, columns, first: int, last: int, names: list[str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    def bounded(kind: str, title: str, error: str, low: str = "0", high: str | None = None) -> DataValidation:
        # a warning, not a stop: the reader also takes text such as "0,75đ" or "6.690", and a
        # computer set to "." decimals would otherwise refuse "0,25"
        return DataValidation(type=kind, operator="between" if high else "greaterThanOrEqual", formula1=low,
                              formula2=high, allow_blank=True, showErrorMessage=True, errorStyle="warning",
                              errorTitle=title, error=error)

    rules = {
        "decimal": bounded("decimal", "Điểm không hợp lệ", "Nhập số điểm từ 0 trở lên (0,25 hoặc 0.25 tùy cài "
                                                           "đặt của máy)."),
        "whole": bounded("whole", "Số hồ sơ không hợp lệ", "Nhập số hồ sơ: số nguyên từ 0 trở lên."),
        "date": bounded("date", "Ngày không hợp lệ", "Nhập ngày dạng ngày/tháng/năm (dd/mm/yyyy).",
                        "36526", "73050"),  # 01/01/2000 – 31/12/2099
    }
    if names:  # a list on a hidden sheet: an inline list is limited to 255 characters
        if "Danh mục" not in wb.sheetnames:  # one list for every sheet of the workbook
            catalogue = wb.create_sheet("Danh mục")
            catalogue.sheet_state = "hidden"
            catalogue.column_dimensions["A"].width = 60
            _put(catalogue, 1, 1, "Tên đơn vị (theo danh mục đơn vị)", font=_font(bold=True))
            for index, name in enumerate(names, start=2):
                _put(catalogue, index, 1, name)
        rules["units"] = DataValidation(
            type="list", formula1=f"'Danh mục'!$A$2:$A${len(names) + 1}", allow_blank=True,
            showErrorMessage=False,  # several units in one cell, or a unit not yet in the list
            showInputMessage=True, promptTitle="Tên đơn vị",
            prompt="Chọn trong danh sách hoặc gõ tên; nhiều đơn vị thì xuống dòng (Alt+Enter).")
    for c, column in enumerate(columns, start=1):
        rule = rules.get(column.check)
        if rule is not None:
            rule.add(f"{column_letter(c)}{first}:{column_letter(c)}{last}")
    for rule in rules.values():
        if rule.sqref:
            ws.add_data_validation(rule)


def _print_setup(ws, orientation: str) -> None:
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    # Nghị định 30/2020: left 30 mm, right 15 mm, top and bottom 20 mm
    ws.page_margins = PageMargins(left=30 * MM, right=15 * MM, top=20 * MM, bottom=20 * MM, header=8 * MM,
                                  footer=8 * MM)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"


def _guide(ws, kind: str, columns, year: int, header_last: int) -> None:
    """The guide of one sheet, below the guides already on ``ws`` (a workbook of several sheets)."""
    from openpyxl.styles import Alignment

    widths = {"A": 7, "B": 32, "C": 70, "D": 36}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    bold, center = _font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    start = ws.max_row + 2 if ws.max_row > 1 else 1
    _put(ws, start, 1, f"HƯỚNG DẪN NHẬP {KIND_TITLES[kind].upper()} (trang “{SHEETS[kind]}”)", last_col=4, font=bold,
         align=center)
    header = f"dòng {HEADER_ROW}" + (f"–{header_last}" if header_last > HEADER_ROW else "")
    notes = [
        f"Dòng tiêu đề ({header}) được khóa, không đặt mật khẩu: giữ nguyên tên và thứ tự các cột, vì chương trình "
        "nhận ra loại bảng nhờ các tên này. Chỉ nhập từ dòng ngay dưới dòng tiêu đề trở xuống.",
        "Hai dòng chữ nghiêng màu xám ngay dưới dòng tiêu đề là dòng ví dụ: xóa hai dòng ví dụ trước khi nhập "
        "(chọn hai dòng → chuột phải → Xóa).",
        _NOTES[kind],
        "Lưu tệp dạng .xlsx rồi kiểm tra bằng lệnh “cchc validate TÊN-TỆP.xlsx”: chương trình chỉ ra ô cần sửa.",
    ]
    row = start + 1
    for note in notes:
        _put(ws, row, 1, "– " + note, last_col=4)
        _fit(ws, row, [(note, sum(widths.values()))])
        row += 1
    row += 1
    for c, text in enumerate(("Cột", "Tên cột", "Cách ghi", "Ví dụ"), start=1):
        _put(ws, row, c, text, font=bold, align=center)
    for c, column in enumerate(columns, start=1):
        row += 1
        values = (column_letter(c), column.label, column.how.format(year=year), column.example.format(year=year))
        for i, value in enumerate(values, start=1):
            _put(ws, row, i, value, font=bold if i == 2 else None)
        _fit(ws, row, [(values[2], widths["C"]), (values[1], widths["B"])])
    if kind == "plan":
        row += 2
        _put(ws, row, 1, "CÁCH GHI THỜI HẠN (cột Thời gian hoàn thành)", last_col=4, font=bold)
        for text, meaning in DEADLINE_FORMS:
            row += 1
            _put(ws, row, 2, text.format(year=year))
            _put(ws, row, 3, meaning.format(year=year), last_col=4)
            _fit(ws, row, [(text, widths["B"]), (meaning, widths["C"] + widths["D"])])
    _print_setup(ws, "portrait")
