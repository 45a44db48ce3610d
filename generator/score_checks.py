"""Checks of a CCHC index score sheet: the arithmetic clerks get wrong.

Children's points sum to the parent (maximum, scores, N/A points); a score
never exceeds what the criterion could earn nor falls below 0; an N/A
criterion carries no score; a typed total or percentage equals the computed
one (and when it does not, whether it was truncated rather than rounded).
Each finding sits on the cell it concerns.
"""

from __future__ import annotations

from . import text as tx
from .findings import Finding, make
from .scores import APPRAISED, BASIS_LABELS, EPSILON, SCORE_FIELDS, SELF, ScoreCard, ScoreItem
from .totals import TOLERANCE, typed_total_findings


def fmt(value: float | None) -> str:
    return tx.format_number(value, 3)


def _sum_checks(item: ScoreItem, card: ScoreCard) -> list[Finding]:
    out = []
    if not item.children:
        return out
    for name in ("maximum", "self_score", "appraised", "not_applicable"):
        value = getattr(item, name)
        children = [getattr(child, name) for child in item.children]
        present = [v for v in children if v is not None]
        if value is None or not present:
            continue
        if name == "not_applicable" and (not item.not_applicable_typed or (value == 0 and not any(present))):
            continue  # an empty N/A cell is derived from the children, never a mismatch
        total = round(sum(present), 6)
        if abs(total - value) > TOLERANCE:
            cell = item.cells.get(name) or item.cells.get("code", "")
            out.append(make("score-sum-mismatch", file=card.file, sheet=card.sheet, cell=cell, row=item.row,
                            code=item.code or item.title, column=SCORE_FIELDS[name].lower(), value=fmt(value),
                            total=fmt(total), children=" + ".join(fmt(v) for v in present)))
    return out


def _range_checks(item: ScoreItem, card: ScoreCard, basis: str) -> list[Finding]:
    out = []
    code = item.code or item.title
    where = dict(file=card.file, sheet=card.sheet, row=item.row)
    if item.maximum is not None and item.not_applicable > item.maximum + EPSILON:
        out.append(make("score-not-applicable", cell=item.cells.get("not_applicable", ""), code=code,
                        detail=f"ghi {fmt(item.not_applicable)} điểm không phát sinh, nhiều hơn điểm tối đa "
                               f"{fmt(item.maximum)}", **where))
    for name in (SELF, APPRAISED):
        score = item.value(name)
        if score is None:
            if name == basis and not item.children and item.maximum and not item.fully_not_applicable:
                out.append(make("score-missing", cell=item.cells.get(name, ""), code=code,
                                column=BASIS_LABELS[name], **where))
            continue
        column = BASIS_LABELS[name]
        cell = item.cells.get(name, "")
        if score < -EPSILON:
            out.append(make("score-negative", cell=cell, code=code, column=column, score=fmt(score), **where))
            continue
        if item.fully_not_applicable and score > EPSILON:
            out.append(make("score-not-applicable", cell=cell, code=code,
                            detail=f"không phát sinh nhiệm vụ ({fmt(item.not_applicable)} điểm) nhưng vẫn được "
                                   f"chấm {fmt(score)} {column}", **where))
            continue
        cap = item.applicable_max
        if cap is not None and score > cap + TOLERANCE:
            detail = (f" (tối đa {fmt(item.maximum)}, không phát sinh {fmt(item.not_applicable)})"
                      if item.not_applicable else "")
            out.append(make("score-over-max", cell=cell, code=code, score=fmt(score), column=column,
                            maximum=fmt(cap), detail=detail, **where))
    return out


_WHAT = {
    "score": "tổng {basis}",
    "score-self": "tổng điểm tự đánh giá",
    "maximum": "tổng điểm tối đa",
    "percentage": "tỷ lệ điểm đạt được",
}


def check_card(card: ScoreCard) -> list[Finding]:
    """Every finding about one score sheet, in sheet order."""
    findings: list[Finding] = []
    basis = card.basis
    for item in card.all_items():
        findings.extend(_sum_checks(item, card))
        findings.extend(_range_checks(item, card, basis))
    for typed in card.typed_totals:
        what = _WHAT[typed.what].format(basis=card.basis_label)
        if typed.what == "score":
            computed, alt, unit = card.total(basis), (), ""
        elif typed.what == "score-self":
            computed, alt, unit = card.total(SELF), (), ""
        elif typed.what == "maximum":
            # "/96" (without N/A criteria) and "/100" (all criteria) are both right
            computed, alt, unit = card.applicable_max, (card.total_max or 0.0,), ""
        else:
            computed, alt, unit = card.percentage, (), "%"
        findings.extend(typed_total_findings(typed, computed, what, file=card.file, sheet=card.sheet,
                                             unit=unit, alternatives=alt))
    findings.sort(key=lambda f: f.row or 0)
    return findings
