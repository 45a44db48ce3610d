"""The typed model of a phụ lục phân công (assignment appendix).

Pure data: no I/O, no openpyxl. Everything downstream (validation, pages, data
files, PDFs) is built from these objects. Text in the model is already NFC
normalised by the reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class DeadlineKind(str, Enum):
    """How a deadline was written; stable strings used in exports."""

    DATE = "date"  # "05/01/2022", a real Excel date
    BEFORE_DATE = "before-date"  # "Trước 05/01/2022", "Chậm nhất ngày 12/3/2022"
    MONTH = "month"  # "Tháng 6/2022"
    QUARTER = "quarter"  # "Quý I/2022"
    YEAR_RANGE = "year-range"  # "Năm 2025-2030", "2026 - 2030", "Trong năm 2022", 2025
    RECURRING = "recurring"  # "Thường xuyên", "Hằng năm", "Định kỳ hằng tháng"
    RELATIVE = "relative"  # "Chậm nhất 30 ngày kể từ …", "Theo yêu cầu …"
    FREE_TEXT = "free-text"  # anything else, kept verbatim

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DeadlineKind.DATE: "ngày cụ thể",
    DeadlineKind.BEFORE_DATE: "trước ngày",
    DeadlineKind.MONTH: "trong tháng",
    DeadlineKind.QUARTER: "trong quý",
    DeadlineKind.YEAR_RANGE: "trong năm / giai đoạn",
    DeadlineKind.RECURRING: "thường xuyên / định kỳ",
    DeadlineKind.RELATIVE: "theo sự kiện / yêu cầu",
    DeadlineKind.FREE_TEXT: "chưa xác định",
}


@dataclass(slots=True)
class Deadline:
    """One deadline as the clerk wrote it, and what it resolves to.

    ``date`` is the last day the work may be done, where one can be derived
    (the date itself, the end of the month / quarter / year range).
    ``start`` is the first day of a month / quarter / year range.
    ``label`` is text before a colon ("Báo cáo Quý I: Trước ngày 12/3/2022").
    ``product`` is the N of a "(Sản phẩm N)" tag.
    ``invalid`` explains why a date-looking text is impossible (31/02/2022).
    """

    text: str
    kind: DeadlineKind
    date: dt.date | None = None
    start: dt.date | None = None
    label: str = ""
    product: int | None = None
    invalid: str = ""


@dataclass(slots=True)
class UnitRef:
    """A unit named in a lead / support cell.

    ``unit_id`` is the registry id when the name was recognised, else None
    (an unknown unit, kept verbatim in ``text``). ``group`` is the registry id
    of a group ("Các phòng, ban cấp huyện") the name expanded from.
    ``qualifier`` keeps trailing words like "được kiểm tra".
    ``suggestion`` is the closest known name for an unknown one.
    """

    text: str
    unit_id: str | None = None
    group: str | None = None
    product: int | None = None
    qualifier: str = ""
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class Product:
    """One output (sản phẩm đầu ra) of a task; ``number`` from "(Sản phẩm N)"."""

    text: str
    number: int | None = None


@dataclass(slots=True)
class Task:
    """An assignment row: what must be produced, by whom, by when."""

    id: str  # stable within a plan: the TT, or "<criterion>-<n>" for un-numbered sub-items
    code: str  # the TT exactly as read ("" for a sub-item row)
    row: int
    title: str
    criterion: str | None = None  # code of the criterion the task belongs to
    points: float | None = None
    products: list[Product] = field(default_factory=list)
    lead: list[UnitRef] = field(default_factory=list)
    support: list[UnitRef] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    lead_text: str = ""
    support_text: str = ""
    deadline_text: str = ""
    products_text: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    status_text: str = ""  # from a Tiến độ / Trạng thái column, if any


@dataclass(slots=True)
class Section:
    """A node of the criteria tree: a group (NHÓM 1), a part (A, I, III.1) or a
    criterion (1, 1.1, 1.1.1). Leaf criteria usually also have a Task."""

    code: str
    title: str
    row: int
    kind: str = "criterion"  # "group" | "part" | "criterion"
    points: float | None = None
    children: list["Section"] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # other cells of the row, by header
    task_ids: list[str] = field(default_factory=list)
    numeric_code: bool = False  # the TT was typed as a number (Excel may have eaten a 0)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class PlanMeta:
    """What the title block above the header says."""

    issuer: str = ""
    title: str = ""
    document_number: str = ""
    attached_to: str = ""  # the "(Ban hành kèm theo …)" line
    year: int | None = None
    year_end: int | None = None  # for a "giai đoạn 2021-2025" plan
    lines: list[str] = field(default_factory=list)  # every title-block line, verbatim
    illustrative: bool = False  # a “DỮ LIỆU MINH HỌA” line: not real figures


@dataclass(slots=True)
class Plan:
    """One sheet of an assignment appendix."""

    file: str
    sheet: str
    meta: PlanMeta
    header_row: int
    first_data_row: int
    columns: dict[str, str]  # field name -> column letter ("code" -> "A")
    headers: dict[str, str]  # column letter -> header text as written
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def issuer(self) -> str:
        return self.meta.issuer

    @property
    def year(self) -> int | None:
        return self.meta.year

    def walk_sections(self):
        for section in self.sections:
            yield from section.walk()

    def cell(self, field_name: str, row: int) -> str:
        """A1 reference of a field's cell on a row ("" if the column is absent)."""
        column = self.columns.get(field_name)
        return f"{column}{row}" if column else ""


@dataclass(slots=True)
class Unit:
    """A unit from content/units.yml."""

    id: str
    name: str
    kind: str
    short_names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class UnitGroup:
    """A group name that stands for several units ("UBND các xã, thị trấn")."""

    id: str
    name: str
    members: list[str]  # unit ids
    aliases: list[str] = field(default_factory=list)
