"""Bar charts drawn on the server as SVG: no third-party script, readable by screen readers.

`bar_chart_svg` is a pure function of its arguments. The SVG carries a
<title> and <desc> (named by aria-labelledby), a <title> per bar for pointer
users, and pages put the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape


@dataclass(frozen=True)
class Bar:
    label: str  # short axis label ("3", "14h")
    value: float  # bar height, in the chart's unit
    text: str  # the value said in words ("12 minutes on Mon 3 Nov")


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart_svg(
    *,
    bars: Sequence[Bar],
    title: str,
    desc: str,
    chart_id: str,
    unit: str = "min",
    width: int = 640,
    height: int = 180,
) -> str:
    """An SVG bar chart, one <rect class="chart__bar"> and one label per bar.

    Empty `bars` gives an empty chart that says so; all-zero values give
    zero-height bars. Every text is escaped.
    """
    top, bottom, left, right = 22, 22, 4, 4
    plot_h = height - top - bottom
    plot_w = width - left - right
    peak = max((b.value for b in bars), default=0.0)
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        f'<line class="chart__axis" x1="{left}" y1="{top + plot_h}" '
        f'x2="{left + plot_w}" y2="{top + plot_h}"/>',
    ]
    if not bars:
        parts.append(
            f'<text class="chart__empty" x="{width / 2:.0f}" y="{top + plot_h / 2:.0f}" '
            'text-anchor="middle">Nothing recorded yet</text>'
        )
    else:
        if peak > 0:
            parts.append(
                f'<text class="chart__scale" x="{left}" y="{top - 8}">'
                f"highest: {escape(_num(peak))} {escape(unit)}</text>"
            )
        slot = plot_w / len(bars)
        gap = min(4.0, slot * 0.2)
        bars_svg, labels_svg = [], []
        for i, bar in enumerate(bars):
            h = plot_h * (bar.value / peak) if peak > 0 else 0.0
            x = left + i * slot + gap / 2
            y = top + plot_h - h
            bars_svg.append(
                f'<rect class="chart__bar" x="{x:.1f}" y="{y:.1f}" '
                f'width="{slot - gap:.1f}" height="{h:.1f}" rx="2">'
                f"<title>{escape(bar.text)}</title></rect>"
            )
            labels_svg.append(
                f'<text class="chart__label" x="{x + (slot - gap) / 2:.1f}" '
                f'y="{height - 6}" text-anchor="middle">{escape(bar.label)}</text>'
            )
        parts.append('<g class="chart__bars">' + "".join(bars_svg) + "</g>")
        parts.append('<g class="chart__labels" aria-hidden="true">' + "".join(labels_svg) + "</g>")
    parts.append("</svg>")
    return "".join(parts)


def minutes_text(seconds: int) -> str:
    """Coarse, calm wording: "under a minute", "42 minutes", "2 h 5 min"."""
    minutes = seconds // 60
    if minutes < 1:
        return "under a minute" if seconds else "no time"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes // 60} h {minutes % 60} min"
