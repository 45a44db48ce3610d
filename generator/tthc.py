"""The typed model of a TTHC progress report (tiến độ giải quyết hồ sơ TTHC).

Pure data, no I/O. One ``TthcRow`` per unit (or level) and period, as in the
standard monthly / quarterly form:

    Kỳ | Từ ngày | Đến ngày | Số hồ sơ tiếp nhận (Tổng, Kỳ trước chuyển sang,
    Tiếp nhận mới, Trực tuyến, Trực tiếp, Qua BCCI) | Đã giải quyết (Tổng,
    Trước hạn, Đúng hạn, Quá hạn) | Đang giải quyết (Tổng, Trong hạn, Quá hạn)
    | Số thư xin lỗi | Số hồ sơ số hóa

A figure the clerk left empty is ``None`` (not reported), never 0: checks and
rates that need it are skipped rather than computed from a guess.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Figure:
    """One number column of the form."""

    key: str  # attribute of TthcRow (English)
    var: str  # name in content/cong-thuc.yml (ASCII Vietnamese, stable)
    label: str  # Vietnamese column name shown to people
    group: str  # the merged header above it ("" for single columns)


FIGURES: tuple[Figure, ...] = (
    Figure("received_total", "tong_tiep_nhan", "Tổng số hồ sơ tiếp nhận", "Số hồ sơ tiếp nhận"),
    Figure("carried_over", "ky_truoc_chuyen_sang", "Kỳ trước chuyển sang", "Số hồ sơ tiếp nhận"),
    Figure("received_new", "tiep_nhan_moi", "Tiếp nhận mới", "Số hồ sơ tiếp nhận"),
    Figure("online", "truc_tuyen", "Trực tuyến", "Số hồ sơ tiếp nhận"),
    Figure("direct", "truc_tiep", "Trực tiếp", "Số hồ sơ tiếp nhận"),
    Figure("postal", "buu_chinh", "Qua dịch vụ BCCI", "Số hồ sơ tiếp nhận"),
    Figure("resolved_total", "da_giai_quyet", "Tổng số đã giải quyết", "Đã giải quyết"),
    Figure("resolved_early", "truoc_han", "Giải quyết trước hạn", "Đã giải quyết"),
    Figure("resolved_on_time", "dung_han", "Giải quyết đúng hạn", "Đã giải quyết"),
    Figure("resolved_late", "qua_han", "Giải quyết quá hạn", "Đã giải quyết"),
    Figure("pending_total", "dang_giai_quyet", "Tổng số đang giải quyết", "Đang giải quyết"),
    Figure("pending_in_time", "dang_trong_han", "Đang giải quyết trong hạn", "Đang giải quyết"),
    Figure("pending_late", "dang_qua_han", "Đang giải quyết quá hạn", "Đang giải quyết"),
    Figure("apologies", "thu_xin_loi", "Số thư xin lỗi", ""),
    Figure("digitised", "so_hoa", "Số hồ sơ số hóa", ""),
)
FIGURE_BY_KEY = {f.key: f for f in FIGURES}

#: Rates typed in the sheet that are checked against the computed ones.
RATES: dict[str, str] = {
    "on_time_rate": "Tỷ lệ giải quyết đúng hạn (trước hạn + đúng hạn / đã giải quyết)",
    "online_rate": "Tỷ lệ tiếp nhận trực tuyến (trực tuyến / tiếp nhận mới)",
    "postal_rate": "Tỷ lệ tiếp nhận qua BCCI (qua BCCI / tiếp nhận mới)",
    "apology_rate": "Tỷ lệ xin lỗi (thư xin lỗi / hồ sơ quá hạn)",
    "digitised_rate": "Tỷ lệ số hóa (số hóa / tiếp nhận mới)",
}


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


@dataclass(slots=True)
class TthcRow:
    """The figures of one unit (or level) for one period, as typed."""

    row: int  # sheet row
    period: str  # "Tháng 01/2022", "Quý I/2022", "Năm 2021" as typed (NFC)
    unit: str = ""  # unit or level ("Trung tâm Hành chính công huyện", "Cấp xã")
    start: dt.date | None = None
    end: dt.date | None = None
    received_total: float | None = None
    carried_over: float | None = None
    received_new: float | None = None
    online: float | None = None
    direct: float | None = None
    postal: float | None = None
    resolved_total: float | None = None
    resolved_early: float | None = None
    resolved_on_time: float | None = None
    resolved_late: float | None = None
    pending_total: float | None = None
    pending_in_time: float | None = None
    pending_late: float | None = None
    apologies: float | None = None
    digitised: float | None = None
    #: rates typed in the sheet (fractions: 0.9863 for "98,63%"), by RATES key
    typed_rates: dict[str, float] = field(default_factory=dict)
    #: cell reference of every figure / rate read, by key (for findings and links)
    cells: dict[str, str] = field(default_factory=dict)
    rate_texts: dict[str, str] = field(default_factory=dict)  # typed rates as typed ("98,63%")
    rate_decimals: dict[str, int] = field(default_factory=dict)  # decimals of the typed percentage
    is_total: bool = False  # a "Tổng cộng" row: checked, never added to the others
    source: str = ""  # "Nguồn số liệu" column: where the figures come from
    illustrative: bool = False  # "dữ liệu minh họa": not real figures
    extra: dict[str, str] = field(default_factory=dict)  # other columns, kept verbatim

    def figure(self, key: str) -> float | None:
        return getattr(self, key)

    # -- rates (fractions 0..1, None when a figure is missing or the base is 0) --
    @property
    def resolved_in_time(self) -> float | None:
        if self.resolved_early is None and self.resolved_on_time is None:
            return None
        return (self.resolved_early or 0) + (self.resolved_on_time or 0)

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.resolved_in_time, self.resolved_total)

    @property
    def online_rate(self) -> float | None:
        return _ratio(self.online, self.received_new)

    @property
    def postal_rate(self) -> float | None:
        return _ratio(self.postal, self.received_new)

    @property
    def apology_rate(self) -> float | None:
        return _ratio(self.apologies, self.resolved_late)

    @property
    def digitised_rate(self) -> float | None:
        return _ratio(self.digitised, self.received_new)

    def rate(self, key: str) -> float | None:
        return getattr(self, key)

    def variables(self) -> dict[str, float]:
        """The figures under their formula-file names (only those reported)."""
        return {f.var: value for f in FIGURES if (value := self.figure(f.key)) is not None}

    @property
    def year(self) -> int | None:
        day = self.end or self.start
        return day.year if day else None


@dataclass(slots=True)
class TthcReport:
    """One sheet of the TTHC progress form."""

    file: str
    sheet: str
    title: str = ""
    header_row: int = 0
    rows: list[TthcRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # key -> column letter
    marked: bool = False  # a “DỮ LIỆU MINH HỌA” line in the title block: every row is illustrative

    @property
    def units(self) -> list[str]:
        seen: dict[str, None] = {}
        for row in self.rows:
            seen.setdefault(row.unit, None)
        return list(seen)

    @property
    def periods(self) -> list[str]:
        seen: dict[str, None] = {}
        for row in sorted(self.rows, key=lambda r: (r.end or r.start or dt.date.max, r.row)):
            seen.setdefault(row.period, None)
        return list(seen)

    @property
    def illustrative(self) -> bool:
        return any(row.illustrative for row in self.rows)


#: Figures that are stocks at a moment (carried over at the start, pending at
#: the end) rather than flows over the period: never added across periods.
_OPENING = ("carried_over",)
_CLOSING = ("pending_total", "pending_in_time", "pending_late")


def aggregate(rows: list[TthcRow], period: str = "", unit: str = "") -> TthcRow:
    """The figures of several periods and units as one row: flows added up,
    the opening stock of each unit's first period and the closing stock of
    its last. A figure stays None when no row reported it."""
    rows = [r for r in rows if not r.is_total]
    out = TthcRow(row=0, period=period, unit=unit)
    if not rows:
        return out
    ordered = sorted(rows, key=lambda r: (r.start or r.end or dt.date.min, r.row))
    out.start = min((r.start for r in rows if r.start), default=None)
    out.end = max((r.end for r in rows if r.end), default=None)
    out.illustrative = any(r.illustrative for r in rows)
    by_unit: dict[str, list[TthcRow]] = {}
    for row in ordered:
        by_unit.setdefault(row.unit, []).append(row)
    for figure in FIGURES:
        key = figure.key
        if key in _OPENING:
            values = [unit_rows[0].figure(key) for unit_rows in by_unit.values()]
        elif key in _CLOSING:
            values = [unit_rows[-1].figure(key) for unit_rows in by_unit.values()]
        else:
            values = [r.figure(key) for r in rows]
        present = [v for v in values if v is not None]
        setattr(out, key, sum(present) if present else None)
    if out.carried_over is not None and out.received_new is not None:
        out.received_total = out.carried_over + out.received_new
    elif any(len(unit_rows) > 1 for unit_rows in by_unit.values()):
        out.received_total = None  # each period's total repeats what it carried over
    return out


def finest(rows: list[TthcRow]) -> list[TthcRow]:
    """Drop each row whose period holds a shorter period of the same unit
    (a quarter next to its months), so that nothing is counted twice."""
    kept = []
    for row in rows:
        if row.start and row.end and any(
                other is not row and other.unit == row.unit and other.start and other.end
                and row.start <= other.start and other.end <= row.end
                and (other.end - other.start) < (row.end - row.start)
                for other in rows):
            continue
        kept.append(row)
    return kept
