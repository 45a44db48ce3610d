"""A corpus of broken workbooks: each gives findings or a clear error, never a
traceback, both through the library and through the `cchc` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from generator import commands
from generator.cli import main
from generator.reader import read_workbook

from .workbooks import big_appendix, broken_corpus, header_row_of


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return broken_corpus(tmp_path_factory.mktemp("hong"))


def _read(corpus, registry, name):
    path = corpus[name]
    return read_workbook(path, registry, path.name)


@pytest.mark.parametrize("name, code, words", [
    ("xls", "file-format", "hãy lưu lại dưới dạng .xlsx"),
    ("xls-renamed", "file-format", "Excel 97-2003 (.xls) đổi tên thành .xlsx"),
    ("ods", "file-format", "OpenDocument"),
    ("encrypted", "file-encrypted", "mật khẩu"),
    ("truncated", "file-corrupt", "bị cắt cụt"),
    ("empty-bytes", "file-empty", "không có trang tính nào chứa dữ liệu"),
    ("empty-workbook", "file-empty", "không có trang tính nào chứa dữ liệu"),
    ("text-as-xlsx", "file-corrupt", "không phải tệp .xlsx"),
    ("zip-bomb", "file-too-large", "quá lớn"),
    ("missing-header", "missing-header", "TT"),
])
def test_unreadable_files_get_one_clear_error(corpus, registry, name, code, words):
    result = _read(corpus, registry, name)
    assert result.plans == []
    errors = [f for f in result.findings if f.severity.value == "error"]
    assert [f.code for f in errors] == [code]
    text = errors[0].message + " " + errors[0].hint
    assert words in text
    assert corpus[name].name in errors[0].message


def test_shuffled_columns_with_synonyms_read_like_the_original(corpus, registry):
    (plan,) = _read(corpus, registry, "shuffled").plans
    assert plan.columns == {"deadline": "A", "title": "B", "code": "C", "support": "D", "products": "E",
                            "lead": "F"}
    task = {t.id: t for t in plan.tasks}["1.1"]
    assert task.lead[0].unit_id == "phong-noi-vu"
    assert task.deadline_text == "Trước 05/01/2022"
    assert task.products[0].text == "Kế hoạch CCHC 2022"


def test_merged_chaos_keeps_every_row(corpus, registry):
    result = _read(corpus, registry, "merged-chaos")
    (plan,) = result.plans
    rows = {s.row for s in plan.walk_sections()} | {t.row for t in plan.tasks}
    first = header_row_of() + 1
    assert rows == set(range(first, first + 6))


def test_numeric_tt_breaking_the_sequence_is_flagged(corpus, registry):
    from generator.validate import validate_plan

    (plan,) = _read(corpus, registry, "numeric-tt").plans
    codes = [t.code for t in plan.tasks]
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.1"]
    findings = validate_plan(plan)
    out_of_order = [f for f in findings if f.code == "tt-out-of-order"]
    assert len(out_of_order) == 1
    f = out_of_order[0]
    assert f.cell == f"A{header_row_of() + 11}"
    assert "1.1 đứng sau 1.9" in f.message and "Văn bản (Text)" in f.hint
    assert any(f.code == "tt-duplicate" and f.cell == f"A{header_row_of() + 11}" for f in findings)


def test_formula_without_cached_value_is_flagged(corpus, registry):
    result = _read(corpus, registry, "formula")
    (finding,) = [f for f in result.findings if f.code == "formula-without-value"]
    assert finding.cell == f"B{header_row_of() + 3}"
    assert "Ban hành kế hoạch CCHC" in finding.message


def test_hostile_text_is_kept_verbatim(corpus, registry):
    (plan,) = _read(corpus, registry, "hostile").plans
    task = {t.id: t for t in plan.tasks}["1.1"]
    assert task.title == '<script>alert(1)</script> =HYPERLINK("http://x") {{ 7*7 }}'
    assert task.points == 0.5
    assert task.products[0].text == "<img src=x onerror=alert(1)>"


def test_nfd_workbook_is_read_as_nfc(corpus, registry):
    result = _read(corpus, registry, "nfd")
    (plan,) = result.plans
    assert plan.meta.issuer == "UBND HUYỆN QUẢNG ĐIỀN"
    assert {t.lead[0].unit_id for t in plan.tasks} >= {"phong-noi-vu"}
    assert any(f.code == "text-normalised" for f in result.findings)


def test_whole_corpus_through_the_cli_never_tracebacks(corpus):
    folder = next(iter(corpus.values())).parent
    result = CliRunner().invoke(main, ["validate", str(folder), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    data = json.loads(result.stdout)
    assert "Traceback" not in result.output
    files = {entry["file"].rsplit("/", 1)[-1] for entry in data["files"]}
    assert {p.name for p in corpus.values()} <= files
    assert data["summary"]["errors"] >= 10


def test_fifty_thousand_rows(tmp_path, registry):
    path = big_appendix(tmp_path / "lon.xlsx", 50_000)
    run = commands.validate([path])
    (plan,) = run.plans
    sections = sum(1 for _ in plan.walk_sections())
    assert sections == 50_000
    assert len(plan.tasks) == 50_000 - 50_000 // 11 - (1 if 50_000 % 11 else 0)
    assert run.report.summary["errors"] == 0
