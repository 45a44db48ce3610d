"""content/units.yml and the matching of lead / support cells (generator.units)."""

from __future__ import annotations

import csv
import textwrap
import unicodedata
from pathlib import Path

import pytest

from generator.model import UnitRef
from generator.units import (
    UnitsConfigError,
    load_registry,
    name_key,
    registry_from_data,
    registry_from_yaml,
)

ROOT = Path(__file__).resolve().parent.parent
CSV = Path(__file__).resolve().parent / "data" / "quang-dien-2022-phan-cong.csv"
LEAD, SUPPORT = "Cơ quan chủ trì", "Cơ quan phối hợp"


def _cells() -> list[str]:
    with CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cells: dict[str, None] = {}
    for row in rows:
        for column in (LEAD, SUPPORT):
            if row[column].strip():
                cells[row[column]] = None
    return list(cells)


def ids(refs: list[UnitRef]) -> list[str | None]:
    return [r.group or r.unit_id for r in refs]


# --- the real appendix -----------------------------------------------------------------


def test_the_csv_has_the_cells_we_expect():
    cells = _cells()
    assert len(cells) > 25
    assert "Các phòng, ban cấp huyện, UBND các xã, thị trấn" in cells


@pytest.mark.parametrize("cell", _cells())
def test_every_real_cell_matches_without_unknown_names(registry, cell):
    refs = registry.match(cell)
    assert refs, cell
    unknown = [r.text for r in refs if r.unit_id is None and r.group is None]
    assert unknown == [], cell
    for ref in refs:
        assert (ref.unit_id is None) != (ref.group is None)
        # the mention keeps the cell's own spelling
        assert ref.text and ref.text in unicodedata.normalize("NFC", cell)


REAL = [
    ("Phòng Nội vụ", ["phong-noi-vu"]),
    ("Các phòng, ban cấp huyện, UBND các xã, thị trấn", ["phong-ban-cap-huyen", "ubnd-cap-xa"]),
    ("Văn phòng HĐND và UBND huyện, Phòng Văn hóa và Thông tin, Trung tâm Văn hóa - Thông tin và Thể thao huyện",
     ["van-phong-hdnd-ubnd-huyen", "phong-van-hoa-thong-tin", "trung-tam-van-hoa-thong-tin-the-thao"]),
    ("Các phòng, ban, đơn vị cấp huyện; UBND cấp xã", ["phong-ban-don-vi-cap-huyen", "ubnd-cap-xa"]),
    ("Văn phòng HĐND và UBND huyện; Trung tâm hành chính công huyện.",
     ["van-phong-hdnd-ubnd-huyen", "trung-tam-hanh-chinh-cong"]),
    ("Trung tâm Hành chính công huyện;", ["trung-tam-hanh-chinh-cong"]),
    ("Các cơ quan chuyên môn, UBND các xã, thị trấn", ["phong-ban-cap-huyen", "ubnd-cap-xa"]),
    ("- Thanh tra huyện, - Phòng Tài chính - Kế hoạch, - Phòng Tài nguyên và Môi trường, - Phòng Nội vụ.",
     ["thanh-tra-huyen", "phong-tai-chinh-ke-hoach", "phong-tai-nguyen-moi-truong", "phong-noi-vu"]),
    ("Các phòng, ban cấp huyện, các đơn vị sự nghiệp cấp huyện, UBND các xã, thị trấn",
     ["phong-ban-cap-huyen", "don-vi-su-nghiep-cap-huyen", "ubnd-cap-xa"]),
    ("Các phòng chuyên môn cấp huyện", ["phong-ban-cap-huyen"]),
    ("Các phòng, ban chuyên môn cấp huyện và UBND cấp xã", ["phong-ban-cap-huyen", "ubnd-cap-xa"]),
    ("Các đơn vị sự nghiệp thuộc UBND huyện", ["don-vi-su-nghiep-cap-huyen"]),
    ("Các cơ quan, đơn vị trực thuộc UBND huyện", ["co-quan-don-vi-truc-thuoc-ubnd-huyen"]),
    ("Các cơ quan, đơn vị, UBND các xã, thị trấn", ["co-quan-don-vi-xa-thi-tran"]),
    ("Các Phòng, ban cấp huyện, UBND các xã, thị trấn được kiểm tra", ["phong-ban-cap-huyen", "ubnd-cap-xa"]),
    ("Phòng Kinh tế và Hạ tầng", ["phong-kinh-te-ha-tang"]),
    ("Các cơ quan, đơn vị có liên quan", ["co-quan-don-vi-truc-thuoc-ubnd-huyen"]),
]


@pytest.mark.parametrize("cell, expected", REAL)
def test_real_cells_give_the_expected_units_in_order(registry, cell, expected):
    assert cell in _cells(), "the hand-written case must be a real cell of the appendix"
    assert ids(registry.match(cell)) == expected


def test_mentions_keep_the_original_spelling(registry):
    refs = registry.match("Văn phòng HĐND và UBND huyện; Trung tâm hành chính công huyện.")
    assert [r.text for r in refs] == ["Văn phòng HĐND và UBND huyện", "Trung tâm hành chính công huyện"]
    refs = registry.match("Các Phòng, ban cấp huyện, UBND các xã, thị trấn được kiểm tra")
    assert [r.text for r in refs] == ["Các Phòng, ban cấp huyện", "UBND các xã, thị trấn"]


# --- normalisation -----------------------------------------------------------------------

EQUIVALENT = [
    ("Văn phòng HĐND và UBND huyện", "Văn phòng HĐND-UBND huyện", "Văn phòng HĐND&UBND huyện",
     "VP HĐND và UBND huyện", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"),
    ("Phòng Văn hóa và Thông tin", "Phòng VH-TT", "Phòng VH&TT", "Phòng Văn hóa - Thông tin", "Văn hóa và Thông tin"),
    ("Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở KH-CN"),
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("Phòng Lao động - Thương binh và Xã hội", "Phòng LĐ-TB&XH", "Phòng LĐTBXH", "LĐ-TB&XH"),
    ("Phòng Tài nguyên và Môi trường", "Phòng TN&MT", "TN&MT"),
    ("Phòng Nông nghiệp và Phát triển nông thôn", "Phòng NN&PTNT"),
    ("Phòng Tài chính - Kế hoạch", "Phòng TC-KH", "Phòng Tài chính-Kế hoạch", "Tài chính - Kế hoạch"),
    ("Phòng Kinh tế và Hạ tầng", "Phòng KT&HT", "Phòng KT-HT"),
    ("Trung tâm Hành chính công huyện", "Trung tâm Hành chính công", "TTHCC", "TT HCC", "Trung tâm HCC",
     "TT HCC huyện"),
    ("UBND huyện", "Ủy ban nhân dân huyện", "Uỷ ban nhân dân huyện", "UBND huyện Quảng Điền"),
    ("Phòng Nội vụ", "Nội vụ", "PNV", "Phòng Nội vụ huyện", "Phòng Nội vụ huyện Quảng Điền"),
    ("Trung tâm Văn hóa - Thông tin và Thể thao huyện", "Trung tâm Văn hoá - Thông tin và Thể thao",
     "Trung tâm VH-TT&TT"),
    ("UBND xã Quảng Thái", "Quảng Thái", "xã Quảng Thái", "UBND Quảng Thái", "Ủy ban nhân dân xã Quảng Thái"),
    ("UBND thị trấn Sịa", "thị trấn Sịa", "TT Sịa"),
    ("UBND các xã, thị trấn", "UBND cấp xã", "các xã, thị trấn", "UBND các xã thị trấn"),
    ("Các phòng, ban cấp huyện", "Các cơ quan chuyên môn", "Các phòng, ban chuyên môn", "Các phòng ban cấp huyện"),
]


@pytest.mark.parametrize("spellings", EQUIVALENT, ids=lambda s: s[0])
def test_abbreviations_and_spellings_are_equivalent(registry, spellings):
    first = registry.match(spellings[0])
    assert len(first) == 1 and ids(first)[0] is not None
    for spelling in spellings[1:]:
        refs = registry.match(spelling)
        assert ids(refs) == ids(first), spelling
        assert refs[0].text == spelling


@pytest.mark.parametrize("name, kind, spellings", [
    ("Phòng Tài nguyên và Môi trường", "phong-ban", ["Phòng TN&MT", "Phòng TNMT", "TN-MT"]),
    ("Phòng Lao động - Thương binh và Xã hội", "phong-ban", ["Phòng LĐ-TB&XH", "LĐTBXH", "LĐ-TBXH"]),
    ("Sở Khoa học và Công nghệ", "cap-tinh", ["Sở KH&CN", "Sở KHCN", "Sở KH-CN"]),
    ("Trung tâm Hành chính công", "trung-tam", ["TTHCC", "TT HCC", "Trung tâm HCC", "TTHCC huyện"]),
    ("Văn phòng HĐND và UBND huyện", "phong-ban", ["VP HĐND-UBND huyện", "Văn phòng Hội đồng nhân dân và UBND huyện"]),
])
def test_abbreviations_come_from_the_table_not_from_aliases(name, kind, spellings):
    registry = registry_from_data({"units": [{"id": "x", "name": name, "kind": kind}]})
    for spelling in spellings:
        assert ids(registry.match(spelling)) == ["x"], spelling
    # a comma breaks an abbreviation: "TN, MT" is not "TN&MT"
    if "TN&MT" in spellings[0]:
        assert ids(registry.match("Phòng TN, MT")) != ["x"]


def test_abbreviations_are_one_normalisation_of_name_and_cell():
    assert name_key("HĐND và UBND") == name_key("HĐND-UBND") == name_key("HĐND&UBND")
    assert [w for w, _ in name_key("KH&CN")] == "khoa hoc cong nghe".split()
    assert [w for w, _ in name_key("LĐ-TB&XH")] == [w for w, _ in name_key("Lao động - Thương binh và Xã hội")]


@pytest.mark.parametrize("text", [
    "PHONG NOI VU",
    "phòng  nội vụ",
    "  Phòng Nội vụ.  ",
    "PHÒNG NỘI VỤ",
    "Phong Noi vu",
    unicodedata.normalize("NFD", "Phòng Nội vụ"),
    "Phòng\u00a0Nội vụ",
])
def test_case_diacritics_and_spacing_do_not_matter(registry, text):
    refs = registry.match(text)
    assert ids(refs) == ["phong-noi-vu"]
    assert unicodedata.is_normalized("NFC", refs[0].text)


def test_nfd_cell_text_is_kept_as_nfc(registry):
    cell = unicodedata.normalize("NFD", "Phòng Tư pháp, Phòng Văn hóa và Thông tin")
    refs = registry.match(cell)
    assert ids(refs) == ["phong-tu-phap", "phong-van-hoa-thong-tin"]
    assert [r.text for r in refs] == ["Phòng Tư pháp", "Phòng Văn hóa và Thông tin"]


def test_tone_mark_placement_does_not_matter(registry):
    assert ids(registry.match("Phòng Văn hoá và Thông tin")) == ["phong-van-hoa-thong-tin"]
    assert ids(registry.match("Uỷ ban nhân dân tỉnh")) == ["ubnd-tinh"]


def test_a_provincial_body_is_not_read_as_the_district_office_of_the_same_field(registry):
    assert ids(registry.match("Sở Nội vụ, Phòng Nội vụ")) == ["so-noi-vu", "phong-noi-vu"]
    assert ids(registry.match("Sở Y tế")) == ["so-y-te"]
    assert ids(registry.match("Trung tâm Y tế huyện")) == ["trung-tam-y-te-huyen"]
    assert ids(registry.match("Văn phòng UBND tỉnh")) == ["van-phong-ubnd-tinh"]
    assert ids(registry.match("Thanh tra tỉnh, Thanh tra huyện")) == ["thanh-tra-tinh", "thanh-tra-huyen"]
    assert ids(registry.match("Sở VH&TT, Phòng VH&TT")) == ["so-van-hoa-the-thao", "phong-van-hoa-thong-tin"]


def test_commas_and_va_inside_names(registry):
    cell = "Phòng Văn hóa và Thông tin và Phòng Tư pháp, Phòng Nội vụ"
    assert ids(registry.match(cell)) == ["phong-van-hoa-thong-tin", "phong-tu-phap", "phong-noi-vu"]
    cell = "UBND xã Quảng Thái, xã Quảng Ngạn và thị trấn Sịa"
    assert ids(registry.match(cell)) == ["xa-quang-thai", "xa-quang-ngan", "thi-tran-sia"]


def test_bullets_and_numbered_lines(registry):
    cell = "1. Phòng Nội vụ\n2. Phòng Tư pháp\n- Thanh tra huyện\n• Phòng Y tế"
    assert ids(registry.match(cell)) == ["phong-noi-vu", "phong-tu-phap", "thanh-tra-huyen", "phong-y-te"]


# --- unknown names --------------------------------------------------------------------------


@pytest.mark.parametrize("text, suggestion", [
    ("Phòng Nôi vụ", "Phòng Nội vụ"),  # a wrong diacritic is a typo, not a match
    ("Phòng Tư páp", "Phòng Tư pháp"),
    ("Phòng Giáo dục", "Phòng Giáo dục và Đào tạo"),
    ("Trung tâm Hành chinh công", "Trung tâm Hành chính công huyện"),
    ("Phòng Tài chánh - Kế hoạch", "Phòng Tài chính - Kế hoạch"),
    ("Ban Tổ chức Huyện ủy", None),
])
def test_unknown_names_are_kept_with_a_suggestion(registry, text, suggestion):
    (ref,) = registry.match(text)
    assert ref.unit_id is None and ref.group is None
    assert ref.text == text
    assert ref.suggestion == suggestion
    assert registry.suggest(text) == suggestion


def test_a_name_without_diacritics_matches_directly(registry):
    (ref,) = registry.match("Phong Tu phap")
    assert ref.unit_id == "phong-tu-phap" and ref.suggestion is None
    # judged name by name, not cell by cell
    assert ids(registry.match("Phòng Nội vụ, Phong Tu phap")) == ["phong-noi-vu", "phong-tu-phap"]
    assert ids(registry.match("UBND huyen")) == ["ubnd-huyen"]


@pytest.mark.parametrize("text", [
    "Ủy ban nhan dan huyện",  # half-accented: a typo
    "Trung tâm Hành chinh công",  # not excused by the "TTHCC" short name
    "Phòng Nội vu",
])
def test_a_half_accented_name_is_a_typo(registry, text):
    (ref,) = registry.match(text)
    assert ref.unit_id is None and ref.group is None and ref.suggestion


def test_unknown_between_known_names(registry):
    refs = registry.match("Phòng Nội vụ, Ban Tổ chức Huyện ủy; Phòng Nôi vụ và Phòng Tư pháp")
    assert ids(refs) == ["phong-noi-vu", None, None, "phong-tu-phap"]
    assert [r.text for r in refs] == ["Phòng Nội vụ", "Ban Tổ chức Huyện ủy", "Phòng Nôi vụ", "Phòng Tư pháp"]
    assert refs[2].suggestion == "Phòng Nội vụ"


def test_two_misspelt_names_joined_by_va_are_reported_apart(registry):
    refs = registry.match("Phòng Nôi vụ và Phòng Tư páp")
    assert [(r.text, r.suggestion) for r in refs] == [("Phòng Nôi vụ", "Phòng Nội vụ"),
                                                       ("Phòng Tư páp", "Phòng Tư pháp")]


def test_suggest_returns_official_names_of_groups_too(registry):
    assert registry.suggest("UBND các xã, thị trấm") == "UBND các xã, thị trấn"
    assert registry.suggest("") is None


# --- qualifiers and product tags -------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    ("Các Phòng, ban cấp huyện, UBND các xã, thị trấn được kiểm tra",
     [("phong-ban-cap-huyen", ""), ("ubnd-cap-xa", "được kiểm tra")]),
    ("Các cơ quan, đơn vị có liên quan", [("co-quan-don-vi-truc-thuoc-ubnd-huyen", "có liên quan")]),
    ("Các đơn vị có liên quan", [("co-quan-don-vi-truc-thuoc-ubnd-huyen", "có liên quan")]),
    ("UBND các xã, thị trấn trên địa bàn huyện", [("ubnd-cap-xa", "trên địa bàn huyện")]),
    ("Phòng Nội vụ (chủ trì), Phòng Tư pháp", [("phong-noi-vu", "chủ trì"), ("phong-tu-phap", "")]),
    ("Các phòng, ban cấp huyện liên quan, Phòng Nội vụ",
     [("phong-ban-cap-huyen", "liên quan"), ("phong-noi-vu", "")]),
    ("Các cơ quan, đơn vị, các xã, thị trấn có phân công nhiệm vụ trong Kế hoạch CCHC 2022",
     [("co-quan-don-vi-xa-thi-tran", "có phân công nhiệm vụ trong Kế hoạch CCHC 2022")]),
])
def test_trailing_qualifiers(registry, cell, expected):
    refs = registry.match(cell)
    assert [(r.group or r.unit_id, r.qualifier) for r in refs] == expected


def test_a_qualifier_is_not_scanned_for_unit_names(registry):
    # "Kế hoạch" in the qualifier is not "Phòng Tài chính - Kế hoạch", nor an unknown name
    refs = registry.match("Các phòng, ban cấp huyện có báo cáo theo Kế hoạch của Phòng Nội vụ")
    assert ids(refs) == ["phong-ban-cap-huyen"]
    assert refs[0].qualifier == "có báo cáo theo Kế hoạch của Phòng Nội vụ"


def test_co_quan_is_not_a_qualifier(registry):
    refs = registry.match("Phòng Nội vụ cơ quan thường trực")
    assert ids(refs) == ["phong-noi-vu", None]
    assert refs[0].qualifier == ""


def test_product_tags_of_the_real_appendix(registry):
    cell = ("- Các cơ quan, đơn vị, các xã, thị trấn có phân công nhiệm vụ trong Kế hoạch CCHC 2022 (Sản phẩm 1).\n"
            "- Phòng Nội vụ (Sản phẩm 2).")
    assert cell in _cells()
    refs = registry.match(cell)
    assert [(r.group or r.unit_id, r.product) for r in refs] == [
        ("co-quan-don-vi-xa-thi-tran", 1), ("phong-noi-vu", 2)]
    assert refs[0].text == "Các cơ quan, đơn vị, các xã, thị trấn"
    assert "Sản phẩm" not in refs[0].qualifier


@pytest.mark.parametrize("cell, expected", [
    ("Phòng Nội vụ (Sản phẩm 1), Phòng Tư pháp (Sản phẩm 2)", [1, 2]),
    ("Phòng Nội vụ, Phòng Tư pháp (sản phẩm 3)", [3, 3]),
    ("Phòng Nội vụ (Sản phẩm 1); Phòng Tư pháp", [1, None]),
    ("(Sản phẩm 4) Phòng Y tế", [4]),
    ("Phòng Nội vụ (San pham 5)", [5]),
    ("Phòng Nội vụ", [None]),
])
def test_product_tags_set_the_product_of_their_item(registry, cell, expected):
    refs = registry.match(cell)
    assert [r.product for r in refs] == expected
    assert all(r.unit_id for r in refs)


# --- expand / get ------------------------------------------------------------------------------

PHONG_BAN = ["phong-noi-vu", "phong-tu-phap", "phong-tai-chinh-ke-hoach", "phong-van-hoa-thong-tin",
             "phong-kinh-te-ha-tang", "phong-lao-dong-thuong-binh-xa-hoi", "phong-tai-nguyen-moi-truong",
             "phong-nong-nghiep-phat-trien-nong-thon", "phong-giao-duc-dao-tao", "phong-y-te",
             "van-phong-hdnd-ubnd-huyen", "thanh-tra-huyen"]
XA = ["thi-tran-sia", "xa-quang-thai", "xa-quang-ngan", "xa-quang-cong", "xa-quang-loi", "xa-quang-phuoc",
      "xa-quang-vinh", "xa-quang-an", "xa-quang-thanh", "xa-quang-tho", "xa-quang-phu"]


def test_registry_has_the_districts_units(registry):
    assert [u for u in registry.units if registry.units[u].kind == "phong-ban"] == PHONG_BAN
    assert [u for u in registry.units if registry.units[u].kind == "xa-thi-tran"] == XA
    assert registry.get("phong-noi-vu").name == "Phòng Nội vụ"
    assert "Nội vụ" in registry.get("phong-noi-vu").short_names
    assert registry.get("xa-quang-thai").name == "UBND xã Quảng Thái"
    assert registry.get("nope") is None
    for unit in registry.units.values():
        assert unit.kind in {"phong-ban", "xa-thi-tran", "trung-tam", "cap-tinh", "cap-huyen"}


def test_expand_groups(registry):
    assert registry.groups["phong-ban-cap-huyen"].members == PHONG_BAN
    assert registry.groups["ubnd-cap-xa"].members == XA
    refs = registry.match("Phòng Nội vụ, UBND các xã, thị trấn, UBND xã Quảng Thái, Phòng Nôi vụ")
    assert registry.expand(refs) == ["phong-noi-vu", *XA]  # no duplicates, unknown skipped
    everything = registry.expand(registry.match("Các cơ quan, đơn vị, các xã, thị trấn"))
    assert set(PHONG_BAN) | set(XA) | {"trung-tam-hanh-chinh-cong"} <= set(everything)
    assert "ubnd-huyen" not in everything and "so-noi-vu" not in everything
    assert "trung-tam-y-te-huyen" not in everything  # under Sở Y tế, not the district
    assert registry.expand(["ubnd-cap-xa", "xa-quang-an"]) == XA


def test_expand_keeps_order(registry):
    refs = registry.match("UBND cấp xã; Thanh tra huyện, Các phòng, ban cấp huyện")
    assert registry.expand(refs) == [*XA, "thanh-tra-huyen", *[u for u in PHONG_BAN if u != "thanh-tra-huyen"]]


def test_match_results_are_fresh_objects(registry):
    first = registry.match("Phòng Nội vụ")
    first[0].product = 99
    assert registry.match("Phòng Nội vụ")[0].product is None


# --- YAML validation -----------------------------------------------------------------------------

GOOD = """\
units:
  - id: phong-noi-vu
    name: Phòng Nội vụ
    kind: phong-ban
    short_names: [Nội vụ]
  - id: phong-tu-phap
    name: Phòng Tư pháp
    kind: phong-ban
groups:
  - id: cac-phong
    name: Các phòng
    members: [phong-noi-vu, phong-tu-phap]
"""


def test_a_small_registry_from_yaml_and_from_data():
    registry = registry_from_yaml(GOOD)
    assert ids(registry.match("Nội vụ, Các phòng")) == ["phong-noi-vu", "cac-phong"]
    data = {"units": [{"id": "so-noi-vu", "name": "Sở Nội vụ", "kind": "cap-tinh"}],
            "groups": [{"id": "tinh", "name": "Các sở", "kinds": ["cap-tinh"]}]}
    registry = registry_from_data(data)
    assert registry.groups["tinh"].members == ["so-noi-vu"]
    assert ids(registry.match("Sở Nội vụ")) == ["so-noi-vu"]


def _error(text: str) -> str:
    with pytest.raises(UnitsConfigError) as info:
        registry_from_yaml(textwrap.dedent(text), "content/units.yml")
    return str(info.value)


def test_unknown_key_with_did_you_mean():
    message = _error(GOOD.replace("    short_names: [Nội vụ]", "    short_name: [Nội vụ]"))
    assert message.startswith("content/units.yml, dòng 5:")
    assert "“short_name”" in message and "Có phải là “short_names”?" in message


def test_unknown_top_level_key():
    message = _error("unit:\n  - id: a\n")
    assert message.startswith("content/units.yml, dòng 1:") and "Có phải là “units”?" in message


def test_duplicate_id_names_both_lines():
    message = _error(GOOD.replace("id: phong-tu-phap", "id: phong-noi-vu"))
    assert message.startswith("content/units.yml, dòng 6:")
    assert "phong-noi-vu" in message and "dòng 2" in message


def test_missing_name():
    message = _error(GOOD.replace("    name: Phòng Tư pháp\n", ""))
    assert message.startswith("content/units.yml, dòng 6:") and "“name”" in message


def test_missing_id():
    message = _error(GOOD.replace("  - id: phong-tu-phap\n    name", "  - name"))
    assert message.startswith("content/units.yml, dòng 6:") and "“id”" in message


def test_alias_claimed_by_two_units():
    text = GOOD.replace("    kind: phong-ban\ngroups", "    kind: phong-ban\n    aliases:\n      - NỘI VỤ\ngroups")
    message = _error(text)
    assert message.startswith("content/units.yml, dòng 10:")
    assert "NỘI VỤ" in message and "Phòng Nội vụ" in message and "dòng 5" in message


def test_alias_claimed_through_an_abbreviation():
    text = GOOD.replace("short_names: [Nội vụ]", "short_names: [VP HĐND-UBND]").replace(
        "    name: Phòng Tư pháp\n", "    name: Văn phòng HĐND và UBND\n")
    message = _error(text)
    assert message.startswith("content/units.yml, dòng 7:") and "dòng 5" in message


def test_bad_group_member():
    message = _error(GOOD.replace("members: [phong-noi-vu, phong-tu-phap]",
                                  "members:\n      - phong-noi-vu\n      - phong-tu-phapp"))
    assert message.startswith("content/units.yml, dòng 14:")
    assert "“phong-tu-phapp”" in message and "Có phải là “phong-tu-phap”?" in message


def test_bad_kind():
    message = _error(GOOD.replace("    kind: phong-ban\n", "    kind: phongban\n", 1))
    assert message.startswith("content/units.yml, dòng 4:") and "Có phải là “phong-ban”?" in message


def test_bad_id_and_duplicate_key_and_group_shape():
    assert _error(GOOD.replace("id: phong-tu-phap", "id: Phòng Tư pháp")).startswith("content/units.yml, dòng 6:")
    message = _error(GOOD.replace("    kind: phong-ban\n", "    kind: phong-ban\n    kind: xa-thi-tran\n", 1))
    assert message.startswith("content/units.yml, dòng 5:") and "dòng 4" in message
    message = _error(GOOD.replace("    members: [phong-noi-vu, phong-tu-phap]\n", ""))
    assert message.startswith("content/units.yml, dòng 10:") and "members" in message and "kinds" in message


def test_yaml_syntax_error_names_the_line():
    message = _error("units:\n  - id: a\n    name: [unclosed\n")
    assert message.startswith("content/units.yml, dòng ")


def test_errors_without_line_numbers_from_plain_data():
    with pytest.raises(UnitsConfigError, match=r"^x\.yml: .*“name”"):
        registry_from_data({"units": [{"id": "a", "kind": "cap-tinh"}]}, "x.yml")


def test_load_registry_reads_the_shipped_file(tmp_path):
    registry = load_registry(ROOT / "content" / "units.yml")
    assert len(registry.units) >= 40 and "ubnd-cap-xa" in registry.groups
    (tmp_path / "units.yml").write_text(GOOD.replace("kind: phong-ban", "kind: phong-ban\n    colour: red", 1),
                                        encoding="utf-8")
    with pytest.raises(UnitsConfigError, match=r"units\.yml, dòng 5: khóa “colour”"):
        load_registry(tmp_path / "units.yml")
    with pytest.raises(UnitsConfigError, match="không tìm thấy"):
        load_registry(tmp_path / "missing.yml")


def test_the_shipped_file_explains_itself_in_vietnamese():
    head = (ROOT / "content" / "units.yml").read_text(encoding="utf-8").splitlines()[:30]
    comments = "\n".join(line for line in head if line.startswith("#"))
    assert "Thêm một đơn vị" in comments and "aliases" in comments
