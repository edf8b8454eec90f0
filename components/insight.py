"""The insight figures drawn: each chart with its numbers beside it as a table with a caption, colour-blind
safe colours (Okabe and Ito) and the number written on every bar, so colour is never the only signal."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.easy_read import picture_and_words
from components.tables import accessible_table
from features.insight.figures import Count, Figures
from features.insight.plan import PriorityPlan

SERIES_COLOURS = {"Received": "#0072B2", "Signed off": "#E69F00", "Signed off in time": "#009E73"}
BAR_COLOUR = "#0072B2"


def _table_with_caption(caption: str, rows: list[dict[str, object]], *, empty: str) -> None:
    st.markdown(f"**Table: {caption}**")
    accessible_table(rows, empty_message=empty)


def _bars(values: list[dict[str, object]], *, category: str, value: str, description: str) -> dict[str, Any]:
    """Horizontal bars, each with its number written at its end (a plain Vega-Lite spec: building it with
    Altair cost a sixth of a page run in validation, docs/performance.md)."""
    encoding = {"y": {"field": category, "type": "nominal", "sort": None, "title": None,
                      "axis": {"labelLimit": 320}},
                "x": {"field": value, "type": "quantitative", "title": value,
                      "axis": {"tickMinStep": 1, "format": "d"}}}
    return {"description": description, "data": {"values": values}, "height": {"step": 36},
            "encoding": encoding,
            "layer": [{"mark": {"type": "bar", "color": BAR_COLOUR}},
                      {"mark": {"type": "text", "align": "left", "dx": 4}, "encoding": {"text": {"field": value}}}]}


def _quarters_chart(found: Figures, description: str) -> dict[str, Any]:
    """Three bars a quarter (received, signed off, in time), each with its number above it and a legend in words."""
    values = [{"Quarter": q.label.split(" ")[0], "Figure": name, "Reviews": count}
              for q in found.quarters
              for name, count in (("Received", q.received), ("Signed off", q.signed_off),
                                  ("Signed off in time", q.signed_off_in_time))]
    order = list(SERIES_COLOURS)
    encoding = {"x": {"field": "Quarter", "type": "nominal", "sort": None, "title": None, "axis": {"labelAngle": 0}},
                "xOffset": {"field": "Figure", "sort": order},
                "y": {"field": "Reviews", "type": "quantitative", "title": "Reviews",
                      "axis": {"tickMinStep": 1, "format": "d"}}}
    colour = {"field": "Figure", "type": "nominal", "sort": order, "title": None, "legend": {"orient": "bottom"},
              "scale": {"domain": order, "range": list(SERIES_COLOURS.values())}}
    return {"description": description, "data": {"values": values}, "encoding": encoding,
            "layer": [{"mark": "bar", "encoding": {"color": colour}},
                      {"mark": {"type": "text", "dy": -6}, "encoding": {"text": {"field": "Reviews"}}}]}


def render_quarters(found: Figures) -> None:
    st.subheader("Reviews by quarter", anchor=False)
    rows: list[dict[str, object]] = [
        {"Quarter": q.label, "Received": q.received, "Signed off": q.signed_off,
         "Signed off in time": q.signed_off_in_time,
         "In time (%)": "None signed off" if q.in_time_percent is None else f"{q.in_time_percent}%"}
        for q in found.quarters]
    words = "; ".join(f"{r['Quarter']}: {r['Received']} received, {r['Signed off']} signed off, "
                      f"{r['Signed off in time']} in time" for r in rows)
    st.vega_lite_chart(_quarters_chart(found, f"Reviews by quarter. {words}."), width="stretch")
    _table_with_caption("reviews received, signed off and signed off in time, by quarter", rows,
                        empty="No quarters.")


def render_counts(title: str, counts: tuple[Count, ...], *, noun: str, empty: str, caption: str) -> None:
    st.subheader(title, anchor=False)
    if not any(c.count for c in counts):
        st.write(empty)
        return
    values: list[dict[str, object]] = [{"What": c.label, noun: c.count} for c in counts]
    words = "; ".join(f"{c.label}: {c.count}" for c in counts)
    st.vega_lite_chart(_bars(values, category="What", value=noun, description=f"{title}. {words}."),
                       width="stretch")
    _table_with_caption(caption, values, empty=empty)


def render_themes(found: Figures) -> None:
    st.subheader("Themes in the reviews signed off", anchor=False)
    _table_with_caption("how often each theme was tagged, by kind of finding",
                        [{"Kind": t.kind, "Theme": t.theme, "Findings": t.count} for t in found.themes],
                        empty="No findings of the reviews signed off in this period carry a theme.")


def render_headline(found: Figures) -> None:
    """The year in a few sentences, in words as well as numbers."""
    in_time = (f"{found.signed_off_in_time} of them ({found.in_time_percent}%) within the target from notification"
               if found.signed_off else "none yet")
    st.markdown("\n".join([
        f"- **{found.received}** reviews received; **{found.signed_off}** signed off, {in_time}.",
        f"- **{found.past_clock_now}** reviews not yet signed off are past their clock today.",
        f"- **{found.flagged_received}** reviews were about a person from an ethnic minority; the ethnic minority "
        f"lead's view is recorded on **{found.flagged_with_lead_view}** of them.",
        f"- **{found.overdue_now}** actions are overdue today; " + (
            f"**{found.completed_in_time}** of the **{found.completed}** actions completed this period were "
            "completed by their due date." if found.completed else "no action was completed this period."),
    ]))


def render_easy_read_headline(found: Figures, *, pictures: bool = True) -> None:
    """For lived-experience members: one short sentence a line, each with its picture, as on My meeting."""
    st.subheader("This year in Easy Read", anchor=False)
    picture_and_words(":material/description:", f"We looked at **{found.received}** reviews this year.",
                      pictures=pictures)
    picture_and_words(":material/check_circle:", f"We agreed **{found.signed_off}** reviews were good enough.",
                      pictures=pictures)
    picture_and_words(":material/schedule:", f"**{found.signed_off_in_time}** of them were finished on time.",
                      pictures=pictures)
    picture_and_words(":material/warning:", f"**{found.overdue_now}** actions are late.", pictures=pictures)


def render_action_plan(plans: list[PriorityPlan]) -> None:
    """Each priority: progress per year of the plan, then what changed because of which review."""
    st.header("Local action plan", anchor=False)
    if not plans:
        st.write("The panel has no ICB strategic priorities yet. The secretariat adds them in Panel settings.")
        return
    for plan in plans:
        st.subheader(plan.title, anchor=False)
        st.write(f"Plan period: {plan.period}. {plan.done} of {plan.total} actions done.")
        _table_with_caption(f"{plan.title}: actions due and done in each year of the plan",
                            [{"Year": y.label, "Actions due": y.due, "Done": y.done} for y in plan.years],
                            empty="No years.")
        shown = f" (the latest {len(plan.rows)} of {plan.total})" if len(plan.rows) < plan.total else ""
        _table_with_caption(f"{plan.title}: learning, action and outcome{shown}",
                            [{"Review": r.review, "Learning or concern": r.learning, "Action": r.action,
                              "Status": r.status, "Outcome": r.outcome} for r in plan.rows],
                            empty="No actions serve this priority yet.")
