"""content/cong-thuc.yml and the projected scores (generator.formulas)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.formulas import (
    DEFAULT_FORMULAS_NAME,
    FormulaConfigError,
    FormulaSet,
    Projection,
    load_formulas,
)
from generator.tthc import FIGURES, TthcRow

SHIPPED = Path(__file__).resolve().parent.parent / "content" / DEFAULT_FORMULAS_NAME

# Real 2021 figures of Quảng Điền district (Thẩm định Chỉ số CCHC 2021, tiêu chí 7.2:
# "1.962/6.690 hồ sơ trực tuyến, 29,32%", 1/1 điểm).
QUANG_DIEN_2021 = {"tiep_nhan_moi": 6690, "truc_tuyen": 1962}


@pytest.fixture(scope="module")
def shipped() -> FormulaSet:
    return load_formulas(SHIPPED)


def _by_code(projections: list[Projection]) -> dict[str, Projection]:
    return {p.code: p for p in projections}


# -- the shipped file ------------------------------------------------------------------


def test_shipped_file_loads(shipped):
    assert "2400/QĐ-UBND" in shipped.source
    assert [c.code for c in shipped.criteria] == ["3.5.1", "3.5.2", "3.5.3", "7.2", "7.3.1"]
    assert {c.code: c.max_points for c in shipped.criteria} == {
        "3.5.1": 2, "3.5.2": 1, "3.5.3": 1, "7.2": 1, "7.3.1": 0.5}
    assert [v.name for v in shipped.variables] == [
        "ty_le_dung_han", "ty_le_xin_loi", "ty_le_so_hoa", "ty_le_truc_tuyen", "ty_le_buu_chinh"]
    text = SHIPPED.read_text(encoding="utf-8").splitlines()
    for item in [*shipped.variables, *shipped.criteria]:
        assert item.formula in text[item.line - 1]  # the line points at the formula


def test_quang_dien_2021_online_rate_gets_the_point(shipped):
    row = TthcRow(row=5, period="Năm 2021", received_new=6690, online=1962)
    assert row.variables() == QUANG_DIEN_2021
    online = _by_code(shipped.evaluate(row.variables()))["7.2"]
    assert online.score == 1 and online.max_points == 1
    assert online.missing == [] and online.error == ""
    # 20 % is the threshold: just below gives 0
    below = _by_code(shipped.evaluate({"tiep_nhan_moi": 6690, "truc_tuyen": 1337}))["7.2"]
    assert below.score == 0


@pytest.mark.parametrize(("early", "on_time", "score"), [(900, 40, 0), (900, 70, 1.94), (950, 0, 1.9),
                                                          (1000, 0, 2)])
def test_on_time_rate(shipped, early, on_time, score):
    figures = {"truoc_han": early, "dung_han": on_time, "da_giai_quyet": 1000}
    assert _by_code(shipped.evaluate(figures))["3.5.1"].score == score


def test_apologies_and_digitisation_are_proportional(shipped):
    result = _by_code(shipped.evaluate({"thu_xin_loi": 1, "qua_han": 20, "so_hoa": 6690, "tiep_nhan_moi": 6690}))
    assert result["3.5.2"].score == 0.05  # 1 of 20 late dossiers got a letter (5 %)
    assert result["3.5.3"].score == 1
    # no late dossier: full point, even without the apology count and without dividing by 0
    assert _by_code(shipped.evaluate({"qua_han": 0}))["3.5.2"].score == 1
    # more letters than late dossiers: clamped to the maximum
    assert _by_code(shipped.evaluate({"thu_xin_loi": 30, "qua_han": 20}))["3.5.2"].score == 1


def test_postal_rate(shipped):
    assert _by_code(shipped.evaluate({"buu_chinh": 1004, "tiep_nhan_moi": 6690}))["7.3.1"].score == 0.5
    assert _by_code(shipped.evaluate({"buu_chinh": 1003, "tiep_nhan_moi": 6690}))["7.3.1"].score == 0


def test_missing_figure_gives_no_score(shipped):
    result = _by_code(shipped.evaluate({"tiep_nhan_moi": 6690}))
    online = result["7.2"]
    assert online.score is None and online.error == ""
    assert online.missing == ["Trực tuyến"]
    assert set(result["3.5.1"].missing) == {"Giải quyết trước hạn", "Giải quyết đúng hạn", "Tổng số đã giải quyết"}
    # a None figure (left empty in the sheet) counts as missing, not as 0
    assert _by_code(shipped.evaluate({"tiep_nhan_moi": 6690, "truc_tuyen": None}))["7.2"].missing == ["Trực tuyến"]


def test_division_by_zero_gives_no_score(shipped):
    result = _by_code(shipped.evaluate({"tiep_nhan_moi": 0, "truc_tuyen": 0, "da_giai_quyet": 0,
                                        "truoc_han": 0, "dung_han": 0}))
    for code in ("7.2", "3.5.1"):
        assert result[code].score is None
        assert result[code].error.startswith("chia cho 0")
    assert "Tiếp nhận mới" in result["7.2"].error  # names the figure that is 0


# -- bad files ------------------------------------------------------------------------

BASE = """\
source: "Thử nghiệm"
variables:
  ty_le_truc_tuyen:
    label: Tỷ lệ trực tuyến
    formula: truc_tuyen / tiep_nhan_moi
criteria:
  - code: "7.2"
    title: Trực tuyến
    max: 1
    formula: 1 if ty_le_truc_tuyen >= 20% else 0
  - code: "7.3.1"
    title: BCCI
    max: 0,5
    formula: 0.5 if buu_chinh / tiep_nhan_moi >= 15 % else 0
"""


def _write(tmp_path: Path, text: str, name: str = "cong-thuc.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_base_file_is_valid(tmp_path):
    formulas = load_formulas(_write(tmp_path, BASE))
    assert formulas.criteria[1].max_points == 0.5  # "0,5" with a decimal comma
    assert formulas.file == str(tmp_path / "cong-thuc.yml")
    result = _by_code(formulas.evaluate({"truc_tuyen": 2, "buu_chinh": 2, "tiep_nhan_moi": 10}))
    assert (result["7.2"].score, result["7.3.1"].score) == (1, 0.5)


BAD = {
    "yaml syntax": ("    max: 1\n", "    max: 1: 2\n", 9, "YAML"),
    "unknown key": ("    formula: 1 if", "    formla: 1 if", 10, "Có phải là “formula”?"),
    "unknown top key": ('source: "Thử nghiệm"', 'sources: "Thử nghiệm"', 1, "Có phải là “source”?"),
    "unknown name": ("formula: truc_tuyen /", "formula: truc_tuyenn /", 5, "Có phải là “truc_tuyen”?"),
    "formula syntax": ("20% else 0", "20% else", 10, "sai cú pháp"),
    "duplicate code": ('code: "7.3.1"', 'code: "7.2"', 11, "lặp lại"),
    "negative max": ("    max: 1\n", "    max: -1\n", 9, "số dương"),
    "max not a number": ("    max: 1\n", "    max: một\n", 9, "số dương"),
    "import": ("0.5 if buu_chinh / tiep_nhan_moi >= 15 % else 0", "__import__('os')", 14, "không được phép"),
    "open": ("0.5 if buu_chinh / tiep_nhan_moi >= 15 % else 0", "open('/etc/passwd')", 14, "không được phép"),
    "attribute": ("formula: truc_tuyen /", "formula: truc_tuyen.real /", 5, "thuộc tính"),
    "string": ("formula: truc_tuyen /", "formula: truc_tuyen + 'a' /", 5, "chuỗi"),
    "decimal comma": ("0.5 if buu_chinh / tiep_nhan_moi >= 15 % else 0", "0,5", 14, "dấu chấm"),
    "shadows a figure": ("  ty_le_truc_tuyen:\n", "  truc_tuyen:\n", 3, "trùng với số liệu"),
    "invalid variable name": ("  ty_le_truc_tuyen:\n", "  tỷ_lệ:\n", 3, "không hợp lệ"),
    "missing title": ("    title: BCCI\n", "", 11, "thiếu khóa “title”"),
    "missing formula": ("    formula: truc_tuyen / tiep_nhan_moi\n", "", 3, "thiếu khóa “formula”"),
    "modulo": ("formula: truc_tuyen /", "formula: truc_tuyen %", 5, "phần trăm"),
    "too big": ("0.5 if buu_chinh / tiep_nhan_moi >= 15 % else 0", "(9**9)**(9**9)", 14, "không tính ra một số"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_file_names_file_and_line(tmp_path, case):
    old, new, line, words = BAD[case]
    assert old in BASE
    path = _write(tmp_path, BASE.replace(old, new, 1))
    with pytest.raises(FormulaConfigError) as excinfo:
        load_formulas(path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}, dòng {line}: "), message
    assert words in message, message


def test_decimal_comma_suggests_the_dot(tmp_path):
    path = _write(tmp_path, BASE.replace("0.5 if buu_chinh / tiep_nhan_moi >= 15 % else 0", "0,5"))
    with pytest.raises(FormulaConfigError, match="0.5"):
        load_formulas(path)


def test_variable_used_before_it_is_declared(tmp_path):
    text = BASE.replace("variables:\n", "variables:\n  sau:\n    formula: ty_le_truc_tuyen * 2\n")
    with pytest.raises(FormulaConfigError, match=r"dòng 4: .*khai báo sau \(dòng 5\)"):
        load_formulas(_write(tmp_path, text))


def test_missing_criteria(tmp_path):
    with pytest.raises(FormulaConfigError, match=r"dòng 1: .*“criteria”"):
        load_formulas(_write(tmp_path, 'source: "Thử"\n'))
    with pytest.raises(FormulaConfigError, match=r"dòng 1: .*trống"):
        load_formulas(_write(tmp_path, "# chỉ có chú thích\n"))


def test_top_level_must_be_a_mapping(tmp_path):
    with pytest.raises(FormulaConfigError, match=r"dòng 1: .*“khóa: giá trị”"):
        load_formulas(_write(tmp_path, "- 1\n- 2\n"))


def test_non_utf8_file(tmp_path):
    path = tmp_path / "cong-thuc.yml"
    path.write_bytes(BASE.replace("BCCI", "B\xfau chính").encode("latin-1", errors="replace"))
    with pytest.raises(FormulaConfigError, match=r"dòng 12: .*UTF-8"):
        load_formulas(path)


def test_block_formula_and_symbols(tmp_path):
    text = BASE.replace("    formula: 1 if ty_le_truc_tuyen >= 20% else 0\n",
                        "    formula: >\n      1 if ty_le_truc_tuyen ≥ 20%\n      else 0\n")
    formulas = load_formulas(_write(tmp_path, text))
    assert formulas.criteria[0].line == 11
    assert _by_code(formulas.evaluate({"truc_tuyen": 1, "tiep_nhan_moi": 4}))["7.2"].score == 1


def test_figures_are_the_tthc_figures():
    names = {f.var for f in FIGURES}
    assert {"tiep_nhan_moi", "truc_tuyen", "buu_chinh", "qua_han", "thu_xin_loi", "so_hoa"} <= names
