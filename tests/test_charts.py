"""Inline SVG charts: well-formed, accessible, escaped, proportional, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from generator.charts import WIDTH, Bar, Series, _num, bar_chart, trend_chart

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert(1)</script>" onload="x'
MONTHS = [f"T{m}/{y}" for y in (2022, 2023) for m in range(1, 13)]


def parse(markup: str) -> ET.Element:
    """The whole figure must be well-formed XML."""
    return ET.fromstring(f"<root>{markup}</root>").find("figure")


def svg_of(figure: ET.Element) -> ET.Element:
    return figure.find("s:svg", NS)


def view_box(svg: ET.Element) -> list[float]:
    return [float(v) for v in svg.get("viewBox").split()]


def by_class(svg: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [el for el in svg.iter(f"{{{NS['s']}}}{tag}") if cls in (el.get("class") or "").split()]


def texts(svg: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in svg.iter(f"{{{NS['s']}}}text")]


def scores() -> list[Bar]:
    return [
        Bar("Lĩnh vực 1: Công tác chỉ đạo, điều hành cải cách hành chính", 6.69, 8),
        Bar("Lĩnh vực 2: Cải cách thể chế", 4, 8),
        Bar("Lĩnh vực 3", None, 6),
        Bar("Lĩnh vực 4", -1.5, 8, note="bị trừ điểm"),
    ]


def bars() -> Markup:
    return bar_chart(scores(), chart_id="diem-2022", title="Điểm thẩm định 2022",
                     description="điểm thẩm định từng lĩnh vực so với điểm tối đa")


def trend(**kwargs) -> Markup:
    values = [95 + i * 0.1 for i in range(24)]
    values[5] = None
    series = [Series("Đúng hạn", values), Series("Trực tuyến", [60 + i for i in range(24)])]
    options = dict(chart_id="ty-le", title="Tỷ lệ hồ sơ", description="tỷ lệ hồ sơ đúng hạn",
                   threshold=95, threshold_label="Mục tiêu 95 %")
    options.update(kwargs)
    return trend_chart(MONTHS, series, **options)


@pytest.mark.parametrize("value, digits, text", [
    (6.69, 2, "6,69"), (8.0, 2, "8"), (6690, 2, "6.690"), (1234567.5, 2, "1.234.567,5"),
    (29.3249, 2, "29,32"), (-1.5, 2, "-1,5"), (-0.001, 2, "0"), (100, 0, "100"), (0.25, 2, "0,25"),
])
def test_number_format(value, digits, text):
    assert _num(value, digits) == text


@pytest.mark.parametrize("make", [bars, trend])
def test_accessible_svg(make):
    markup = make()
    assert isinstance(markup, Markup)
    figure = parse(markup)
    assert figure.get("class") == "cchc-chart"
    svg = svg_of(figure)
    assert svg.get("role") == "img" and svg.get("focusable") == "false"
    assert svg.get("width") == "100%" and svg.get("height") is None
    assert svg.get("preserveAspectRatio") == "xMinYMin meet"
    x0, y0, width, height = view_box(svg)
    assert (x0, y0) == (0, 0) and 360 <= width <= 480 and height > 0
    ids = svg.get("aria-labelledby").split()
    assert [svg.find("s:title", NS).get("id"), svg.find("s:desc", NS).get("id")] == ids
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", i) for i in ids)
    caption = figure.find("figcaption").text
    assert caption == svg.find("s:desc", NS).text
    for el in svg.iter():
        if el.get("font-size"):
            assert float(el.get("font-size")) >= 12
        for attr in ("x", "x1", "x2", "cx"):
            if el.get(attr) is not None:
                assert 0 <= float(el.get(attr)) <= width, (el.tag, el.attrib)


def test_chart_id_is_slugged():
    svg = svg_of(parse(bar_chart(scores(), chart_id="Điểm 2022 / Quảng Điền", title="t", description="d")))
    assert svg.get("aria-labelledby") == "diem-2022-quang-dien-title diem-2022-quang-dien-desc"
    svg = svg_of(parse(bar_chart(scores(), chart_id="2022", title="t", description="d")))
    assert svg.find("s:title", NS).get("id") == "chart-2022-title"


def test_bar_widths_proportional():
    svg = svg_of(parse(bars()))
    track, score = by_class(svg, "rect", "bar-max"), by_class(svg, "rect", "bar-score")
    assert len(track) == 3 and len(score) == 3  # None: no bar, no track
    ratio = float(score[0].get("width")) / float(track[0].get("width"))
    assert ratio == pytest.approx(6.69 / 8, abs=0.002)
    assert float(score[1].get("width")) / float(track[1].get("width")) == pytest.approx(0.5, abs=0.002)
    assert float(score[2].get("width")) == 0  # negative clamped
    x0, _, width, _ = view_box(svg)
    for rect in track + score:
        assert float(rect.get("x")) + float(rect.get("width")) <= width


def test_bar_texts_and_caption():
    figure = parse(bars())
    shown = texts(svg_of(figure))
    assert "6,69 / 8 điểm" in shown and "-1,5 / 8 điểm" in shown and "chưa có số liệu" in shown
    assert any(t.endswith("…") for t in shown) or all(len(t) < 60 for t in shown)
    caption = figure.find("figcaption").text
    assert caption.startswith("Biểu đồ cột ngang: điểm thẩm định từng lĩnh vực so với điểm tối đa. ")
    assert "Lĩnh vực 1: Công tác chỉ đạo, điều hành cải cách hành chính: 6,69/8 điểm;" in caption
    assert "Lĩnh vực 3: chưa có số liệu" in caption and "(bị trừ điểm)" in caption
    tips = ["".join(g.find("s:title", NS).itertext()) for g in by_class(svg_of(figure), "g", "bar-row")]
    assert tips[0] == "Lĩnh vực 1: Công tác chỉ đạo, điều hành cải cách hành chính: 6,69/8 điểm"


def test_long_labels_truncated_and_thousands():
    label = "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn và trước hạn " * 4
    figure = parse(bar_chart([Bar(label, 6690, 10000)], chart_id="x", title="t", description="d", unit="hồ sơ"))
    shown = texts(svg_of(figure))
    assert "6.690 / 10.000 hồ sơ" in shown
    assert shown[-2].endswith("…") and len(shown) == 3  # two label lines, the last truncated
    assert label.strip() in figure.find("figcaption").text


def test_hostile_labels_escaped():
    items = [Bar(HOSTILE, 1, 2, note=HOSTILE), Bar("a\x00b\x0bc & d", 1)]
    for markup in (
        bar_chart(items, chart_id=HOSTILE, title=HOSTILE, description=HOSTILE),
        trend_chart([HOSTILE, "b"], [Series(HOSTILE, [1, 2])], chart_id=HOSTILE, title=HOSTILE,
                    description=HOSTILE, threshold=1, threshold_label=HOSTILE, unit=HOSTILE),
    ):
        assert "<script" not in markup and 'onload="' not in markup
        figure = parse(markup)
        svg = svg_of(figure)
        assert all(el.get("onload") is None for el in figure.iter())
        assert HOSTILE in svg.find("s:title", NS).text
        assert HOSTILE in figure.find("figcaption").text


def test_empty_input():
    empty = '<p class="cchc-chart-empty">Chưa có số liệu để vẽ biểu đồ.</p>'
    assert bar_chart([], chart_id="a", title="t", description="d") == Markup(empty)
    assert trend_chart([], [Series("a", [])], chart_id="a", title="t", description="d") == Markup(empty)
    assert trend_chart(["T1"], [], chart_id="a", title="t", description="d") == Markup(empty)


def test_trend_gap_at_none():
    svg = svg_of(parse(trend()))
    first = by_class(svg, "polyline", "series-1")
    assert [len(p.get("points").split()) for p in first] == [5, 18]
    assert len(by_class(svg, "polyline", "series-2")) == 1
    markers = by_class(svg, "g", "markers")
    assert len(list(markers[0])) == 23 and len(list(markers[1])) == 24
    assert markers[0][0].tag != markers[1][0].tag  # distinct marker shapes
    dashes = [p.get("stroke-dasharray") for p in by_class(svg, "polyline", "line")]
    assert dashes[0] is None and dashes[-1]  # distinct dash patterns


def test_trend_axis_and_threshold():
    svg = svg_of(parse(trend()))
    ticks = [t.text for t in by_class(svg, "text", "tick")]
    assert ticks == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert 3 <= len(by_class(svg, "line", "grid")) + 1 <= 5
    line = by_class(svg, "line", "threshold")
    assert len(line) == 1 and line[0].get("stroke-dasharray")
    axis = by_class(svg, "line", "axis")[0]
    zero, hundred = float(axis.get("y1")), float(by_class(svg, "line", "grid")[-1].get("y1"))
    assert float(line[0].get("y1")) == pytest.approx(zero + (hundred - zero) * 0.95, abs=0.1)
    assert by_class(svg, "text", "threshold-label")[0].text == "Mục tiêu 95 %"
    assert [t.text for t in by_class(svg, "text", "legend-label")] == ["Đúng hạn", "Trực tuyến"]


@pytest.mark.parametrize("peak, top", [(97.5, 100), (3, 3), (101, 150), (0.8, 0.8), (6690, 8000)])
def test_trend_nice_axis(peak, top):
    svg = svg_of(parse(trend_chart(["a", "b"], [Series("s", [0, peak])], chart_id="n", title="t",
                                   description="d", unit="")))
    ticks = by_class(svg, "text", "tick")
    assert 3 <= len(ticks) <= 5
    assert ticks[-1].text == _num(top)


def test_trend_x_labels_thinned():
    svg = svg_of(parse(trend()))
    labels = by_class(svg, "text", "x-label")
    assert 2 <= len(labels) <= 8
    assert labels[-1].text == "T12/2023"  # the latest period is always shown
    xs = [float(t.get("x")) for t in labels]
    assert all(b - a >= 60 for a, b in zip(xs, xs[1:]))
    three = svg_of(parse(trend_chart(["T1", "T2", "T3"], [Series("s", [1, 2, 3])], chart_id="c", title="t",
                                     description="d")))
    assert len(by_class(three, "text", "x-label")) == 3


def test_trend_caption_summary():
    caption = parse(trend()).find("figcaption").text
    assert caption.startswith("Biểu đồ đường: tỷ lệ hồ sơ đúng hạn. Giai đoạn T1/2022 – T12/2023 (24 kỳ).")
    assert "Đường nét đứt: Mục tiêu 95 %." in caption
    assert "Đúng hạn: từ 95 % (T1/2022) đến 97,3 % (T12/2023), thấp nhất 95 % (T1/2022)" in caption
    assert "Trực tuyến: từ 60 % (T1/2022) đến 83 % (T12/2023)" in caption


def test_trend_legend_wraps():
    series = [Series(f"Đơn vị hành chính số {i} có tên khá dài", [i, i + 1]) for i in range(1, 6)]
    svg = svg_of(parse(trend_chart(["a", "b"], series, chart_id="l", title="t", description="d")))
    rows = {t.get("y") for t in by_class(svg, "text", "legend-label")}
    assert len(rows) >= 3
    _, _, width, height = view_box(svg)
    assert max(float(y) for y in rows) < height


def test_trend_none_values_and_threshold_out_of_range():
    svg = svg_of(parse(trend_chart(["a", "b", "c"], [Series("s", [None, 5, None]), Series("z", [None] * 3)],
                                   chart_id="g", title="t", description="d", unit="điểm", y_max=4,
                                   threshold=10)))
    assert not by_class(svg, "polyline", "line") and not by_class(svg, "line", "threshold")
    assert len(list(by_class(svg, "g", "markers")[0])) == 1
    assert "(điểm)" in texts(svg)
    caption = svg.find("s:desc", NS).text
    assert "s: 5 điểm (b)" in caption and "z: chưa có số liệu" in caption


def test_deterministic():
    assert bars() == bars() and str(trend()) == str(trend())
    assert re.search(r'="-?\d+\.\d{2,}', bars() + trend()) is None  # coordinates rounded to 1 decimal


@pytest.mark.parametrize("make", [
    bars,
    trend,
    lambda: bar_chart([Bar("W" * 200, 123456789.123, 987654321)], chart_id="w", title="t", description="d"),
    lambda: trend_chart(["Quý " + "W" * 50, "b", "c"], [Series("W" * 80, [1, None, 3])], chart_id="w",
                        title="t", description="d", unit="W" * 60),
])
def test_text_never_overflows(make):
    """Estimated extent of every text (by its anchor) stays inside the viewBox."""
    from generator.charts import _width

    svg = svg_of(parse(make()))
    _, _, width, _ = view_box(svg)
    for el in svg.iter(f"{{{NS['s']}}}text"):
        extent = _width("".join(el.itertext()), float(el.get("font-size") or 13))
        x = float(el.get("x"))
        start = {"end": x - extent, "middle": x - extent / 2}.get(el.get("text-anchor"), x)
        assert 0 <= start and start + extent <= width + 0.05, (el.attrib, el.text)
