"""The ICB's annual report pack: the year's figures, charts, themes, good practice and the local action plan,
as plain parts a writer lays out (documents/report_docx.py for Word, report_csv for the figures).

Every text that goes in passes the personal-data guard (rules/pii.py) here, once: a passage in which the
guard finds anything is left out with a note in its place, and the report says how many were, so the
secretariat can check them in the app. A report is for publication; it never carries a name, a number or a
date that could identify the person who died.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import FocusedReview, ReviewFinding
from features.insight.charts import Chart, bars_chart, quarters_chart
from features.insight.figures import NO_FILTERS, Count, Figures, Filters, first_sign_offs
from features.insight.plan import PriorityPlan
from features.panel_settings.panels import panel_rules
from rules.actors import Actor
from rules.formatting import long_date, plural
from rules.periods import Period
from rules.pii import find_identifiers
from rules.vocabulary import FindingKind

LEFT_OUT = "[Left out of the report: this text may hold personal data. Check it in the app.]"
GOOD_PRACTICE_EXAMPLES = 10


@dataclass(frozen=True)
class ReportTable:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "None."


Part = str | Chart | ReportTable  # a paragraph, a chart drawn as an image, or a table with a header row


@dataclass(frozen=True)
class ReportSection:
    heading: str
    parts: tuple[Part, ...] = ()
    subsections: tuple[ReportSection, ...] = ()


@dataclass(frozen=True)
class AnnualReport:
    title: str
    marking: str  # the panel's protective marking, at the top of every page
    introduction: tuple[str, ...]
    sections: tuple[ReportSection, ...]
    figures: Figures
    figure_rows: tuple[tuple[str, str, str, int], ...]  # (section, what, measure, value): the CSV of the figures
    left_out: int  # passages the personal-data guard kept out

    @property
    def charts(self) -> list[Chart]:
        return [part for section in _walk(self.sections) for part in section.parts if isinstance(part, Chart)]


def _walk(sections: Iterable[ReportSection]) -> Iterable[ReportSection]:
    for section in sections:
        yield section
        yield from _walk(section.subsections)


@dataclass
class _Guard:
    """Counts what it keeps out, so the report can say so."""

    left_out: int = 0
    seen: dict[str, str] = field(default_factory=dict)

    def __call__(self, text: str) -> str:
        if text not in self.seen:
            found = find_identifiers(text, full_dates=False)
            self.left_out += bool(found)
            self.seen[text] = LEFT_OUT if found else text
        return self.seen[text]

    def counts(self, counts: tuple[Count, ...]) -> tuple[Count, ...]:
        return tuple(Count(self(c.label), c.count) for c in counts)

    def table(self, caption: str, header: tuple[str, ...], rows: Iterable[Iterable[object]],
              empty: str = "None.") -> ReportTable:
        return ReportTable(caption, header, tuple(tuple(self(str(cell)) for cell in row) for row in rows), empty)


def headline(found: Figures) -> tuple[str, ...]:
    """The year in a few sentences, numbers in words as well as figures: the page and the report say the same."""
    in_time = (f"{found.signed_off_in_time} of them ({found.in_time_percent}%) within {found.target_months} months "
               "of notification" if found.signed_off else "none yet")
    completed = (f"{found.completed_in_time} of the {plural(found.completed, 'action')} completed in the period "
                 f"{'was' if found.completed == 1 else 'were'} completed by their due date." if found.completed
                 else "no action was completed in the period.")
    past = found.past_clock_now
    return (f"{plural(found.received, 'review')} received; {found.signed_off} signed off, {in_time}.",
            f"{plural(past, 'review')} not yet signed off {'is past its' if past == 1 else 'are past their'} "
            "clock today.",
            f"{plural(found.flagged_received, 'review')} {'was' if found.flagged_received == 1 else 'were'} about "
            f"a person from an ethnic minority; the ethnic minority lead's view is recorded on "
            f"{found.flagged_with_lead_view} of them.",
            f"{plural(found.overdue_now, 'action')} {'is' if found.overdue_now == 1 else 'are'} overdue today; "
            f"{completed}")


@dataclass(frozen=True)
class GoodPractice:
    review: str  # the pseudonymised reference
    text: str


def good_practice(*, session: Session, actor: Actor, period: Period, filters: Filters = NO_FILTERS
                  ) -> tuple[list[GoodPractice], int]:
    """Up to GOOD_PRACTICE_EXAMPLES areas of good practice, one a review, from the reviews signed off most
    recently in the period; and how many there were in all."""
    signed = sorted(first_sign_offs(session, actor, period, filters), key=lambda row: (row[2], row[0]), reverse=True)
    ids = [rid for rid, _, _ in signed]
    if not ids:
        return [], 0
    rows = session.execute(select(ReviewFinding.review_id, FocusedReview.reference, ReviewFinding.text)
                           .join(FocusedReview, FocusedReview.id == ReviewFinding.review_id)
                           .where(ReviewFinding.review_id.in_(ids), ReviewFinding.kind == FindingKind.GOOD_PRACTICE)
                           .order_by(ReviewFinding.review_id, ReviewFinding.position, ReviewFinding.id)).all()
    first_of: dict[int, GoodPractice] = {}
    for rid, reference, text in rows:
        first_of.setdefault(rid, GoodPractice(reference, text))
    chosen = [first_of[rid] for rid in ids if rid in first_of][:GOOD_PRACTICE_EXAMPLES]
    return chosen, len(rows)


def _reviews_section(found: Figures, guard: _Guard) -> ReportSection:
    rows = [(q.label, q.received, q.signed_off, q.signed_off_in_time,
             "None signed off" if q.in_time_percent is None else f"{q.in_time_percent}%") for q in found.quarters]
    return ReportSection("Reviews", (
        f"Reviews received by notification date and signed off by the date the panel first signed off their "
        f"quality; 'in time' is within {found.target_months} months of notification, with pauses agreed with "
        "the programme not counted.",
        quarters_chart(found),
        guard.table("Reviews received, signed off and signed off in time, by quarter",
                    ("Quarter", "Received", "Signed off", "Signed off in time", "In time (%)"), rows),
        f"Reviews not yet signed off that are past their clock today: {found.past_clock_now}.",
        f"Reviews about a person from an ethnic minority received in the period: {found.flagged_received}; the "
        f"ethnic minority lead's view is recorded on {found.flagged_with_lead_view} of them.",
    ))


def _themes_section(found: Figures, guard: _Guard) -> ReportSection:
    return ReportSection("Themes in the reviews signed off", (
        "How often each theme was tagged on the areas of learning, good practice and concern of the reviews "
        "signed off in the period, most frequent first.",
        guard.table("Themes, by kind of finding", ("Kind", "Theme", "Findings"),
                    [(t.kind, t.theme, t.count) for t in found.themes],
                    empty="No findings of the reviews signed off in this period carry a theme."),
    ))


def _good_practice_section(examples: list[GoodPractice], total: int, guard: _Guard) -> ReportSection:
    if not examples:
        return ReportSection("Good practice", ("No area of good practice was recorded in the reviews signed off "
                                               "in this period.",))
    shown = (f"The {len(examples)} most recent, one a review, of {total} areas of good practice recorded."
             if total > len(examples) else "The only area of good practice recorded." if total == 1
             else f"The {total} areas of good practice recorded, one a review.")
    return ReportSection("Good practice", (
        shown, guard.table("Good practice examples", ("Review", "Good practice"),
                           [(e.review, e.text) for e in examples])))


def _actions_section(found: Figures, guard: _Guard) -> ReportSection:
    none = "No actions were agreed in this period."
    parts: list[Part] = [
        f"Actions agreed in the period with the reviewers and owners. Overdue today: {found.overdue_now}. "
        + (f"Completed by their due date: {found.completed_in_time} of the {found.completed} completed."
           if found.completed else "None was completed in the period.")]
    for title, counts, caption in (
            ("Actions by status", found.actions_by_status, "Actions agreed in the period, by status now"),
            ("Actions by ICB strategic priority", found.actions_by_priority,
             "Actions agreed in the period, by the ICB strategic priority they serve"),
            ("Actions by organisation", found.actions_by_organisation,
             "Actions agreed in the period, by the owner's organisation (the ten with most)")):
        kept = guard.counts(counts)
        if any(c.count for c in kept):
            parts.append(bars_chart(title, kept, noun="Actions"))
        parts.append(guard.table(caption, ("What", "Actions"), [(c.label, c.count) for c in kept], empty=none))
    return ReportSection("Actions", tuple(parts))


def _plan_section(plans: list[PriorityPlan], guard: _Guard) -> ReportSection:
    if not plans:
        return ReportSection("Local action plan", ("The panel has no ICB strategic priorities yet.",))
    subsections = []
    for plan in plans:
        title = guard(plan.title)
        shown = f" (the latest {len(plan.rows)} of {plan.total})" if len(plan.rows) < plan.total else ""
        subsections.append(ReportSection(title, (
            f"Plan period: {plan.period}. {plan.done} of {plan.total} actions done.",
            guard.table(f"{title}: actions due and done in each year of the plan", ("Year", "Actions due", "Done"),
                        [(y.label, y.due, y.done) for y in plan.years]),
            guard.table(f"{title}: learning, action and outcome{shown}",
                        ("Review", "Learning or concern", "Action", "Status", "Outcome"),
                        [(r.review, r.learning, r.action, r.status, r.outcome) for r in plan.rows],
                        empty="No actions serve this priority yet."),
        )))
    return ReportSection("Local action plan", ("Each ICB strategic priority of the 3-year plan: progress in each "
                                               "year, and what changed because of which review.",),
                         tuple(subsections))


def _figure_rows(found: Figures, plans: list[PriorityPlan], guard: _Guard) -> tuple[tuple[str, str, str, int], ...]:
    """The same figures as the document's tables, one number a row, for a spreadsheet."""
    rows: list[tuple[str, str, str, int]] = [
        ("Year", found.period.label, measure, value) for measure, value in (
            ("Reviews received", found.received), ("Reviews signed off", found.signed_off),
            ("Reviews signed off in time", found.signed_off_in_time),
            ("Reviews past their clock today", found.past_clock_now),
            ("Ethnicity-flagged reviews received", found.flagged_received),
            ("Ethnicity-flagged reviews with the lead's view", found.flagged_with_lead_view),
            ("Actions overdue today", found.overdue_now), ("Actions completed", found.completed),
            ("Actions completed by their due date", found.completed_in_time))]
    for q in found.quarters:
        rows += [("Reviews by quarter", q.label, "Received", q.received),
                 ("Reviews by quarter", q.label, "Signed off", q.signed_off),
                 ("Reviews by quarter", q.label, "Signed off in time", q.signed_off_in_time)]
    rows += [("Themes", f"{t.kind}: {guard(t.theme)}", "Findings", t.count) for t in found.themes]
    for section, counts in (("Actions by status", found.actions_by_status),
                            ("Actions by ICB strategic priority", found.actions_by_priority),
                            ("Actions by organisation", found.actions_by_organisation)):
        rows += [(section, c.label, "Actions", c.count) for c in guard.counts(counts)]
    for plan in plans:
        title = guard(plan.title)
        for y in plan.years:
            rows += [(f"Local action plan: {title}", y.label, "Actions due", y.due),
                     (f"Local action plan: {title}", y.label, "Done", y.done)]
    return tuple(rows)


def annual_report(*, session: Session, actor: Actor, found: Figures, plans: list[PriorityPlan],
                  today: dt.date, filters: Filters = NO_FILTERS, narrowed_to: str = "") -> AnnualReport:
    """The report for one period, every text through the guard."""
    guard = _Guard()
    period = found.period
    examples, total = good_practice(session=session, actor=actor, period=period, filters=filters)
    brief = "The year in brief" if period.whole_year else "In brief"
    sections = (ReportSection(brief, headline(found)), _reviews_section(found, guard),
                _themes_section(found, guard), _good_practice_section(examples, total, guard),
                _actions_section(found, guard), _plan_section(plans, guard))
    figure_rows = _figure_rows(found, plans, guard)
    kind = "annual report figures" if period.whole_year else "report figures"
    title = guard(f"LeDeR {kind}: {actor.icb_name}, {period.label}")
    marking = guard(panel_rules(session=session, panel_id=actor.panel_id).protective_marking)
    introduction: tuple[str, ...] = (
        guard(f"{actor.panel_name}, {actor.icb_name}. {period.label}: {long_date(period.start)} to "
              f"{long_date(period.end)}. Figures as the app held them on {long_date(today)}."),
        "Reviews are counted and named by their pseudonymised reference only; no name, NHS number, date of "
        "birth or address of the person who died is in this report.",
    )
    if narrowed_to:
        introduction += (guard(narrowed_to),)
    if guard.left_out:
        introduction += ("Left out because the personal-data check found what may identify someone: "
                         f"{plural(guard.left_out, 'passage')}, each marked where it would have been.",)
    return AnnualReport(title=title, marking=marking,
                        introduction=introduction, sections=sections, figures=found,
                        figure_rows=figure_rows, left_out=guard.left_out)
