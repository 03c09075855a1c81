"""Inline SVG charts for the HTML report: score over time, sparklines and the mastery grid.

Each function returns one ``<svg>`` element as a string, sized by its ``viewBox`` so it scales
with the page and prints sharply. No scripts and no external references: hover details use
SVG ``<title>`` elements, which every browser shows as a tooltip. Every text is escaped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from html import escape

from mockint.export.model import ChartPoint, MasteryRow

ACCENT = "#4f46e5"
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#e6e9ef"
EMPTY_CELL = "#eef0f4"

# Score -> hue, piecewise linear through the verdict bands: red below 40, amber around 50,
# yellow-green at 70, green from 80.
_HUES = [(0.0, 2.0), (40.0, 22.0), (60.0, 40.0), (80.0, 105.0), (100.0, 140.0)]


def _hue(score: float) -> float:
    score = min(max(score, 0.0), 100.0)
    for (x0, h0), (x1, h1) in zip(_HUES, _HUES[1:], strict=False):
        if score <= x1:
            return h0 + (h1 - h0) * (score - x0) / (x1 - x0)
    return _HUES[-1][1]


@lru_cache(maxsize=4096)
def score_color(score: float | None, lightness: int = 45) -> str:
    """A colour for a 0-100 score, from red (weak) through amber to green (excellent)."""
    if score is None:
        return EMPTY_CELL
    return f"hsl({_hue(score):.0f}, 68%, {lightness}%)"


def text_width(text: str) -> float:
    """Rough width of ``text`` in ems: wide (CJK) characters count 1, others about 0.56."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56 for ch in text)


def fit(text: str, max_em: float) -> str:
    """``text`` cut with an ellipsis so it is at most ``max_em`` ems wide."""
    text = " ".join(text.split())
    if text_width(text) <= max_em:
        return text
    out, width = [], 0.0
    for ch in text:
        width += text_width(ch)
        if width > max_em - 0.6:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def plural_answers(count: int) -> str:
    return f"{count:,} answer{'s' if count != 1 else ''}"


def split_label(text: str, max_em: float) -> list[str]:
    """``text`` on one line, or broken at the hyphen or space nearest its middle onto two."""
    if text_width(text) <= max_em:
        return [text]
    breaks = [i for i, ch in enumerate(text) if ch in "-_ "]
    if not breaks:
        return [fit(text, max_em)]
    middle = min(breaks, key=lambda i: abs(i - len(text) / 2))
    return [fit(text[: middle + 1].rstrip(" "), max_em), fit(text[middle + 1 :], max_em)]


def _time_format(start: datetime, end: datetime) -> str:
    span = (end - start).total_seconds()
    if span <= 0 or span >= 2 * 86400:
        return "%d %b" if span < 330 * 86400 else "%b %Y"
    return "%H:%M" if start.astimezone().date() == end.astimezone().date() else "%d %b %H:%M"


def time_ticks(
    moments: Sequence[datetime], *, count: int, min_gap: float
) -> list[tuple[float, str]]:
    """(fraction of the axis, label) ticks in local time for moments sorted oldest first.

    With few points each point gets its own tick (an evenly spaced tick would name a day with
    no practice); otherwise ``count`` evenly spaced ticks. Ticks closer than ``min_gap`` (a
    fraction of the axis) to the one kept after them are dropped, so labels never overlap.
    """
    start, end = moments[0], moments[-1]
    span = (end - start).total_seconds()
    fmt = _time_format(start, end)
    if span <= 0:
        return [(0.5, start.astimezone().strftime(fmt).lstrip("0"))]
    if len(moments) <= count:
        fractions = [(m - start).total_seconds() / span for m in moments]
    else:
        fractions = [i / (count - 1) for i in range(count)]
    ticks: list[tuple[float, str]] = []
    for fraction in reversed(fractions):
        label = (start + (end - start) * fraction).astimezone().strftime(fmt).lstrip("0")
        if ticks and (ticks[-1][0] - fraction < min_gap or ticks[-1][1] == label):
            continue
        ticks.append((fraction, label))
    return ticks[::-1]


def score_chart(
    points: Sequence[ChartPoint],
    *,
    uid: str,
    width: int = 880,
    height: int = 260,
    color: str = ACCENT,
    compact: bool = False,
    label: str = "Score over time",
) -> str:
    """A line chart of mean score (0-100) over time with one dot per point."""
    left, right, top, bottom = (30, 10, 10, 22) if compact else (40, 18, 14, 30)
    plot_w, plot_h = width - left - right, height - top - bottom
    font = 10 if compact else 12

    def y_of(score: float) -> float:
        return top + plot_h * (1 - min(max(score, 0.0), 100.0) / 100)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
        f'<defs><linearGradient id="{uid}-fill" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{color}" stop-opacity="0.22"/>'
        f'<stop offset="1" stop-color="{color}" stop-opacity="0"/></linearGradient></defs>',
        # The "excellent" band (80-100) tints the top of the chart: a target to aim for.
        f'<rect x="{left}" y="{y_of(100):.1f}" width="{plot_w}" height="{y_of(80) - y_of(100):.1f}"'
        f' fill="hsl(150, 55%, 45%)" fill-opacity="0.07"/>',
    ]
    for value in (0, 25, 50, 75, 100) if not compact else (0, 50, 100):
        y = y_of(value)
        dash = "" if value == 0 else ' stroke-dasharray="3 4"'
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"{dash}/>'
            f'<text x="{left - 6}" y="{y + font * 0.35:.1f}" text-anchor="end" '
            f'font-size="{font}" fill="{MUTED}">{value}</text>'
        )
    if not points:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'font-size="{font + 1}" fill="{MUTED}">No graded answers yet</text></svg>'
        )
        return "".join(parts)
    start, end = points[0].at, points[-1].at
    span = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        if span <= 0:
            return left + plot_w / 2
        return left + plot_w * (moment - start).total_seconds() / span

    coords = [(x_of(p.at), y_of(p.score)) for p in points]
    if len(coords) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        base = y_of(0)
        area = f"{coords[0][0]:.1f},{base:.1f} {line} {coords[-1][0]:.1f},{base:.1f}"
        parts.append(f'<polygon points="{area}" fill="url(#{uid}-fill)"/>')
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{color}" '
            f'stroke-width="{2 if compact else 2.5}" stroke-linejoin="round" '
            'stroke-linecap="round"/>'
        )
    ticks = time_ticks(
        [p.at for p in points], count=3 if compact else 6, min_gap=(46 if compact else 64) / plot_w
    )
    for fraction, text in ticks:
        anchor = "start" if fraction == 0 else ("end" if fraction == 1 else "middle")
        parts.append(
            f'<text x="{left + plot_w * fraction:.1f}" y="{height - 6}" text-anchor="{anchor}" '
            f'font-size="{font}" fill="{MUTED}">{escape(text)}</text>'
        )
    radius = 2.6 if compact else 4
    for (x, y), point in zip(coords, points, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="#fff" stroke="{color}" '
            f'stroke-width="2"><title>{escape(point.label)}: mean {point.score:.0f}</title>'
            "</circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(values: Sequence[float], *, width: int = 140, height: int = 34) -> str:
    """A small line of recent scores (0-100), the latest one marked."""
    parts = [
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="Recent scores" xmlns="http://www.w3.org/2000/svg">'
    ]
    if values:
        pad = 3
        step = (width - 2 * pad) / max(len(values) - 1, 1)
        coords = [
            (
                pad + i * step if len(values) > 1 else width / 2,
                pad + (height - 2 * pad) * (1 - min(max(v, 0.0), 100.0) / 100),
            )
            for i, v in enumerate(values)
        ]
        if len(coords) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="1.6" '
                f'stroke-linejoin="round" stroke-linecap="round" stroke-opacity="0.85"/>'
            )
        x, y = coords[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{score_color(values[-1])}"/>')
    parts.append("</svg>")
    return "".join(parts)


def mastery_grid(
    rows: Sequence[MasteryRow],
    topic_title: Callable[[str], str] = str,
    *,
    label_width: int | None = None,
) -> str:
    """Questions down, their key points across; each cell coloured by recent coverage.
    ``topic_title`` names a row's topic (by default, its id).

    The cell shows the coverage as a percentage and the key point's id; its tooltip has the
    key point's full wording. Key points never answered are grey with a dash.
    """
    cell_w, cell_h, gap, row_h, head = 122, 46, 5, 54, 8
    if label_width is None:
        # Wide enough for the longest prompt (bold 12.5 px), within reason: long ones are cut.
        longest = max((text_width(r.question) for r in rows), default=10)
        label_width = int(min(max(longest * 13.5 + 44, 200), 380))
    columns = max((len(r.cells) for r in rows), default=1)
    width = label_width + columns * (cell_w + gap) + 4
    legend_h = 44
    height = head + len(rows) * row_h + legend_h
    parts = [
        # max-width: a grid of few key points keeps its size instead of being blown up.
        f'<svg class="chart mastery" viewBox="0 0 {width} {height}" style="max-width:{width}px" '
        'role="img" '
        f'aria-label="Mastery grid: coverage of each key point" xmlns="http://www.w3.org/2000/svg">',
        "<title>Mastery grid: coverage of each key point in the latest answers</title>",
    ]
    for index, row in enumerate(rows):
        y = head + index * row_h
        if index % 2 == 0:
            parts.append(
                f'<rect x="0" y="{y - 3}" width="{width}" height="{row_h}" rx="6" fill="#f7f8fb"/>'
            )
        answered = plural_answers(row.answers) if row.answers else "not practised yet"
        parts.append(
            f'<text x="10" y="{y + 20}" font-size="12.5" font-weight="600" fill="{INK}">'
            # Bold glyphs are wider than text_width assumes: fit to a narrower measure.
            f"<title>{escape(row.question)}</title>"
            f"{escape(fit(row.question, (label_width - 28) / 13.5))}</text>"
            f'<text x="10" y="{y + 36}" font-size="10.5" fill="{MUTED}">'
            f"{escape(fit(topic_title(row.topic) + ' · ' + answered, (label_width - 20) / 10.5))}"
            "</text>"
        )
        for col, cell in enumerate(row.cells):
            x = label_width + col * (cell_w + gap)
            rate = None if cell.rate is None else cell.rate * 100
            fill = score_color(rate, lightness=84) if rate is not None else EMPTY_CELL
            stroke = score_color(rate, lightness=42) if rate is not None else "#d5d9e0"
            ink = score_color(rate, lightness=24) if rate is not None else MUTED
            value = f"{rate:.0f}%" if rate is not None else "–"
            tip = f"{cell.text} ({cell.key_point_id}): " + (
                f"{rate:.0f}% over the last {plural_answers(cell.attempts)}"
                if rate is not None
                else "not answered yet"
            )
            label = split_label(cell.key_point_id, (cell_w - 10) / 9)
            # The percentage sits a little higher when the id needs two lines under it.
            top = y + (19 if len(label) == 1 else 16)
            label_svg = "".join(
                f'<text x="{x + cell_w / 2}" y="{top + 13 + 10 * i}" text-anchor="middle" '
                f'font-size="9" fill="{ink}" fill-opacity="0.85">{escape(line)}</text>'
                for i, line in enumerate(label)
            )
            parts.append(
                f"<g><title>{escape(tip)}</title>"
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" rx="7" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="1"/>'
                f'<text x="{x + cell_w / 2}" y="{top}" text-anchor="middle" font-size="13.5" '
                f'font-weight="700" fill="{ink}">{value}</text>' + label_svg + "</g>"
            )
    y = head + len(rows) * row_h + 14
    steps = 10
    parts.append(
        f'<text x="10" y="{y + 11}" font-size="10.5" fill="{MUTED}">'
        "Coverage in the latest answers</text>"
    )
    x0 = label_width
    for i in range(steps + 1):
        rate = i * 100 / steps
        parts.append(
            f'<rect x="{x0 + i * 18}" y="{y}" width="18" height="14" '
            f'fill="{score_color(rate, 84)}" '
            f'stroke="{score_color(rate, 42)}" stroke-width="0.6"/>'
        )
    parts.append(
        f'<text x="{x0}" y="{y + 27}" font-size="9.5" fill="{MUTED}">0%</text>'
        f'<text x="{x0 + (steps + 1) * 18}" y="{y + 27}" text-anchor="end" font-size="9.5" '
        f'fill="{MUTED}">100%</text>'
        f'<rect x="{x0 + (steps + 1) * 18 + 24}" y="{y}" width="18" height="14" '
        f'fill="{EMPTY_CELL}" '
        f'stroke="#d5d9e0"/>'
        f'<text x="{x0 + (steps + 1) * 18 + 48}" y="{y + 11}" font-size="10.5" fill="{MUTED}">'
        "not answered yet</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
