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
    assert report.summary["errors"] == 0 and report.summary["warnings"] == 0
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
    assert [f for f in findings if f.severity.value != "info"] == []
    assert not any(f.code == "sheet-skipped" for f in findings)  # its guide and list sheets are expected
    again = CliRunner().invoke(main, ["template", "plan", "--out", str(out)])
    assert again.exit_code == 2 and "đã có" in again.output
