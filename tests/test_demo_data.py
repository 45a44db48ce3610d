"""`cchc demo-data`: a synthetic content folder that validates except exactly
where cells were broken on purpose, the same bytes for the same seed, every
sheet marked as illustrative."""

from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator import commands
from generator import demo_data as demo
from generator.cli import main
from generator.config import load_site_config
from generator.model import DeadlineKind
from generator.reader import read_workbook
from generator.units import load_registry, registry_from_yaml

SMALL = dict(units=5, rows=30, months=3)


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A small folder with one broken cell of every kind."""
    out = tmp_path_factory.mktemp("demo") / "noi-dung"
    summary = demo.make_demo_content(out, **SMALL, failures=len(demo.FAILURE_KINDS), seed=3)
    return out, summary, commands.validate(None, content=out, relative_to=out)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "sach"
    summary = demo.make_demo_content(out, **SMALL, failures=0)
    return out, summary, commands.validate(None, content=out, relative_to=out)


def test_validate_reports_exactly_the_injected_failures(broken):
    out, summary, run = broken
    assert len(summary.failures) == len(demo.FAILURE_KINDS)
    assert {f.code for f in summary.failures} == {code for code, _ in demo.FAILURE_CODES.values()}
    reported = {(f.file, f.sheet, f.cell, f.code): f.severity.value for f in run.report.findings}
    injected = {f.key(): f.severity for f in summary.failures}
    assert reported == injected  # nothing else: no other error, warning or info
    errors = {key for key, severity in reported.items() if severity == "error"}
    assert errors == {f.key() for f in summary.failures if f.severity == "error"} and errors
    assert run.report.summary == {"errors": len(errors), "warnings": len(injected) - len(errors), "info": 0}
    for failure in summary.failures:  # where they are: published copy and source hold the same bytes
        assert (out / failure.file).read_bytes() == (out / failure.source).read_bytes()
        assert failure.description
    plan_files = {f.file for f in summary.failures if "phan-cong" in f.file}
    assert len(plan_files) == sum(1 for f in summary.failures if "phan-cong" in f.file)  # spread over files


def test_default_failures_include_errors_in_three_files(tmp_path):
    summary = demo.make_demo_content(tmp_path / "d", units=3, rows=8, months=2)
    assert len(summary.failures) == 3 and len({f.file for f in summary.failures}) == 3
    assert any(f.severity == "error" for f in summary.failures)


def test_without_failures_nothing_is_reported(clean):
    out, summary, run = clean
    assert summary.failures == []
    assert run.report.findings == [], [f.message for f in run.report.findings][:5]
    assert not run.report.has_errors(strict=True)


def test_same_seed_same_bytes_other_seed_other_files(tmp_path):
    args = dict(units=6, rows=12, months=2, failures=4)
    demo.make_demo_content(tmp_path / "a", **args, seed=7)
    time.sleep(1.1)  # a clock in the zip or the workbook properties would show
    demo.make_demo_content(tmp_path / "b", **args, seed=7)
    demo.make_demo_content(tmp_path / "c", **args, seed=8)
    first, second, other = digests(tmp_path / "a"), digests(tmp_path / "b"), digests(tmp_path / "c")
    assert first == second and len(first) == 3 + 3 * (6 + 2)
    workbooks = {h for name, h in first.items() if name.endswith(".xlsx")}
    assert workbooks.isdisjoint(h for name, h in other.items() if name.endswith(".xlsx"))
    assert first["units.yml"] != other["units.yml"] and first["site.yml"] != other["site.yml"]


def test_every_sheet_is_marked_illustrative(broken):
    out, summary, run = broken
    books = sorted((out / "nguon").glob("*.xlsx"))
    assert len(books) == summary.plans + 2
    for path in books:
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            title_block = []
            for row in ws.iter_rows(values_only=True):
                if row and row[0] in ("TT", "Kỳ"):  # the header
                    break
                title_block.extend(v for v in row if v is not None)
            else:
                pytest.fail(f"{path.name} › {ws.title}: no header")
            assert demo.SYNTHETIC_LINE in title_block, f"{path.name} › {ws.title}"
        wb.close()
    assert all(p.meta.illustrative and demo.SYNTHETIC_LINE in p.meta.lines for p in run.plans)
    assert run.scores and all(card.illustrative for card in run.scores)
    assert run.tthc and all(report.marked for report in run.tthc)
    assert all(row.illustrative and row.source == demo.SYNTHETIC_SOURCE for r in run.tthc for row in r.rows)


def test_titles_years_and_the_mark_kept_out_of_them(broken):
    out, summary, run = broken
    registry = load_registry(out / "units.yml")
    names = {u.id: u.name for u in registry.units.values()}
    for plan in run.plans:
        unit_id = plan.file.removeprefix(f"sheets/phan-cong-{summary.year}-").removesuffix(".xlsx")
        name = names[unit_id]
        assert plan.meta.title == f"Phân công thực hiện các nhiệm vụ cải cách hành chính năm {summary.year} của {name}"
        assert plan.meta.year == summary.year and plan.meta.issuer == name.upper()
        assert plan.meta.document_number.startswith("Số ") and plan.meta.attached_to.startswith("(Ban hành kèm theo")
    result = read_workbook(out / run.plans[0].file, registry)
    assert result.plans[0].meta.title == run.plans[0].meta.title
    (card,) = run.scores
    assert card.year == summary.year - 1 and "MINH HỌA" not in card.title
    assert card.rank.startswith("xếp thứ") and {t.what for t in card.typed_totals} >= {"score", "maximum", "percentage"}
    (report,) = run.tthc
    assert "MINH HỌA" not in report.title and str(summary.year) in report.title


def test_row_counts(broken):
    out, summary, run = broken
    assert len(run.plans) == summary.plans == SMALL["units"]
    assert all(len(plan.tasks) == SMALL["rows"] for plan in run.plans)
    assert summary.tasks == SMALL["units"] * SMALL["rows"]
    (report,) = run.tthc
    assert len(report.rows) == summary.tthc_rows == SMALL["units"] * SMALL["months"]
    assert len(report.periods) == SMALL["months"] and len(report.units) == SMALL["units"]
    assert summary.score_criteria == len(run.scores[0].all_items()) == len(demo.INDEX)


def test_plans_use_every_deadline_form_and_the_tt_hierarchy(tmp_path):
    out = tmp_path / "d"
    demo.make_demo_content(out, units=4, rows=60, months=1, failures=0, seed=11)
    run = commands.validate(None, content=out, relative_to=out)
    assert run.report.findings == []
    kinds = {d.kind for plan in run.plans for task in plan.tasks for d in task.deadlines}
    assert kinds == set(DeadlineKind) - {DeadlineKind.FREE_TEXT}
    deadlines = [task.deadline_text for plan in run.plans for task in plan.tasks]
    assert any("(Sản phẩm 2)" in text for text in deadlines)
    assert any(text.startswith("Thường xuyên") for text in deadlines)
    raw_dates = 0
    for plan in run.plans:
        ws = openpyxl.load_workbook(out / plan.file, read_only=True).worksheets[0]
        raw_dates += sum(1 for (cell,) in ws.iter_rows(min_col=6, max_col=6, values_only=True)
                         if hasattr(cell, "year"))
    assert raw_dates  # dates typed as real Excel dates
    codes = {task.code.count(".") for plan in run.plans for task in plan.tasks if task.code}
    assert codes == {1, 2}  # criteria 1.1 and component criteria 1.1.1
    assert any(not task.code for plan in run.plans for task in plan.tasks)  # un-numbered items
    sections = [s for plan in run.plans for s in plan.walk_sections()]
    assert any(s.kind == "group" for s in sections) and all(
        s.points is not None for s in sections if s.kind != "group" and s.code.count(".") < 2)
    leads = [ref for plan in run.plans for task in plan.tasks for ref in task.lead]
    assert leads and all(ref.unit_id for ref in leads)
    supports = [ref for plan in run.plans for task in plan.tasks for ref in task.support]
    assert any(ref.group for ref in supports) and any(ref.unit_id for ref in supports)


def test_site_yml_units_and_sources_load(broken):
    out, summary, run = broken
    config = load_site_config(out)
    assert "(dữ liệu minh họa)" in config.site_name and summary.province in config.issuer
    assert len(config.sources) == summary.plans + 2
    assert sorted(s.kind for s in config.sources).count("plan") == summary.plans
    for source in config.sources:
        assert source.path == f"nguon/{source.id}.xlsx" and not source.path.startswith(config.sheets)
        assert config.workbook_of(source) == config.snapshot_path(source)
        assert config.snapshot_path(source).read_bytes() == (out / source.path).read_bytes()
        assert config.meta_path(source).is_file()
    assert (out / "cong-thuc.yml").read_bytes() == (commands.DEFAULT_CONTENT / "cong-thuc.yml").read_bytes()
    assert commands.load_formula_file(config) is not None
    registry = load_registry(out / "units.yml")
    assert len(registry.units) == summary.units and len(registry.groups) == summary.groups
    for unit in registry.units.values():
        for mention in [unit.name, *unit.short_names, *unit.aliases]:
            refs = registry.match(mention)
            assert [r.unit_id for r in refs] == [unit.id], mention
    for group in registry.groups.values():
        assert group.members and [r.group for r in registry.match(group.name)] == [group.id]


def test_names_stay_unique_at_300_units():
    province, units, groups = demo._make_units(300, random.Random("units-300"))
    registry = registry_from_yaml(demo._units_yml(province, units, groups, 1), "units.yml")
    assert len(registry.units) == 300 and len({u.name for u in units}) == 300
    kinds = {u.kind for u in registry.units.values()}
    assert kinds == {"cap-tinh", "trung-tam", "cap-huyen", "xa-thi-tran"}
    assert all(registry.match(u.name)[0].unit_id == u.id for u in units)


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(demo.DemoDataError, match="số đơn vị"):
        demo.make_demo_content(tmp_path / "x", units=0)
    with pytest.raises(demo.DemoDataError, match="không đủ chỗ"):
        demo.make_demo_content(tmp_path / "y", units=1, rows=1, months=1, failures=100)


def test_a_second_run_replaces_the_first(tmp_path):
    out = tmp_path / "d"
    demo.make_demo_content(out, units=6, rows=3, months=1)
    summary = demo.make_demo_content(out, units=3, rows=3, months=1, failures=0)
    assert sorted((out / "nguon").iterdir()) == sorted(out / f for f in summary.files if f.startswith("nguon/"))
    assert commands.validate(None, content=out, relative_to=out).report.findings == []


def test_cli_writes_refuses_a_non_empty_folder_and_forces(tmp_path):
    out = tmp_path / "noi-dung"
    args = ["demo-data", "--units", "3", "--rows", "6", "--months", "2", "--year", "2025", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Đã tạo dữ liệu minh họa" in result.output and "3 ô cố ý ghi sai" in result.output
    assert load_site_config(out).sources
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "Traceback" not in again.output
    assert "đã có tệp" in again.output and "--force" in again.output
    forced = CliRunner().invoke(main, [*args, "--force", "--failures", "0"])
    assert forced.exit_code == 0 and "Không có ô nào cố ý ghi sai" in forced.output
    too_many = CliRunner().invoke(main, ["demo-data", "--units", "1", "--rows", "1", "--months", "1",
                                         "--failures", "99", "--out", str(tmp_path / "khac")])
    assert too_many.exit_code == 2 and "Lỗi:" in too_many.output and "Traceback" not in too_many.output
    valid = CliRunner().invoke(main, ["validate", "--content", str(out)])
    assert valid.exit_code == 0, valid.output


@pytest.mark.slow
def test_150_units_80_rows_12_months(tmp_path):
    start = time.perf_counter()
    summary = demo.make_demo_content(tmp_path / "lon", units=150, rows=80, months=12)
    elapsed = time.perf_counter() - start
    print(f"\n150 đơn vị × 80 dòng × 12 tháng: {elapsed:.2f} s, {len(summary.files)} tệp")
    assert summary.plans == 150 and summary.workbooks == 152 and summary.tthc_rows == 1800
    assert len(list((tmp_path / "lon" / "sheets").glob("*.xlsx"))) == 152
    assert len(summary.files) == 3 + 3 * 152
