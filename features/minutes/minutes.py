"""The minutes draft, built from what the app recorded: who was there, declarations, quoracy per item, the
action log, one section per focused review (findings, what lived-experience members and the ethnic
minority lead said, the vote, the decision, its SMART actions), escalations and the next meeting.

Before anything leaves the app, every line is checked for identifiers; a hit refuses the export and says
where it is, so the secretariat can fix the record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AgendaItem, Meeting, MinutesNarrative, MinutesRecord
from features.actions.actions import ActionRow, actions_for_meeting
from features.circulation.circulation import AgreedByCirculation, agreed_by_circulation
from features.meetings.attendance import AttendanceRow, Capacity, attendance_rows
from features.meetings.declarations import item_declarations
from features.meetings.meetings import load_meeting, panel_meetings
from features.panel_settings.panels import panel_rules
from features.reviews.comments import CommentRow, comment_sections
from features.reviews.escalations import EscalationRow, escalation_log
from features.reviews.reviews import review_detail
from features.voting.decisions import decision_for_item
from features.voting.voting import PollView, poll_view
from rules.actors import Actor
from rules.errors import Invalid
from rules.formatting import clock_time, long_date, short_date
from rules.periods import meeting_began
from rules.permissions import Permission, require
from rules.pii import find_identifiers
from rules.vocabulary import AgendaItemKind, AttendanceStatus, MeetingStatus

NO_ATTENDANCE = "No attendance has been recorded for this meeting, so there are no minutes to write yet."
ACTION_COLUMNS = ("Action", "Owner and organisation", "How we will know it is done", "Due")


@dataclass(frozen=True)
class MinutesTable:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class MinutesSection:
    """One agenda item (or fixed part) of the minutes: what the app recorded, then the secretariat's
    narrative of the discussion, then the outcome (vote and decision) and the actions table."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    subsections: tuple[MinutesSection, ...] = ()
    table: MinutesTable | None = None
    key: str = ""  # "item-<agenda item id>" for sections the secretariat writes narrative for
    narrative: str = ""
    outcome: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        table = [cell for row in self.table.rows for cell in row] if self.table else []
        return [self.heading, *self.paragraphs, self.narrative, *self.outcome, *table]


@dataclass(frozen=True)
class Minutes:
    title: str
    panel: str
    icb: str
    when: str
    where: str
    marking: str
    sections: tuple[MinutesSection, ...] = field(default_factory=tuple)
    status_line: str = ""  # "Draft: not yet approved." or "Approved on …"
    history: tuple[str, ...] = ()  # one line per approved version and correction

    def lines(self) -> list[tuple[str, str]]:
        """(where, text) for every piece of text, for the identifier check."""
        found: list[tuple[str, str]] = [("Title", self.title)]

        def walk(section: MinutesSection) -> None:
            found.extend((section.heading, text) for text in section.texts() if text)
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        found.extend(("Versions", line) for line in self.history)
        return found

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, content: str) -> Minutes:
        data = json.loads(content)
        return replace(cls(**{k: v for k, v in data.items() if k not in ("sections", "history")}),
                       sections=tuple(_section_from(s) for s in data["sections"]),
                       history=tuple(data.get("history", ())))

    def with_narrative(self, key: str, narrative: str) -> Minutes:
        """A copy with one section's narrative replaced: how a correction to approved minutes is made."""
        if key not in {s.key for s in self.sections if s.key}:
            raise Invalid("That part of the minutes cannot be corrected. Choose an agenda item.")
        return replace(self, sections=tuple(replace(s, narrative=narrative) if s.key == key else s
                                            for s in self.sections))


def _section_from(data: dict[str, Any]) -> MinutesSection:
    table = data.get("table")
    return MinutesSection(
        heading=data["heading"], paragraphs=tuple(data.get("paragraphs", ())),
        subsections=tuple(_section_from(s) for s in data.get("subsections", ())),
        table=MinutesTable(tuple(table["header"]), tuple(tuple(r) for r in table["rows"])) if table else None,
        key=data.get("key", ""), narrative=data.get("narrative", ""), outcome=tuple(data.get("outcome", ())))


def _attendance(session: Session, actor: Actor, meeting_id: int) -> MinutesSection:
    rows = attendance_rows(session=session, actor=actor, meeting_id=meeting_id)
    if not any(r.status is not None for r in rows):
        raise Invalid(NO_ATTENDANCE)

    def names(test: Callable[[AttendanceRow], bool]) -> str:
        chosen = [f"{r.name} ({r.role_names})" for r in rows if test(r)]
        return "; ".join(chosen) or "None"

    return MinutesSection("Present and apologies", (
        "Present: " + names(lambda r: r.present and r.capacity == Capacity.VOTING_MEMBER
                            and r.deputy_for_user_id is None),
        "Deputies: " + ("; ".join(f"{r.name} for {r.deputy_for_name}" for r in rows
                                  if r.present and r.deputy_for_user_id) or "None"),
        "In attendance: " + names(lambda r: r.present and r.capacity != Capacity.VOTING_MEMBER),
        "Apologies: " + names(lambda r: r.status == AttendanceStatus.APOLOGIES),
    ))


def _actions_table(actions: list[ActionRow]) -> MinutesTable | None:
    if not actions:
        return None
    return MinutesTable(ACTION_COLUMNS, tuple(
        (a.description, a.owner, a.measure or "Not set", short_date(a.due_on)) for a in actions))


def _voices(session: Session, review_id: int) -> tuple[str, ...]:
    """Each member's words under their name, so one person's view never runs into another's."""
    sections = comment_sections(session, review_id)

    def said(comments: Iterable[CommentRow]) -> str:
        parts = [f"{c.author}: " + " ".join(filter(None, (c.feeling_label and c.feeling_label + ".", c.body)))
                 for c in comments]
        return " ".join(parts) or "Nothing recorded."

    return (f"Lived-experience members. {said(sections.lived_experience)}",
            f"Ethnic minority lead. {said(sections.ethnic_minority_lead)}")


def _review_section(session: Session, actor: Actor, item: AgendaItem, review_id: int, actions: list[ActionRow],
                    today: dt.date, narrative: str) -> MinutesSection:
    review = review_detail(session=session, actor=actor, review_id=review_id, today=today)
    paragraphs = [f"Reviewer: {review.reviewer_name}.",
                  f"{item.quorum_summary}." if item.quorum_summary else "Quoracy was not checked for this item."]
    for declaration in item_declarations(session, item.id):
        paragraphs.append(f"Declaration: {declaration.name}, {declaration.interest}. {declaration.outcome_label}.")
    for finding in review.findings:
        paragraphs.append(f"{finding.kind_label}: {finding.text}")
    paragraphs.extend(_voices(session, review.id))
    outcome = []
    poll = poll_view(session=session, actor=actor, item_id=item.id)
    if poll is not None and poll.results is not None:
        counts = "; ".join(f"{r.option}: {r.count}" + (f" ({', '.join(r.names)})" if r.names else "")
                           for r in poll.results)
        kind = "anonymous" if poll.anonymous else "named"
        outcome.append(f"Vote ({kind}): {counts}. {poll.voted} of {poll.eligible} eligible members voted.")
    decision = decision_for_item(session=session, actor=actor, item_id=item.id)
    outcome.append(f"Decision: {decision.outcome_label}." + (f" Reasons: {decision.reasons}" if decision.reasons
                                                             else "") if decision else _no_decision(poll))
    mine = [a for a in actions if a.review_id == review.id and not a.is_draft]
    return MinutesSection(f"Focused review {review.reference}", tuple(paragraphs), table=_actions_table(mine),
                          key=item_key(item.id), narrative=narrative, outcome=tuple(outcome))


def _no_decision(poll: PollView | None) -> str:
    """Why there is no decision, when the minutes can tell: a vote that closed without a quorum."""
    if poll is not None and poll.quorum_met is False:
        return (f"Decision: none. The panel was not quorate when the vote closed ({poll.quorum_summary}), so "
                "no decision could be recorded. The review comes back to a later meeting.")
    return "Decision: none recorded."


def item_key(item_id: int) -> str:
    return f"item-{item_id}"


def narrative_records(session: Session, meeting: Meeting) -> dict[int, MinutesNarrative]:
    """agenda item id -> the secretariat's minute for it (its text and version)."""
    ids = [i.id for i in meeting.agenda_items]
    found: Iterable[MinutesNarrative] = (
        session.scalars(select(MinutesNarrative).where(MinutesNarrative.agenda_item_id.in_(ids))) if ids else ())
    return {n.agenda_item_id: n for n in found}


def _previous_minutes(session: Session, item: AgendaItem, actions: list[ActionRow], narrative: str) -> MinutesSection:
    overdue = [a for a in actions if a.overdue]
    approved = session.scalars(select(Meeting.meeting_date).join(MinutesRecord, MinutesRecord.meeting_id == Meeting.id)
                               .where(MinutesRecord.approved_at_meeting_id == item.meeting_id)
                               .order_by(Meeting.meeting_date)).all()
    paragraphs = [f"The minutes of the meeting on {long_date(day)} were approved as a true record." for day in approved]
    paragraphs.append(f"{len(overdue)} actions were overdue and came back to the panel.")
    return MinutesSection(item.title, tuple(paragraphs), table=_actions_table(overdue), key=item_key(item.id),
                          narrative=narrative)


def build_minutes(*, session: Session, actor: Actor, meeting_id: int, today: dt.date) -> Minutes:
    require(actor, Permission.VIEW_REVIEWS)
    marking = panel_rules(session=session, panel_id=actor.panel_id).protective_marking
    meeting = load_meeting(session, actor, meeting_id)
    sections = [_attendance(session, actor, meeting.id)]
    actions = actions_for_meeting(session=session, actor=actor, meeting=meeting)
    narratives = narrative_records(session, meeting)
    for item in meeting.agenda_items:
        narrative = narratives[item.id].text if item.id in narratives else ""
        if item.kind == AgendaItemKind.REVIEW and item.review_id is not None:
            sections.append(_review_section(session, actor, item, item.review_id, actions, today, narrative))
        elif item.kind == AgendaItemKind.PREVIOUS_MINUTES:
            sections.append(_previous_minutes(session, item, actions, narrative))
        else:
            sections.append(MinutesSection(item.title, () if narrative else ("Nothing further was recorded.",),
                                           key=item_key(item.id), narrative=narrative))
    agreed = _agreed_by_circulation(session, actor, meeting)
    if agreed is not None:
        sections.append(agreed)
    escalations = [e for e in escalation_log(session=session, actor=actor) if e.escalated_on == meeting.meeting_date]
    if escalations:
        sections.append(MinutesSection("Escalations", tuple(_escalation_line(e) for e in escalations)))
    following = next_meeting_date(session, meeting)
    sections.append(MinutesSection("Date of the next meeting", (long_date(following) if following
                                                                 else "To be confirmed.",)))
    minutes = Minutes(title=f"Minutes: {meeting.title}", panel=actor.panel_name, icb=actor.icb_name,
                      when=long_date(meeting.meeting_date) + (f", {clock_time(meeting.start_time)}"
                                                              if meeting.start_time else ""),
                      where=meeting.location or "Online", marking=marking, sections=tuple(sections),
                      status_line="Draft: these minutes are not yet approved.")
    refuse_identifiers(minutes)
    return minutes


def agreed_since_last_meeting(session: Session, actor: Actor, meeting: Meeting) -> list[AgreedByCirculation]:
    """Reviews decided by circulation since the panel's previous meeting began (a cancelled one never
    began): what this meeting's minutes, and its Easy Read minutes, report."""
    began = meeting_began(meeting.meeting_date, meeting.start_time)
    earlier = [meeting_began(day, start) for day, start in session.execute(
        select(Meeting.meeting_date, Meeting.start_time).where(
            panel_meetings(meeting.panel_id), Meeting.id != meeting.id, Meeting.meeting_date <= meeting.meeting_date,
            Meeting.status != MeetingStatus.CANCELLED))]
    previous = max((moment for moment in earlier if moment < began), default=None)
    return agreed_by_circulation(session=session, actor=actor, after=previous, until=began)


def _agreed_by_circulation(session: Session, actor: Actor, meeting: Meeting) -> MinutesSection | None:
    agreed = agreed_since_last_meeting(session, actor, meeting)
    if not agreed:
        return None
    return MinutesSection("Agreed by circulation since the last meeting", tuple(a.line for a in agreed))


def _escalation_line(escalation: EscalationRow) -> str:
    about = escalation.review_reference or "General"
    what = escalation.what if about in escalation.what else f"{about}: {escalation.what}"
    return f"{what} To {escalation.to_whom}. {escalation.status_label}."


def next_meeting_date(session: Session, meeting: Meeting) -> dt.date | None:
    """The panel's next meeting after this one, for the minutes and the Easy Read minutes."""
    return session.scalar(select(Meeting.meeting_date).where(panel_meetings(meeting.panel_id),
                                                             Meeting.meeting_date > meeting.meeting_date)
                          .order_by(Meeting.meeting_date).limit(1))


def refuse_identifiers(minutes: Minutes) -> None:
    refuse_identifiers_in("The minutes", minutes.lines())


def refuse_identifiers_in(what: str, lines: Iterable[tuple[str, str]]) -> None:
    """Exports refuse anything that looks like personal data, saying where each one is ('where: …')."""
    hits = [f"{where}: {hit.message}" if where else hit.message for where, text in lines
            for hit in find_identifiers(text, full_dates=False)]
    if hits:
        raise Invalid(f"{what} were not exported because they contain what looks like personal data. "
                      "Fix these in the record first. " + " ".join(hits[:5]))
