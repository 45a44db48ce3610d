"""The guides on the site ("Hướng dẫn"): for clerks, for IT, for the office.

Generated from the code they describe so they cannot drift: the finding
codes from the validator's registry, the deadline forms from the deadline
parser itself, the columns from the Excel templates' own column notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .deadlines import parse_deadlines
from .findings import REGISTRY, FindingType
from .site import show_date

CLERK = "huong-dan/nhap-lieu/"
IT = "huong-dan/quan-tri/"
OFFICE = "huong-dan/van-phong/"

#: Deadline texts as clerks write them; their meaning is computed by the parser.
DEADLINE_EXAMPLES = (
    "Trước 15/11/2026", "05/01/2026", "Chậm nhất ngày 12/3/2026", "Tháng 6/2026", "Quý II/2026", "Năm 2026",
    "2026 - 2030", "Thường xuyên", "Hằng năm", "Chậm nhất 30 ngày kể từ khi có văn bản của tỉnh",
    "Báo cáo Quý I: Trước ngày 12/3/2026; Báo cáo năm: Trước ngày 12/12/2026",
    "Trước 30/6/2026 (Sản phẩm 1); Trước 15/11/2026 (Sản phẩm 2)",
)


def deadline_forms(year: int = 2026) -> list[tuple[str, str]]:
    """(text, what the reader understands), from the parser itself."""
    out = []
    for text in DEADLINE_EXAMPLES:
        parts = []
        for deadline in parse_deadlines(text, plan_year=year):
            meaning = deadline.kind.label
            if deadline.date:
                meaning += f", hạn cuối {show_date(deadline.date)}"
            if deadline.label:
                meaning = f"{deadline.label}: {meaning}"
            if deadline.product:
                meaning += f" (sản phẩm {deadline.product})"
            parts.append(meaning)
        out.append((text, "; ".join(parts)))
    return out


def generic(template: str) -> str:
    """A message template with its blanks shown as “…”."""
    return re.sub(r"\{[a-z_]+\}", "…", template)


@dataclass(frozen=True, slots=True)
class ColumnNote:
    name: str
    how: str
    example: str


@dataclass(frozen=True, slots=True)
class SheetGuide:
    title: str
    columns: tuple[ColumnNote, ...]


def sheet_guides() -> list[SheetGuide]:
    """How to fill each kind of sheet, from the templates' own column notes."""
    from .xlsx_templates import COLUMN_NOTES, KIND_TITLES

    return [SheetGuide(f"Cách điền {KIND_TITLES[kind]}", tuple(ColumnNote(*note) for note in notes))
            for kind, notes in COLUMN_NOTES.items()]


def clerk_context() -> dict:
    types: list[FindingType] = sorted(REGISTRY.values(), key=lambda t: (t.severity.value != "error",
                                                                        t.severity.value != "warning", t.code))
    return {"guides": sheet_guides(), "deadline_forms": deadline_forms(), "finding_types": types,
            "hints": {t.code: generic(t.hint) for t in types}}


IT_DOC = "docs/quan-tri.md"  # the IT guide, for the README's readers (kept equal to the site's page)


def it_guide_markdown() -> str:
    """The IT guide as plain Markdown (the same template as the site's page)."""
    from .pages import environment

    text = environment().get_template("guide-it.md.j2").render()
    return "<!-- Tạo từ site_templates/pages/guide-it.md.j2: python -m generator.guides -->\n" + text


if __name__ == "__main__":  # python -m generator.guides: rewrite docs/quan-tri.md
    from pathlib import Path

    (Path(__file__).resolve().parent.parent / IT_DOC).write_text(it_guide_markdown(), encoding="utf-8")
