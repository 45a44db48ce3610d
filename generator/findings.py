"""Validation findings: typed, located, collected into a report.

Modelled on frictionless-py's errors: every finding has a stable ``code``, a
severity, a location (file, sheet, cell, row) and a Vietnamese message built
from the code's template, plus a hint that tells the clerk how to fix it.
The registry below is the single source of truth for the codes: the CLI, the
site's data-check page and the clerks' guide are all generated from it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}[self.value]


@dataclass(frozen=True, slots=True)
class FindingType:
    code: str
    severity: Severity
    title: str  # short Vietnamese name of the problem
    template: str  # message, formatted with the finding's params
    hint: str  # how to fix it, formatted with the same params
    example: str  # an example message, for the guide


def _t(code, severity, title, template, hint, example) -> FindingType:
    return FindingType(code, Severity(severity), title, template, hint, example)


REGISTRY: dict[str, FindingType] = {
    t.code: t
    for t in [
        # --- the file itself -------------------------------------------------
        _t("file-format", "error", "Định dạng tệp không hỗ trợ",
           "Tệp {name} là định dạng {format}, chương trình chỉ đọc được .xlsx: hãy lưu lại dưới dạng .xlsx.",
           "{fix}",
           "Tệp bao-cao.xls là định dạng Excel 97-2003 (.xls), chương trình chỉ đọc được .xlsx: hãy lưu lại dưới dạng .xlsx."),
        _t("file-encrypted", "error", "Tệp có mật khẩu",
           "Tệp {name} được bảo vệ bằng mật khẩu nên không đọc được.",
           "Mở tệp trong Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa trống) rồi lưu lại.",
           "Tệp phu-luc.xlsx được bảo vệ bằng mật khẩu nên không đọc được."),
        _t("file-corrupt", "error", "Tệp bị hỏng",
           "Tệp {name} bị hỏng hoặc không phải tệp Excel hợp lệ ({detail}).",
           "Mở tệp bằng Excel và lưu lại dưới dạng .xlsx; nếu Excel cũng không mở được, hãy lấy lại bản gốc.",
           "Tệp phu-luc.xlsx bị hỏng hoặc không phải tệp Excel hợp lệ (tệp nén bị cắt cụt)."),
        _t("file-too-large", "error", "Tệp quá lớn",
           "Tệp {name} quá lớn: {size} khi giải nén, vượt giới hạn {limit}.",
           "Xóa các trang tính, hình ảnh hoặc định dạng thừa rồi lưu lại; một phụ lục bình thường chỉ vài trăm KB.",
           "Tệp phu-luc.xlsx quá lớn: 2,1 GB khi giải nén, vượt giới hạn 200 MB."),
        _t("file-empty", "error", "Tệp không có dữ liệu",
           "Tệp {name} không có trang tính nào chứa dữ liệu.",
           "Kiểm tra lại xem đã lưu đúng tệp chưa.",
           "Tệp phu-luc.xlsx không có trang tính nào chứa dữ liệu."),
        _t("missing-header", "error", "Không tìm thấy dòng tiêu đề",
           "Không tìm thấy dòng tiêu đề của bảng phân công trong tệp {name}. Cần các cột: {expected}.",
           "Thêm một dòng tiêu đề có ít nhất các cột TT, Nhiệm vụ (hoặc Lĩnh vực/Tiêu chí), Cơ quan chủ trì và Thời gian hoàn thành.",
           "Không tìm thấy dòng tiêu đề của bảng phân công trong tệp phu-luc.xlsx. Cần các cột: TT, Lĩnh vực/Tiêu chí/Tiêu chí thành phần, …"),
        _t("sheet-skipped", "info", "Bỏ qua trang tính",
           "Trang tính “{sheet}” không có dòng tiêu đề của bảng phân công nên được bỏ qua.",
           "Nếu trang này có nhiệm vụ, hãy thêm dòng tiêu đề (TT, Nhiệm vụ, Cơ quan chủ trì, Thời gian hoàn thành…).",
           "Trang tính “Ghi chú” không có dòng tiêu đề của bảng phân công nên được bỏ qua."),
        # --- the table --------------------------------------------------------
        _t("missing-column", "error", "Thiếu cột",
           "Ô {cell}: dòng tiêu đề thiếu cột “{column}”.",
           "Thêm cột “{column}” vào dòng tiêu đề (có thể đặt tên: {synonyms}).",
           "Ô A6: dòng tiêu đề thiếu cột “Cơ quan chủ trì”."),
        _t("tt-duplicate", "error", "Trùng số thứ tự",
           "Ô {cell}: số thứ tự {code} trùng với dòng {other_row}.",
           "Đánh lại số thứ tự để mỗi tiêu chí, nhiệm vụ có một số riêng.",
           "Ô A15: số thứ tự 1.3.1 trùng với dòng 14."),
        _t("tt-out-of-order", "warning", "Số thứ tự sai trình tự",
           "Ô {cell}: số thứ tự {code} đứng sau {previous} (dòng {previous_row}), không đúng trình tự.",
           "{fix}",
           "Ô A20: số thứ tự 1.1 đứng sau 1.9 (dòng 19), không đúng trình tự."),
        _t("tt-orphan", "warning", "Thiếu mục cha",
           "Ô {cell}: mục {code} không có mục cha {parent} ở phía trên.",
           "Thêm dòng {parent} phía trên, hoặc sửa lại số thứ tự {code}.",
           "Ô A12: mục 1.2.1 không có mục cha 1.2 ở phía trên."),
        _t("tt-invalid", "warning", "Số thứ tự không đọc được",
           "Ô {cell}: không hiểu số thứ tự “{code}”.",
           "Dùng số La Mã (I, II), chữ cái (A, B) hoặc số có dấu chấm (1, 1.1, 1.1.1).",
           "Ô A9: không hiểu số thứ tự “1..2”."),
        _t("points-sum-mismatch", "warning", "Tổng điểm không khớp",
           "Ô {cell}: {code} ghi {points} điểm nhưng các mục con cộng lại được {total} điểm ({children}).",
           "Sửa điểm của {code} hoặc của các mục con cho khớp nhau.",
           "Ô B19: 1.4.2 ghi 1 điểm nhưng các mục con cộng lại được 0,75 điểm (0,5 + 0,25)."),
        _t("empty-title", "error", "Thiếu tên nhiệm vụ",
           "Ô {cell}: dòng {row} có nội dung nhưng để trống tên tiêu chí/nhiệm vụ.",
           "Nhập tên tiêu chí hoặc nhiệm vụ vào ô {cell}.",
           "Ô B40: dòng 40 có nội dung nhưng để trống tên tiêu chí/nhiệm vụ."),
        _t("missing-lead", "warning", "Chưa có cơ quan chủ trì",
           "Ô {cell}: nhiệm vụ {code} chưa có cơ quan chủ trì.",
           "Nhập tên cơ quan, đơn vị chủ trì vào ô {cell} (chọn đúng tên trong danh mục đơn vị).",
           "Ô D109: nhiệm vụ 7.2 chưa có cơ quan chủ trì."),
        _t("missing-deadline", "info", "Chưa có thời hạn",
           "Ô {cell}: nhiệm vụ {code} chưa ghi thời hạn hoàn thành.",
           "Ghi thời hạn vào ô {cell} (ví dụ “Trước 15/11/2022”, “Quý II/2022”, “Thường xuyên”).",
           "Ô F22: nhiệm vụ 1.5 chưa ghi thời hạn hoàn thành."),
        _t("unknown-unit", "warning", "Tên đơn vị không có trong danh mục",
           "Ô {cell}: không nhận ra đơn vị “{name}”{suggestion}",
           "Viết đúng tên trong danh mục đơn vị (content/units.yml), hoặc bổ sung đơn vị/tên gọi khác vào danh mục.",
           "Ô D63: không nhận ra đơn vị “Phòng Nôi vụ” — có phải là “Phòng Nội vụ”?"),
        _t("product-without-deadline", "warning", "Sản phẩm chưa có thời hạn",
           "Ô {cell}: {code} có sản phẩm {products} nhưng cột thời hạn không ghi thời hạn cho sản phẩm đó.",
           "Ghi thời hạn cho từng sản phẩm, kèm “(Sản phẩm N)” như ở cột Sản phẩm đầu ra.",
           "Ô F18: 1.4.1 có sản phẩm 3 nhưng cột thời hạn không ghi thời hạn cho sản phẩm đó."),
        _t("product-without-lead", "warning", "Sản phẩm chưa có đơn vị chủ trì",
           "Ô {cell}: {code} có sản phẩm {products} nhưng cột chủ trì không ghi đơn vị cho sản phẩm đó.",
           "Ghi đơn vị chủ trì cho từng sản phẩm, kèm “(Sản phẩm N)”, hoặc bỏ các thẻ “(Sản phẩm N)” nếu một đơn vị chủ trì tất cả.",
           "Ô D11: 1.1.2 có sản phẩm 3 nhưng cột chủ trì không ghi đơn vị cho sản phẩm đó."),
        _t("deadline-outside-plan-year", "warning", "Thời hạn ngoài năm kế hoạch",
           "Ô {cell}: thời hạn {date} nằm {where} năm của kế hoạch ({year}) — kiểm tra lại năm.",
           "Sửa năm của thời hạn trong ô {cell} nếu gõ nhầm.",
           "Ô F26: thời hạn 15/01/2021 nằm trước năm của kế hoạch (2022) — kiểm tra lại năm."),
        _t("deadline-invalid", "error", "Ngày không có thật",
           "Ô {cell}: “{text}” không phải ngày có thật ({reason}).",
           "Sửa lại ngày theo dạng dd/mm/yyyy, ví dụ 28/02/2022.",
           "Ô F30: “31/02/2022” không phải ngày có thật (tháng 2 không có ngày 31)."),
        _t("deadline-unparsed", "info", "Thời hạn không xác định được ngày",
           "Ô {cell}: thời hạn “{text}” được giữ nguyên văn, không xác định được ngày cụ thể.",
           "Nếu có hạn cụ thể, ghi theo dạng “Trước dd/mm/yyyy”, “Tháng mm/yyyy” hoặc “Quý I/yyyy”.",
           "Ô F11: thời hạn “Theo thời gian trong Kế hoạch CCHC 2020” được giữ nguyên văn, không xác định được ngày cụ thể."),
        _t("formula-without-value", "warning", "Công thức chưa có giá trị",
           "Ô {cell}: ô có công thức {formula} nhưng tệp không lưu kết quả tính.",
           "Mở tệp bằng Excel hoặc LibreOffice, để chương trình tính lại công thức rồi lưu lại (hoặc thay công thức bằng giá trị).",
           "Ô B12: ô có công thức =A1&\"đ\" nhưng tệp không lưu kết quả tính."),
        _t("text-normalised", "info", "Văn bản đã được chuẩn hóa",
           "Ô {cell}: {what} đã được chuẩn hóa.",
           "Không cần sửa; nên gõ bằng bộ gõ Unicode dựng sẵn để tránh lỗi tìm kiếm.",
           "Ô B10: chữ tiếng Việt dạng tổ hợp (NFD) đã được chuẩn hóa."),
    ]
}


@dataclass(slots=True)
class Finding:
    code: str
    severity: Severity
    file: str
    sheet: str
    cell: str
    row: int | None
    message: str
    hint: str

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.cell:
            parts.append(self.cell)
        return " › ".join(parts)


def make(code: str, /, *, file: str = "", sheet: str = "", cell: str = "", row: int | None = None,
         severity: Severity | str | None = None, **params) -> Finding:
    """Build a finding from the registry's templates."""
    kind = REGISTRY[code]
    values = {"cell": cell, "row": row, "sheet": sheet, "name": file, **params}
    return Finding(
        code=code,
        severity=Severity(severity) if severity else kind.severity,
        file=file,
        sheet=sheet,
        cell=cell,
        row=row,
        message=kind.template.format(**values),
        hint=kind.hint.format(**values),
    )


@dataclass(slots=True)
class Report:
    """All findings of a run, never stopping at the first."""

    findings: list[Finding] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)

    def extend(self, findings) -> None:
        self.findings.extend(findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(f.severity.value for f in self.findings)
        return {"errors": counts["error"], "warnings": counts["warning"], "info": counts["info"]}

    def has_errors(self, strict: bool = False) -> bool:
        summary = self.summary
        return summary["errors"] > 0 or (strict and summary["warnings"] > 0)

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary,
        }
