"""Incremental builds: after one edited cell, only the changed pages are
rendered again, and the site is byte for byte the one a full build makes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from generator import incremental
from generator.build import build_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2022, 6, 1)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("rel, dest", [
    ("index.md", "index.html"), ("ke-hoach/index.md", "ke-hoach/index.html"),
    ("ke-hoach/phu-luc.md", "ke-hoach/phu-luc/index.html"), ("du-lieu/nhiem-vu.csv", "du-lieu/nhiem-vu.csv"),
])
def test_html_dest(rel, dest):
    assert incremental.html_dest(rel) == dest


def _edit(book: Path, old: str, new: str) -> None:
    wb = openpyxl.load_workbook(book)
    hits = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == old]
    assert hits, old
    hits[0].value = new
    wb.save(book)


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def test_one_edited_cell_renders_few_pages_and_equals_a_full_build(content, tmp_path, monkeypatch):
    from mkdocs.commands import build as mkdocs_build_module

    work = tmp_path / "work"
    build_site(content, tmp_path / "site", today=TODAY, work=work, pdf=False)
    state = incremental.read_state(work / "cache" / "site")
    assert state

    rendered = []
    real = mkdocs_build_module._build_page

    def spy(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if not (dirty and not page.file.is_modified()):
            rendered.append(page.file.src_uri)
        return real(page, config, doc_files, nav, env, dirty, excluded)

    monkeypatch.setattr(mkdocs_build_module, "_build_page", spy)
    # the snapshot a sync publishes: one deadline of one task moves
    _edit(content / "sheets" / "quang-dien-2022-phan-cong.xlsx", "Trước 05/01/2022", "Trước 10/01/2022")
    result = build_site(content, tmp_path / "site", today=TODAY, work=work, pdf=False)
    assert incremental.read_state(work / "cache" / "site") == state  # same navigation: a dirty build
    assert 0 < len(rendered) < result.pages // 2, rendered
    assert any(r.startswith("ke-hoach/") for r in rendered)
    assert "huong-dan/quan-tri.md" not in rendered

    monkeypatch.setattr(mkdocs_build_module, "_build_page", real)
    full = build_site(content, tmp_path / "full", today=TODAY, work=tmp_path / "w2", pdf=False, cache=False)
    assert full.pages == result.pages
    assert tree(tmp_path / "site") == tree(tmp_path / "full")
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("10/01/2022" in d["text"] for d in index["docs"])
    assert not any("05/01/2022" in d["text"] and "Ban hành kế hoạch CCHC" in d["text"] for d in index["docs"])


def test_a_new_page_or_a_new_theme_file_gives_a_full_build(content, tmp_path, monkeypatch):
    work = tmp_path / "work"
    build_site(content, tmp_path / "site", today=TODAY, work=work, pdf=False)
    first = incremental.read_state(work / "cache" / "site")
    calls = []
    import generator.build as b

    real = b.mkdocs_build
    monkeypatch.setattr(b, "mkdocs_build", lambda *a, **k: calls.append(k.get("dirty")) or real(*a, **k))
    build_site(content, tmp_path / "site", today=TODAY, work=work, pdf=False)
    assert calls == [True]
    later = TODAY + dt.timedelta(days=40)
    build_site(content, tmp_path / "site", today=later, work=work, pdf=False)
    assert calls[-1] is True  # another day: only the pages whose statuses changed
    build_site(content, tmp_path / "full", today=later, work=tmp_path / "w3", pdf=False, cache=False)
    assert tree(tmp_path / "site") == tree(tmp_path / "full")
    shutil.copy(ROOT / "tests" / "data" / "quang-dien-2022-phan-cong.xlsx", content / "sheets" / "them.xlsx")
    build_site(content, tmp_path / "site", today=later, work=work, pdf=False)
    assert calls[-1] is False  # a new plan: the navigation changed
    assert incremental.read_state(work / "cache" / "site") not in (None, first)


def test_a_failed_build_leaves_a_full_build_for_next_time(content, tmp_path, monkeypatch):
    import generator.build as b
    from generator.build import BuildError

    work = tmp_path / "work"
    build_site(content, tmp_path / "site", today=TODAY, work=work, pdf=False)
    before = tree(tmp_path / "site")

    def boom(*a, **k):
        raise BuildError("hỏng giữa chừng")

    monkeypatch.setattr(b, "mkdocs_build", boom)
    _edit(content / "sheets" / "quang-dien-2022-phan-cong.xlsx", "Trước 05/01/2022", "Trước 10/01/2022")
    with pytest.raises(BuildError):
        build_site(content, tmp_path / "site", today=TODAY, work=work, pdf=False)
    assert tree(tmp_path / "site") == before  # the published site is untouched
    assert incremental.read_state(work / "cache" / "site") is None


def test_a_build_running_elsewhere_makes_this_one_go_without_the_cache(content, tmp_path):
    import fcntl

    work = tmp_path / "work"
    site_cache = work / "cache" / "site"
    site_cache.mkdir(parents=True)
    with (site_cache / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = build_site(content, tmp_path / "site", today=TODAY, work=work, pdf=False)
    assert (tmp_path / "site" / "index.html").is_file() and result.pages > 10
    assert incremental.read_state(site_cache) is None and not (site_cache / "html").exists()


def test_cli_build_keeps_its_cache_in_work_and_no_cache_skips_it(content, tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    work = tmp_path / "w"
    args = ["build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", "2022-06-01",
            "--no-pdf", "--work", str(work)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert incremental.read_state(work / "cache" / "site") and list((work / "cache" / "doc").glob("*.pickle"))
    fresh = tmp_path / "w2"
    plain = CliRunner().invoke(main, [*args[:-2], "--work", str(fresh), "--no-cache", "--out", str(tmp_path / "s2")])
    assert plain.exit_code == 0, plain.output
    assert not (fresh / "cache").exists()
    assert tree(tmp_path / "site") == tree(tmp_path / "s2")


def test_pdfs_printed_beside_mkdocs_give_the_site_a_sequential_build_gives(content, tmp_path):
    """With the cache, Chromium prints while MkDocs builds the pages (then the data
    page gets the sizes): the same site as printing first, byte for byte."""
    beside = build_site(content, tmp_path / "site", today=TODAY, work=tmp_path / "w")
    first = build_site(content, tmp_path / "seq", today=TODAY, work=tmp_path / "w2", cache=False)
    assert beside.pdfs == first.pdfs > 0
    assert tree(tmp_path / "site") == tree(tmp_path / "seq")
    data = (tmp_path / "site" / "du-lieu" / "index.html").read_text(encoding="utf-8")
    assert "0 B" not in data and data.count(".pdf") >= beside.pdfs
    # again, everything from the cache: still the same
    build_site(content, tmp_path / "site", today=TODAY, work=tmp_path / "w")
    assert tree(tmp_path / "site") == tree(tmp_path / "seq")


def test_without_chromium_the_links_to_pdfs_go(content, tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_CHROMIUM", str(tmp_path / "khong-co-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    result = build_site(content, tmp_path / "site", today=TODAY, work=tmp_path / "w")
    assert result.pdfs == 0 and result.model.pdfs == {} and result.model.pdf_list == []
    assert "Tải bản PDF" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "site" / "pdf").exists()
    with pytest.raises(Exception, match="PDF"):
        build_site(content, tmp_path / "site2", today=TODAY, work=tmp_path / "w3", strict=True)
