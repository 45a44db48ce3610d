"""Opening workbooks safely and turning their sheets into plain grids.

This is the only module of the reader that touches the workbook libraries
(python-calamine for values and merged ranges) and the file system. It refuses what it cannot read with a typed finding (.xls, .ods,
password-protected, corrupt, empty, enormous or zip-bomb files) instead of
letting a library traceback reach the clerk, and it gives the reader, for each
sheet, its cell values with number formats, its merged ranges and the formula
cells whose cached value is missing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, make

log = logging.getLogger(__name__)

#: Largest workbook file accepted, in bytes.
MAX_FILE_BYTES = 100 * 1024 * 1024
#: Largest total uncompressed size of the parts of an .xlsx (zip bomb guard).
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
#: A single part compressed more than this ratio and bigger than 10 MB is a bomb.
MAX_RATIO = 200

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
#: Files a clerk may save by mistake, with the fix in Vietnamese.
OTHER_FORMATS = {
    ".xls": ("Excel 97-2003 (.xls)", "Mở tệp bằng Excel, chọn Tệp → Lưu thành → Sổ làm việc Excel (.xlsx), rồi dùng tệp .xlsx."),
    ".xlsb": ("Excel nhị phân (.xlsb)", "Mở tệp bằng Excel, chọn Tệp → Lưu thành → Sổ làm việc Excel (.xlsx)."),
    ".ods": ("OpenDocument (.ods)", "Mở tệp bằng LibreOffice, chọn Tệp → Lưu thành → Excel 2007-365 (.xlsx)."),
    ".csv": ("CSV (.csv)", "CSV mất các ô gộp và định dạng: hãy lưu lại dưới dạng .xlsx."),
    ".numbers": ("Apple Numbers", "Xuất tệp sang Excel (.xlsx) rồi dùng tệp .xlsx."),
}


@dataclass(slots=True)
class Grid:
    """One sheet as rows of plain cell values (str, int, float, datetime, bool;
    None when empty), 1-based row numbers, 0-based columns in each list."""

    name: str
    rows: list[tuple[int, list]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, max_col, max_row (1-based)
    formulas_without_value: dict[str, str] = field(default_factory=dict)  # A1 -> formula text
    _formats: "Callable[[str], str] | None" = None

    def number_format(self, ref: str) -> str:
        """The number format of a cell ("General", "0.00", …): only needed for
        numbers (a TT typed as 1.10), so it is looked up on demand."""
        return self._formats(ref) if self._formats else "General"


class WorkbookError(Exception):
    """The file cannot be read at all; ``finding`` says why, in Vietnamese."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def _size_text(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}".replace(".", ",")
        n /= 1024
    return f"{n} B"  # pragma: no cover


def check_file(path: Path, display: str) -> None:
    """Refuse files that are not a readable .xlsx, before a parser sees them."""
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if suffix in OTHER_FORMATS and suffix not in WORKBOOK_SUFFIXES:
        fmt, fix = OTHER_FORMATS[suffix]
        raise WorkbookError(make("file-format", file=display, format=fmt, fix=fix))
    if size == 0:
        raise WorkbookError(make("file-empty", file=display))
    if size > MAX_FILE_BYTES:
        raise WorkbookError(make("file-too-large", file=display, size=_size_text(size), limit=_size_text(MAX_FILE_BYTES)))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        # An OLE container: either a password-protected .xlsx or an .xls renamed.
        with path.open("rb") as fh:
            blob = fh.read(min(size, 4 * 1024 * 1024))
        if ENCRYPTED_MARK in blob:
            raise WorkbookError(make("file-encrypted", file=display))
        fmt, fix = OTHER_FORMATS[".xls"]
        raise WorkbookError(make("file-format", file=display, format=fmt + " đổi tên thành " + suffix, fix=fix))
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookError(make("file-corrupt", file=display, detail="không phải tệp .xlsx"))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                fmt, fix = OTHER_FORMATS[".ods"]
                raise WorkbookError(make("file-format", file=display, format=fmt, fix=fix))
            if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                raise WorkbookError(make("file-corrupt", file=display, detail="thiếu phần xl/workbook.xml"))
            if "xl/workbook.bin" in names:
                fmt, fix = OTHER_FORMATS[".xlsb"]
                raise WorkbookError(make("file-format", file=display, format=fmt, fix=fix))
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise WorkbookError(make("file-too-large", file=display, size=_size_text(info.file_size),
                                             limit=f"tỉ lệ nén {MAX_RATIO}:1"))
            if total > MAX_UNCOMPRESSED_BYTES:
                raise WorkbookError(make("file-too-large", file=display, size=_size_text(total),
                                         limit=_size_text(MAX_UNCOMPRESSED_BYTES)))
    except zipfile.BadZipFile as exc:
        raise WorkbookError(make("file-corrupt", file=display, detail=f"tệp nén bị hỏng hoặc bị cắt cụt: {exc}")) from None


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>.+?</(?:\w+:)?v>|<(?:\w+:)?is>", re.DOTALL)


def column_index(letters: bytes | str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    if isinstance(letters, bytes):
        letters = letters.decode()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(index: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _scan_sheet_xml(xml: bytes) -> tuple[list[tuple[int, int, int, int]], dict[str, str]]:
    """Merged ranges and formula cells without a cached value, straight from
    the sheet XML (python-calamine reports neither)."""
    merges = []
    start = xml.rfind(b"<mergeCells")
    if start == -1:
        start = xml.rfind(b":mergeCells")
    if start != -1:
        for m in _MERGE.finditer(xml, start):
            c1, r1, c2, r2 = m.groups()
            c2, r2 = (c2 or c1), (r2 or r1)
            merges.append((column_index(c1), int(r1), column_index(c2), int(r2)))
    missing: dict[str, str] = {}
    if b"<f" in xml or b":f" in xml:
        for m in _CELL.finditer(xml):
            body = m.group(2)
            if not body or b"f" not in body:
                continue
            fm = _FORMULA.search(body)
            if fm is None or _VALUE.search(body):
                continue
            ref = _REF.search(m.group(1))
            if ref:
                text = (fm.group(1) or b"").decode("utf-8", "replace")
                missing[ref.group(1).decode()] = "=" + text if text else "(công thức dùng chung)"
    return merges, missing


_CELL_STYLE = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+\d+)"[^>]*?\ss="(\d+)"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+)(\d+)"[^>]*?\st="e"[^>]*>.*?<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>', re.DOTALL)

#: Built-in number formats that matter to the reader (decimals of numbers);
#: the others are looked up in openpyxl's table when met.
_BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}


class _Styles:
    """The number format of each cell style of a workbook, from xl/styles.xml,
    parsed on first use (most workbooks never need it)."""

    def __init__(self, archive: zipfile.ZipFile):
        try:
            self._xml = archive.read("xl/styles.xml")
        except (KeyError, zipfile.BadZipFile, OSError, ValueError):
            self._xml = b""
        self._formats: list[str] | None = None

    def _load(self) -> list[str]:
        import xml.etree.ElementTree as ET

        formats: list[str] = []
        try:
            root = ET.fromstring(self._xml)
        except (ET.ParseError, ValueError):
            return formats
        custom = {}
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "numFmt":
                try:
                    custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "General")
                except ValueError:
                    continue
        for el in root.iter():
            if el.tag.rsplit("}", 1)[-1] != "cellXfs":
                continue
            for xf in el:
                try:
                    fmt_id = int(xf.get("numFmtId", "0"))
                except ValueError:
                    fmt_id = 0
                if fmt_id in custom:
                    formats.append(custom[fmt_id])
                elif fmt_id in _BUILTIN_FORMATS:
                    formats.append(_BUILTIN_FORMATS[fmt_id])
                else:
                    from openpyxl.styles.numbers import BUILTIN_FORMATS

                    formats.append(BUILTIN_FORMATS.get(fmt_id, "General"))
            break
        return formats

    def format_of(self, style_id: int) -> str:
        if self._formats is None:
            self._formats = self._load()
        return self._formats[style_id] if 0 <= style_id < len(self._formats) else "General"


def _style_lookup(styles: _Styles, xml: bytes) -> Callable[[str], str]:
    """A function from an A1 reference to its number format, built on first use."""
    table: dict[str, int] = {}

    def number_format(ref: str) -> str:
        if not table:
            table.update((m.group(1).decode(), int(m.group(2))) for m in _CELL_STYLE.finditer(xml))
            table.setdefault("", 0)
        return styles.format_of(table.get(ref, 0))

    return number_format


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part inside the archive."""
    import posixpath
    import xml.etree.ElementTree as ET

    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
    paths = {}
    for el in book.iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet":
            rid = el.get(rel_ns)
            if rid in targets:
                paths[el.get("name", "")] = targets[rid]
    return paths


def _plain(value):
    """python-calamine's values as the reader expects them (openpyxl's types):
    None for empty, whole numbers as int, dates as datetime."""
    cls = value.__class__
    if cls is str:
        return value if value and not value.isspace() else None
    if cls is float:
        return int(value) if value.is_integer() and -1e15 < value < 1e15 else value
    if cls is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def load_grids(path: Path, display: str) -> list[Grid]:
    """Read every sheet of a checked .xlsx into grids.

    Cell values and merged ranges come from python-calamine (Rust, about 15
    times faster than openpyxl); what it does not give, the number format of a
    cell, formulas saved without their value and error values (#DIV/0!), is
    taken from the sheet's XML on demand."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum  # imported here: keeps `cchc --help` fast

    check_file(path, display)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metas = list(workbook.sheets_metadata)
    except Exception as exc:  # any parser failure must not become a traceback
        log.debug("python-calamine failed on %s", display, exc_info=True)
        raise WorkbookError(make("file-corrupt", file=display, detail=f"{type(exc).__name__}: {exc}")) from None
    grids = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(make("file-corrupt", file=display, detail=f"{type(exc).__name__}: {exc}")) from None
    with archive:
        paths = _sheet_paths(archive)
        styles = _Styles(archive)
        for meta in metas:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chartsheets, dialog and macro sheets
            name = meta.name
            try:
                sheet = workbook.get_sheet_by_name(name)
                values = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
                xml = archive.read(paths[name]) if name in paths else b""
            except Exception as exc:  # noqa: BLE001 - corrupt sheet parts
                raise WorkbookError(make("file-corrupt", file=display, sheet=name,
                                         detail=f"trang “{name}”: {type(exc).__name__}: {exc}")) from None
            merges, missing = _scan_sheet_xml(xml)
            if not merges and merged:
                merges = [(c1 + 1, r1 + 1, c2 + 1, r2 + 1) for (r1, c1), (r2, c2) in merged]
            errors = {}
            if b't="e"' in xml:
                errors = {(int(m.group(2)), column_index(m.group(1))): m.group(3).decode("utf-8", "replace")
                          for m in _ERROR_CELL.finditer(xml)}
            rows = []
            for number, raw in enumerate(values, start=1):
                cells = [_plain(v) for v in raw]
                last = len(cells) - 1
                while last >= 0 and cells[last] is None:
                    last -= 1
                if errors:
                    for (r, c), text in errors.items():
                        if r == number:
                            while len(cells) < c:
                                cells.append(None)
                            cells[c - 1] = text
                            last = max(last, c - 1)
                if last >= 0:
                    rows.append((number, cells[: last + 1]))
            if errors:  # an error in a row calamine saw as empty
                seen = {n for n, _ in rows}
                for r in sorted({r for r, _ in errors} - seen):
                    cells = [None] * max(c for rr, c in errors if rr == r)
                    for (rr, c), text in errors.items():
                        if rr == r:
                            cells[c - 1] = text
                    rows.append((r, cells))
                rows.sort(key=lambda item: item[0])
            grids.append(Grid(name, rows, merges, missing, _style_lookup(styles, xml)))
    return grids
