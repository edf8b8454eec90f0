"""The insight figures drawn: each chart (features/insight/charts.py: colour-blind safe, a number on every
bar) with its numbers beside it as a table with a caption, so a chart is never the only way to read them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import database
from components.easy_read import picture_and_words
from components.feedback import explained_errors
from components.minutes import DOCX
from components.tables import plain_table
from documents.report_docx import report_csv, report_docx
from features.insight.charts import bars_chart, quarters_chart
from features.insight.figures import Count, Figures, Filters
from features.insight.plan import PriorityPlan
from features.insight.report import headline
from features.insight.use_cases import InsightChoices, Scope, annual_report_pack
from rules.actors import Actor
from rules.formatting import plural
from rules.periods import Period, financial_year_label

PERIOD_KINDS = {"financial": "Financial year (April to March)", "calendar": "Calendar year (January to December)",
                "range": "Dates I choose"}
ALL = None  # the first option of the theme and priority boxes


def choose_scope(choices: InsightChoices, *, today: dt.date) -> Scope:
    """The period (a financial or calendar year, or dates chosen) and the theme and priority to narrow by."""
    kind = st.radio("Period", options=list(PERIOD_KINDS), format_func=PERIOD_KINDS.__getitem__, horizontal=True,
                    key="insight_period")
    year: int | None = None
    between: tuple[dt.date, dt.date] | None = None
    if kind == "range":
        first = choices.records_begin or today
        start, end = st.columns(2)
        earliest = dt.date(2000, 1, 1)
        begin = start.date_input("From", value=max(first, today - dt.timedelta(days=364)), min_value=earliest,
                                 max_value=today, format="DD/MM/YYYY", key="insight_from")
        until = end.date_input("To", value=today, min_value=earliest, max_value=today, format="DD/MM/YYYY",
                               key="insight_to")
        between = (begin or first, until or today)  # a box left empty means its end of the records
    else:
        years = choices.calendar_years if kind == "calendar" else choices.financial_years
        chosen = st.selectbox("Year", options=years, index=0, key=f"insight_year_{kind}",
                              format_func=lambda y: str(y) if kind == "calendar" else financial_year_label(y))
        year = int(chosen) if chosen is not None else years[0]
    theme_box, priority_box = st.columns(2)
    theme = theme_box.selectbox("Theme", options=[ALL, *choices.themes], key="insight_theme",
                                format_func=lambda t: "All themes" if t is ALL else choices.themes[t],
                                help="Only reviews with a finding tagged with this theme, and their actions.")
    priority = priority_box.selectbox("ICB strategic priority", options=[ALL, *choices.priorities],
                                      key="insight_priority", help="Only actions serving this priority.",
                                      format_func=lambda p: "All priorities" if p is ALL else choices.priorities[p])
    return Scope(year=year, calendar=kind == "calendar", between=between,
                 filters=Filters(theme_id=theme, priority_id=priority))


def _table_with_caption(caption: str, rows: list[dict[str, object]], *, empty: str) -> None:
    st.markdown(f"**Table: {caption}**")
    plain_table(rows, empty_message=empty)


def render_quarters(found: Figures) -> None:
    st.subheader("Reviews by quarter", anchor=False)
    rows: list[dict[str, object]] = [
        {"Quarter": q.label, "Received": q.received, "Signed off": q.signed_off,
         "Signed off in time": q.signed_off_in_time,
         "In time (%)": "None signed off" if q.in_time_percent is None else f"{q.in_time_percent}%"}
        for q in found.quarters]
    st.vega_lite_chart(quarters_chart(found).spec, width="stretch")
    _table_with_caption("reviews received, signed off and signed off in time, by quarter", rows,
                        empty="No quarters.")


def render_counts(title: str, counts: tuple[Count, ...], *, noun: str, empty: str, caption: str) -> None:
    st.subheader(title, anchor=False)
    if not any(c.count for c in counts):
        st.write(empty)
        return
    st.vega_lite_chart(bars_chart(title, counts, noun=noun).spec, width="stretch")
    _table_with_caption(caption, [{"What": c.label, noun: c.count} for c in counts], empty=empty)


def render_themes(found: Figures) -> None:
    st.subheader("Themes in the reviews signed off", anchor=False)
    _table_with_caption("how often each theme was tagged, by kind of finding",
                        [{"Kind": t.kind, "Theme": t.theme, "Findings": t.count} for t in found.themes],
                        empty="No findings of the reviews signed off in this period carry a theme.")


def render_headline(found: Figures) -> None:
    """The year in a few sentences, in words as well as numbers (the report's own sentences)."""
    st.markdown("\n".join(f"- {sentence}" for sentence in headline(found)))  # numbers and fixed words only


def render_easy_read_headline(found: Figures, *, pictures: bool = True) -> None:
    """For lived-experience members: one short sentence a line, each with its picture, as on My meeting."""
    when = "this year" if found.period.whole_year else "in this time"
    st.subheader(f"{when.capitalize()} in Easy Read", anchor=False)
    picture_and_words(":material/description:", f"We looked at **{found.received}** reviews {when}.",
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


def render_report_pack(actor: Actor, period: Period, scope: Scope) -> None:
    """The annual report in Word and its figures as CSV, built only when asked, with a progress bar while
    the charts are drawn; kept for the session so a second download costs nothing."""
    st.header("Annual report pack", anchor=False)
    st.write(f"The figures, charts, themes, good practice and local action plan for {period.label}, as a Word "
             "document in the style of the minutes, and the same figures as a CSV file for a spreadsheet.")
    chosen = (scope.year, scope.calendar, scope.between, scope.filters.theme_id, scope.filters.priority_id)
    key = "annual_report_" + "_".join(map(str, chosen))  # one prepared report for each period and filter chosen
    if st.button("Prepare the annual report", key=f"prepare_{key}", icon=":material/description:"):
        bar = st.progress(0.0, text="Counting the figures")
        with explained_errors():
            report = annual_report_pack(database(), actor=actor, year=scope.year, calendar=scope.calendar,
                                        between=scope.between, filters=scope.filters)
            word = report_docx(report, progress=lambda done, words: bar.progress(done, text=words))
            st.session_state[key] = (word, report_csv(report), report.left_out)
    if key not in st.session_state:
        return
    word, figures_csv, left_out = st.session_state[key]
    if left_out:
        st.warning(f"{plural(left_out, 'passage')} left out of the report because the personal-data check found "
                   "what may identify someone; each is marked in the document. Check them in the app.",
                   icon=":material/warning:")
    stem = "leder-report-" + "-".join(period.label.replace("/", " ").split()).lower()
    left, right = st.columns(2)
    left.download_button("Download the annual report (Word)", data=word, mime=DOCX, file_name=f"{stem}.docx",
                         icon=":material/download:", key=f"word_{key}")
    right.download_button("Download the figures (CSV)", data=figures_csv, mime="text/csv",
                          file_name=f"{stem}.csv", icon=":material/download:", key=f"csv_{key}")
