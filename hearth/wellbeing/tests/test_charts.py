from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from hearth.wellbeing.charts import Bar, bar_chart_svg, minutes_text

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- the SVG is our own output


def text_of(root: ET.Element, path: str) -> str | None:
    found = root.find(path)
    assert found is not None
    return found.text


def classed(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{NS}{tag}") if e.get("class") == cls]


@pytest.mark.parametrize("n", [0, 1, 24, 30])
def test_chart_parses_with_one_bar_and_label_each(n):
    bars = [Bar(str(i + 1), float(i * 3), f"day {i + 1}: {i * 3} minutes") for i in range(n)]
    root = parse(bar_chart_svg(bars=bars, title="Your time", desc="Per day", chart_id="c"))
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert text_of(root, f"{NS}title") == "Your time"
    assert text_of(root, f"{NS}desc") == "Per day"
    assert len(classed(root, "rect", "chart__bar")) == n
    assert len(classed(root, "text", "chart__label")) == n
    assert bool(classed(root, "text", "chart__empty")) == (n == 0)


def test_all_zero_bars_have_no_height_and_no_division_by_zero():
    root = parse(bar_chart_svg(bars=[Bar("1", 0, "none")] * 30, title="t", desc="d", chart_id="z"))
    assert {r.get("height") for r in classed(root, "rect", "chart__bar")} == {"0.0"}


def test_tallest_bar_fills_the_plot_and_text_is_escaped():
    bars = [Bar("<b>", 10, "a & b"), Bar("2", 5, "half")]
    svg = bar_chart_svg(bars=bars, title="x < y", desc="d", chart_id="e")
    root = parse(svg)
    rects = classed(root, "rect", "chart__bar")
    assert float(rects[0].get("height", "")) == 2 * float(rects[1].get("height", ""))
    assert text_of(rects[0], f"{NS}title") == "a & b"
    assert "<b>" not in svg


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "no time"),
        (30, "under a minute"),
        (60, "1 minute"),
        (3000, "50 minutes"),
        (3900, "1 h 5 min"),
    ],
)
def test_minutes_text(seconds, text):
    assert minutes_text(seconds) == text
