"""The insight charts as plain Vega-Lite specs, one source for the page (drawn by the browser) and the annual
report (drawn as images). Each bar has its number written at its end and colours are Okabe and Ito's, safe
for colour-blind readers, so colour is never the only signal; each chart's description states its numbers,
which is the alternative text of the report's image and the chart's description on the page.

Plain dicts, not Altair: building a chart with Altair cost a sixth of a page run in validation
(docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from features.insight.figures import Count, Figures

SERIES_COLOURS = {"Received": "#0072B2", "Signed off": "#E69F00", "Signed off in time": "#009E73"}
BAR_COLOUR = "#0072B2"
SMALL_COUNT = 10


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # the numbers in words: the image's alternative text
    spec: dict[str, Any]


def _whole_number_axis(title: str, largest: int) -> dict[str, Any]:
    """Ticks at whole numbers only (counts have no halves): listed when few, else at least a step of one."""
    axis: dict[str, Any] = {"title": title, "format": "d", "tickMinStep": 1}
    if largest <= SMALL_COUNT:
        axis["values"] = list(range(largest + 1))
    return axis


def _described(title: str, parts: list[str]) -> str:
    return f"{title}. {'; '.join(parts)}." if parts else f"{title}. Nothing to show."


def bars_chart(title: str, counts: tuple[Count, ...], *, noun: str) -> Chart:
    """Horizontal bars, each with its number written at its end."""
    values = [{"What": c.label, noun: c.count} for c in counts]
    description = _described(title, [f"{c.label}: {c.count}" for c in counts])
    encoding = {"y": {"field": "What", "type": "nominal", "sort": None, "title": None,
                      "axis": {"labelLimit": 320}},
                "x": {"field": noun, "type": "quantitative", "title": noun,
                      "axis": _whole_number_axis(noun, max((c.count for c in counts), default=0))}}
    spec = {"description": description, "data": {"values": values}, "height": {"step": 36},
            "encoding": encoding,
            "layer": [{"mark": {"type": "bar", "color": BAR_COLOUR}},
                      {"mark": {"type": "text", "align": "left", "dx": 4}, "encoding": {"text": {"field": noun}}}]}
    return Chart(title, description, spec)


def _largest(found: Figures) -> int:
    return max((max(q.received, q.signed_off, q.signed_off_in_time) for q in found.quarters), default=0)


def quarters_chart(found: Figures) -> Chart:
    """Three bars a quarter (received, signed off, in time), each with its number above it and a legend in words."""
    title = "Reviews by quarter"
    values = [{"Quarter": q.short, "Figure": name, "Reviews": count}
              for q in found.quarters
              for name, count in (("Received", q.received), ("Signed off", q.signed_off),
                                  ("Signed off in time", q.signed_off_in_time))]
    description = _described(title, [f"{q.label}: {q.received} received, {q.signed_off} signed off, "
                                     f"{q.signed_off_in_time} in time" for q in found.quarters])
    order = list(SERIES_COLOURS)
    encoding = {"x": {"field": "Quarter", "type": "nominal", "sort": None, "title": None,
                      "axis": {"labelAngle": 0 if len(found.quarters) <= 4 else -40}},
                "xOffset": {"field": "Figure", "sort": order},
                "y": {"field": "Reviews", "type": "quantitative", "title": "Reviews",
                      "axis": _whole_number_axis("Reviews", _largest(found))}}
    colour = {"field": "Figure", "type": "nominal", "sort": order, "title": None, "legend": {"orient": "bottom"},
              "scale": {"domain": order, "range": list(SERIES_COLOURS.values())}}
    spec = {"description": description, "data": {"values": values}, "encoding": encoding,
            "layer": [{"mark": "bar", "encoding": {"color": colour}},
                      {"mark": {"type": "text", "dy": -6}, "encoding": {"text": {"field": "Reviews"}}}]}
    return Chart(title, description, spec)
