"""Typed totals and rates against computed ones: rounding, truncation, mismatch.

Clerks type "77,58" for a computed 77,586 (truncated), "98,63%" for a rate;
a check tells an acceptable rounding from a truncation from a real mistake.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from . import text as tx
from .findings import Finding, make
from .scores import TypedTotal

TOLERANCE = 0.0005  # points: typed values have at most three decimals
MAX_DECIMALS = 3  # a number stored with more digits (a formula's result) is compared at this precision
_FORMAT_DECIMALS = re.compile(r"\.(0+)")


_TEXT_DECIMALS = re.compile(r"[.,](\d+)\s*%?$")


def text_decimals(text: str) -> int:
    """How many decimals a number typed as text shows: "77,58" -> 2, "98,6%" -> 1, "96" -> 0."""
    match = _TEXT_DECIMALS.search(text.strip())
    return len(match.group(1)) if match else 0


def typed_decimals(value: float, number_format: str = "General") -> int:
    """How many decimals a number stored in a cell shows: those of its number
    format ("0.00" -> 2), else its own digits, at most MAX_DECIMALS (a formula
    result like 1,6666666666666667 is compared at 3)."""
    match = _FORMAT_DECIMALS.search(number_format or "")
    if match:
        return min(len(match.group(1)), 6)
    number = float(value)
    if number.is_integer():
        return 0
    digits = format(Decimal(repr(number)).normalize(), "f").partition(".")[2]
    return min(len(digits), MAX_DECIMALS)


def compare_typed(typed_value: float, decimals: int, computed: float) -> tuple[str, str]:
    """("ok" | "truncated" | "mismatch", the computed value rounded as typed)."""
    decimals = max(0, min(decimals, 6))
    exact = Decimal(repr(round(computed, 9)))
    quantum = Decimal(1).scaleb(-decimals)
    try:
        rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
        truncated = exact.quantize(quantum, rounding=ROUND_DOWN)
        typed = Decimal(repr(typed_value)).quantize(quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # an absurdly large number: compare as floats
        same = math.isclose(typed_value, computed, abs_tol=TOLERANCE)
        return ("ok" if same else "mismatch"), tx.format_number(computed, 3)
    if typed == rounded:
        return "ok", tx.format_number(float(rounded), max(decimals, 0))
    if typed == truncated:
        return "truncated", tx.format_number(float(rounded), max(decimals, 0))
    return "mismatch", tx.format_number(float(rounded), max(decimals, 0))


def typed_total_findings(typed: TypedTotal, computed: float | None, what: str, *, file: str, sheet: str,
                         unit: str = "", alternatives: tuple[float, ...] = ()) -> list[Finding]:
    """Compare one typed total (or rate) with the computed value."""
    if computed is None or any(math.isclose(typed.value, a, abs_tol=TOLERANCE) for a in alternatives):
        return []
    verdict, rounded = compare_typed(typed.value, typed.decimals, computed)
    if verdict == "ok":
        return []
    exact = tx.format_number(computed, 3) + unit
    if verdict == "truncated":
        return [make("total-truncated", file=file, sheet=sheet, cell=typed.cell, row=typed.row, what=what,
                     typed=typed.text + unit, computed=exact, rounded=rounded + unit)]
    detail = ""
    if 0 < typed.decimals < 3 and abs(typed.value - computed) < 10 ** -typed.decimals * 1.5:
        detail = f" (làm tròn đến {typed.decimals} chữ số thập phân là {rounded}{unit})"
    return [make("total-mismatch", file=file, sheet=sheet, cell=typed.cell, row=typed.row, what=what,
                 typed=typed.text + unit, computed=exact, detail=detail)]
