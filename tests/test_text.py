"""Points in titles, list splitting, folding: table-driven."""

from __future__ import annotations

import unicodedata

import pytest

from generator.text import fold, format_number, normalize, parse_points, product_tags, split_items


@pytest.mark.parametrize("title, head, points", [
    ("Kế hoạch CCHC: 1,5đ", "Kế hoạch CCHC", 1.5),
    ("Ban hành kế hoạch CCHC: 0,5đ", "Ban hành kế hoạch CCHC", 0.5),
    ("CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC: 8đ", "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC", 8.0),
    ("Công tác tuyên truyền CCHC:1,5đ", "Công tác tuyên truyền CCHC", 1.5),
    ("Tuyên truyền qua các hình thức khác: 0,25đ", "Tuyên truyền qua các hình thức khác", 0.25),
    ("Thực hiện cải cách: 1,5 điểm", "Thực hiện cải cách", 1.5),
    ("Lĩnh vực cải cách thể chế 20đ", "Lĩnh vực cải cách thể chế", 20.0),
    ("Kiểm soát TTHC (2 điểm)", "Kiểm soát TTHC", 2.0),
    ("Số hóa hồ sơ: 1.5đ", "Số hóa hồ sơ", 1.5),
    ("Báo cáo định kỳ quý, 6 tháng, năm về CCHC", "Báo cáo định kỳ quý, 6 tháng, năm về CCHC", None),
    ("Tỷ lệ trên 90% hồ sơ", "Tỷ lệ trên 90% hồ sơ", None),
    ("Nghị định 43/2005/NĐ-CP", "Nghị định 43/2005/NĐ-CP", None),
    ("2đ", "2đ", None),
])
def test_parse_points(title, head, points):
    assert parse_points(title) == (head, points)


def test_points_accept_decomposed_text():
    assert parse_points(normalize(unicodedata.normalize("NFD", "Kế hoạch: 0,5đ"))) == ("Kế hoạch", 0.5)


@pytest.mark.parametrize("cell, items", [
    ("- Kế hoạch kiểm tra CCHC;\n- Quyết định thành lập đoàn;\n- Biên bản",
     ["Kế hoạch kiểm tra CCHC", "Quyết định thành lập đoàn", "Biên bản"]),
    ("Báo cáo A; Báo cáo B; Báo cáo C", ["Báo cáo A", "Báo cáo B", "Báo cáo C"]),
    ("- Báo cáo rà soát\nYêu cầu: đầy đủ biểu mẫu", ["Báo cáo rà soát\nYêu cầu: đầy đủ biểu mẫu"]),
    ("Dòng một<br>Dòng hai<br/>Dòng &amp; ba", ["Dòng một", "Dòng hai", "Dòng & ba"]),
    ("<p>Kế hoạch</p><p>Báo cáo</p>", ["Kế hoạch", "Báo cáo"]),
    ("• Một\n• Hai", ["Một", "Hai"]),
    ("1. Kế hoạch\n2. Báo cáo", ["Kế hoạch", "Báo cáo"]),
    ("Kế hoạch CCHC 2022", ["Kế hoạch CCHC 2022"]),
    ("", []),
])
def test_split_items(cell, items):
    assert split_items(cell) == items


def test_normalize_trims_and_composes():
    raw = unicodedata.normalize("NFD", "  Phòng\u00a0 Nội vụ \r\n\r\n  huyện ")
    assert normalize(raw) == "Phòng Nội vụ\nhuyện"
    assert unicodedata.is_normalized("NFC", normalize(raw))


@pytest.mark.parametrize("a, b", [
    ("Phòng Nội vụ", "PHONG NOI VU"), ("Đơn vị", "don vi"), ("Quý", "quy"), ("TT&TT", "tt&tt"),
])
def test_fold(a, b):
    assert fold(a) == fold(b) == b.lower()


def test_format_number_uses_a_decimal_comma():
    assert [format_number(x) for x in (1.5, 8.0, 0.25, 77.58, None)] == ["1,5", "8", "0,25", "77,58", ""]


def test_product_tags():
    assert product_tags("- Trước 15/11/2022 (Sản phẩm 1).\n- Trước 30/6 (sản phẩm 2)") == [1, 2]


def test_wrapped_lines_without_bullets_are_joined():
    assert split_items("Chậm nhất 30 ngày kể từ\nthời điểm có Thông báo") == [
        "Chậm nhất 30 ngày kể từ thời điểm có Thông báo"]
    assert split_items("Kế hoạch CCHC\nBáo cáo năm") == ["Kế hoạch CCHC", "Báo cáo năm"]
    assert split_items("5. 11. 2022") == ["5. 11. 2022"]


@pytest.mark.parametrize("value, digits, text", [
    (140.0, 0, "140"), (100, 0, "100"), (4000.0, 0, "4000"), (1.5, 1, "1,5"), (8.0, 2, "8"), (77.586, 2, "77,59"),
    (0.0, 0, "0"), (20.0, 1, "20"),
])
def test_format_number_keeps_the_zeros_of_whole_numbers(value, digits, text):
    from generator.text import format_number

    assert format_number(value, digits) == text
