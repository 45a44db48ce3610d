"""The open-data download: CSV, JSON, the original workbooks, and a Frictionless
Data Package descriptor (https://specs.frictionlessdata.io/data-package/) that
describes them.

Pure: ``open_data_files`` returns {relative path: bytes}; the caller writes them.
Deterministic: no timestamps, fixed key order, so an unchanged input gives
byte-identical files (and no spurious diff on the published site).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

from . import export
from .model import DeadlineKind, Plan
from .text import fold

CSV_PATH = "nhiem-vu.csv"
JSON_PATH = "ke-hoach.json"
WORKBOOK_DIR = "bang-tinh"
DESCRIPTOR_PATH = "datapackage.json"

XLSX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Table Schema type and Vietnamese description of each column in
#: ``export.CSV_COLUMNS`` (the column list itself lives only there).
COLUMN_INFO: dict[str, tuple[str, str]] = {
    "file": ("string", "Tên tệp bảng tính gốc"),
    "sheet": ("string", "Tên trang tính (sheet) trong tệp"),
    "row": ("integer", "Số dòng của nhiệm vụ trong trang tính"),
    "id": ("string", "Mã nhiệm vụ, duy nhất trong một kế hoạch (số thứ tự, hoặc “<tiêu chí>-<n>” "
                     "cho mục không đánh số)"),
    "code": ("string", "Số thứ tự (TT) đúng như trong bảng tính; để trống nếu dòng không đánh số"),
    "criterion": ("string", "Mã tiêu chí, tiêu chí thành phần mà nhiệm vụ thuộc về"),
    "title": ("string", "Nội dung nhiệm vụ / tiêu chí"),
    "points": ("number", "Điểm tối đa (dấu phẩy thập phân); để trống nếu không ghi"),
    "products": ("string", "Sản phẩm đầu ra, mỗi sản phẩm một dòng"),
    "lead": ("string", "Đơn vị chủ trì, đúng như trong bảng tính"),
    "support": ("string", "Đơn vị phối hợp, đúng như trong bảng tính"),
    "lead_ids": ("string", "Mã đơn vị / nhóm đơn vị chủ trì, cách nhau bằng “; ” (“?” là tên chưa nhận diện được)"),
    "support_ids": ("string", "Mã đơn vị / nhóm đơn vị phối hợp, cách nhau bằng “; ” (“?” là tên chưa nhận diện được)"),
    "deadlines": ("string", "Thời hạn hoàn thành đúng như trong bảng tính, mỗi thời hạn một dòng"),
    "deadline_dates": ("string", "Ngày hạn cuối (YYYY-MM-DD) của từng thời hạn, mỗi thời hạn một dòng; "
                                 "dòng trống nếu thời hạn không quy ra được ngày"),
    "deadline_kinds": ("string", "Loại của từng thời hạn, mỗi thời hạn một dòng: "
                                 + ", ".join(f"{k.value} ({k.label})" for k in DeadlineKind)),
}

_NAME_CHARS = re.compile(r"[^a-z0-9._-]+")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def csv_header(text: str) -> list[str]:
    """Column names of a CSV produced by ``export.to_csv`` (BOM removed)."""
    return next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def csv_schema(header: list[str]) -> dict:
    """Table Schema of the CSV: the ``export.CSV_COLUMNS`` first, then the extra
    columns of the workbooks (their header text as written)."""
    known = export.CSV_COLUMNS
    if header[:len(known)] != known:
        raise ValueError(f"CSV header does not start with export.CSV_COLUMNS: {header[:len(known)]}")
    fields = []
    for position, column in enumerate(header):
        if position < len(known):
            kind, description = COLUMN_INFO.get(column, ("string", f"Cột “{column}”"))
        else:
            kind, description = "string", f"Cột “{column}” của bảng tính gốc, giữ nguyên như đã ghi"
        field = {"name": column, "type": kind, "description": description}
        if kind == "number":
            field["decimalChar"] = ","
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def resource_name(filename: str, taken: set[str]) -> str:
    """A Data Package resource name (lower case a-z0-9 . _ -), unique in ``taken``."""
    base = _NAME_CHARS.sub("-", fold(filename.rsplit(".", 1)[0]).replace(" ", "-")).strip("-._") or "bang-tinh"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def _check_workbook_name(name: str) -> None:
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"tên tệp bảng tính không hợp lệ: {name!r}")


SCORES_CSV = "chi-so-cchc.csv"
TTHC_CSV = "tien-do-tthc.csv"


def _csv_resource(name: str, path: str, title: str, description: str, data: bytes, schema: dict) -> dict:
    return {
        "name": name, "path": path, "title": title, "description": description,
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        "bytes": len(data), "hash": sha256(data),
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": True,
                    "header": True},
        "schema": schema,
    }


def open_data_files(plans: list[Plan], workbooks: list[tuple[str, bytes]], cards=(), reports=()) -> dict[str, bytes]:
    """{relative path: content} of the open-data download."""
    csv_text = export.to_csv(plans)
    csv_bytes = csv_text.encode("utf-8")
    json_bytes = export.to_json(plans).encode("utf-8")

    files: dict[str, bytes] = {CSV_PATH: csv_bytes, JSON_PATH: json_bytes}
    taken = {"nhiem-vu", "ke-hoach"}
    resources = [
        {
            "name": "nhiem-vu",
            "path": CSV_PATH,
            "title": "Danh sách nhiệm vụ",
            "description": "Mỗi dòng là một nhiệm vụ của phụ lục phân công: nội dung, điểm, sản phẩm, "
                           "đơn vị chủ trì, phối hợp và thời hạn.",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "bytes": len(csv_bytes),
            "hash": sha256(csv_bytes),
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": True,
                        "header": True},
            "schema": csv_schema(csv_header(csv_text)),
        },
        {
            "name": "ke-hoach",
            "path": JSON_PATH,
            "title": "Kế hoạch đầy đủ",
            "description": "Toàn bộ kế hoạch dạng cây: nhóm, tiêu chí, nhiệm vụ, đơn vị và thời hạn đã phân tích.",
            "profile": "data-resource",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "bytes": len(json_bytes),
            "hash": sha256(json_bytes),
        },
    ]
    from . import indicator_export as ix

    indicators = [
        (cards, "chi-so-cchc", SCORES_CSV, ix.scores_csv, ix.SCORE_COLUMNS, "Điểm Chỉ số CCHC",
         "Mỗi dòng là một lĩnh vực, tiêu chí của một năm: điểm tối đa, điểm không phát sinh, điểm tự đánh "
         "giá, điểm thẩm định, điểm mất và lý do."),
        (reports, "tien-do-tthc", TTHC_CSV, ix.tthc_csv, ix.TTHC_COLUMNS, "Tiến độ giải quyết hồ sơ TTHC",
         "Mỗi dòng là số hồ sơ của một đơn vị trong một kỳ báo cáo, kèm các tỷ lệ tính được."),
    ]
    for items, name, path, write, columns, title, description in indicators:
        if not items:
            continue
        data = write(list(items)).encode("utf-8")
        files[path] = data
        taken.add(name)
        resources.append(_csv_resource(name, path, title, description, data, ix.schema(columns)))
    for name, content in workbooks:
        _check_workbook_name(name)
        path = f"{WORKBOOK_DIR}/{name}"
        if path in files:
            raise ValueError(f"tệp bảng tính bị trùng tên: {name!r}")
        files[path] = content
        resources.append({
            "name": resource_name(name, taken),
            "path": path,
            "title": f"Bảng tính gốc: {name}",
            "profile": "data-resource",
            "format": "xlsx",
            "mediatype": XLSX_MEDIATYPE,
            "bytes": len(content),
            "hash": sha256(content),
        })

    descriptor = {
        "profile": "data-package",
        "name": "cchc-cong-khai",
        "title": "Công khai cải cách hành chính",
        "description": "Phụ lục phân công nhiệm vụ cải cách hành chính (CCHC): danh sách nhiệm vụ (CSV), "
                       "kế hoạch đầy đủ (JSON), điểm Chỉ số CCHC và tiến độ giải quyết hồ sơ TTHC (CSV, "
                       "nếu có) và bảng tính gốc (XLSX).",
        "resources": resources,
    }
    files[DESCRIPTOR_PATH] = (json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode(
        "utf-8")
    return files


__all__ = ["COLUMN_INFO", "open_data_files", "csv_header", "csv_schema", "resource_name", "sha256"]
