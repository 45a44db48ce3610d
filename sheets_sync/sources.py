"""The sources of the site's data, as listed under ``sources:`` in site.yml.

Each source has an ``id`` (also the name of its snapshot, ``sheets/<id>.xlsx``),
a ``kind`` (plan, scores, tthc, inspection) and either a local ``path`` (.xlsx) or a
``google_sheet`` (the spreadsheet's URL or id). Every key is checked and a
wrong one is named with its line in site.yml, like mkdocs' config schema.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import yaml

KINDS = {"plan": "bảng phân công", "scores": "bảng điểm Chỉ số CCHC", "tthc": "bảng tiến độ giải quyết TTHC",
         "inspection": "bảng kiểm tra CCHC và khắc phục"}
_KEYS = {
    "id": "mã nguồn (chữ thường không dấu, số, gạch ngang), cũng là tên tệp sheets/<id>.xlsx",
    "kind": "loại bảng: plan (phân công), scores (điểm Chỉ số CCHC), tthc (tiến độ TTHC) hoặc inspection "
            "(kiểm tra CCHC, khắc phục)",
    "title": "tên hiển thị của bảng (không bắt buộc)",
    "path": "đường dẫn tệp .xlsx, tính từ thư mục nội dung",
    "google_sheet": "địa chỉ (URL) hoặc mã của Google Sheet",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_SHEET_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]{20,})(?:[/?#].*)?$")
_SHEET_ID = re.compile(r"^[A-Za-z0-9_-]{25,}$")


class SourceError(ValueError):
    """A problem in the sources list; the message names the line, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    kind: str
    line: int  # where it is declared in site.yml
    title: str = ""
    path: str = ""  # local .xlsx, relative to the content folder
    google_sheet: str = ""  # as written in site.yml
    spreadsheet_id: str = ""  # parsed from google_sheet

    @property
    def is_google(self) -> bool:
        return bool(self.spreadsheet_id)

    @property
    def snapshot_name(self) -> str:
        return f"{self.id}.xlsx"

    @property
    def label(self) -> str:
        return self.title or self.id

    @property
    def url(self) -> str:
        """Where the data comes from, for people (and the snapshot's metadata)."""
        if self.spreadsheet_id:
            return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"
        return self.path


def spreadsheet_id(value: str) -> str | None:
    """The id in a Google Sheets URL, or the value itself if it is an id."""
    value = value.strip()
    match = _SHEET_URL.match(value)
    if match:
        return match.group(1)
    return value if _SHEET_ID.match(value) else None


def _suggest(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f" Có phải là “{close[0]}”?" if close else f" Các khóa hợp lệ: {', '.join(known)}."


def parse_sources(node: yaml.Node, file: str) -> list[Source]:
    """The ``sources:`` value of site.yml (a composed YAML node)."""
    if not isinstance(node, yaml.SequenceNode):
        raise SourceError(f"{file}, dòng {node.start_mark.line + 1}: “sources” phải là một danh sách, mỗi mục "
                          f"bắt đầu bằng “- id: …”.")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for item in node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise SourceError(f"{file}, dòng {line}: mỗi nguồn phải là các cặp “khóa: giá trị” (id, kind, path "
                              f"hoặc google_sheet).")
        values: dict[str, str] = {}
        for key_node, value_node in item.value:
            key, key_line = key_node.value, key_node.start_mark.line + 1
            if key not in _KEYS:
                raise SourceError(f"{file}, dòng {key_line}: khóa “{key}” của nguồn không hợp lệ.{_suggest(key, _KEYS)}")
            if key in values:
                raise SourceError(f"{file}, dòng {key_line}: khóa “{key}” ghi hai lần trong một nguồn.")
            if not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
                raise SourceError(f"{file}, dòng {key_line}: “{key}” phải là một chuỗi ({_KEYS[key]}).")
            values[key] = str(value_node.value).strip()
        if "id" not in values:
            raise SourceError(f"{file}, dòng {line}: nguồn thiếu “id” ({_KEYS['id']}).")
        source_id = values["id"]
        if not _ID.match(source_id):
            raise SourceError(f"{file}, dòng {line}: id “{source_id}” không hợp lệ: chỉ dùng chữ thường không dấu, "
                              f"số và dấu gạch ngang (ví dụ “phan-cong-2022”).")
        if source_id in seen:
            raise SourceError(f"{file}, dòng {line}: id “{source_id}” trùng với nguồn ở dòng {seen[source_id]}.")
        seen[source_id] = line
        kind = values.get("kind")
        if kind not in KINDS:
            what = f"“{kind}” không hợp lệ" if kind else "thiếu"
            raise SourceError(f"{file}, dòng {line}: “kind” của nguồn “{source_id}” {what}; dùng "
                              + ", ".join(f"{k} ({v})" for k, v in KINDS.items()) + ".")
        if ("path" in values) == ("google_sheet" in values):
            raise SourceError(f"{file}, dòng {line}: nguồn “{source_id}” cần đúng một trong hai khóa “path” "
                              f"(tệp .xlsx) hoặc “google_sheet” (Google Sheet).")
        sheet_id = ""
        if "google_sheet" in values:
            sheet_id = spreadsheet_id(values["google_sheet"]) or ""
            if not sheet_id:
                raise SourceError(f"{file}, dòng {line}: “google_sheet” của nguồn “{source_id}” không phải địa chỉ "
                                  f"Google Sheet: cần dạng https://docs.google.com/spreadsheets/d/<mã>/edit "
                                  f"hoặc chỉ phần <mã>.")
        elif not values["path"].lower().endswith(".xlsx"):
            raise SourceError(f"{file}, dòng {line}: “path” của nguồn “{source_id}” phải là tệp .xlsx.")
        sources.append(Source(id=source_id, kind=kind, line=line, title=values.get("title", ""),
                              path=values.get("path", ""), google_sheet=values.get("google_sheet", ""),
                              spreadsheet_id=sheet_id))
    return sources
