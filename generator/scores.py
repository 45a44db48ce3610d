"""The typed model of a CCHC index score sheet (Chỉ số CCHC) and its index.

Pure data, no I/O. A ScoreCard is one year's scores of one body (a district,
a department): a tree of ScoreItems by TT (1 → 1.1 → 1.1.1), each with its
maximum, the self-assessed and appraised points, the points of component
criteria that did not arise that year (không phát sinh nhiệm vụ) and the
reason points were lost.

The index is computed, never copied from the sheet: total score, maximum
excluding N/A criteria, percentage. Totals the clerk typed (the "77,58/96,0"
of the title, a "Tổng cộng" row) are kept to be checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Columns of the score sheet, with the Vietnamese name shown in messages.
SCORE_FIELDS = {
    "code": "TT",
    "title": "Lĩnh vực/Tiêu chí",
    "maximum": "Điểm tối đa",
    "self_score": "Điểm tự đánh giá",
    "appraised": "Điểm thẩm định",
    "not_applicable": "Điểm không phát sinh",
    "reason": "Lý do mất điểm / Ghi chú",
}
APPRAISED = "appraised"
SELF = "self_score"
BASIS_LABELS = {APPRAISED: "điểm thẩm định", SELF: "điểm tự đánh giá"}
EPSILON = 1e-6


@dataclass(slots=True)
class ScoreItem:
    """One area, criterion or component criterion of the index."""

    code: str
    title: str
    row: int
    maximum: float | None = None
    self_score: float | None = None
    appraised: float | None = None
    not_applicable: float = 0.0  # points that did not arise (0 if none)
    not_applicable_typed: bool = False  # False: the cell was empty (derived from the children, if any)
    reason: str = ""
    children: list["ScoreItem"] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # field -> cell reference
    extra: dict[str, str] = field(default_factory=dict)  # other columns, verbatim

    def value(self, basis: str) -> float | None:
        return self.appraised if basis == APPRAISED else self.self_score

    @property
    def applicable_max(self) -> float | None:
        """The maximum the criterion could really earn: minus N/A points."""
        if self.maximum is None:
            return None
        return self.maximum - self.not_applicable

    @property
    def fully_not_applicable(self) -> bool:
        return self.maximum is not None and self.maximum > 0 and self.not_applicable >= self.maximum - EPSILON

    def lost(self, basis: str) -> float | None:
        score, cap = self.value(basis), self.applicable_max
        if score is None or cap is None:
            return None
        return max(0.0, round(cap - score, 6))

    @property
    def depth(self) -> int:
        return self.code.count(".")

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class TypedTotal:
    """A total the clerk typed: in the title ("Tổng điểm: 77,58/96,0"), a
    "Tổng cộng" row, or a percentage ("đạt 80,81%")."""

    what: str  # "score" | "maximum" | "percentage"
    value: float
    text: str  # as typed, for messages
    cell: str
    row: int
    decimals: int  # digits after the comma as typed (for rounding vs truncation)


@dataclass(slots=True)
class ScoreCard:
    """One sheet of scores: one body, one year."""

    file: str
    sheet: str
    title: str = ""
    year: int | None = None
    subject: str = ""  # whose scores: "huyện Quảng Điền"
    rank: str = ""  # "xếp thứ 8/9 huyện, thị xã, thành phố" as typed
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> column letter
    items: list[ScoreItem] = field(default_factory=list)  # top-level areas
    typed_totals: list[TypedTotal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines under the total row (Ghi chú…), verbatim
    illustrative: bool = False  # a “DỮ LIỆU MINH HỌA” line in the title block: not real figures

    @property
    def basis(self) -> str:
        """Appraised points if the sheet has any, else the self-assessment."""
        if any(item.appraised is not None for item in self.all_items()):
            return APPRAISED
        return SELF

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]

    def all_items(self) -> list[ScoreItem]:
        return [node for item in self.items for node in item.walk()]

    def find(self, code: str) -> ScoreItem | None:
        return next((item for item in self.all_items() if item.code == code), None)

    def _sum(self, getter) -> float | None:
        values = [getter(item) for item in self.items]
        if not values or all(v is None for v in values):
            return None
        return round(sum(v for v in values if v is not None), 6)

    @property
    def total_max(self) -> float | None:
        return self._sum(lambda item: item.maximum)

    @property
    def total_not_applicable(self) -> float:
        return self._sum(lambda item: item.not_applicable) or 0.0

    @property
    def applicable_max(self) -> float | None:
        total = self.total_max
        return None if total is None else round(total - self.total_not_applicable, 6)

    def total(self, basis: str | None = None) -> float | None:
        basis = basis or self.basis
        return self._sum(lambda item: item.value(basis))

    @property
    def total_score(self) -> float | None:
        return self.total()

    @property
    def percentage(self) -> float | None:
        score, cap = self.total_score, self.applicable_max
        if score is None or not cap:
            return None
        return score / cap * 100

    def lost_items(self) -> list[ScoreItem]:
        """Criteria that lost points, deepest level that has a score, in order."""
        basis = self.basis
        out = []
        for item in self.all_items():
            lost = item.lost(basis)
            if not lost or lost < EPSILON:
                continue
            if any(child.value(basis) is not None and (child.lost(basis) or 0) > EPSILON for child in item.children):
                continue  # the children say where the points went
            out.append(item)
        return out


def criterion_for(code: str, card: ScoreCard) -> ScoreItem | None:
    """The deepest score item whose TT is ``code`` or a prefix of it by
    segments: a plan task 3.5.1 is joined to 3.5.1, else 3.5, else 3."""
    parts = code.split(".")
    index = {item.code: item for item in card.all_items()}
    while parts:
        item = index.get(".".join(parts))
        if item is not None:
            return item
        parts.pop()
    return None
