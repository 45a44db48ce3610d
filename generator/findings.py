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
        _t("missing-header", "error", "Không nhận ra loại bảng",
           "Không tìm thấy dòng tiêu đề nào quen thuộc trong tệp {name}, nên không biết đây là loại bảng gì. Cần một trong các dòng tiêu đề: {expected}.",
           "Thêm dòng tiêu đề đúng mẫu: bảng phân công (TT, Lĩnh vực/Tiêu chí, Sản phẩm đầu ra, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian hoàn thành), bảng điểm Chỉ số CCHC (TT, Tiêu chí, Điểm tối đa, Điểm thẩm định…) hoặc bảng tiến độ giải quyết TTHC (Kỳ, Số hồ sơ tiếp nhận, Đã giải quyết…).",
           "Không tìm thấy dòng tiêu đề nào quen thuộc trong tệp phu-luc.xlsx, nên không biết đây là loại bảng gì. Cần một trong các dòng tiêu đề: bảng phân công: TT, Lĩnh vực/Tiêu chí/Tiêu chí thành phần, …"),
        _t("sheet-skipped", "info", "Bỏ qua trang tính",
           "Trang tính “{sheet}” không có dòng tiêu đề của bảng phân công, bảng điểm hay bảng tiến độ TTHC nên được bỏ qua.",
           "Nếu trang này có số liệu cần công khai, hãy thêm dòng tiêu đề đúng mẫu.",
           "Trang tính “Ghi chú” không có dòng tiêu đề của bảng phân công, bảng điểm hay bảng tiến độ TTHC nên được bỏ qua."),
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
        _t("source-kind-mismatch", "error", "Bảng không đúng loại đã khai báo",
           "Nguồn “{source}” được khai báo là {declared} nhưng tệp là {found}.",
           "Sửa “kind” của nguồn trong site.yml, hoặc kiểm tra xem đã liên kết đúng bảng tính chưa.",
           "Nguồn “chi-so-2021” được khai báo là bảng điểm Chỉ số CCHC nhưng tệp là bảng phân công."),
        _t("template-example", "warning", "Còn dòng ví dụ của tệp mẫu",
           "Ô {cell}: dòng {row} là dòng ví dụ của tệp mẫu (“{text}”), chưa được xóa.",
           "Xóa các dòng bắt đầu bằng “Ví dụ:” trước khi công bố: chúng không phải số liệu thật.",
           "Ô B6: dòng 6 là dòng ví dụ của tệp mẫu (“Ví dụ: Công tác chỉ đạo, điều hành CCHC”), chưa được xóa."),
        # --- numbers (score sheets, TTHC reports) ------------------------------
        _t("number-invalid", "error", "Ô số không đọc được",
           "Ô {cell}: cột “{column}” cần một số nhưng ô ghi “{text}” ({reason}).",
           "Nhập số vào ô {cell}: dùng dấu phẩy cho phần thập phân (0,75) và dấu chấm ngăn cách hàng nghìn (6.690).",
           "Ô D12: cột “Điểm thẩm định” cần một số nhưng ô ghi “đạt” (không phải là số)."),
        _t("no-data-rows", "warning", "Bảng không có dòng số liệu",
           "Trang tính “{sheet}” có dòng tiêu đề của {kind} nhưng không có dòng số liệu nào bên dưới.",
           "Nhập số liệu vào các dòng dưới dòng tiêu đề, hoặc xóa trang tính này nếu không dùng.",
           "Trang tính “Chỉ số 2022” có dòng tiêu đề của bảng điểm Chỉ số CCHC nhưng không có dòng số liệu nào bên dưới."),
        _t("total-mismatch", "warning", "Số tổng ghi sai",
           "Ô {cell}: {what} ghi {typed} nhưng tính từ các dòng được {computed}{detail}.",
           "Sửa số đã gõ trong ô {cell} thành {computed}, hoặc kiểm tra lại các số được cộng.",
           "Ô A2: tổng điểm thẩm định ghi 78,5 nhưng tính từ các dòng được 77,586."),
        _t("total-truncated", "info", "Số tổng bị cắt bớt chữ số",
           "Ô {cell}: {what} ghi {typed}, tính được {computed}: số đã gõ là số cắt bớt chữ số thập phân, nếu làm tròn thì là {rounded}.",
           "Không bắt buộc sửa; nếu quy định yêu cầu làm tròn thì ghi {rounded}.",
           "Ô A2: tổng điểm thẩm định ghi 77,58, tính được 77,586: số đã gõ là số cắt bớt chữ số thập phân, nếu làm tròn thì là 77,59."),
        # --- CCHC index scores -------------------------------------------------
        _t("score-sum-mismatch", "warning", "Điểm mục con không cộng đúng",
           "Ô {cell}: {code} ghi {column} {value} nhưng các mục con cộng lại được {total} ({children}).",
           "Sửa {column} của {code} hoặc của các mục con cho khớp nhau; nếu thiếu một tiêu chí con, hãy bổ sung dòng đó.",
           "Ô C5: 1 ghi điểm tối đa 8 nhưng các mục con cộng lại được 7 (0,5 + 1 + 1 + 1,5 + 2 + 1)."),
        _t("score-over-max", "error", "Điểm vượt điểm tối đa",
           "Ô {cell}: {code} được {score} {column} nhưng chỉ có thể đạt tối đa {maximum} điểm{detail}.",
           "Sửa lại {column} của {code} (không quá {maximum}).",
           "Ô D17: 3.1 được 1 điểm thẩm định nhưng chỉ có thể đạt tối đa 0,5 điểm (tối đa 1, không phát sinh 0,5)."),
        _t("score-negative", "error", "Điểm âm",
           "Ô {cell}: {code} có {column} âm ({score}).",
           "Điểm thấp nhất là 0: sửa lại ô {cell}.",
           "Ô D20: 3.4 có điểm thẩm định âm (-0,5)."),
        _t("score-not-applicable", "error", "Tiêu chí không phát sinh mà vẫn có điểm",
           "Ô {cell}: {code} {detail}.",
           "Tiêu chí không phát sinh nhiệm vụ thì để trống điểm (hoặc 0) và ghi số điểm không phát sinh không quá điểm tối đa.",
           "Ô D30: 5.3 không phát sinh nhiệm vụ (1 điểm) nhưng vẫn được chấm 0,5 điểm thẩm định."),
        _t("score-missing", "warning", "Chưa có điểm",
           "Ô {cell}: tiêu chí {code} chưa có {column}.",
           "Nhập {column} vào ô {cell}; tiêu chí không phát sinh nhiệm vụ thì ghi vào cột Điểm không phát sinh.",
           "Ô D40: tiêu chí 6.5 chưa có điểm thẩm định."),
        # --- TTHC progress -----------------------------------------------------
        _t("tthc-sum-mismatch", "warning", "Số hồ sơ không khớp",
           "Ô {cell}: {label} ghi {value} nhưng {formula} = {computed}.",
           "Kiểm tra lại các số của dòng {row}: {rule}.",
           "Ô D8: Tổng số hồ sơ tiếp nhận ghi 620 nhưng kỳ trước chuyển sang + tiếp nhận mới = 12 + 598 = 610."),
        _t("tthc-apologies", "warning", "Thư xin lỗi không khớp số hồ sơ quá hạn",
           "Ô {cell}: {detail}.",
           "Mỗi hồ sơ giải quyết quá hạn cần một thư xin lỗi; kiểm tra lại số thư xin lỗi và số hồ sơ quá hạn của dòng {row}.",
           "Ô Q8: 5 thư xin lỗi nhưng chỉ có 3 hồ sơ giải quyết quá hạn."),
        _t("tthc-period-invalid", "warning", "Kỳ báo cáo không hợp lệ",
           "Ô {cell}: {detail}.",
           "Ghi kỳ báo cáo như “Tháng 01/2022”, “Quý I/2022” hoặc “Năm 2021”, và ngày bắt đầu không sau ngày kết thúc.",
           "Ô B9: ngày bắt đầu 15/03/2022 sau ngày kết thúc 14/02/2022."),
        _t("tthc-period-overlap", "warning", "Kỳ báo cáo chồng lên nhau",
           "Ô {cell}: {unit} kỳ “{period}” trùng thời gian với kỳ “{other}” ({where}); khi cộng theo năm chỉ tính kỳ ngắn hơn.",
           "Mỗi đơn vị chỉ nên có một dòng cho mỗi khoảng thời gian: xóa dòng thừa hoặc sửa lại Từ ngày / Đến ngày.",
           "Ô A14: Trung tâm Hành chính công huyện kỳ “Quý I/2022” trùng thời gian với kỳ “Tháng 01/2022” (dòng 8); khi cộng theo năm chỉ tính kỳ ngắn hơn."),
        _t("tthc-duplicate-row", "warning", "Trùng kỳ báo cáo",
           "Ô {cell}: {unit} kỳ “{period}” đã có ở dòng {other_row}.",
           "Xóa dòng trùng hoặc sửa lại kỳ báo cáo.",
           "Ô A12: Trung tâm Hành chính công huyện kỳ “Tháng 03/2022” đã có ở dòng 9."),
        _t("formula-without-value", "warning", "Công thức chưa có giá trị",
           "Ô {cell}: ô có công thức {formula} nhưng tệp không lưu kết quả tính.",
           "Mở tệp bằng Excel hoặc LibreOffice, để chương trình tính lại công thức rồi lưu lại (hoặc thay công thức bằng giá trị).",
           "Ô B12: ô có công thức =A1&\"đ\" nhưng tệp không lưu kết quả tính."),
        _t("text-normalised", "info", "Văn bản đã được chuẩn hóa",
           "Ô {cell}: {what} đã được chuẩn hóa.",
           "Không cần sửa; nên gõ bằng bộ gõ Unicode dựng sẵn để tránh lỗi tìm kiếm.",
           "Ô B10: chữ tiếng Việt dạng tổ hợp (NFD) đã được chuẩn hóa."),
        # --- inspections and remediation (Kế hoạch kiểm tra, Khắc phục) ---------------
        _t("inspection-coverage-low", "warning", "Kiểm tra chưa đủ chỉ tiêu",
           "Ô {cell}: kế hoạch kiểm tra mới có {count}/{total} {group} ({percent}), thấp hơn chỉ tiêu {target}.",
           "Bổ sung {missing} {group} vào danh sách được kiểm tra để đạt chỉ tiêu {target}.",
           "Ô B6: kế hoạch kiểm tra mới có 3/25 UBND xã, thị trấn (12%), thấp hơn chỉ tiêu 15–20%."),
        _t("inspection-coverage-high", "info", "Kiểm tra vượt mức chỉ tiêu",
           "Ô {cell}: kế hoạch kiểm tra có {count}/{total} {group} ({percent}), cao hơn mức {target}.",
           "Không bắt buộc sửa; kiểm tra lại nếu kế hoạch chỉ nhằm kiểm tra {target} {group}.",
           "Ô B6: kế hoạch kiểm tra có 6/25 UBND xã, thị trấn (24%), cao hơn mức 15–20%."),
        _t("inspection-duplicate", "error", "Một đơn vị được kiểm tra hai lần trong một đợt",
           "Ô {cell}: {unit} được kiểm tra hai lần trong {round} (đã có ở dòng {other_row}).",
           "Xóa dòng trùng, hoặc ghi đúng đợt kiểm tra của dòng {row}.",
           "Ô B12: UBND xã Quảng Thái được kiểm tra hai lần trong “Đợt 1” (đã có ở dòng 8)."),
        _t("inspection-conclusion-before", "error", "Kết luận trước khi kiểm tra",
           "Ô {cell}: ngày thông báo kết luận {conclusion} của {unit} trước {when} {date}.",
           "Sửa lại ngày thông báo kết luận (ô {cell}) hoặc thời gian kiểm tra của dòng {row}.",
           "Ô F9: ngày thông báo kết luận 01/08/2020 của Phòng Nội vụ trước ngày bắt đầu kiểm tra 05/08/2020."),
        _t("inspection-date-invalid", "warning", "Ngày không đọc được",
           "Ô {cell}: không đọc được ngày “{text}” ở cột “{column}”.",
           "Ghi ngày theo dạng dd/mm/yyyy (ví dụ 15/09/2020); thời gian kiểm tra có thể ghi “Tháng 8-10/2020”, “Quý III/2020” hoặc “từ 05/8/2020 đến 07/8/2020”.",
           "Ô F10: không đọc được ngày “sau đợt 1” ở cột “Ngày thông báo kết luận”."),
        _t("remediation-overdue", "warning", "Quá hạn khắc phục",
           "Ô {cell}: {unit} — nhiệm vụ khắc phục “{task}” đã quá hạn {deadline} mà {state}.",
           "Cập nhật tình trạng khắc phục vào ô {cell} (Đã khắc phục / Đang khắc phục / Chưa khắc phục) và minh chứng.",
           "Ô G8: Phòng Nội vụ — nhiệm vụ khắc phục “Cập nhật hồ sơ TTHC” đã quá hạn 15/10/2020 mà chưa ghi tình trạng."),
        _t("remediation-unknown-criterion", "warning", "Tiêu chí không có trong kế hoạch",
           "Ô {cell}: tiêu chí {code} không có trong kế hoạch CCHC.",
           "Ghi đúng mã tiêu chí, tiêu chí thành phần của kế hoạch (ví dụ 1.3.1), cách nhau bằng dấu chấm phẩy.",
           "Ô E9: tiêu chí 9.9.9 không có trong kế hoạch CCHC."),
        _t("remediation-unit-not-inspected", "warning", "Khắc phục của đơn vị chưa được kiểm tra",
           "Ô {cell}: {unit} có nhiệm vụ khắc phục nhưng không có trong danh sách được kiểm tra.",
           "Kiểm tra lại tên đơn vị ở ô {cell}, hoặc bổ sung đơn vị vào trang Kế hoạch kiểm tra.",
           "Ô B11: UBND xã Quảng Phú có nhiệm vụ khắc phục nhưng không có trong danh sách được kiểm tra."),
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
