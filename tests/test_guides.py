"""The guides are generated from the code they describe: a finding code without
an entry, or a deadline form the parser reads differently, fails here."""

from __future__ import annotations

import datetime as dt

from generator import guides
from generator import site as s
from generator.findings import REGISTRY, Report
from generator.pages import nav, render_pages


def _pages(registry):
    model = s.build_site_model([], Report(), registry, today=dt.date(2026, 11, 25), site_name="Thử")
    pages = render_pages(model)
    return {p.url: p for p in pages}, nav(pages, model)


def test_every_finding_code_has_an_entry_with_example_and_fix(registry):
    pages, _ = _pages(registry)
    text = pages[guides.CLERK].text
    for code, kind in REGISTRY.items():
        assert f"{{: #ma-{code} }}" in text, f"mã {code} chưa có trong hướng dẫn"
        assert kind.example and kind.hint and kind.title
        assert f"<code>{code}</code> · {kind.severity.label}" in text
    # the hints are shown with their blanks as "…", never as {placeholders}
    assert "{column}" not in text and "{" not in text.split("## Các thông báo", 1)[1].replace("{: #ma-", "")


def test_deadline_forms_are_what_the_parser_reads():
    forms = dict(guides.deadline_forms(2026))
    assert forms["Quý II/2026"] == "trong quý, hạn cuối 30/06/2026"
    assert forms["Trước 15/11/2026"] == "trước ngày, hạn cuối 15/11/2026"
    assert forms["Thường xuyên"] == "thường xuyên / định kỳ"
    assert "sản phẩm 2" in forms["Trước 30/6/2026 (Sản phẩm 1); Trước 15/11/2026 (Sản phẩm 2)"]
    assert all(meaning for meaning in forms.values())


def test_the_clerk_guide_explains_every_column_of_every_template(registry):
    from generator.xlsx_templates import COLUMN_NOTES

    pages, _ = _pages(registry)
    text = pages[guides.CLERK].text
    for kind, notes in COLUMN_NOTES.items():
        assert notes, kind
        for note in notes:
            assert f"<td><strong>{note[0]}</strong></td>" in text


def test_guides_are_in_the_navigation(registry):
    _, navigation = _pages(registry)
    (section,) = [item["Hướng dẫn"] for item in navigation if "Hướng dẫn" in item]
    assert [list(entry) for entry in section] == [["Cán bộ nhập liệu"], ["Văn phòng, Nội vụ"], ["Quản trị (CNTT)"]]


def test_office_guide_explains_the_footer_hash_and_it_guide_the_secret(registry):
    pages, _ = _pages(registry)
    assert "SHA-256" in pages[guides.OFFICE].text and "100 %" in pages[guides.OFFICE].text
    it = pages[guides.IT].text
    for step in ("GitHub Pages", "CCHC_GOOGLE_CREDENTIALS", "Apps Script", "cchc init"):
        assert step in it


def test_the_it_guide_in_docs_is_the_sites_page():
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / guides.IT_DOC
    assert path.read_text(encoding="utf-8") == guides.it_guide_markdown(), \
        "docs/quan-tri.md is out of date: run .venv/bin/python -m generator.guides"
