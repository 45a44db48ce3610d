"""What the "Chỉ số CCHC" and "Tiến độ giải quyết TTHC" pages show, as tested
objects (like datasette's template contexts): built from the score cards, the
TTHC reports and the formula file, with the charts drawn at build time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup
from slugify import slugify

from . import text as tx
from .charts import Bar, Series, bar_chart, trend_chart
from .formulas import FormulaSet, Projection
from .scores import EPSILON, ScoreCard, ScoreItem, criterion_for
from .totals import compare_typed
from .tthc import TthcReport, TthcRow, aggregate, finest

SCORES_URL = "chi-so-cchc/"
TTHC_URL = "tien-do-tthc/"


def points(value: float | None) -> str:
    """Points as the index publishes them: up to three decimals, comma."""
    return tx.format_number(value, 3)


# --- scores ------------------------------------------------------------------------


@dataclass(slots=True)
class AreaRow:
    item: ScoreItem
    score: float | None
    lost: float | None
    lost_items: list[ScoreItem]


@dataclass(slots=True)
class CardView:
    card: ScoreCard
    headline: float | None  # the published total when it agrees with the computed one
    headline_text: str
    truncated: bool  # the published total is the computed one truncated, not rounded
    areas: list[AreaRow]
    chart: Markup

    @property
    def label(self) -> str:
        return f"Năm {self.card.year}" if self.card.year else self.card.sheet

    @property
    def percentage(self) -> float | None:
        cap = self.card.applicable_max
        if self.headline is None or not cap:
            return None
        return self.headline / cap * 100

    anchor: str = ""  # unique on the page: "nam-2021"


def _headline(card: ScoreCard) -> tuple[float | None, str, bool]:
    computed = card.total_score
    if computed is None:
        return None, "", False
    for typed in card.typed_totals:
        if typed.what != "score":
            continue
        verdict, _ = compare_typed(typed.value, typed.decimals, computed)
        if verdict in ("ok", "truncated"):
            return typed.value, tx.format_number(typed.value, max(typed.decimals, 2)), verdict == "truncated"
    return computed, points(computed), False


def card_view(card: ScoreCard, anchor: str = "") -> CardView:
    basis = card.basis
    lost_all = card.lost_items()
    areas = []
    for item in card.items:
        inside = {id(node) for node in item.walk()}
        areas.append(AreaRow(item, item.value(basis), item.lost(basis),
                             [node for node in lost_all if id(node) in inside]))
    headline, text, truncated = _headline(card)
    bars = [Bar(f"{a.item.code}. {a.item.title}" if a.item.code else a.item.title, a.score,
                a.item.applicable_max) for a in areas]
    year = card.year or ""
    anchor = anchor or (f"nam-{card.year}" if card.year else slugify(card.sheet) or "bang-diem")
    chart = bar_chart(bars, chart_id=f"chi-so-{anchor}", title=f"Điểm từng lĩnh vực {year}".strip(),
                      description=f"{card.basis_label.capitalize()} của từng lĩnh vực so với điểm tối đa "
                                  f"(đã trừ tiêu chí không phát sinh).", unit="điểm")
    return CardView(card, headline, text, truncated, areas, chart, anchor)


@dataclass(slots=True)
class ComparisonRow:
    code: str
    title: str
    values: list[tuple[float | None, float | None]]  # (score, applicable max) per year


@dataclass(slots=True)
class ScoresView:
    cards: list[CardView]  # oldest first
    comparison: list[ComparisonRow] = field(default_factory=list)
    comparison_chart: Markup = Markup("")
    _previous: dict = field(default_factory=dict, repr=False)  # plan year -> (card view, its listed items)

    def lost_for(self, code: str | None, plan_year: int | None) -> "LostPoints | None":
        """What criterion ``code`` lost in the score card of the year before ``plan_year``
        (the card and its lost criteria worked out once per year, not once per task)."""
        if plan_year not in self._previous:
            card = previous_card([cv.card for cv in self.cards], plan_year)
            view = next((cv for cv in self.cards if cv.card is card), None)
            self._previous[plan_year] = (view, {id(item) for item in card.lost_items()} if card else set())
        view, listed = self._previous[plan_year]
        found = lost_points(code, view.card if view else None, listed)
        if found is not None:
            found.anchor = view.anchor
        return found

    @property
    def latest(self) -> CardView | None:
        return self.cards[-1] if self.cards else None

    @property
    def url(self) -> str:
        return SCORES_URL


def scores_view(cards: list[ScoreCard]) -> ScoresView:
    ordered = sorted(cards, key=lambda c: (c.year or 0, c.file, c.sheet))
    taken: set[str] = set()
    views = []
    for card in ordered:
        base = f"nam-{card.year}" if card.year else slugify(card.sheet) or "bang-diem"
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        views.append(card_view(card, anchor))
    view = ScoresView(views)
    if len(ordered) >= 2:
        codes: dict[str, str] = {}
        for card in ordered:
            for item in card.items:
                codes.setdefault(item.code, item.title)
        for code, title in codes.items():
            values = []
            for card in ordered:
                item = card.find(code)
                values.append((item.value(card.basis), item.applicable_max) if item else (None, None))
            view.comparison.append(ComparisonRow(code, title, values))
        labels = [f"{c.year}" if c.year else c.sheet for c in ordered]
        series = [Series("Tỷ lệ điểm đạt được", [cv.percentage for cv in view.cards])]
        view.comparison_chart = trend_chart(labels, series, chart_id="chi-so-qua-cac-nam",
                                            title="Tỷ lệ điểm Chỉ số CCHC qua các năm",
                                            description="Tổng điểm so với điểm tối đa (đã trừ tiêu chí không "
                                                        "phát sinh), theo năm.", unit="%", y_max=100)
    return view


@dataclass(slots=True)
class LostPoints:
    """Points a plan task's criterion lost in the score card of an earlier year."""

    year: int | None
    item: ScoreItem
    lost: float
    reason: str
    anchor: str = ""  # the score card's anchor on the scores page
    listed: bool = True  # the item has its own row in the page's table of lost criteria

    @property
    def text(self) -> str:
        when = f"Năm {self.year}" if self.year else "Kỳ đánh giá trước"
        return f"{when}, tiêu chí {self.item.code} mất {points(self.lost)} điểm"


def previous_card(cards: list[ScoreCard], plan_year: int | None) -> ScoreCard | None:
    """The score card of the year before the plan (else the latest earlier one)."""
    dated = sorted((c for c in cards if c.year), key=lambda c: c.year)
    if plan_year is not None:
        dated = [c for c in dated if c.year < plan_year]
    return dated[-1] if dated else None


def lost_points(code: str | None, card: ScoreCard | None, listed: set[int] | None = None) -> LostPoints | None:
    """``listed``: ids of the card's lost_items(), when the caller already has them."""
    if not code or card is None or not code[0].isdigit():
        return None
    item = criterion_for(code, card)
    if item is None:
        return None
    lost = item.lost(card.basis)
    if lost is None or lost < EPSILON:
        return None
    reason = item.reason or "; ".join(child.reason for child in item.children if child.reason)
    if listed is None:
        listed = {id(other) for other in card.lost_items()}
    return LostPoints(card.year, item, lost, reason, listed=id(item) in listed)


# --- TTHC --------------------------------------------------------------------------


@dataclass(slots=True)
class PeriodRow:
    """One period, every unit added up; ``units`` keeps each unit's own row."""

    label: str
    short: str
    total: TthcRow
    units: list[TthcRow]


@dataclass(slots=True)
class ProjectionRow:
    projection: Projection
    actual: float | None = None  # the appraised score of that criterion, that year, if published


@dataclass(slots=True)
class YearProjection:
    year: int
    figures: TthcRow
    rows: list[ProjectionRow]
    illustrative: bool


@dataclass(slots=True)
class TthcView:
    reports: list[TthcReport]
    periods: list[PeriodRow]
    projections: list[YearProjection]  # latest year first
    chart: Markup
    formulas: FormulaSet | None = None

    @property
    def illustrative(self) -> bool:
        return any(r.illustrative for r in self.reports)

    @property
    def url(self) -> str:
        return TTHC_URL


def _short(row: TthcRow) -> str:
    if row.start and row.end:
        if row.start.month == row.end.month and row.start.year == row.end.year:
            return f"T{row.start.month}/{row.start.year}"
        if row.start == dt.date(row.start.year, 1, 1) and row.end == dt.date(row.start.year, 12, 31):
            return f"{row.start.year}"
    return row.period


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def tthc_view(reports: list[TthcReport], formulas: FormulaSet | None, cards: list[ScoreCard]) -> TthcView:
    rows = [row for report in reports for row in report.rows if not row.is_total]
    groups: dict[tuple, list[TthcRow]] = {}
    for row in rows:
        key = (row.start, row.end) if (row.start and row.end) else (row.period,)
        groups.setdefault(key, []).append(row)
    periods = []
    for members in sorted(groups.values(), key=lambda m: (m[0].start or dt.date.max, m[0].row)):
        first = members[0]
        total = aggregate(members, period=first.period, unit="Tổng")
        periods.append(PeriodRow(first.period, _short(first), total, members))
    series = [
        Series("Giải quyết đúng hạn", [_pct(p.total.on_time_rate) for p in periods]),
        Series("Tiếp nhận trực tuyến", [_pct(p.total.online_rate) for p in periods]),
        Series("Qua bưu chính công ích", [_pct(p.total.postal_rate) for p in periods]),
    ]
    chart = trend_chart([p.short for p in periods], series, chart_id="tien-do-tthc",
                        title="Tỷ lệ giải quyết đúng hạn, trực tuyến và qua BCCI theo kỳ",
                        description="Tỷ lệ phần trăm của mỗi kỳ báo cáo, mọi đơn vị cộng lại.",
                        unit="%", y_max=100, threshold=95, threshold_label="Mục tiêu đúng hạn 95%")
    projections = []
    if formulas is not None:
        years = sorted({row.year for row in rows if row.year}, reverse=True)
        by_year = {card.year: card for card in cards if card.year}
        for year in years:
            members = finest([row for row in rows if row.year == year])
            figures = aggregate(members, period=f"Năm {year}")
            card = by_year.get(year)
            out = []
            for projection in formulas.evaluate(figures.variables()):
                actual = None
                if card is not None:
                    item = card.find(projection.code)
                    actual = item.value(card.basis) if item else None
                out.append(ProjectionRow(projection, actual))
            projections.append(YearProjection(year, figures, out, figures.illustrative))
    return TthcView(reports, periods, projections, chart, formulas)
