"""`cchc demo-data`: a complete synthetic content folder, at any scale.

``make_demo_content(out, units=…, rows=…, months=…, seed=…)`` writes what a
province's site needs — site.yml, units.yml, cong-thuc.yml, and the workbooks
of its sources (nguon/<id>.xlsx, published as sheets/<id>.xlsx with their
metadata) — filled with realistic but invented data:

* units.yml: Sở, Ban, Văn phòng UBND tỉnh, trung tâm, UBND huyện / thị xã /
  thành phố and UBND xã / phường / thị trấn of an invented province, each with
  a unique id, short names and aliases, and groups by kind;
* one plan appendix per unit ("Phụ lục"): the title block of the real
  appendix, the TT hierarchy of the CCHC index (areas, criteria, component
  criteria, un-numbered items) with points that add up, products, a lead unit
  (mostly the unit itself, by its name, a short name or an alias), support
  units or groups, and deadlines in every form the reader understands;
* the CCHC index of the previous year for the province (one sheet) whose
  points add up exactly (integer hundredths), with typed totals;
* the monthly TTHC figures of every unit, whose identities hold.

Every sheet carries ``SYNTHETIC_LINE`` in its title block; TTHC rows say
"Dữ liệu minh họa" in their source column. ``failures`` cells are broken on
purpose (a day that does not exist, a score over the maximum, TTHC figures
that do not add up, a misspelt unit…), spread over different files, and
listed in the summary with the file, sheet, cell and finding code that
``cchc validate`` reports for each; nothing else gets an error or a warning.

Same arguments, same bytes: every random choice comes from ``random.Random``
seeded from ``seed`` and the workbooks are written with fixed times.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import io
import json
import logging
import random
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

log = logging.getLogger(__name__)

#: The line every generated sheet carries in its title block.
SYNTHETIC_LINE = "DỮ LIỆU MINH HỌA – tạo tự động bằng cchc demo-data, không phải số liệu thật"
#: The "Nguồn số liệu" of every TTHC row (already recognised by the TTHC reader).
SYNTHETIC_SOURCE = "Dữ liệu minh họa"
PLAN_SHEET = "Phụ lục"
MAX_UNITS = 2000


class DemoDataError(ValueError):
    """Arguments that cannot give a content folder; the message is Vietnamese."""


@dataclass(frozen=True, slots=True)
class InjectedFailure:
    """A cell broken on purpose, where ``cchc validate`` reports it."""

    file: str  # as validate names it with the content folder as root: "sheets/<id>.xlsx"
    sheet: str
    cell: str  # the cell the finding names (for a sum, the total that no longer adds up)
    code: str  # the finding code
    severity: str  # "error" | "warning"
    source: str  # the source file holding the same bytes: "nguon/<id>.xlsx"
    description: str  # what was broken, in Vietnamese

    def key(self) -> tuple[str, str, str, str]:
        return self.file, self.sheet, self.cell, self.code


@dataclass(slots=True)
class DemoSummary:
    out: Path
    seed: int
    year: int  # the plans' year; the scores are of year - 1
    province: str
    units: int
    groups: int
    plans: int
    rows: int  # task rows per plan (headings of areas and criteria come on top)
    tasks: int  # task rows over all plans
    score_criteria: int
    months: int
    tthc_rows: int
    files: list[str] = field(default_factory=list)  # written, relative to ``out`` (posix), sorted
    failures: list[InjectedFailure] = field(default_factory=list)

    @property
    def workbooks(self) -> int:
        return sum(1 for f in self.files if f.startswith("nguon/"))


# --- catalogues ----------------------------------------------------------------------

PROVINCES = ("Hòa An", "Phú Lâm", "Bình Sơn", "Tân Hưng", "Long Thạnh", "Vĩnh Xuân", "Quảng Lộc", "Hải Minh",
             "Đông Phước", "Thuận Khánh", "Mỹ Hòa", "Nam Trạch")
_FIRST = ("An", "Bình", "Phú", "Hòa", "Tân", "Long", "Phước", "Vĩnh", "Xuân", "Quảng", "Hưng", "Thạnh", "Mỹ",
          "Đông", "Tây", "Nam", "Bắc", "Trung", "Hải", "Sơn", "Thuận", "Đức", "Phong", "Hiệp", "Minh", "Thái",
          "Kim", "Ngọc", "Cẩm", "Lạc")
_SECOND = ("An", "Bình", "Phú", "Hòa", "Lợi", "Thành", "Hưng", "Lộc", "Phước", "Thịnh", "Điền", "Lâm", "Sơn",
           "Hải", "Thủy", "Tiến", "Trạch", "Xuân", "Quang", "Đông", "Tân", "Mỹ", "Định", "Khánh", "Vinh", "Long",
           "Hiệp", "Thạnh", "Nghĩa", "Đức")

#: (name, short names, aliases) of provincial departments; {p} is the province.
_PROVINCIAL = (
    ("Văn phòng UBND tỉnh", ["VP UBND tỉnh"], ["Văn phòng UBND tỉnh {p}"]),
    ("Sở Nội vụ", ["SNV", "Nội vụ"], ["Sở Nội vụ tỉnh {p}"]),
    ("Sở Tư pháp", ["STP", "Tư pháp"], ["Sở Tư pháp tỉnh {p}"]),
    ("Sở Thông tin và Truyền thông", ["Sở TT&TT"], ["Sở Thông tin - Truyền thông"]),
    ("Sở Tài chính", ["STC", "Tài chính"], []),
    ("Sở Kế hoạch và Đầu tư", ["Sở KH&ĐT", "Kế hoạch và Đầu tư"], []),
    ("Sở Khoa học và Công nghệ", ["Sở KH&CN"], []),
    ("Sở Xây dựng", ["SXD"], []),
    ("Sở Giao thông vận tải", ["Sở GTVT"], []),
    ("Sở Công Thương", ["SCT"], []),
    ("Sở Nông nghiệp và Phát triển nông thôn", ["Sở NN&PTNT"], []),
    ("Sở Tài nguyên và Môi trường", ["Sở TN&MT"], []),
    ("Sở Lao động - Thương binh và Xã hội", ["Sở LĐ-TB&XH"], []),
    ("Sở Văn hóa, Thể thao và Du lịch", ["Sở VHTTDL"], []),
    ("Sở Giáo dục và Đào tạo", ["Sở GD&ĐT"], []),
    ("Sở Y tế", ["SYT"], []),
    ("Sở Ngoại vụ", ["SNgV"], []),
    ("Ban Dân tộc", [], ["Ban Dân tộc tỉnh"]),
    ("Ban Quản lý Khu kinh tế", ["BQL Khu kinh tế"], []),
)
_CENTRES = (
    ("Trung tâm Phục vụ hành chính công tỉnh", ["TTPVHCC"], ["Trung tâm Hành chính công tỉnh"]),
    ("Trung tâm Công nghệ thông tin và Truyền thông", ["Trung tâm CNTT&TT"], []),
    ("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", ["Trung tâm Xúc tiến"], []),
    ("Trung tâm Lưu trữ lịch sử", [], ["Trung tâm Lưu trữ lịch sử tỉnh"]),
    ("Trung tâm Kiểm soát bệnh tật", ["CDC tỉnh"], []),
    ("Trung tâm Quan trắc tài nguyên và môi trường", [], []),
)
#: Units a provincial plan often names as lead for one task (by name): office, home affairs, IT.
_CENTRAL_LEADS = ("Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Thông tin và Truyền thông", "Sở Tư pháp")

#: The CCHC index: (code, title, maximum in hundredths). Areas 1-8 are what plans assign.
INDEX: tuple[tuple[str, str, int], ...] = (
    ("1", "Công tác chỉ đạo, điều hành CCHC", 800),
    ("1.1", "Kế hoạch CCHC năm", 150),
    ("1.1.1", "Ban hành kế hoạch CCHC", 50),
    ("1.1.2", "Mức độ hoàn thành kế hoạch CCHC", 100),
    ("1.2", "Thực hiện công tác báo cáo CCHC", 100),
    ("1.3", "Công tác kiểm tra CCHC", 100),
    ("1.4", "Công tác thông tin, tuyên truyền về CCHC", 150),
    ("1.5", "Sáng kiến hoặc giải pháp mới trong CCHC", 200),
    ("1.6", "Thực hiện các nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao", 100),
    ("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", 400),
    ("2.1", "Theo dõi thi hành pháp luật", 200),
    ("2.1.1", "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật", 50),
    ("2.1.2", "Điều tra, khảo sát tình hình thi hành pháp luật", 50),
    ("2.1.3", "Báo cáo công tác theo dõi thi hành pháp luật", 100),
    ("2.2", "Xử lý văn bản quy phạm pháp luật sau rà soát", 100),
    ("2.3", "Xử lý văn bản trái pháp luật do cơ quan có thẩm quyền kiểm tra kiến nghị", 100),
    ("3", "Cải cách thủ tục hành chính", 1500),
    ("3.1", "Kiểm soát quy định thủ tục hành chính", 100),
    ("3.1.1", "Thực hiện quy định về ban hành TTHC theo thẩm quyền", 50),
    ("3.1.2", "Xử lý các vấn đề phát hiện qua rà soát TTHC", 50),
    ("3.2", "Công bố, công khai TTHC và kết quả giải quyết hồ sơ", 350),
    ("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông", 300),
    ("3.4", "Cập nhật TTHC trên phần mềm", 200),
    ("3.5", "Kết quả giải quyết hồ sơ TTHC", 400),
    ("3.5.1", "Hồ sơ TTHC được giải quyết đúng hạn", 200),
    ("3.5.2", "Thực hiện việc xin lỗi người dân, tổ chức khi để xảy ra trễ hẹn", 100),
    ("3.5.3", "Thực hiện cập nhật, số hóa trên phần mềm", 100),
    ("3.6", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức đối với TTHC", 150),
    ("4", "Cải cách tổ chức bộ máy hành chính", 600),
    ("4.1", "Thực hiện quy định của Trung ương, UBND tỉnh về tổ chức bộ máy", 350),
    ("4.2", "Thực hiện các quy định về quản lý biên chế", 100),
    ("4.3", "Thực hiện phân cấp quản lý", 150),
    ("5", "Cải cách chế độ công vụ", 1100),
    ("5.1", "Thực hiện cơ cấu công chức, viên chức theo vị trí việc làm", 350),
    ("5.2", "Tuyển dụng công chức, viên chức", 100),
    ("5.3", "Bổ nhiệm chức danh nghề nghiệp; thi hoặc xét thăng hạng", 100),
    ("5.4", "Bổ nhiệm vị trí lãnh đạo tại các cơ quan, đơn vị trực thuộc", 100),
    ("5.5", "Đánh giá, phân loại công chức, viên chức", 200),
    ("5.6", "Mức độ hoàn thành kế hoạch đào tạo, bồi dưỡng", 50),
    ("5.7", "Cán bộ, công chức cấp xã", 200),
    ("6", "Cải cách tài chính công", 600),
    ("6.1", "Thực hiện công tác quyết toán ngân sách", 100),
    ("6.2", "Tổ chức thực hiện công tác tài chính - ngân sách", 150),
    ("6.3", "Thực hiện cơ chế tự chủ, tự chịu trách nhiệm về biên chế và kinh phí", 100),
    ("6.4", "Thực hiện cơ chế tự chủ của đơn vị sự nghiệp công lập", 100),
    ("6.5", "Chế độ báo cáo về thực hành tiết kiệm, chống lãng phí", 50),
    ("6.6", "Công tác quản lý, sử dụng tài sản công", 100),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 1100),
    ("7.1", "Ứng dụng công nghệ thông tin", 150),
    ("7.2", "Tỷ lệ hồ sơ TTHC được xử lý trực tuyến", 100),
    ("7.3", "Tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích", 100),
    ("7.3.1", "Tỷ lệ hồ sơ TTHC được tiếp nhận qua dịch vụ BCCI", 50),
    ("7.3.2", "Tỷ lệ kết quả giải quyết TTHC được trả qua dịch vụ BCCI", 50),
    ("7.4", "Triển khai văn bản điện tử", 200),
    ("7.5", "Triển khai các nền tảng số dùng chung của tỉnh", 100),
    ("7.6", "Triển khai ứng dụng họp thông minh và họp trực tuyến", 100),
    ("7.7", "Áp dụng Hệ thống quản lý chất lượng ISO 9001", 200),
    ("7.8", "Thực hiện công tác văn thư, lưu trữ", 150),
    ("8", "Tác động của CCHC đến phát triển kinh tế - xã hội", 400),
    ("8.1", "Mức độ thu hút đầu tư", 100),
    ("8.2", "Mức độ phát triển doanh nghiệp, hợp tác xã và hộ kinh doanh", 100),
    ("8.3", "Thực hiện thu ngân sách theo kế hoạch được giao", 100),
    ("8.4", "Thực hiện các chỉ tiêu phát triển kinh tế - xã hội", 100),
    ("9", "Điều tra xã hội học", 2500),
    ("9.1", "Chỉ số năng lực cạnh tranh cấp sở, ngành và địa phương (DDCI)", 1000),
    ("9.2", "Mức độ hài lòng của người dân, tổ chức (SIPAS)", 1500),
    ("10", "Điểm đánh giá của lãnh đạo UBND tỉnh", 1000),
)
_SURVEY = ("9", "10")  # scored in hundredths, never by the unit's own tasks

#: Tasks of each area: (title, product); {y} is the plan's year, {u} the unit.
TASKS: dict[str, tuple[tuple[str, str], ...]] = {
    "1": (("Ban hành kế hoạch CCHC năm {y}", "Kế hoạch CCHC năm {y} của {u}"),
          ("Báo cáo CCHC định kỳ quý, 6 tháng, năm", "Báo cáo CCHC quý, 6 tháng, năm {y}"),
          ("Kiểm tra công tác CCHC tại các bộ phận trực thuộc", "Kế hoạch và báo cáo kết quả kiểm tra CCHC"),
          ("Tuyên truyền CCHC trên Trang thông tin điện tử", "Danh mục tin, bài tuyên truyền CCHC (có đường dẫn)"),
          ("Đăng ký sáng kiến, giải pháp mới trong CCHC", "Sáng kiến, giải pháp được công nhận"),
          ("Thực hiện nhiệm vụ UBND tỉnh giao", "Bảng thống kê nhiệm vụ được giao và kết quả thực hiện"),
          ("Xử lý các vấn đề phát hiện qua kiểm tra CCHC", "Văn bản chứng minh đã khắc phục"),
          ("Đánh giá mức độ hoàn thành kế hoạch CCHC", "Báo cáo đánh giá kết quả thực hiện kế hoạch CCHC năm {y}")),
    "2": (("Ban hành kế hoạch theo dõi thi hành pháp luật", "Kế hoạch theo dõi thi hành pháp luật năm {y}"),
          ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "Báo cáo kết quả rà soát văn bản"),
          ("Điều tra, khảo sát tình hình thi hành pháp luật", "Phương án, phiếu khảo sát và báo cáo điều tra"),
          ("Xử lý văn bản sau rà soát", "Văn bản sửa đổi, bổ sung, thay thế hoặc bãi bỏ"),
          ("Tự kiểm tra văn bản do cơ quan ban hành", "Báo cáo tự kiểm tra văn bản năm {y}"),
          ("Phổ biến, giáo dục pháp luật cho cán bộ, công chức", "Kế hoạch và báo cáo phổ biến pháp luật")),
    "3": (("Rà soát, đơn giản hóa thủ tục hành chính", "Báo cáo rà soát, đơn giản hóa TTHC"),
          ("Công khai TTHC tại Bộ phận Một cửa", "Hình ảnh niêm yết công khai TTHC"),
          ("Công khai TTHC trên Trang thông tin điện tử", "Đường dẫn chuyên mục TTHC"),
          ("Giải quyết hồ sơ TTHC đúng hạn", "Báo cáo tình hình giải quyết hồ sơ TTHC hằng tháng"),
          ("Gửi thư xin lỗi khi giải quyết hồ sơ trễ hạn", "Thư xin lỗi tổ chức, cá nhân"),
          ("Số hóa hồ sơ, kết quả giải quyết TTHC", "Báo cáo tỷ lệ số hóa hồ sơ"),
          ("Tiếp nhận, xử lý phản ánh, kiến nghị về TTHC", "Sổ theo dõi và văn bản trả lời phản ánh, kiến nghị"),
          ("Cập nhật quy trình nội bộ giải quyết TTHC trên phần mềm", "Quy trình nội bộ được phê duyệt")),
    "4": (("Rà soát chức năng, nhiệm vụ, cơ cấu tổ chức", "Quyết định quy định chức năng, nhiệm vụ"),
          ("Thực hiện quy định về số lượng cấp phó", "Báo cáo cơ cấu lãnh đạo"),
          ("Quản lý, sử dụng biên chế được giao", "Báo cáo tình hình sử dụng biên chế"),
          ("Thực hiện phân cấp quản lý nhà nước", "Báo cáo kết quả thực hiện phân cấp"),
          ("Kiểm tra việc thực hiện nhiệm vụ đã phân cấp", "Kết luận kiểm tra")),
    "5": (("Cập nhật bản mô tả công việc, khung năng lực vị trí việc làm", "Đề án vị trí việc làm được phê duyệt"),
          ("Bố trí công chức theo vị trí việc làm", "Danh sách bố trí công chức theo vị trí việc làm"),
          ("Đánh giá, xếp loại công chức, viên chức", "Kết quả đánh giá, xếp loại năm {y}"),
          ("Chấp hành kỷ luật, kỷ cương hành chính", "Báo cáo kiểm tra công vụ"),
          ("Cập nhật cơ sở dữ liệu cán bộ, công chức, viên chức", "Dữ liệu cập nhật trên phần mềm quản lý"),
          ("Đào tạo, bồi dưỡng cán bộ, công chức", "Kế hoạch và báo cáo đào tạo, bồi dưỡng năm {y}")),
    "6": (("Công khai dự toán, quyết toán ngân sách", "Quyết định công bố công khai ngân sách"),
          ("Giải ngân vốn đầu tư công", "Báo cáo tiến độ giải ngân"),
          ("Thực hiện cơ chế tự chủ tài chính", "Báo cáo kết quả thực hiện cơ chế tự chủ"),
          ("Xây dựng quy chế chi tiêu nội bộ", "Quy chế chi tiêu nội bộ năm {y}"),
          ("Thực hành tiết kiệm, chống lãng phí", "Báo cáo thực hành tiết kiệm, chống lãng phí"),
          ("Quản lý, sử dụng tài sản công", "Báo cáo tình hình quản lý, sử dụng tài sản công")),
    "7": (("Ban hành kế hoạch chuyển đổi số", "Kế hoạch chuyển đổi số năm {y}"),
          ("Tiếp nhận hồ sơ trực tuyến trên Cổng Dịch vụ công", "Báo cáo tỷ lệ hồ sơ trực tuyến"),
          ("Tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích", "Báo cáo số hồ sơ qua dịch vụ BCCI"),
          ("Gửi, nhận văn bản điện tử có ký số", "Báo cáo tỷ lệ văn bản điện tử ký số"),
          ("Duy trì, cải tiến Hệ thống quản lý chất lượng ISO 9001",
           "Quyết định công bố HTQLCL phù hợp TCVN ISO 9001:2015"),
          ("Lập danh mục hồ sơ và lập hồ sơ điện tử", "Danh mục hồ sơ cơ quan năm {y}"),
          ("Tổ chức họp trực tuyến", "Báo cáo số cuộc họp trực tuyến")),
    "8": (("Cải thiện môi trường đầu tư, kinh doanh", "Báo cáo kết quả thu hút đầu tư"),
          ("Hỗ trợ phát triển doanh nghiệp, hợp tác xã", "Báo cáo phát triển doanh nghiệp năm {y}"),
          ("Thực hiện dự toán thu ngân sách", "Báo cáo thu ngân sách"),
          ("Thực hiện các chỉ tiêu kinh tế - xã hội được giao", "Báo cáo tình hình kinh tế - xã hội năm {y}")),
}
_EXTRA_PRODUCTS = ("Báo cáo kết quả thực hiện năm {y}", "Văn bản chỉ đạo, triển khai thực hiện",
                   "Hình ảnh, tài liệu kiểm chứng", "Biên bản kiểm tra, đánh giá")
_REASONS = ("Ban hành kế hoạch chậm so với quy định", "Chưa hoàn thành đầy đủ các nhiệm vụ đề ra",
            "Báo cáo gửi chậm, chưa đủ nội dung theo yêu cầu", "Còn hồ sơ giải quyết trễ hạn",
            "Tỷ lệ số hóa hồ sơ chưa đạt 100%", "Chưa cập nhật đầy đủ dữ liệu trên phần mềm",
            "Tài liệu kiểm chứng chưa đầy đủ", "Kết quả thấp hơn chỉ tiêu được giao")
_RELATIVE = ("Chậm nhất 30 ngày kể từ ngày văn bản của UBND tỉnh được ban hành",
             "Theo yêu cầu của UBND tỉnh", "Chậm nhất 15 ngày kể từ ngày kết thúc đợt kiểm tra",
             "Theo quy định của Sở Tài chính")
_RECURRING = ("Thường xuyên", "Hằng quý", "Định kỳ hằng tháng", "Hằng năm")
_UNKNOWN_UNITS = ("Trung tâm Dịch vụ đô thị", "Phòng Quản lý đô thị", "Ban Quản lý chợ")

# the plan and TTHC columns are the official ones of the templates (generator/xlsx_templates.py)
_TTHC_KEYS = ("period", "unit", "start", "end", "received_total", "carried_over", "received_new", "online",
              "direct", "postal", "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
              "pending_total", "pending_in_time", "pending_late", "apologies", "digitised", "source")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _points(hundredths: int) -> str:
    """"0,5đ", "1,25đ", "8đ"."""
    text = f"{hundredths / 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}đ"


def _number(hundredths: int) -> float | int:
    return hundredths // 100 if hundredths % 100 == 0 else hundredths / 100


def _text2(value: Decimal | float) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}".replace(".", ",")


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _col(index: int) -> str:
    """1 -> "A"."""
    from .workbook import column_letter

    return column_letter(index)


# --- units ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    id: str
    name: str
    kind: str
    short_names: list[str]
    aliases: list[str]


@dataclass(slots=True)
class _Group:
    id: str
    name: str
    kinds: list[str]
    aliases: list[str]


def _counts(n: int) -> tuple[int, int, int, int]:
    """How many provincial departments, centres, district-level and commune-level units."""
    provincial = max(1, min(len(_PROVINCIAL), round(n * 0.25)))
    centres = min(len(_CENTRES), max(1 if n >= 4 else 0, round(n * 0.05)))
    districts = min(15, max(1 if n >= 3 else 0, round(n * 0.12)))
    while provincial + centres + districts > n:
        if districts > (1 if n >= 3 else 0):
            districts -= 1
        elif centres:
            centres -= 1
        else:
            provincial -= 1
    return provincial, centres, districts, n - provincial - centres - districts


def _make_units(n: int, rng: random.Random) -> tuple[str, list[_Unit], list[_Group]]:
    from slugify import slugify

    province = rng.choice(PROVINCES)
    places = [f"{a} {b}" for a in _FIRST for b in _SECOND if a != b]
    rng.shuffle(places)
    # names that differ only by their diacritics ("Hải Thành", "Hải Thạnh") would share an id
    seen = {slugify(province)}
    places = [p for p in places if not (slugify(p) in seen or seen.add(slugify(p)))]
    n_prov, n_centres, n_districts, n_communes = _counts(n)
    units: list[_Unit] = []

    def add(name: str, kind: str, short: list[str], aliases: list[str], ident: str | None = None) -> None:
        name = _nfc(name)
        ident = ident or slugify(name)
        units.append(_Unit(ident, name, kind, [_nfc(s) for s in short],
                           [_nfc(a.format(p=province)) for a in aliases]))

    for name, short, aliases in _PROVINCIAL[:n_prov]:
        add(name, "cap-tinh", list(short), list(aliases))
    for name, short, aliases in _CENTRES[:n_centres]:
        add(name, "trung-tam", list(short), list(aliases))
    for index in range(n_districts):
        if index == 0:
            place, level = province, "thành phố"
        else:
            place = places.pop()
            level = "thị xã" if index % 5 == 2 else "huyện"
        display = level[:1].upper() + level[1:]
        short = [f"{display} {place}"] + (["TP " + place] if level == "thành phố" else [])
        add(f"UBND {level} {place}", "cap-huyen", short, [f"Ủy ban nhân dân {level} {place}"] if index % 3 == 1 else [],
            ident=slugify(f"{level} {place}"))
    for index in range(n_communes):
        place = places.pop()
        level = "phường" if index % 7 == 3 else "thị trấn" if index % 11 == 5 else "xã"
        display = level[:1].upper() + level[1:]
        add(f"UBND {level} {place}", "xa-thi-tran", [f"{display} {place}"], [], ident=slugify(f"{level} {place}"))

    kinds = {u.kind for u in units}
    groups = [g for g in (
        _Group("cac-so-ban-nganh", "Các sở, ban, ngành", ["cap-tinh"],
               ["Các sở, ban, ngành tỉnh", "Các cơ quan chuyên môn thuộc UBND tỉnh"]),
        _Group("don-vi-su-nghiep", "Các đơn vị sự nghiệp thuộc UBND tỉnh", ["trung-tam"], []),
        _Group("ubnd-cap-huyen", "UBND các huyện, thị xã, thành phố", ["cap-huyen"], ["UBND cấp huyện"]),
        _Group("ubnd-cap-xa", "UBND các xã, phường, thị trấn", ["xa-thi-tran"], ["UBND cấp xã"]),
        _Group("co-quan-don-vi", "Các cơ quan, đơn vị, địa phương",
               ["cap-tinh", "trung-tam", "cap-huyen", "xa-thi-tran"], ["Các cơ quan, đơn vị có liên quan"]),
    ) if kinds & set(g.kinds)]
    for group in groups:
        group.kinds = [k for k in group.kinds if k in kinds]
    return province, units, groups


def _yaml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _units_yml(province: str, units: list[_Unit], groups: list[_Group], seed: int) -> str:
    lines = [
        f"# DANH MỤC CƠ QUAN, ĐƠN VỊ TỈNH {province.upper()} — DỮ LIỆU MINH HỌA tạo tự động bằng",
        f"# “cchc demo-data” (hạt giống {seed}): tên tỉnh, đơn vị và số liệu đều là giả định, không phải thật.",
        "#",
        "# Mỗi đơn vị: id (mã, chữ thường không dấu), name (tên chính thức), kind (cap-tinh: sở, ban, ngành;",
        "# trung-tam: đơn vị sự nghiệp; cap-huyen: UBND huyện, thị xã, thành phố; xa-thi-tran: UBND xã, phường,",
        "# thị trấn), short_names (tên ngắn) và aliases (cách viết khác). Nhóm (groups) gồm mọi đơn vị thuộc các",
        "# loại ghi ở “kinds”.",
        "",
        "units:",
    ]
    for unit in units:
        lines += [f"  - id: {unit.id}", f"    name: {_yaml(unit.name)}", f"    kind: {unit.kind}"]
        if unit.short_names:
            lines.append(f"    short_names: {_yaml(unit.short_names)}")
        if unit.aliases:
            lines.append(f"    aliases: {_yaml(unit.aliases)}")
        lines.append("")
    lines.append("groups:")
    for group in groups:
        lines += [f"  - id: {group.id}", f"    name: {_yaml(group.name)}", f"    kinds: {_yaml(group.kinds)}"]
        if group.aliases:
            lines.append(f"    aliases: {_yaml(group.aliases)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- plans ---------------------------------------------------------------------------


@dataclass(slots=True)
class _PlanRow:
    code: str = ""
    title: str = ""
    products: str = ""
    lead: str = ""
    support: str = ""
    deadline: object = None  # text, or a date typed as a real Excel date
    group: bool = False  # "NHÓM …" merged across
    task: bool = False


@dataclass(slots=True)
class _Plan:
    source_id: str
    unit: _Unit
    title_lines: list[str]
    rows: list[_PlanRow]
    first_row: int  # sheet row of rows[0]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` as ``parts`` positive integers (``total >= parts``)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:])]


def _task_counts(rows: int, areas: int, rng: random.Random) -> list[int]:
    base, extra = divmod(rows, areas)
    counts = [base + (1 if i < extra else 0) for i in range(areas)]
    rng.shuffle(counts)
    return counts


def _deadline(rng: random.Random, year: int, products: int) -> object:
    """One deadline cell in one of the forms the reader understands."""
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    if products > 1 and rng.random() < 0.6:
        months = sorted(rng.sample(range(1, 13), products))
        return "\n".join(f"- Trước {rng.randint(1, 28):02d}/{m:02d}/{year} (Sản phẩm {n})"
                         for n, m in enumerate(months, start=1))
    roman = ("I", "II", "III", "IV")
    forms = (
        (18, lambda: f"Trước {day:02d}/{month:02d}/{year}"),
        (6, lambda: f"Chậm nhất ngày {day}/{month}/{year}"),
        (4, lambda: f"{day:02d}/{month:02d}/{year}"),
        (6, lambda: dt.datetime(year, month, day)),
        (8, lambda: f"Quý {roman[rng.randrange(4)]}/{year}"),
        (3, lambda: f"Quý {roman[rng.randrange(4)]}"),
        (7, lambda: f"Tháng {month}/{year}"),
        (2, lambda: f"Tháng {month}"),
        (3, lambda: f"Trước 15/{month:02d}"),
        (3, lambda: f"ngày {day} tháng {month} năm {year}"),
        (2, lambda: f"Trước tháng {max(month, 2)}/{year}"),
        (2, lambda: f"Từ 01/{min(month, 11):02d}/{year} đến {day:02d}/{min(month, 11) + 1:02d}/{year}"),
        (8, lambda: rng.choice(_RECURRING)),
        (3, lambda: f"6 tháng đầu năm {year}"),
        (3, lambda: f"Năm {year}"),
        (2, lambda: "Trong năm"),
        (1, lambda: f"Giai đoạn {year - 3} - {year + 1}"),
        (5, lambda: rng.choice(_RELATIVE)),
        (3, lambda: f"- Báo cáo quý I: Trước ngày 12/3/{year}\n- Báo cáo 6 tháng: Trước ngày 12/6/{year}\n"
                    f"- Báo cáo năm: Trước ngày 12/12/{year}"),
    )
    pick = rng.random() * sum(w for w, _ in forms)
    for weight, make in forms:
        pick -= weight
        if pick < 0:
            return make()
    return forms[0][1]()


def _mention(unit: _Unit, rng: random.Random) -> str:
    roll = rng.random()
    if unit.aliases and roll < 0.12:
        return rng.choice(unit.aliases)
    if unit.short_names and roll < 0.35:
        return rng.choice(unit.short_names)
    return unit.name


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return {w for w in "".join(ch for ch in folded if not unicodedata.combining(ch)).replace(",", " ").split()
            if len(w) > 2}


@functools.lru_cache(maxsize=1)
def _index_tree() -> tuple[dict[str, list[tuple[str, str, int]]], dict[str, int]]:
    """The index's children of each code ("" for the areas), and for each criterion the
    task of its area whose title shares the most words with it (its product fits)."""
    children: dict[str, list[tuple[str, str, int]]] = {}
    best: dict[str, int] = {}
    for code, title, points in INDEX:
        children.setdefault(code.rsplit(".", 1)[0] if "." in code else "", []).append((code, title, points))
        area = code.split(".")[0]
        if "." in code and area in TASKS:
            mine = _words(title)
            scores = [len(mine & _words(task)) for task, _ in TASKS[area]]
            best[code] = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return children, best


def _make_plan(unit: _Unit, index: int, units: list[_Unit], groups: list[_Group], rows: int, year: int,
               rng: random.Random) -> _Plan:
    names = {u.name: u for u in units}
    central = [names[n] for n in _CENTRAL_LEADS if n in names and names[n] is not unit]
    peers = [u for u in units if u.kind == unit.kind and u is not unit]
    helpers = central + peers
    coordinator = unit.name in _CENTRAL_LEADS and bool(groups)
    areas = min(8, rows)
    counts = _task_counts(rows, areas, rng)
    children, best = _index_tree()
    out: list[_PlanRow] = []
    if rng.random() < 0.5:
        out.append(_PlanRow(code="NHÓM 1: NHIỆM VỤ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", group=True))

    def task_row(code: str, title: str, points: int | None, product: str) -> _PlanRow:
        n_products = 2 if rng.random() < 0.25 else 1
        if n_products == 2:
            extra = rng.choice(_EXTRA_PRODUCTS).format(y=year)
            products = f"- {product} (Sản phẩm 1)\n- {extra} (Sản phẩm 2)"
        else:
            products = product
        # mostly the unit itself; now and then the office, home affairs, IT or justice department
        roll = rng.random()
        if roll < 0.88 or not central:
            lead = _mention(unit, rng)
        elif n_products == 2:
            lead = f"- {_mention(unit, rng)} (Sản phẩm 1)\n- {rng.choice(central).name} (Sản phẩm 2)"
        else:
            lead = rng.choice(central).name
        # groups ("UBND các xã, phường, thị trấn") only in the plans of the units that coordinate
        # the whole province: elsewhere they would put every task on every member's page
        roll = rng.random()
        if roll < 0.35 or not (helpers or coordinator):
            support = ""
        elif coordinator and (roll < 0.75 or not helpers):
            support = rng.choice(groups).name
        else:
            picked = rng.sample(helpers, min(len(helpers), rng.choice((1, 1, 2))))
            extra_group = [rng.choice(groups).name] if coordinator and rng.random() < 0.4 else []
            support = rng.choice((", ", "\n", "; ")).join([u.name for u in picked] + extra_group)
        title_text = f"{title}: {_points(points)}" if points is not None else title
        return _PlanRow(code=code, title=title_text, products=products, lead=lead, support=support,
                        deadline=_deadline(rng, year, n_products), task=True)

    used_tasks: dict[str, int] = {}

    def next_task(area: str) -> tuple[str, str]:
        catalogue = TASKS[area]
        n = used_tasks.get(area, 0)
        used_tasks[area] = n + 1
        title, product = catalogue[(n + index) % len(catalogue)]
        title = title.format(y=year)
        if n >= len(catalogue):
            title += f" (đợt {n // len(catalogue) + 1})"
        return title, product.format(y=year, u=unit.name)

    def product_of(code: str) -> str:
        return TASKS[code.split(".")[0]][best[code]][1].format(y=year, u=unit.name)

    for area_index, t in enumerate(counts, start=1):
        area = str(area_index)
        area_code, area_title, _ = next(i for i in INDEX if i[0] == area)
        criteria = children[area][:t]
        per = _split(t, len(criteria), rng) if t > len(criteria) else [1] * t
        area_row = _PlanRow(code=area_code)
        out.append(area_row)
        area_points = 0
        for (code, title, maximum), k in zip(criteria, per):
            area_points += maximum
            if k == 1:
                out.append(task_row(code, title, maximum, product_of(code)))
                continue
            out.append(_PlanRow(code=code, title=f"{title}: {_points(maximum)}"))
            own = children.get(code, [])
            if len(own) == k:  # the index's own component criteria
                for sub_code, sub_title, points in own:
                    out.append(task_row(sub_code, sub_title, points, product_of(sub_code)))
                continue
            quarters = maximum // 25
            parts = _split(quarters, k, rng) if quarters >= k else None
            numbered = rng.random() >= 0.15  # else un-numbered items under the criterion
            for n in range(k):
                sub_title, product = next_task(area)
                points = parts[n] * 25 if parts else None
                out.append(task_row(f"{code}.{n + 1}" if numbered else "", sub_title, points, product))
        area_row.title = f"{area_title.upper()}: {_points(area_points)}"
    number = rng.randint(5, 120)
    doc_day, doc_month = rng.randint(2, 28), rng.randint(1, 2)
    issuer = unit.name.upper()
    initials = "".join(w[0] for w in unit.name.replace("-", " ").split() if w[:1].isalpha()).upper()
    sign = "UBND" if unit.name.startswith("UBND") else "VP" if unit.name.startswith("Văn phòng") else initials
    title_lines = [
        issuer,
        "PHỤ LỤC",
        f"Phân công thực hiện các nhiệm vụ cải cách hành chính năm {year} của {unit.name}",
        f"(Ban hành kèm theo Kế hoạch số {number}/KH-{sign} ngày {doc_day:02d} tháng {doc_month:02d} năm {year} "
        f"của {unit.name})",
        SYNTHETIC_LINE,
    ]
    return _Plan("", unit, [_nfc(t) for t in title_lines], out, len(title_lines) + 3)


# --- scores --------------------------------------------------------------------------


@dataclass(slots=True)
class _Score:
    code: str
    title: str
    maximum: int
    self_score: int | None = None
    appraised: int | None = None
    not_applicable: int | None = None  # typed on leaves only
    reason: str = ""
    children: list["_Score"] = field(default_factory=list)
    parent: "_Score | None" = None

    @property
    def leaf(self) -> bool:
        return not self.children


def _make_scores(rng: random.Random) -> list[_Score]:
    items: dict[str, _Score] = {}
    top: list[_Score] = []
    for code, title, maximum in INDEX:
        item = _Score(code, title, maximum)
        items[code] = item
        if "." in code:
            parent = items[code.rsplit(".", 1)[0]]
            item.parent = parent
            parent.children.append(item)
        else:
            top.append(item)
    leaves = [i for i in items.values() if i.leaf]
    # one or two component criteria that did not arise this year
    candidates = [i for i in leaves if i.parent is not None and len(i.parent.children) > 2
                  and i.code.split(".")[0] not in _SURVEY]
    for item in rng.sample(candidates, 2):
        item.not_applicable = item.maximum
        item.reason = "Không phát sinh nhiệm vụ trong năm"
    for item in leaves:
        if item.not_applicable:
            continue
        survey = item.code.split(".")[0] in _SURVEY
        if survey:
            appraised = item.maximum - rng.randint(item.maximum // 10, item.maximum // 3)
        elif rng.random() < 0.62:
            appraised = item.maximum
        else:
            appraised = item.maximum - 25 * rng.randint(1, max(1, item.maximum // 25))
        item.appraised = appraised
        gap = item.maximum - appraised  # the self-assessment is never lower than the appraisal
        item.self_score = appraised + (0 if survey or not gap else 25 * rng.randint(0, gap // 25))
        if appraised < item.maximum and not survey:
            item.reason = rng.choice(_REASONS)
    _resum(top)
    return top


def _resum(nodes: list[_Score]) -> None:
    for node in nodes:
        if node.children:
            _resum(node.children)
            node.appraised = sum(c.appraised or 0 for c in node.children)
            node.self_score = sum(c.self_score or 0 for c in node.children)


def _walk(nodes: list[_Score]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


# --- TTHC ----------------------------------------------------------------------------


_VOLUMES = {"cap-tinh": (40, 400), "cap-huyen": (300, 1200), "xa-thi-tran": (30, 250), "trung-tam": (8, 60)}


def _volume(unit: _Unit, rng: random.Random) -> int:
    """New dossiers a month: the provincial one-stop centre receives most."""
    if unit.kind == "trung-tam" and "hành chính công" in unit.name:
        return rng.randint(1500, 3000)
    return rng.randint(*_VOLUMES.get(unit.kind, (20, 200)))


def _make_tthc(units: list[_Unit], months: int, year: int, rng: random.Random) -> list[dict]:
    bases = {u.id: _volume(u, rng) for u in units}
    pending = {u.id: rng.randint(0, max(1, bases[u.id] // 12)) for u in units}
    online_share = {u.id: rng.uniform(0.3, 0.5) for u in units}
    rows = []
    for m in range(months):
        y, month = year + m // 12, m % 12 + 1
        last = calendar.monthrange(y, month)[1]
        for unit in units:
            carried = pending[unit.id]
            new = max(1, round(bases[unit.id] * rng.uniform(0.8, 1.2)))
            online = round(new * min(0.95, online_share[unit.id] + 0.02 * m + rng.uniform(-0.03, 0.03)))
            postal = round(new * rng.uniform(0.02, 0.08))
            online = min(online, new - postal)
            direct = new - online - postal
            total = carried + new
            pending_now = min(total, round(total * rng.uniform(0.03, 0.1)))
            resolved = total - pending_now
            late = min(resolved, rng.choice((0, 0, 0, 1, 1, 2, 3)))
            early = round((resolved - late) * rng.uniform(0.55, 0.75))
            on_time = resolved - late - early
            pending_late = min(pending_now, rng.choice((0, 0, 0, 1)))
            digitised = round(new * rng.uniform(0.82, 1.0))
            rows.append({
                "period": f"Tháng {month:02d}/{y}", "unit": unit.name,
                "start": dt.datetime(y, month, 1), "end": dt.datetime(y, month, last),
                "received_total": total, "carried_over": carried, "received_new": new, "online": online,
                "direct": direct, "postal": postal, "resolved_total": resolved, "resolved_early": early,
                "resolved_on_time": on_time, "resolved_late": late, "pending_total": pending_now,
                "pending_in_time": pending_now - pending_late, "pending_late": pending_late, "apologies": late,
                "digitised": digitised, "source": SYNTHETIC_SOURCE,
            })
            pending[unit.id] = pending_now
    for row in rows:  # a few counts typed as text with a thousands dot, as clerks do
        for key in ("received_total", "received_new", "resolved_total"):
            if row[key] >= 1000 and rng.random() < 0.15:
                row[key] = _dotted(row[key])
    return rows


# --- failures ------------------------------------------------------------------------

#: The kinds of broken cell, in the order they are used: (name, kind of workbook).
FAILURE_KINDS = (
    ("ngay-khong-co-that", "plan"),
    ("diem-vuot-toi-da", "scores"),
    ("tthc-cong-sai", "tthc"),
    ("sai-ten-don-vi", "plan"),
    ("tthc-khong-phai-so", "tthc"),
    ("diem-cong-sai", "scores"),
    ("thang-khong-co-that", "plan"),
)
FAILURE_CODES = {
    "ngay-khong-co-that": ("deadline-invalid", "error"),
    "thang-khong-co-that": ("deadline-invalid", "error"),
    "sai-ten-don-vi": ("unknown-unit", "warning"),
    "diem-vuot-toi-da": ("score-over-max", "error"),
    "diem-cong-sai": ("score-sum-mismatch", "warning"),
    "tthc-cong-sai": ("tthc-sum-mismatch", "warning"),
    "tthc-khong-phai-so": ("number-invalid", "error"),
}


def _typo(name: str) -> str | None:
    """The name with the tone mark of one word dropped ("Sở Nội vụ" -> "Sở Nôi vụ"), or None."""
    words = name.split(" ")
    for index in range(len(words) - 1, 0, -1):
        decomposed = unicodedata.normalize("NFD", words[index])
        stripped = "".join(ch for ch in decomposed if ch not in "\u0300\u0301\u0303\u0309\u0323")
        if stripped != decomposed and any(ord(ch) > 127 for ch in unicodedata.normalize("NFC", stripped)):
            words[index] = unicodedata.normalize("NFC", stripped)
            return " ".join(words)
    return None


class _Injector:
    """Breaks cells in the generated data and remembers where validate will say so."""

    def __init__(self, rng: random.Random, year: int, plans: list[_Plan], scores: list[_Score],
                 score_rows: dict[str, int], score_file: str, score_sheet: str,
                 tthc: list[dict], tthc_first: int, tthc_file: str, tthc_sheet: str):
        self.rng, self.year = rng, year
        self.plans, self.scores, self.score_rows = plans, scores, score_rows
        self.score_file, self.score_sheet = score_file, score_sheet
        self.tthc, self.tthc_first, self.tthc_file, self.tthc_sheet = tthc, tthc_first, tthc_file, tthc_sheet
        self.failures: list[InjectedFailure] = []
        self.plan_order = list(range(len(plans)))
        rng.shuffle(self.plan_order)
        self.plan_turn = 0
        self.used_rows: set[tuple[int, int]] = set()
        self.used_parents: set[str] = set()
        self.used_tthc: set[int] = set()
        self.tthc_order = list(range(len(tthc)))
        rng.shuffle(self.tthc_order)

    def record(self, name: str, file: str, sheet: str, cell: str, description: str) -> None:
        code, severity = FAILURE_CODES[name]
        self.failures.append(InjectedFailure(f"sheets/{file}", sheet, cell, code, severity, f"nguon/{file}",
                                             _nfc(description)))

    def inject(self, count: int) -> list[InjectedFailure]:
        kinds = list(FAILURE_KINDS)
        turn = 0
        while len(self.failures) < count:
            for attempt in range(len(kinds)):
                name, _ = kinds[(turn + attempt) % len(kinds)]
                if getattr(self, name.replace("-", "_"))():
                    turn += attempt + 1
                    break
            else:
                raise DemoDataError(f"không đủ chỗ để làm hỏng {count} ô: chỉ làm được {len(self.failures)}.")
        return self.failures

    # -- plans

    def _plan_row(self) -> tuple[_Plan, _PlanRow, int] | None:
        for _ in range(len(self.plan_order)):
            index = self.plan_order[self.plan_turn % len(self.plan_order)]
            self.plan_turn += 1
            plan = self.plans[index]
            free = [n for n, row in enumerate(plan.rows) if row.task and (index, n) not in self.used_rows]
            if free:
                n = self.rng.choice(free)
                self.used_rows.add((index, n))
                return plan, plan.rows[n], plan.first_row + n
        return None

    def ngay_khong_co_that(self) -> bool:
        found = self._plan_row()
        if found is None:
            return False
        plan, row, number = found
        day, month = self.rng.choice(((30, 2), (31, 4), (31, 6), (31, 9), (31, 11)))
        row.deadline = f"Trước {day}/{month:02d}/{self.year}"
        self.record("ngay-khong-co-that", f"{plan.source_id}.xlsx", PLAN_SHEET, f"F{number}",
                    f"thời hạn “{row.deadline}”: tháng {month} không có ngày {day}")
        return True

    def thang_khong_co_that(self) -> bool:
        found = self._plan_row()
        if found is None:
            return False
        plan, row, number = found
        row.deadline = f"Tháng 13/{self.year}"
        self.record("thang-khong-co-that", f"{plan.source_id}.xlsx", PLAN_SHEET, f"F{number}",
                    f"thời hạn “{row.deadline}”: không có tháng 13")
        return True

    def sai_ten_don_vi(self) -> bool:
        found = self._plan_row()
        if found is None:
            return False
        plan, row, number = found
        typo = _typo(plan.unit.name)
        row.lead = typo or self.rng.choice(_UNKNOWN_UNITS)
        self.record("sai-ten-don-vi", f"{plan.source_id}.xlsx", PLAN_SHEET, f"D{number}",
                    f"đơn vị chủ trì “{row.lead}” không có trong danh mục"
                    + (f" (gõ sai “{plan.unit.name}”)" if typo else ""))
        return True

    # -- scores

    def _score_pair(self, need_sibling: bool):
        """(parent, leaf, donor): a leaf under a parent not used yet and, when asked, a sibling
        that can give the leaf what takes it 0,25 over its maximum (the parent's sum unchanged)."""
        parents = [p for p in _walk(self.scores) if p.children and p.code not in self.used_parents]
        self.rng.shuffle(parents)
        for parent in parents:
            leaves = [c for c in parent.children if c.leaf and not c.not_applicable and c.appraised is not None]
            for leaf in leaves:
                if not need_sibling:
                    self.used_parents.add(parent.code)
                    return parent, leaf, None
                excess = leaf.maximum + 25 - leaf.appraised
                donors = [s for s in leaves if s is not leaf and s.appraised >= excess]
                if donors:
                    self.used_parents.add(parent.code)
                    return parent, leaf, self.rng.choice(donors)
        return None

    def diem_vuot_toi_da(self) -> bool:
        found = self._score_pair(need_sibling=True)
        if found is None:
            return False
        parent, leaf, donor = found
        excess = leaf.maximum + 25 - leaf.appraised
        leaf.appraised += excess
        donor.appraised -= excess
        if not donor.reason:
            donor.reason = self.rng.choice(_REASONS)
        row = self.score_rows[leaf.code]
        self.record("diem-vuot-toi-da", self.score_file, self.score_sheet, f"E{row}",
                    f"tiêu chí {leaf.code} được {_points(leaf.appraised)[:-1]} điểm thẩm định, quá điểm tối đa "
                    f"{_points(leaf.maximum)[:-1]}")
        return True

    def diem_cong_sai(self) -> bool:
        found = self._score_pair(need_sibling=False)
        if found is None:
            return False
        parent, leaf, _ = found
        leaf.appraised += 25 if leaf.appraised + 25 <= leaf.maximum else -25
        row = self.score_rows[parent.code]
        self.record("diem-cong-sai", self.score_file, self.score_sheet, f"E{row}",
                    f"điểm thẩm định của {leaf.code} bị sửa nên {parent.code} không còn bằng tổng các mục con")
        return True

    # -- TTHC

    def _tthc_row(self) -> tuple[dict, int] | None:
        for index in self.tthc_order:
            if index not in self.used_tthc:
                self.used_tthc.add(index)
                return self.tthc[index], self.tthc_first + index
        return None

    def tthc_cong_sai(self) -> bool:
        found = self._tthc_row()
        if found is None:
            return False
        row, number = found
        row["direct"] += self.rng.randint(3, 30)
        cell = f"{_col(_TTHC_KEYS.index('received_new') + 1)}{number}"  # the sum that no longer adds up
        self.record("tthc-cong-sai", self.tthc_file, self.tthc_sheet, cell,
                    f"{row['unit']}, {row['period']}: trực tiếp sửa thành {row['direct']} nên trực tuyến + trực tiếp "
                    f"+ qua BCCI không bằng tiếp nhận mới")
        return True

    def tthc_khong_phai_so(self) -> bool:
        found = self._tthc_row()
        if found is None:
            return False
        row, number = found
        row["digitised"] = self.rng.choice(("đang cập nhật", "khoảng 50", "chưa có số liệu"))
        self.record("tthc-khong-phai-so", self.tthc_file, self.tthc_sheet,
                    f"{_col(_TTHC_KEYS.index('digitised') + 1)}{number}",
                    f"{row['unit']}, {row['period']}: số hồ sơ số hóa ghi “{row['digitised']}”")
        return True


# --- writing workbooks ---------------------------------------------------------------


class _FixedZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time: the same workbook, the same bytes."""

    fixed_time = (2000, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed_time)
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            zinfo.external_attr = 0o600 << 16
            zinfo_or_arcname = zinfo
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as handle:
            self.writestr(arcname or Path(filename).name, handle.read())


class _Styles:
    def __init__(self):
        from openpyxl.styles import Alignment, Font

        self.bold = Font(name="Times New Roman", size=13, bold=True)
        self.italic = Font(name="Times New Roman", size=13, italic=True)
        self.red = Font(name="Times New Roman", size=13, bold=True, color="FFC00000")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrap = Alignment(vertical="top", wrap_text=True)


def _cell(ws, value, *, font=None, align=None, fmt=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value)
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _new_book(moment: dt.datetime, title: str):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "cchc demo-data"
    wb.properties.lastModifiedBy = "cchc demo-data"
    wb.properties.title = title
    wb.properties.description = SYNTHETIC_LINE
    wb.properties.created = moment
    wb.properties.modified = moment
    return wb


def _save(wb, moment: dt.datetime) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    archive = _FixedZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.fixed_time = (max(1980, moment.year), moment.month, moment.day, moment.hour, moment.minute, 0)
    wb.properties.modified = moment  # save_workbook would stamp the clock: ExcelWriter does not
    ExcelWriter(wb, archive).save()
    return buffer.getvalue()


def _title_rows(ws, lines: list[str], width: int, styles: _Styles) -> int:
    """The title block, one merged line each; returns the number of rows written."""
    for number, line in enumerate(lines, start=1):
        font = styles.red if line == SYNTHETIC_LINE else styles.italic if line.startswith("(") else styles.bold
        ws.append([_cell(ws, line, font=font, align=styles.center)])
        ws.merged_cells.add(f"A{number}:{_col(width)}{number}")
    ws.append([])
    return len(lines) + 1


def _plan_bytes(plan: _Plan, moment: dt.datetime, styles: _Styles) -> bytes:
    from .xlsx_templates import PLAN

    wb = _new_book(moment, plan.title_lines[2])
    ws = wb.create_sheet(PLAN_SHEET)
    for index, column in enumerate(PLAN, start=1):
        ws.column_dimensions[_col(index)].width = column.width
    header_row = len(plan.title_lines) + 2
    ws.freeze_panes = f"A{header_row + 1}"
    _title_rows(ws, plan.title_lines, len(PLAN), styles)
    ws.append([_cell(ws, c.name, font=styles.bold, align=styles.center) for c in PLAN])
    for offset, row in enumerate(plan.rows):
        number = plan.first_row + offset
        if row.group:
            ws.append([_cell(ws, row.code, font=styles.bold)])
            ws.merged_cells.add(f"A{number}:{_col(len(PLAN))}{number}")
            continue
        if not row.task:
            ws.append([row.code, _cell(ws, row.title, font=styles.bold)])
            continue
        values = [row.code or None, row.title, row.products, row.lead, row.support or None, row.deadline]
        for col, value in enumerate(values):
            if isinstance(value, dt.datetime):
                values[col] = _cell(ws, value, fmt="dd/mm/yyyy")
            elif isinstance(value, str) and "\n" in value:  # shown on several lines in Excel too
                values[col] = _cell(ws, value, align=styles.wrap)
        ws.append(values)
    return _save(wb, moment)


def _score_bytes(scores: list[_Score], title_lines: list[str], sheet: str, moment: dt.datetime,
                 styles: _Styles, header_row: int) -> bytes:
    from .xlsx_templates import SCORES

    wb = _new_book(moment, title_lines[1])
    ws = wb.create_sheet(sheet)
    for index, column in enumerate(SCORES, start=1):
        ws.column_dimensions[_col(index)].width = column.width
    ws.freeze_panes = f"A{header_row + 1}"
    _title_rows(ws, title_lines, len(SCORES), styles)
    ws.append([_cell(ws, c.name, font=styles.bold, align=styles.center) for c in SCORES])
    for item in _walk(scores):
        top = "." not in item.code
        values = [item.code, item.title, _number(item.maximum),
                  None if item.self_score is None else _number(item.self_score),
                  None if item.appraised is None else _number(item.appraised),
                  None if not item.not_applicable else _number(item.not_applicable), item.reason or None]
        if top:
            values = [_cell(ws, v, font=styles.bold) if v is not None else None for v in values]
        ws.append(values)
    total_max = sum(i.maximum for i in scores)
    ws.append([None, _cell(ws, "Tổng cộng", font=styles.bold), _number(total_max),
               _number(sum(i.self_score or 0 for i in scores)), _number(sum(i.appraised or 0 for i in scores)),
               None, None])
    ws.append([None, "Ghi chú: số liệu minh họa, tạo tự động để thử chương trình; không dùng để đánh giá."])
    return _save(wb, moment)


def _tthc_bytes(rows: list[dict], title_lines: list[str], sheet: str, moment: dt.datetime, styles: _Styles) -> bytes:
    from .xlsx_templates import TTHC

    wb = _new_book(moment, title_lines[1])
    ws = wb.create_sheet(sheet)
    width = len(TTHC)
    for index, column in enumerate(TTHC, start=1):
        ws.column_dimensions[_col(index)].width = column.width
    top = len(title_lines) + 2
    ws.freeze_panes = f"C{top + 2}"
    _title_rows(ws, title_lines, width, styles)
    upper, lower = [], []
    index = 1
    while index <= width:
        column = TTHC[index - 1]
        if column.group:
            span = sum(1 for c in TTHC if c.group == column.group)
            upper.append(_cell(ws, column.group, font=styles.bold, align=styles.center))
            upper.extend([None] * (span - 1))
            lower.extend(_cell(ws, c.name, font=styles.bold, align=styles.center)
                         for c in TTHC[index - 1:index - 1 + span])
            ws.merged_cells.add(f"{_col(index)}{top}:{_col(index + span - 1)}{top}")
            index += span
            continue
        upper.append(_cell(ws, column.name, font=styles.bold, align=styles.center))
        lower.append(None)
        ws.merged_cells.add(f"{_col(index)}{top}:{_col(index)}{top + 1}")
        index += 1
    ws.append(upper)
    ws.append(lower)
    for row in rows:
        values = [row[key] for key in _TTHC_KEYS]
        values[2] = _cell(ws, values[2], fmt="dd/mm/yyyy")
        values[3] = _cell(ws, values[3], fmt="dd/mm/yyyy")
        ws.append(values)
    return _save(wb, moment)


# --- the content folder --------------------------------------------------------------


def _site_yml(province: str, sources: list[tuple[str, str, str]], seed: int) -> str:
    lines = [
        "# Cấu hình trang công khai CCHC — DỮ LIỆU MINH HỌA tạo tự động bằng “cchc demo-data”",
        f"# (hạt giống {seed}): tên tỉnh, đơn vị và mọi số liệu đều là giả định, không phải số liệu thật.",
        f"site_name: {_yaml(f'Công khai cải cách hành chính tỉnh {province} (dữ liệu minh họa)')}",
        f"issuer: {_yaml(f'UBND tỉnh {province}')}",
        f"place: {_yaml(province)}",
        "units: units.yml",
        "sheets: sheets",
        "formulas: cong-thuc.yml",
        "# Mỗi nguồn: tệp trong nguon/, bản công bố (đã kiểm tra) là sheets/<id>.xlsx.",
        "sources:",
    ]
    for source_id, kind, title in sources:
        lines += [f"  - id: {source_id}", f"    kind: {kind}", f"    title: {_yaml(title)}",
                  f"    path: nguon/{source_id}.xlsx"]
    return "\n".join(lines) + "\n"


def _source_id(prefix: str, unit_id: str) -> str:
    ident = f"{prefix}-{unit_id}"
    return ident[:63].rstrip("-")


def make_demo_content(out: Path, *, units: int = 20, rows: int = 80, months: int = 12, seed: int = 1,
                      failures: int = 3, year: int = 2024) -> DemoSummary:
    """Write a complete synthetic content folder into ``out`` (created if needed;
    files of an earlier run are replaced, other workbooks in nguon/ and sheets/
    removed so that the folder holds exactly this data)."""
    from .config import DEFAULT_CONTENT

    if not 1 <= units <= MAX_UNITS:
        raise DemoDataError(f"số đơn vị phải từ 1 đến {MAX_UNITS} (đang là {units}).")
    if rows < 1:
        raise DemoDataError(f"số dòng nhiệm vụ của mỗi kế hoạch phải từ 1 trở lên (đang là {rows}).")
    if months < 1:
        raise DemoDataError(f"số tháng số liệu TTHC phải từ 1 trở lên (đang là {months}).")
    if failures < 0:
        raise DemoDataError(f"số ô lỗi cố ý không thể âm (đang là {failures}).")
    if not 1990 <= year <= 2090:
        raise DemoDataError(f"năm {year} không hợp lệ: chọn một năm từ 1990 đến 2090.")

    def stream(purpose: str) -> random.Random:  # one generator per part: more failures, same data
        return random.Random(f"cchc-demo:{seed}:{purpose}")

    province, unit_list, groups = _make_units(units, stream("units"))
    plans: list[_Plan] = []
    plan_rng = stream("plans")
    for index, unit in enumerate(unit_list):
        plan = _make_plan(unit, index, unit_list, groups, rows, year, plan_rng)
        plan.source_id = _source_id(f"phan-cong-{year}", unit.id)
        plans.append(plan)

    score_year = year - 1
    scores = _make_scores(stream("scores"))
    score_id, score_sheet = f"chi-so-cchc-{score_year}", f"Chỉ số {score_year}"
    score_header = 6  # issuer, title, totals, synthetic line, blank, header
    score_rows = {item.code: score_header + 1 + n for n, item in enumerate(_walk(scores))}

    from .xlsx_templates import TITLES

    tthc = _make_tthc(unit_list, months, year, stream("tthc"))
    tthc_id, tthc_sheet = f"tien-do-tthc-{year}", "Tiến độ TTHC"
    tthc_title = [_nfc(t) for t in (f"UBND TỈNH {province.upper()}", TITLES["tthc"].format(year=year),
                                    "(Đơn vị tính: hồ sơ)", SYNTHETIC_LINE)]
    tthc_first = len(tthc_title) + 4  # the title block, a blank row, two header rows

    injector = _Injector(stream("failures"), year, plans, scores, score_rows, f"{score_id}.xlsx", score_sheet,
                         tthc, tthc_first, f"{tthc_id}.xlsx", tthc_sheet)
    injected = injector.inject(failures)

    # one fixed moment for the workbooks' properties, their zip entries and the snapshots' metadata:
    # the end of the last month of TTHC figures
    last_month = (months - 1) % 12 + 1
    last_year = year + (months - 1) // 12
    moment = dt.datetime(last_year, last_month, calendar.monthrange(last_year, last_month)[1], 17, 0)
    styles = _Styles()
    workbooks: dict[str, bytes] = {}
    sources: list[tuple[str, str, str]] = []
    row_counts: dict[str, dict[str, int]] = {}
    for plan in plans:
        workbooks[plan.source_id] = _plan_bytes(plan, moment, styles)
        sources.append((plan.source_id, "plan", f"Phân công nhiệm vụ CCHC năm {year} – {plan.unit.name}"))
        row_counts[plan.source_id] = {PLAN_SHEET: rows}

    total_max = sum(i.maximum for i in scores)
    total = sum(i.appraised or 0 for i in scores)
    not_applicable = sum(i.not_applicable or 0 for i in _walk(scores))
    percent = (round(sum(_number(i.appraised or 0) for i in scores), 6)
               / round(total_max / 100 - not_applicable / 100, 6) * 100)
    rank = stream("rank").randint(5, 40)
    score_title = [f"UBND TỈNH {province.upper()}",
                   f"{TITLES['scores'].format(year=score_year)} - TỈNH {province.upper()}",
                   f"Tổng điểm thẩm định: {_points(total)[:-1]}/{_points(total_max)[:-1]} (đạt "
                   f"{_text2(round(percent, 9))}%) - xếp thứ {rank}/63 tỉnh, thành phố",
                   SYNTHETIC_LINE]
    workbooks[score_id] = _score_bytes(scores, [_nfc(t) for t in score_title], score_sheet, moment, styles,
                                       score_header)
    sources.append((score_id, "scores", f"Kết quả Chỉ số CCHC năm {score_year}"))
    row_counts[score_id] = {score_sheet: len(score_rows)}

    workbooks[tthc_id] = _tthc_bytes(tthc, tthc_title, tthc_sheet, moment, styles)
    sources.append((tthc_id, "tthc", f"Tiến độ giải quyết hồ sơ TTHC năm {year}"))
    row_counts[tthc_id] = {tthc_sheet: len(tthc)}

    # -- files
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {
        "site.yml": _site_yml(province, sources, seed).encode("utf-8"),
        "units.yml": _units_yml(province, unit_list, groups, seed).encode("utf-8"),
        "cong-thuc.yml": (DEFAULT_CONTENT / "cong-thuc.yml").read_bytes(),
    }
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S+07:00")
    counts: dict[str, dict[str, int]] = {}
    for failure in injected:
        entry = counts.setdefault(Path(failure.file).stem, {"errors": 0, "warnings": 0})
        entry["errors" if failure.severity == "error" else "warnings"] += 1
    for source_id, kind, title in sources:
        data = workbooks[source_id]
        written[f"nguon/{source_id}.xlsx"] = data
        written[f"sheets/{source_id}.xlsx"] = data
        meta = {"id": source_id, "kind": kind, "title": title, "source": f"nguon/{source_id}.xlsx",
                "modified_time": stamp, "fetched_at": stamp, "sha256": hashlib.sha256(data).hexdigest(),
                "rows": row_counts[source_id], "summary": counts.get(source_id, {"errors": 0, "warnings": 0})}
        written[f"sheets/{source_id}.meta.json"] = (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True)
                                                    + "\n").encode("utf-8")
    for folder in ("nguon", "sheets"):
        path = out / folder
        if path.is_dir():
            for stale in sorted(path.iterdir()):
                rel = f"{folder}/{stale.name}"
                if rel not in written and stale.is_file() and stale.suffix in (".xlsx", ".json"):
                    log.info("Xóa %s (của lần tạo trước)", rel)
                    stale.unlink()
        path.mkdir(parents=True, exist_ok=True)
    for rel, data in written.items():
        target = out / rel
        target.write_bytes(data)
    for folder in ("history", "rejected"):
        if (out / folder).is_dir():
            log.warning("Thư mục %s còn dữ liệu của lần đồng bộ trước: xóa đi nếu không cần.", out / folder)
    log.info("Đã tạo %d tệp trong %s: %d đơn vị, %d kế hoạch, %d ô lỗi cố ý", len(written), out, len(unit_list),
             len(plans), len(injected))
    return DemoSummary(out=out, seed=seed, year=year, province=province, units=len(unit_list), groups=len(groups),
                       plans=len(plans), rows=rows, tasks=rows * len(plans), score_criteria=len(score_rows),
                       months=months, tthc_rows=len(tthc), files=sorted(written), failures=injected)


__all__ = ["DemoDataError", "DemoSummary", "FAILURE_CODES", "FAILURE_KINDS", "InjectedFailure", "SYNTHETIC_LINE",
           "SYNTHETIC_SOURCE", "make_demo_content"]
