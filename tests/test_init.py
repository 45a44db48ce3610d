"""`cchc init DIR` and `cchc template`: a new site that validates and builds as it comes."""

from __future__ import annotations

import datetime as dt

import openpyxl
from click.testing import CliRunner

from generator.build import build_site
from generator.cli import main
from generator.commands import validate
from generator.config import load_site_config


def test_init_makes_a_site_that_syncs_validates_and_builds(tmp_path):
    from sheets_sync.sync import sync

    target = tmp_path / "tinh-moi"
    result = CliRunner().invoke(main, ["init", str(target), "--issuer", "UBND huyện A Lưới", "--place", "A Lưới",
                                       "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "Ba bước tiếp theo" in result.output and "cchc sync --content" in result.output
    for rel in ("content/site.yml", "content/units.yml", "content/cong-thuc.yml", "mkdocs.yml",
                "content/nguon/phan-cong-2026.xlsx", "content/nguon/chi-so-2025.xlsx",
                "content/nguon/tien-do-tthc.xlsx", "site_templates/overrides/main.html"):
        assert (target / rel).is_file(), rel
    config = load_site_config(target / "content")
    assert config.issuer == "UBND huyện A Lưới" and [s.kind for s in config.sources] == ["plan", "scores", "tthc"]
    run = sync(target / "content")
    assert [r.status for r in run.results] == ["new", "new", "new"], [r.message for r in run.results]
    report = validate(None, content=target / "content").report
    assert report.summary["errors"] == 0
    # the only warnings: the templates' example rows, until the clerks delete them
    warnings = [f for f in report.findings if f.severity.value == "warning"]
    assert len(warnings) == 6 and {f.code for f in warnings} == {"template-example"}
    built = build_site(target / "content", tmp_path / "site", today=dt.date(2026, 11, 25), work=tmp_path / "w",
                       pdf=False)
    assert built.run.plans and (tmp_path / "site" / "chi-so-cchc" / "index.html").is_file()


def test_init_never_overwrites(tmp_path):
    (tmp_path / "co-san").mkdir()
    (tmp_path / "co-san" / "ghi-chu.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "co-san")])
    assert result.exit_code == 2 and "đã có nội dung" in result.output
    assert sorted(p.name for p in (tmp_path / "co-san").iterdir()) == ["ghi-chu.txt"]


def test_template_command_writes_a_clean_workbook(tmp_path, registry, in_root):
    from generator.commands import check_workbook

    out = tmp_path / "mau.xlsx"
    result = CliRunner().invoke(main, ["template", "plan", "--out", str(out), "--year", "2026"])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[:2] == ["Phân công", "Hướng dẫn"]
    _, findings = check_workbook(out, registry, "mau.xlsx")
    assert [f.code for f in findings if f.severity.value != "info"] == ["template-example"] * 2
    assert not any(f.code == "sheet-skipped" for f in findings)  # its guide and list sheets are expected
    again = CliRunner().invoke(main, ["template", "plan", "--out", str(out)])
    assert again.exit_code == 2 and "đã có" in again.output


def test_init_site_has_what_its_publish_workflow_needs(tmp_path):
    import re

    import yaml

    from generator.init_site import init_site

    target = tmp_path / "moi"
    init_site(target, issuer="UBND huyện B", place="B", year=2026)
    assert not (target / ".github" / "workflows" / "test.yml").exists()  # this repository's own tests stay here
    workflow = yaml.safe_load((target / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    named = set()
    for step in steps:
        named.update(re.findall(r"\./(scripts/[\w./-]+)", step.get("run", "")))
        path = step.get("with", {}).get("cache-dependency-path")
        if path:
            named.add(path)
    assert named >= {"pyproject.toml", "scripts/ensure-system-deps.sh"}
    for rel in named:
        assert (target / rel).exists(), rel
    for rel in ("pyproject.toml", "generator/cli.py", "sheets_sync/sync.py", "site_templates/print/print.css",
                "docs/apps-script/cchc-dung-lai-trang.gs", ".gitignore"):
        assert (target / rel).is_file(), rel
    assert not list(target.rglob("__pycache__"))
