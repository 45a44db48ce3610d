"""Deadline cells ("Thời gian hoàn thành"): table-driven.

Every expectation below was written by hand from the cell text, not produced
by the parser.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from generator.deadlines import parse_deadlines
from generator.model import Deadline, DeadlineKind

CSV = Path(__file__).resolve().parent / "data" / "quang-dien-2022-phan-cong.csv"
DEADLINE_HEADER = "Thời gian hoàn thành"

DATE = DeadlineKind.DATE
BEFORE = DeadlineKind.BEFORE_DATE
MONTH = DeadlineKind.MONTH
QUARTER = DeadlineKind.QUARTER
YEARS = DeadlineKind.YEAR_RANGE
RECURRING = DeadlineKind.RECURRING
RELATIVE = DeadlineKind.RELATIVE
FREE = DeadlineKind.FREE_TEXT

D = dt.date


def one(value, plan_year: int | None = 2022) -> Deadline:
    deadlines = parse_deadlines(value, plan_year=plan_year)
    assert len(deadlines) == 1, deadlines
    return deadlines[0]


# --------------------------------------------------------------------------
# Single forms: (cell, kind, start, date)


@pytest.mark.parametrize("cell, kind, start, date", [
    # DATE
    ("05/01/2022", DATE, None, D(2022, 1, 5)),
    ("ngày 05/01/2022", DATE, None, D(2022, 1, 5)),
    ("Ngày 5/1/2022", DATE, None, D(2022, 1, 5)),
    ("5-1-2022", DATE, None, D(2022, 1, 5)),
    ("05.01.2022", DATE, None, D(2022, 1, 5)),
    ("15/11/22", DATE, None, D(2022, 11, 15)),
    ("ngày 15 tháng 11 năm 2022", DATE, None, D(2022, 11, 15)),
    ("15 / 11 / 2022", DATE, None, D(2022, 11, 15)),
    # BEFORE_DATE
    ("Trước 05/01/2022", BEFORE, None, D(2022, 1, 5)),
    ("Trước ngày 12/3/2022", BEFORE, None, D(2022, 3, 12)),
    ("Chậm nhất ngày 31/10/2022", BEFORE, None, D(2022, 10, 31)),
    ("Hạn chót 15/11/2022", BEFORE, None, D(2022, 11, 15)),
    ("Không quá 15/11/2022", BEFORE, None, D(2022, 11, 15)),
    ("Đến ngày 15/11/2022", BEFORE, None, D(2022, 11, 15)),
    ("Kế hoạch ban hành trước 15/01/2022.", BEFORE, None, D(2022, 1, 15)),
    ("Báo cáo sau kiểm tra CCHC trước 15/11/2022.", BEFORE, None, D(2022, 11, 15)),
    ("trước 15/11", BEFORE, None, D(2022, 11, 15)),
    ("Thời hạn: 15/11/2022", BEFORE, None, D(2022, 11, 15)),
    ("Trước tháng 6/2022", BEFORE, None, D(2022, 5, 31)),
    ("Trước quý III/2022", BEFORE, None, D(2022, 6, 30)),
    ("Trước năm 2025", BEFORE, None, D(2024, 12, 31)),
    # several dates: the last one is the deadline; "từ X đến Y" is a range
    ("Trước 15/11/2022 hoặc 30/11/2022", BEFORE, None, D(2022, 11, 30)),
    ("từ 01/01 đến 15/11/2022", BEFORE, D(2022, 1, 1), D(2022, 11, 15)),
    ("Từ ngày 01/3/2022 đến ngày 31/3/2022", BEFORE, D(2022, 3, 1), D(2022, 3, 31)),
    ("Hằng năm, trước ngày 15/12", BEFORE, None, D(2022, 12, 15)),
    # MONTH
    ("Tháng 6/2022", MONTH, D(2022, 6, 1), D(2022, 6, 30)),
    ("Tháng 06/2026", MONTH, D(2026, 6, 1), D(2026, 6, 30)),
    ("trong tháng 3 năm 2022", MONTH, D(2022, 3, 1), D(2022, 3, 31)),
    ("Tháng 2-2024", MONTH, D(2024, 2, 1), D(2024, 2, 29)),
    ("Tháng 6", MONTH, D(2022, 6, 1), D(2022, 6, 30)),
    # QUARTER
    ("Quý I/2022", QUARTER, D(2022, 1, 1), D(2022, 3, 31)),
    ("Quí IV-2025", QUARTER, D(2025, 10, 1), D(2025, 12, 31)),
    ("Quý 2/2022", QUARTER, D(2022, 4, 1), D(2022, 6, 30)),
    ("quý III năm 2022", QUARTER, D(2022, 7, 1), D(2022, 9, 30)),
    ("QUÝ iv/2022", QUARTER, D(2022, 10, 1), D(2022, 12, 31)),
    ("Quý I", QUARTER, D(2022, 1, 1), D(2022, 3, 31)),
    # YEAR_RANGE
    ("Năm 2025-2030", YEARS, D(2025, 1, 1), D(2030, 12, 31)),
    ("2026 - 2030", YEARS, D(2026, 1, 1), D(2030, 12, 31)),
    ("2026 – 2030", YEARS, D(2026, 1, 1), D(2030, 12, 31)),
    ("Giai đoạn 2021-2025", YEARS, D(2021, 1, 1), D(2025, 12, 31)),
    ("Giai đoạn 2021 đến 2025", YEARS, D(2021, 1, 1), D(2025, 12, 31)),
    ("Trong năm 2022", YEARS, D(2022, 1, 1), D(2022, 12, 31)),
    ("Năm 2022", YEARS, D(2022, 1, 1), D(2022, 12, 31)),
    ("2025", YEARS, D(2025, 1, 1), D(2025, 12, 31)),
    ("Trong năm", YEARS, D(2022, 1, 1), D(2022, 12, 31)),
    # RECURRING
    ("Thường xuyên", RECURRING, None, None),
    ("Hằng năm", RECURRING, None, None),
    ("Hàng năm", RECURRING, None, None),
    ("Định kỳ hằng tháng", RECURRING, None, None),
    ("Hằng quý", RECURRING, None, None),
    ("6 tháng, năm", RECURRING, None, None),
    ("Định kỳ", RECURRING, None, None),
    # RELATIVE
    ("Chậm nhất 30 ngày kể từ thời điểm có Thông báo kết luận của Đoàn kiểm tra", RELATIVE, None, None),
    ("Chậm nhất trong vòng 10 ngày kể từ ngày có Quyết định công bố TTHC của UBND tỉnh", RELATIVE, None, None),
    ("Quyết định thành lập Đoàn kiểm tra trước thời điểm kiểm tra 15 ngày.", RELATIVE, None, None),
    ("Thông báo Kết luận chậm nhất 1 tháng sau khi kết thúc đợt kiểm tra.", RELATIVE, None, None),
    ("Theo yêu cầu của UBND tỉnh, Chủ tịch UBND tỉnh", RELATIVE, None, None),
    ("Theo thời gian yêu cầu của Sở Nội vụ", RELATIVE, None, None),
    ("Theo quy định của Sở Tài chính", RELATIVE, None, None),
    ("Theo quy định tại Quyết định 24/2021/QĐ-UBND của UBND tỉnh", RELATIVE, None, None),
    ("Biên bản tại thời điểm kiểm tra.", RELATIVE, None, None),
    # a date after an offset is the event the offset counts from
    ("Chậm nhất 15 ngày kể từ ngày 01/03/2022", RELATIVE, None, None),
    # FREE_TEXT: years and dates of documents are not deadlines
    ("Căn cứ theo dõi của Sở Thông tin và Truyền thông", FREE, None, None),
    ("Theo thời gian trong Kế hoạch CCHC 2020", FREE, None, None),
    ("Theo thời gian trong Kế hoạch CCHC năm 2020", FREE, None, None),
    ("Theo Kế hoạch số 12/KH-UBND ngày 15/3/2022 của UBND tỉnh", FREE, None, None),
    ("Dưới 95% thì điểm đánh giá là 0", FREE, None, None),
    ("Từ 95% - 100% số hồ sơ", FREE, None, None),
])
def test_forms(cell, kind, start, date):
    deadline = one(cell)
    assert (deadline.kind, deadline.start, deadline.date, deadline.invalid) == (kind, start, date, "")
    assert deadline.text == cell.strip()
    assert deadline.label == ""
    assert deadline.product is None


# --------------------------------------------------------------------------
# Spelling variants: case, diacritics, NFD, spaces


@pytest.mark.parametrize("variant, same_as", [
    (unicodedata.normalize("NFD", "Trước ngày 12/3/2022"), "Trước ngày 12/3/2022"),
    (unicodedata.normalize("NFD", "Quý III/2022"), "Quý III/2022"),
    (unicodedata.normalize("NFD", "Định kỳ hằng tháng"), "Định kỳ hằng tháng"),
    ("TRƯỚC NGÀY 12/3/2022", "Trước ngày 12/3/2022"),
    ("  Trước   ngày\u00a0 12/3/2022  ", "Trước ngày 12/3/2022"),
    ("Truoc ngay 12/3/2022", "Trước ngày 12/3/2022"),
    ("Quí III/2022", "Quý III/2022"),
    ("quý 3 / 2022", "Quý III/2022"),
    ("Hàng quý", "Hằng quý"),
    ("THƯỜNG XUYÊN", "Thường xuyên"),
    (unicodedata.normalize("NFD", "Chậm nhất 30 ngày kể từ thời điểm kiểm tra"), "Theo yêu cầu của Sở Nội vụ"),
])
def test_variants_parse_alike(variant, same_as):
    got, expected = one(variant), one(same_as)
    assert (got.kind, got.start, got.date) == (expected.kind, expected.start, expected.date)
    assert got.kind is not FREE


def test_nfd_text_is_kept_as_nfc():
    deadline = one(unicodedata.normalize("NFD", "Trước ngày 12/3/2022 (Sản phẩm 2)"))
    assert deadline.text == "Trước ngày 12/3/2022 (Sản phẩm 2)"
    assert unicodedata.is_normalized("NFC", deadline.text)
    assert (deadline.kind, deadline.date, deadline.product) == (BEFORE, D(2022, 3, 12), 2)


# --------------------------------------------------------------------------
# Cell values that are not text


@pytest.mark.parametrize("value, text, kind, start, date", [
    (dt.datetime(2022, 3, 4, 0, 0), "04/03/2022", DATE, None, D(2022, 3, 4)),
    (dt.datetime(2022, 3, 4, 17, 30), "04/03/2022", DATE, None, D(2022, 3, 4)),
    (dt.date(2022, 12, 31), "31/12/2022", DATE, None, D(2022, 12, 31)),
    (2025, "2025", YEARS, D(2025, 1, 1), D(2025, 12, 31)),
    (2025.0, "2025", YEARS, D(2025, 1, 1), D(2025, 12, 31)),
    (44927, "01/01/2023", DATE, None, D(2023, 1, 1)),  # a date serial that lost its format
    (7, "7", FREE, None, None),
    (2025.5, "2025.5", FREE, None, None),
])
def test_non_text_values(value, text, kind, start, date):
    deadline = one(value)
    assert (deadline.text, deadline.kind, deadline.start, deadline.date) == (text, kind, start, date)


@pytest.mark.parametrize("value", [None, "", "   ", "\n- \n"])
def test_empty_cells(value):
    assert parse_deadlines(value, plan_year=2022) == []


# --------------------------------------------------------------------------
# Labels and product tags


@pytest.mark.parametrize("cell, label, kind, date", [
    ("Báo cáo Quý I: Trước ngày 12/3/2022", "Báo cáo Quý I", BEFORE, D(2022, 3, 12)),
    ("Báo cáo 6 tháng: Trước ngày 12/6/2022", "Báo cáo 6 tháng", BEFORE, D(2022, 6, 12)),
    ("Báo cáo năm: Trước ngày 12/12/2022", "Báo cáo năm", BEFORE, D(2022, 12, 12)),
    ("Báo cáo quý: Hằng quý", "Báo cáo quý", RECURRING, None),
    ("Kế hoạch: Quý I/2023", "Kế hoạch", QUARTER, D(2023, 3, 31)),
    # the part after the colon is not a deadline: no label, whole text parsed
    ("Ghi chú: xem kế hoạch", "", FREE, None),
    ("Báo cáo Quý I: nộp cho Sở Nội vụ", "", QUARTER, D(2022, 3, 31)),
    # "Thời hạn:" introduces the deadline, it is not a label
    ("Thời hạn: 15/11/2022", "", BEFORE, D(2022, 11, 15)),
    # a time of day is not a label separator
    ("Trước 10:00 ngày 15/11/2022", "", BEFORE, D(2022, 11, 15)),
])
def test_labels(cell, label, kind, date):
    deadline = one(cell)
    assert (deadline.label, deadline.kind, deadline.date) == (label, kind, date)
    assert deadline.text == cell


def test_label_quarter_is_not_the_deadline():
    # "Quý III" (01/07–30/09) is in the label; the deadline is 12/9
    deadline = one("Báo cáo Quý III: Trước ngày 12/9/2022")
    assert (deadline.kind, deadline.start, deadline.date) == (BEFORE, None, D(2022, 9, 12))


@pytest.mark.parametrize("cell, product, kind, date", [
    ("Trước 15/11/2022 (Sản phẩm 1).", 1, BEFORE, D(2022, 11, 15)),
    ("Trước ngày 30/6/2022 (sản phẩm 2)", 2, BEFORE, D(2022, 6, 30)),
    ("Quý II/2022 (SẢN PHẨM 3)", 3, QUARTER, D(2022, 6, 30)),
    # the "2" of the tag must not become a quarter / year / day
    ("Quý I (Sản phẩm 2)", 2, QUARTER, D(2022, 3, 31)),
    ("Thường xuyên (Sản phẩm 12)", 12, RECURRING, None),
    ("Báo cáo năm: Trước ngày 12/12/2022 (Sản phẩm 4)", 4, BEFORE, D(2022, 12, 12)),
])
def test_product_tags(cell, product, kind, date):
    deadline = one(cell)
    assert (deadline.product, deadline.kind, deadline.date) == (product, kind, date)
    assert deadline.text == cell  # the tag stays in the text


# --------------------------------------------------------------------------
# Impossible dates


@pytest.mark.parametrize("cell, kind, reason", [
    ("31/02/2022", DATE, "tháng 2 năm 2022 không có ngày 31"),
    ("Trước ngày 31/02/2022", BEFORE, "tháng 2 năm 2022 không có ngày 31"),
    ("29/02/2023", DATE, "tháng 2 năm 2023 không có ngày 29"),
    ("32/1/2022", DATE, "tháng 1 năm 2022 không có ngày 32"),
    ("15/13/2022", DATE, "không có tháng 13"),
    ("Chậm nhất 00/12/2022", BEFORE, "không có ngày 0"),
    ("Trước 31/4", BEFORE, "tháng 4 năm 2022 không có ngày 31"),
    ("15/11/2300", DATE, "năm 2300 nằm ngoài khoảng 1900–2100"),
    ("Tháng 13/2022", MONTH, "không có tháng 13"),
    ("Năm 2030-2025", YEARS, "năm bắt đầu 2030 sau năm kết thúc 2025"),
])
def test_invalid_dates(cell, kind, reason):
    deadline = one(cell)
    assert (deadline.kind, deadline.date, deadline.invalid) == (kind, None, reason)


def test_valid_leap_day():
    assert one("29/02/2024").date == D(2024, 2, 29)


def test_an_impossible_alternative_is_reported_but_the_last_date_kept():
    deadline = one("Trước 31/02/2022 hoặc 30/11/2022")
    assert (deadline.kind, deadline.date) == (BEFORE, D(2022, 11, 30))
    assert deadline.invalid == "tháng 2 năm 2022 không có ngày 31"


# --------------------------------------------------------------------------
# Without a plan year


@pytest.mark.parametrize("cell, kind, date", [
    ("trước 15/11", FREE, None),
    ("Tháng 6", FREE, None),
    ("Quý I", FREE, None),
    ("Trong năm", FREE, None),
    # full dates do not need the plan
    ("Trước 15/11/2022", BEFORE, D(2022, 11, 15)),
    ("Quý I/2023", QUARTER, D(2023, 3, 31)),
    ("Năm 2025-2030", YEARS, D(2030, 12, 31)),
    # a date without a year borrows the year of the other date of its range
    ("từ 01/01 đến 15/11/2023", BEFORE, D(2023, 11, 15)),
    ("Thường xuyên", RECURRING, None),
])
def test_without_plan_year(cell, kind, date):
    deadline = one(cell, plan_year=None)
    assert (deadline.kind, deadline.date) == (kind, date)


def test_plan_year_fills_missing_years():
    assert one("Trước 15/11", plan_year=2024).date == D(2024, 11, 15)
    assert one("Tháng 2", plan_year=2024).date == D(2024, 2, 29)
    assert one("Quý IV", plan_year=2023).start == D(2023, 10, 1)
    # an explicit year wins over the plan's
    assert one("Tháng 6/2026", plan_year=2022).date == D(2026, 6, 30)


# --------------------------------------------------------------------------
# Multi-item cells


def test_bullets_give_one_deadline_each():
    cell = ("- Kế hoạch ban hành trước 15/01/2022.\n"
            "- Quyết định thành lập Đoàn kiểm tra trước thời điểm kiểm tra 15 ngày.\n"
            "- Biên bản tại thời điểm kiểm tra.")
    deadlines = parse_deadlines(cell, plan_year=2022)
    assert [d.text for d in deadlines] == [
        "Kế hoạch ban hành trước 15/01/2022.",
        "Quyết định thành lập Đoàn kiểm tra trước thời điểm kiểm tra 15 ngày.",
        "Biên bản tại thời điểm kiểm tra.",
    ]
    assert [d.kind for d in deadlines] == [BEFORE, RELATIVE, RELATIVE]


def test_semicolons_split_items():
    deadlines = parse_deadlines("Trước 15/11/2022 (sản phẩm 1); Quý IV/2022 (sản phẩm 2)", plan_year=2022)
    assert [(d.kind, d.date, d.product) for d in deadlines] == [
        (BEFORE, D(2022, 11, 15), 1), (QUARTER, D(2022, 12, 31), 2)]


def test_lines_without_bullets_split_items():
    deadlines = parse_deadlines("Tháng 6/2022\nThường xuyên", plan_year=2022)
    assert [d.kind for d in deadlines] == [MONTH, RECURRING]


# --------------------------------------------------------------------------
# Every distinct cell of the real Quảng Điền 2022 appendix:
# cell -> [(kind, date, product, label), …] one tuple per expected deadline.

QUANG_DIEN = {
    "Trước 05/01/2022": [(BEFORE, D(2022, 1, 5), None, "")],
    "- Theo thời gian trong Kế hoạch CCHC 2020 (Sản phẩm 1).\n- Trước ngày 31/10/2020 (Sản phẩm 2).": [
        (FREE, None, 1, ""),
        (BEFORE, D(2020, 10, 31), 2, ""),
    ],
    "Các loại báo cáo phải đúng thời gian, đủ nội dung theo yêu cầu của cấp trên": [(RELATIVE, None, None, "")],
    "- Báo cáo Quý I: Trước ngày 12/3/2022\n- Báo cáo 6 tháng: Trước ngày 12/6/2022\n"
    "- Báo cáo Quý III: Trước ngày 12/9/2022\n- Báo cáo năm: Trước ngày 12/12/2022": [
        (BEFORE, D(2022, 3, 12), None, "Báo cáo Quý I"),
        (BEFORE, D(2022, 6, 12), None, "Báo cáo 6 tháng"),
        (BEFORE, D(2022, 9, 12), None, "Báo cáo Quý III"),
        (BEFORE, D(2022, 12, 12), None, "Báo cáo năm"),
    ],
    "- Kế hoạch ban hành trước 15/01/2022.\n"
    "- Quyết định thành lập Đoàn kiểm tra trước thời điểm kiểm tra 15 ngày.\n"
    "- Biên bản tại thời điểm kiểm tra.\n"
    "- Thông báo Kết luận chậm nhất 1 tháng sau khi kết thúc đợt kiểm tra.\n"
    "- Báo cáo sau kiểm tra CCHC trước 15/11/2022.": [
        (BEFORE, D(2022, 1, 15), None, ""),
        (RELATIVE, None, None, ""),
        (RELATIVE, None, None, ""),
        (RELATIVE, None, None, ""),
        (BEFORE, D(2022, 11, 15), None, ""),
    ],
    "- Chậm nhất 30 ngày kể từ thời điểm có Thông báo kết luận của Đoàn kiểm tra": [(RELATIVE, None, None, "")],
    "- Trước 31/12/2021 (Sản phẩm 1).\n- Trước 15/11/2022 (Sản phẩm 2).": [
        (BEFORE, D(2021, 12, 31), 1, ""),
        (BEFORE, D(2022, 11, 15), 2, ""),
    ],
    "Căn cứ theo dõi của Sở Thông tin và Truyền thông": [(FREE, None, None, "")],
    "Trước 15/11/2022": [(BEFORE, D(2022, 11, 15), None, "")],
    "Theo yêu cầu của UBND tỉnh, Chủ tịch UBND tỉnh": [(RELATIVE, None, None, "")],
    "Trước 15/01/2021": [(BEFORE, D(2021, 1, 15), None, "")],
    "- Trước 15/11/2022 (Sản phẩm 1).\n"
    "- Chậm nhất 15 ngày kể từ thời điểm kết thúc rà soát VBQPPL (sản phẩm 2).\n"
    "- Chậm nhất 15 ngày kể từ ngày nhận được kiến nghị (sản phẩm 3).": [
        (BEFORE, D(2022, 11, 15), 1, ""),
        (RELATIVE, None, 2, ""),
        (RELATIVE, None, 3, ""),
    ],
    "Theo yêu cầu của cơ quan có thẩm quyền kiểm tra kiến nghị": [(RELATIVE, None, None, "")],
    "- Trước ngày 19/12/2022 (sản phẩm 1)\n- Trước ngày 30/6/2022 (sản phẩm 2)": [
        (BEFORE, D(2022, 12, 19), 1, ""),
        (BEFORE, D(2022, 6, 30), 2, ""),
    ],
    "Trước ngày 30/6/2022": [(BEFORE, D(2022, 6, 30), None, "")],
    "Chậm nhất trong vòng 10 ngày kể từ ngày có Quyết định công bố TTHC của UBND tỉnh": [
        (RELATIVE, None, None, "")],
    "Chậm nhất 5 ngày kể từ hạn cuối yêu cầu Báo cáo tháng, quý": [(RELATIVE, None, None, "")],
    "Trước ngày 19/12/2022": [(BEFORE, D(2022, 12, 19), None, "")],
    "- Trước 15/11/2022 (sản phẩm 1)\n- Trước 15/11/2022 (sản phẩm 2)\n- Trước ngày 19/12/2022 (sản phẩm 3)": [
        (BEFORE, D(2022, 11, 15), 1, ""),
        (BEFORE, D(2022, 11, 15), 2, ""),
        (BEFORE, D(2022, 12, 19), 3, ""),
    ],
    # a scoring rule pasted into the deadline column: three items, none a deadline
    "Tính tỷ lệ số hồ sơ đã giải quyết đúng hạn so với số hồ sơ đã được giải quyết, nếu:\n"
    "- Từ 95% - 100% số hồ sơ thì điểm đánh giá được tính: (tỷ lệ hồ sơ đúng hạn x 2)/100%.\n"
    "- Dưới 95% thì điểm đánh giá là 0": [
        (FREE, None, None, ""),
        (FREE, None, None, ""),
        (FREE, None, None, ""),
    ],
    "Chậm nhất trong vòng 45 ngày kể từ ngày có văn bản sửa đổi chức năng, nhiệm vụ của Trung ương hoặc kể từ "
    "ngày sáp nhập, chia tách, UBND huyện ban hành Quyết định sửa đổi, bổ sung, thay thế quy định về chức năng, "
    "nhiệm vụ, quyền hạn và cơ cấu tổ chức của các cơ quan, đơn vị trực thuộc UBND huyện": [
        (RELATIVE, None, None, "")],
    "Theo thời gian yêu cầu của Sở Nội vụ": [(RELATIVE, None, None, "")],
    "Theo yêu cầu của UBND huyện": [(RELATIVE, None, None, "")],
    "Theo quy định tại Quyết định 24/2021/QĐ-UBND của UBND tỉnh": [(RELATIVE, None, None, "")],
    "Theo yêu cầu của Sở Nội vụ": [(RELATIVE, None, None, "")],
    "Theo quy định của Sở Tài chính": [(RELATIVE, None, None, "")],
    "Theo yêu cầu của Sở Tài chính": [(RELATIVE, None, None, "")],
    "Theo yêu cầu của cơ quan thực hiện thanh tra, kiểm tra": [(RELATIVE, None, None, "")],
    "Trước 31/12/2021": [(BEFORE, D(2021, 12, 31), None, "")],
    "Theo yêu cầu của Văn phòng UBND tỉnh": [(RELATIVE, None, None, "")],
    "Trước 10/4/2022": [(BEFORE, D(2022, 4, 10), None, "")],
    "Trước ngày 15/11/2022": [(BEFORE, D(2022, 11, 15), None, "")],
    "Trong năm 2022": [(YEARS, D(2022, 12, 31), None, "")],
    "Theo yêu cầu của Sở Khoa học và Công nghệ": [(RELATIVE, None, None, "")],
    "Trước ngày 31/10/2022": [(BEFORE, D(2022, 10, 31), None, "")],
}


def _csv_cells() -> list[str]:
    with CSV.open(encoding="utf-8-sig", newline="") as handle:
        cells = [row[DEADLINE_HEADER] for row in csv.DictReader(handle)]
    return list(dict.fromkeys(cell for cell in cells if cell and cell.strip()))


def test_every_csv_cell_has_an_expectation():
    cells = _csv_cells()
    assert len(cells) == 35
    assert set(cells) == set(QUANG_DIEN)


@pytest.mark.parametrize("cell", list(QUANG_DIEN), ids=[f"cell{i}" for i in range(len(QUANG_DIEN))])
def test_quang_dien_cells(cell):
    deadlines = parse_deadlines(cell, plan_year=2022)
    got = [(d.kind, d.date, d.product, d.label) for d in deadlines]
    assert got == QUANG_DIEN[cell]
    assert not any(d.invalid for d in deadlines)


def test_quang_dien_texts_are_items_without_bullets():
    cell = "- Trước 31/12/2021 (Sản phẩm 1).\n- Trước 15/11/2022 (Sản phẩm 2)."
    assert [d.text for d in parse_deadlines(cell, plan_year=2022)] == [
        "Trước 31/12/2021 (Sản phẩm 1).", "Trước 15/11/2022 (Sản phẩm 2)."]


@pytest.mark.parametrize("text, start, end", [
    ("6 tháng đầu năm 2024", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
    ("6 tháng cuối năm 2024", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
    ("6 tháng đầu năm", dt.date(2022, 1, 1), dt.date(2022, 6, 30)),  # the plan's year
    ("9 tháng đầu năm 2022", dt.date(2022, 1, 1), dt.date(2022, 9, 30)),
    ("Quý I, II/2024", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),  # the last quarter listed is the deadline
])
def test_halves_and_lists_of_quarters_end_where_they_say(text, start, end):
    deadline, = parse_deadlines(text, plan_year=2022)
    assert (deadline.start, deadline.date) == (start, end)
    assert deadline.kind in (DeadlineKind.MONTH, DeadlineKind.QUARTER)


def test_reports_every_six_months_stay_recurring():
    deadline, = parse_deadlines("Báo cáo 6 tháng, năm", plan_year=2022)
    assert deadline.kind is DeadlineKind.RECURRING
