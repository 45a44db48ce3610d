"""Inline SVG charts rendered at build time: no JavaScript, readable at 360 px,
printable in black and white.

Each chart is a ``<figure class="cchc-chart" data-kind="bar|trend">`` holding an
``<svg role="img">`` (labelled by its own ``<title>`` and ``<desc>``) and a
``<figcaption>`` that repeats the data as a Vietnamese sentence: the text
alternative. The viewBox is 360 units wide and text is 12–13 units, so on a
phone the text stays about the size of body text; put a ``max-width`` on
``.cchc-chart svg`` (e.g. 36rem) so it does not grow huge on desktops.
Spreadsheet text is untrusted: every string is escaped; labels are truncated
with "…" in the SVG (full text in the caption and in ``<title>`` tooltips).

CSS classes used (colours come from CSS; ``fill``/``stroke`` attributes are
only fallbacks):

- bar chart: ``bar-row`` (one ``<g>`` per item), ``bar-label``, ``bar-max``
  (track = maximum), ``bar-score`` (value), ``bar-lost`` (overlay from value to
  maximum, ``fill="none"`` unless styled, e.g. hatched), ``bar-value`` (value
  text), ``value-missing`` ("chưa có số liệu").
- trend chart: ``grid``, ``axis``, ``tick`` (y tick labels), ``x-label``,
  ``axis-unit``, ``threshold``, ``threshold-label``, ``line`` and ``markers``
  plus ``series-1`` … ``series-4`` (cycled after 4; each series also has its
  own dash pattern and marker shape: circle, square, triangle, diamond), so
  style ``.line.series-N`` with ``stroke`` and ``.markers.series-N`` with
  ``fill``; ``legend`` (one ``<g>`` per series) and ``legend-label``. The
  ``threshold-label`` may cross lines: a halo such as ``paint-order: stroke;
  stroke: white; stroke-width: 3px`` keeps it readable.
- empty input: ``<p class="cchc-chart-empty">``.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

log = logging.getLogger(__name__)

WIDTH = 360
PAD = 4
LABEL_SIZE = 13
SMALL_SIZE = 12
PLOT_HEIGHT = 160
MISSING = "chưa có số liệu"
EMPTY = Markup('<p class="cchc-chart-empty">Chưa có số liệu để vẽ biểu đồ.</p>')
_SVG_NS = "http://www.w3.org/2000/svg"
_DASHES = ("", "7 4", "2 3", "9 3 2 3")
_NICE = (1, 2, 2.5, 5, 10)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    maximum: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


# --- text and number helpers -------------------------------------------------

def _num(value: float, digits: int = 2) -> str:
    """Vietnamese style: 6.69 -> "6,69", 6690 -> "6.690", 8.0 -> "8"."""
    text = f"{abs(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return ("-" if value < 0 and text.strip("0.,") else "") + text


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def _finite(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        log.warning("charts: not a number, drawn as missing: %r", value)
        return None
    return number if math.isfinite(number) else None


def _clean(text: object) -> str:
    """NFC, one line, no characters that XML forbids."""
    value = unicodedata.normalize("NFC", str(text or ""))
    value = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff" else ch
                    for ch in value)
    return " ".join(value.split())


def _char_width(ch: str) -> float:
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    if base in "ijlI.,:;'!|":
        return 0.3
    if base in " ()[]/-frt":
        return 0.4
    if base in "mwMW%@":
        return 0.95
    if base.isupper():
        return 0.72
    return 0.6


def _width(text: str, size: float) -> float:
    """Conservative estimate of rendered width in user units."""
    return sum(_char_width(ch) for ch in text) * size


def _fit(text: str, width: float, size: float) -> str:
    if _width(text, size) <= width:
        return text
    budget, used, cut = width - _width("…", size), 0.0, 0
    for cut, ch in enumerate(text):
        used += _char_width(ch) * size
        if used > budget:
            break
    return text[:cut].rstrip() + "…"


def _wrap(text: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """Greedy word wrap; the last allowed line is truncated with "…"."""
    words, lines, current = text.split(" "), [], ""
    for i, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if not current or _width(trial, size) <= width:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[i:])
            break
    lines.append(current)
    return [_fit(line, width, size) for line in lines]


def _slug(chart_id: str) -> str:
    text = unicodedata.normalize("NFKD", chart_id.replace("đ", "d").replace("Đ", "D"))
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower()).strip("-")
    return text if text[:1].isalpha() else f"chart-{text}".rstrip("-")


# --- SVG helpers ---------------------------------------------------------------

def _r(value: float) -> str:
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _el(name: str, attrs: dict[str, object], content: str = "") -> str:
    """One element; attribute values escaped, floats rounded. ``content`` must be markup."""
    parts = [name] + [f'{key}="{escape(_r(value) if isinstance(value, float) else value)}"'
                      for key, value in attrs.items() if value is not None and value != ""]
    head = " ".join(parts)
    return f"<{head}>{content}</{name}>" if content else f"<{head}/>"


def _t(text: str) -> str:
    return str(escape(text))


def _sentence(kind: str, description: str, parts: Sequence[str], lead: Sequence[str] = ()) -> str:
    """ "Kind: description. Lead sentence. part; part." """
    head = _clean(description).rstrip(" .")
    return " ".join([f"{kind}: {head}." if head else f"{kind}.", *(f"{s}." for s in lead),
                     "; ".join(parts) + "."])


def _figure(kind: str, chart_id: str, title: str, summary: str, height: float, body: list[str]) -> Markup:
    cid = _slug(chart_id)
    svg = _el("svg", {
        "xmlns": _SVG_NS, "class": "cchc-chart-svg", "viewBox": f"0 0 {WIDTH} {_r(height)}",
        "width": "100%", "preserveAspectRatio": "xMinYMin meet", "role": "img",
        "aria-labelledby": f"{cid}-title {cid}-desc", "focusable": "false",
        "font-size": LABEL_SIZE, "overflow": "hidden",
    }, "\n".join([_el("title", {"id": f"{cid}-title"}, _t(_clean(title) or "Biểu đồ")),
                  _el("desc", {"id": f"{cid}-desc"}, _t(summary)), *body]))
    return Markup(f'<figure class="cchc-chart" data-kind="{kind}">\n{svg}\n'
                  f"<figcaption>{_t(summary)}</figcaption>\n</figure>")


# --- bar chart -------------------------------------------------------------------

def bar_chart(items: Sequence[Bar], *, chart_id: str, title: str, description: str,
              unit: str = "điểm") -> Markup:
    """Horizontal bars, one row per item (label above, bar with maximum track
    behind it, value text in a right column). Scale: largest maximum or value."""
    if not items:
        return EMPTY
    rows = [(_clean(b.label) or "—", _finite(b.value), _finite(b.maximum), _clean(b.note)) for b in items]
    scale = max([max(v or 0.0, m or 0.0) for _, v, m, _ in rows] + [0.0])

    def value_text(v: float | None, m: float | None, sep: str) -> str:
        if v is None:
            return MISSING
        return _with_unit(_num(v) if m is None else f"{_num(v)}{sep}{_num(m)}", unit)

    shown = [value_text(v, m, " / ") for _, v, m, _ in rows if v is not None]
    value_w = min(max([_width(s, SMALL_SIZE) + 8 for s in shown] + [0.0]), WIDTH * 0.45)
    track_w = WIDTH - 2 * PAD - value_w
    body, parts, y = [], [], float(PAD)
    for label, v, m, note in rows:
        said = value_text(v, m, "/") + (f" ({note})" if note else "")
        parts.append(f"{label}: {said}")
        row = [_el("title", {}, _t(f"{label}: {said}"))]
        for line in _wrap(label, WIDTH - 2 * PAD, LABEL_SIZE):
            row.append(_el("text", {"class": "bar-label", "x": PAD, "y": y + 13.0}, _t(line)))
            y += 16
        top = y + 3
        if v is None:
            row.append(_el("text", {"class": "value-missing", "x": PAD, "y": top + 11.0,
                                    "font-size": SMALL_SIZE, "font-style": "italic"}, _t(MISSING)))
        else:
            drawn = max(v, 0.0)
            if m is not None and m > 0 and scale > 0:
                row.append(_el("rect", {"class": "bar-max", "x": PAD, "y": top, "width": track_w * m / scale,
                                        "height": 14, "fill": "#e4e7eb"}))
            row.append(_el("rect", {"class": "bar-score", "x": PAD, "y": top, "height": 14, "fill": "#2f5f8f",
                                    "width": track_w * drawn / scale if scale > 0 else 0.0}))
            if m is not None and m > drawn and scale > 0:
                row.append(_el("rect", {"class": "bar-lost", "x": PAD + track_w * drawn / scale, "y": top,
                                        "width": track_w * (m - drawn) / scale, "height": 14, "fill": "none"}))
            row.append(_el("text", {"class": "bar-value", "x": float(WIDTH - PAD), "y": top + 11.0,
                                    "text-anchor": "end", "font-size": SMALL_SIZE},
                           _t(_fit(value_text(v, m, " / "), value_w - 4, SMALL_SIZE))))
        body.append(_el("g", {"class": "bar-row"}, "".join(row)))
        y = top + 14 + 12
    summary = _sentence("Biểu đồ cột ngang", description, parts)
    return _figure("bar", chart_id, title, summary, y - 12 + PAD, body)


# --- trend chart -----------------------------------------------------------------

def _is_nice(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(abs(mantissa - m) < 1e-9 for m in _NICE)


def _axis(y_max: float | None, peak: float, unit: str) -> tuple[float, int]:
    """(top of the axis, number of intervals), 2–4 intervals of a nice step."""
    if y_max is not None and y_max > 0:
        return y_max, next((k for k in (4, 5, 3, 2) if _is_nice(y_max / k)), 4)
    if peak <= 0:
        peak = 100.0 if unit == "%" else 1.0
    magnitude = 10 ** math.floor(math.log10(peak / 4))
    step = next(m * magnitude for m in _NICE if m * magnitude >= peak / 4 - 1e-12)
    intervals = math.ceil(peak / step - 1e-9)
    return step * intervals, intervals


def _marker(shape: int, x: float, y: float, tip: str = "") -> str:
    """Circle, square, triangle or diamond (fill inherited from the group)."""
    content = _el("title", {}, _t(tip)) if tip else ""
    if shape == 0:
        return _el("circle", {"cx": x, "cy": y, "r": 3.5}, content)
    if shape == 1:
        return _el("rect", {"x": x - 3.5, "y": y - 3.5, "width": 7, "height": 7}, content)
    points = ([(x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)] if shape == 2
              else [(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)])
    return _el("path", {"d": "M" + " L".join(f"{_r(px)},{_r(py)}" for px, py in points) + " Z"}, content)


def trend_chart(labels: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str,
                description: str, unit: str = "%", y_max: float | None = None,
                threshold: float | None = None, threshold_label: str = "") -> Markup:
    """Line chart over periods; None leaves a gap; optional dashed threshold line."""
    names = [_clean(label) for label in labels]
    n = len(names)
    data: list[tuple[str, list[float | None]]] = []
    for s in series:
        if len(s.values) != n:
            log.warning("charts: series %r has %d values for %d periods", s.name, len(s.values), n)
        values = [_finite(v) for v in list(s.values)[:n]]
        data.append((_clean(s.name) or "—", values + [None] * (n - len(values))))
    if not n or not data:
        return EMPTY
    if len(data) > 4:
        log.warning("charts: %d series, styles repeat after 4", len(data))
    limit = _finite(threshold)
    peak = max([v for _, vs in data for v in vs if v is not None] + [limit or 0.0, 0.0])
    top_value, intervals = _axis(_finite(y_max), peak, unit)
    if peak > top_value:
        log.warning("charts: data up to %s exceed the axis top %s, drawn at the top", peak, top_value)

    def fmt(v: float) -> str:
        return _with_unit(_num(v), unit)

    ticks = [_num(top_value * i / intervals) + (" %" if unit == "%" else "") for i in range(intervals + 1)]
    left = min(PAD + max(_width(t, SMALL_SIZE) for t in ticks) + 6, WIDTH / 3)
    right = WIDTH - PAD - 4.0
    top = PAD + 8 + (16 if unit and unit != "%" else 0)
    bottom = top + PLOT_HEIGHT
    shown = [_fit(name, 120, SMALL_SIZE) for name in names]
    half = max(_width(s, SMALL_SIZE) for s in shown) / 2
    inset_l, inset_r = max(8.0, half - (left - PAD)), max(8.0, half - (WIDTH - PAD - right))
    span = right - left - inset_l - inset_r
    xs = [left + inset_l + span * i / (n - 1) for i in range(n)] if n > 1 else [(left + right) / 2]
    step = max(1, math.ceil((2 * half + 8) / (span / (n - 1)))) if n > 1 else 1

    def y_of(v: float) -> float:
        return bottom - PLOT_HEIGHT * min(max(v, 0.0), top_value) / top_value

    body: list[str] = []
    if unit and unit != "%":
        body.append(_el("text", {"class": "axis-unit", "x": PAD, "y": PAD + 12.0, "font-size": SMALL_SIZE},
                        _t(_fit(f"({_clean(unit)})", WIDTH - 2 * PAD, SMALL_SIZE))))
    for i, tick in enumerate(ticks):
        y = y_of(top_value * i / intervals)
        body.append(_el("line", {"class": "axis" if i == 0 else "grid", "x1": left, "x2": right, "y1": y, "y2": y,
                                 "stroke": "currentColor", "stroke-opacity": "1" if i == 0 else "0.2"}))
        body.append(_el("text", {"class": "tick", "x": left - 4, "y": y + 4, "text-anchor": "end",
                                 "font-size": SMALL_SIZE}, _t(tick)))
    for i, x in enumerate(xs):
        body.append(_el("line", {"class": "axis", "x1": x, "x2": x, "y1": bottom, "y2": bottom + 4.0,
                                 "stroke": "currentColor"}))
        if (n - 1 - i) % step == 0:
            body.append(_el("text", {"class": "x-label", "x": x, "y": bottom + 17.0, "text-anchor": "middle",
                                     "font-size": SMALL_SIZE}, _t(shown[i])))
    lead = [f"Giai đoạn {names[0]} – {names[-1]} ({n} kỳ)" if n > 1 else f"Kỳ {names[0]}"]
    parts: list[str] = []
    if limit is not None:
        text = _clean(threshold_label) or fmt(limit)
        lead.append(f"Đường nét đứt: {text}" if _num(limit) in text else f"Đường nét đứt: {text} ({fmt(limit)})")
        if limit > top_value or limit < 0:
            log.warning("charts: threshold %s outside the axis 0–%s, not drawn", limit, top_value)
        else:
            y = y_of(limit)
            body.append(_el("line", {"class": "threshold", "x1": left, "x2": right, "y1": y, "y2": y,
                                     "stroke": "currentColor", "stroke-dasharray": "6 4"}))
            body.append(_el("text", {"class": "threshold-label", "x": right, "y": y - 4 if y - top > 14 else y + 14,
                                     "text-anchor": "end", "font-size": SMALL_SIZE},
                            _t(_fit(text, (right - left) * 0.6, SMALL_SIZE))))
    legend, lx, ly = [], float(PAD), bottom + 38.0
    for index, (name, values) in enumerate(data):
        cls, shape, dash = f"series-{index % 4 + 1}", index % 4, _DASHES[index % 4]
        run: list[str] = []
        for i, v in enumerate(values + [None]):
            if v is not None:
                run.append(f"{_r(xs[i])},{_r(y_of(v))}")
            elif run:
                if len(run) > 1:
                    body.append(_el("polyline", {"class": f"line {cls}", "points": " ".join(run), "fill": "none",
                                                 "stroke": "currentColor", "stroke-width": 2,
                                                 "stroke-dasharray": dash}))
                run = []
        body.append(_el("g", {"class": f"markers {cls}", "fill": "currentColor"}, "".join(
            _marker(shape, xs[i], y_of(v), f"{name} – {names[i]}: {fmt(v)}")
            for i, v in enumerate(values) if v is not None)))
        known = [(v, names[i]) for i, v in enumerate(values) if v is not None]
        if not known:
            parts.append(f"{name}: {MISSING}")
        elif len(known) == 1:
            parts.append(f"{name}: {fmt(known[0][0])} ({known[0][1]})")
        else:
            low, high = min(known, key=lambda p: p[0]), max(known, key=lambda p: p[0])
            parts.append(f"{name}: từ {fmt(known[0][0])} ({known[0][1]}) đến {fmt(known[-1][0])} ({known[-1][1]}), "
                         f"thấp nhất {fmt(low[0])} ({low[1]}), cao nhất {fmt(high[0])} ({high[1]})")
        label = _fit(name, WIDTH - 2 * PAD - 30, SMALL_SIZE)
        item_w = 30 + _width(label, SMALL_SIZE) + 14
        if lx > PAD and lx + item_w > WIDTH - PAD:
            lx, ly = float(PAD), ly + 18
        legend.append(_el("g", {"class": f"legend {cls}", "fill": "currentColor"}, "".join([
            _el("line", {"class": f"line {cls}", "x1": lx, "x2": lx + 24, "y1": ly - 4, "y2": ly - 4,
                         "stroke": "currentColor", "stroke-width": 2, "stroke-dasharray": dash}),
            _el("g", {"class": f"markers {cls}"}, _marker(shape, lx + 12, ly - 4)),
            _el("text", {"class": "legend-label", "x": lx + 30, "y": ly, "font-size": SMALL_SIZE}, _t(label))])))
        lx += item_w
    summary = _sentence("Biểu đồ đường", description, parts, lead)
    return _figure("trend", chart_id, title, summary, ly + 6 + PAD, body + legend)
