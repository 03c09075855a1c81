"""The inline SVG charts: well-formed, scaled to their data, escaped, and fine with CJK text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from mockint.export import charts
from mockint.export.model import ChartPoint, MasteryCell, MasteryRow

SVG = "{http://www.w3.org/2000/svg}"
T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)


def _points(scores):
    return [
        ChartPoint(at=T0 + timedelta(days=i), score=s, answers=1, label=f"day {i}")
        for i, s in enumerate(scores)
    ]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything not well-formed XML


def test_score_chart_plots_one_dot_per_point_on_a_0_to_100_scale():
    root = _parse(charts.score_chart(_points([20, 50, 100]), uid="t"))
    dots = root.findall(f".//{SVG}circle")
    assert len(dots) == 3
    ys = [float(d.get("cy")) for d in dots]
    assert ys[0] > ys[1] > ys[2]  # higher score, higher on the page
    xs = [float(d.get("cx")) for d in dots]
    assert xs == sorted(xs) and xs[1] - xs[0] == xs[2] - xs[1]  # evenly spaced days
    assert root.find(f".//{SVG}polyline") is not None
    assert [d.find(f"{SVG}title").text for d in dots][0] == "day 0: mean 20"


def test_score_chart_single_point_and_empty():
    one = _parse(charts.score_chart(_points([70]), uid="one"))
    assert len(one.findall(f".//{SVG}circle")) == 1
    assert one.find(f".//{SVG}polyline") is None
    empty = charts.score_chart([], uid="none")
    _parse(empty)
    assert "No graded answers yet" in empty


def test_chart_labels_are_escaped():
    point = ChartPoint(at=T0, score=50, answers=1, label="<script>x</script>")
    svg = charts.score_chart([point], uid="e", label='a "quoted" <label>')
    _parse(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_mastery_grid_colours_cells_by_rate():
    row = MasteryRow(
        bank_id="b",
        question_id="q",
        question="批量归一化做什么？<b>",
        topic="training",
        answers=3,
        cells=[
            MasteryCell(key_point_id="high", text="all good", weight=1, rate=1.0, attempts=3),
            MasteryCell(key_point_id="low", text="never", weight=1, rate=0.0, attempts=3),
            MasteryCell(key_point_id="unseen", text="new", weight=1, rate=None, attempts=0),
        ],
    )
    svg = charts.mastery_grid([row])
    root = _parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text") if t.text]
    assert {"100%", "0%", "–"} <= set(texts)
    assert "批量归一化做什么？&lt;b&gt;" in svg
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert charts.score_color(100, 84) in fills and charts.score_color(0, 84) in fills
    assert charts.EMPTY_CELL in fills


def test_score_colour_runs_from_red_to_green():
    hue = charts._hue
    assert hue(0) < hue(40) < hue(60) < hue(80) < hue(100)
    assert hue(0) < 10 and hue(100) > 120
    assert charts.score_color(None) == charts.EMPTY_CELL


def test_sparkline():
    root = _parse(charts.sparkline([10, 90, 40]))
    points = root.find(f"{SVG}polyline").get("points").split()
    assert len(points) == 3
    assert len(_parse(charts.sparkline([])).findall(f"{SVG}circle")) == 0


def test_text_fitting_counts_wide_characters_double():
    assert charts.text_width("abcd") < charts.text_width("批量归一")
    assert charts.fit("批量归一化做什么为什么有助于训练", 6).endswith("…")
    assert charts.text_width(charts.fit("a" * 200, 20)) <= 20
    assert charts.fit("short", 20) == "short"
    assert charts.split_label("inference-running-stats", 12) == ["inference-", "running-stats"]
