"""`cchc validate` and `cchc export` as a user and CI call them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import openpyxl
from click.testing import CliRunner

from generator.cli import main

from .conftest import ROOT
from .workbooks import appendix, broken_corpus, header_row_of


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_validate_defaults_to_the_embedded_content_and_groups_by_sheet(in_root):
    result = invoke("validate")
    assert result.exit_code in (0, 1)
    out = result.stdout
    assert "content/sheets/quang-dien-2022-phan-cong.xlsx › Phụ lục" in out
    assert "F26" in out and "deadline-outside-plan-year" in out
    assert "lỗi" in out and "cảnh báo" in out


def test_validate_json_is_alone_on_stdout(in_root):
    result = invoke("validate", "--format", "json", "content/sheets")
    data = json.loads(result.stdout)
    assert set(data) == {"files", "findings", "summary"}
    assert set(data["summary"]) == {"errors", "warnings", "info"}
    f = next(f for f in data["findings"] if f["cell"] == "F26")
    assert set(f) == {"code", "severity", "file", "sheet", "cell", "row", "message", "hint"}
    assert f == {
        "code": "deadline-outside-plan-year", "severity": "warning",
        "file": "content/sheets/quang-dien-2022-phan-cong.xlsx", "sheet": "Phụ lục", "cell": "F26", "row": 26,
        "message": "Ô F26: thời hạn 15/01/2021 nằm trước năm của kế hoạch (2022) — kiểm tra lại năm.",
        "hint": "Sửa năm của thời hạn trong ô F26 nếu gõ nhầm.",
    }
    expected_exit = 1 if data["summary"]["errors"] else 0
    assert result.exit_code == expected_exit


def test_strict_turns_warnings_into_failure(tmp_path):
    rows = [("1", "Tiêu chí: 1đ", None, None, None, None),
            ("1.1", "Việc: 1đ", "Báo cáo", "Phòng Nội vụ", None, "Trước 15/01/2021")]
    path = appendix(tmp_path / "canh-bao.xlsx", rows)
    assert invoke("validate", str(path)).exit_code == 0
    assert invoke("validate", "--strict", str(path)).exit_code == 1


def test_errors_give_exit_1_and_bad_paths_exit_2(tmp_path):
    rows = [("1", "Tiêu chí: 1đ", None, None, None, None),
            ("1.1", "Việc: 1đ", "Báo cáo", "Phòng Nội vụ", None, "Trước 31/02/2022")]
    path = appendix(tmp_path / "loi.xlsx", rows)
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "31/02/2022" in result.stdout
    missing = invoke("validate", str(tmp_path / "khong-co.xlsx"))
    assert missing.exit_code == 2
    assert "Không tìm thấy" in missing.stderr and "Traceback" not in missing.output


def test_github_annotations(tmp_path):
    files = broken_corpus(tmp_path / "c")
    result = invoke("validate", "--format", "github", str(files["xls"]), str(files["numeric-tt"]))
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    xls = next(line for line in lines if "bao-cao.xls" in line)
    assert xls.startswith("::error file=") and "title=file-format" in xls
    order = next(line for line in lines if "tt-out-of-order" in line)
    assert ",line=17," in order and "title=tt-out-of-order Phụ lục!A17" in order


def test_did_you_mean_for_commands():
    result = invoke("validat")
    assert result.exit_code == 2
    assert "validate" in result.output


def test_export_json_and_csv(in_root, tmp_path):
    result = invoke("export", "content/sheets/quang-dien-2022-phan-cong.xlsx")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    (plan,) = data["plans"]
    assert {"title", "issuer", "year", "file", "sheet", "sections", "tasks"} <= set(plan)
    task = plan["tasks"][0]
    assert {"code", "row", "title", "lead", "support", "products", "deadlines", "extra"} <= set(task)
    assert set(task["deadlines"][0]) >= {"text", "kind", "date"}

    out = tmp_path / "nv.csv"
    result = invoke("export", "content/sheets/quang-dien-2022-phan-cong.xlsx", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(plan["tasks"])
    assert rows[0]["code"] == "1.1.1" and rows[0]["lead"] == "Phòng Nội vụ"


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    rows = [("1", "Tiêu chí: 1đ", None, None, None, None),
            ("1.1", "=HYPERLINK(\"http://x\",\"bấm\")", "- =cmd|' /C calc'!A0", "Phòng Nội vụ", "@SUM(1)",
             "-Trước 15/11/2022")]
    path = appendix(tmp_path / "csv.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    title = wb.active.cell(header_row_of() + 2, 2)
    title.value, title.data_type = rows[1][1], "s"  # text that looks like a formula, not a formula
    wb.save(path)
    result = invoke("export", str(path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    (task,) = rows
    assert task["title"] == "'=HYPERLINK(\"http://x\",\"bấm\")"
    assert task["products"] == "'=cmd|' /C calc'!A0"  # the "- " bullet is gone, the formula made inert
    assert task["support"] == "'@SUM(1)"


def test_export_of_an_unreadable_file_is_one_line(tmp_path):
    bad = tmp_path / "bang.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = invoke("export", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Tệp") and ".xlsx" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_console_script_is_installed():
    exe = ROOT / ".venv" / "bin" / "cchc"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "generator.cli"]
    proc = subprocess.run(cmd + ["--help"], capture_output=True, text=True, check=True)
    assert "validate" in proc.stdout and "export" in proc.stdout


def test_validate_tells_each_workbook_kind_without_being_told(in_root):
    result = invoke("validate", "--format", "json", "content/sheets")
    data = json.loads(result.stdout)
    kinds = {entry["file"]: entry["kinds"] for entry in data["files"]}
    assert kinds["content/sheets/quang-dien-2022-phan-cong.xlsx"] == {"Phụ lục": "plan"}
    assert kinds["content/sheets/quang-dien-2021-chi-so.xlsx"] == {"Chỉ số 2021": "scores"}
    assert kinds["content/sheets/tien-do-tthc.xlsx"] == {"Tiến độ TTHC": "tthc"}
    cells = {(f["file"].rsplit("/", 1)[-1], f["cell"], f["code"]) for f in data["findings"]}
    assert ("quang-dien-2021-chi-so.xlsx", "C5", "score-sum-mismatch") in cells
    assert ("tien-do-tthc.xlsx", "T7", "total-truncated") in cells


def _content_with_formulas(tmp_path, text: str):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "cong-thuc.yml").write_text(text, encoding="utf-8")
    return content


def test_malformed_formula_file_is_one_line_naming_the_line(tmp_path):
    content = _content_with_formulas(tmp_path, (
        "criteria:\n"
        "  - code: '7.2'\n"
        "    title: Tỷ lệ trực tuyến\n"
        "    max: 1\n"
        "    formula: 1 if truc_tuyenn / tiep_nhan_moi >= 20% else 0\n"))
    for args in (["validate", "--content", str(content)], ["build", "--content", str(content),
                                                          "--out", str(tmp_path / "site")]):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert "cong-thuc.yml, dòng 5" in result.output and "truc_tuyen" in result.output
    assert not (tmp_path / "site").exists()


def test_export_of_a_tthc_workbook_says_what_it_is(in_root):
    result = invoke("export", "content/sheets/tien-do-tthc.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "bảng tiến độ giải quyết TTHC" in result.output and "tien-do-tthc.csv" in result.output
