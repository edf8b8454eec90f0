"""The papers a scheduled meeting's members get beforehand: the meeting pack (cover, agenda, each focused
review's summary and findings, the actions coming back, the last minutes for approval) and the Easy Read
pack (when and where, what members will be asked to do, each review's own Easy Read summary).

Everything is gathered here as plain values, read from the same record as the meeting room and the
minutes; documents/meeting_pack_docx.py and documents/easy_read_docx.py write them. Both packs pass the
personal-data guard before anything is marked as sent: one hit refuses them, saying where.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import AuditEvent, Meeting, MinutesRecord
from features.actions.actions import ActionFilter, ActionRow, list_actions
from features.audit.audit import append_event
from features.meetings.meetings import load_meeting, panel_meetings
from features.meetings.room import ethnicity_checkpoint
from features.minutes.easy_read import (
    LEDER_EXPLAINED,
    REFERENCE_EXPLAINED,
    EasyReadBlock,
    EasyReadMinutes,
    EasyReadSection,
    findings_blocks,
    own_summary,
)
from features.minutes.minutes import Minutes, refuse_identifiers_in
from features.minutes.workflow import minutes_for_export
from features.panel_settings.panels import PanelRules, panel_rules
from features.reviews.comments import comment_sections
from features.reviews.jargon import jargon_pairs
from features.reviews.reviews import ReviewDetail, review_detail
from rules.actors import Actor
from rules.errors import Invalid, NotFound
from rules.formatting import clock_time, long_date, plural, short_date, uk_time
from rules.labels import MEETING_STATUS_LABELS
from rules.permissions import Permission, require
from rules.vocabulary import ActionStatus, AgendaItemKind, FindingKind, MeetingKind, MeetingStatus, MinutesStatus

PAPERS_CIRCULATED = "papers circulated"  # the audit action: the Meetings page reads the date from it
SENDABLE = (MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED)
CONFIDENTIAL = "Papers for members: confidential"
ACTION_COLUMNS = ("Review", "Action", "Owner and organisation", "Due", "Status")
NO_EASY_READ = ("There is no Easy Read summary for this review yet.",
                "Ask the person who runs the panel meetings to explain it to you.")


@dataclass(frozen=True)
class PackFinding:
    kind_label: str
    text: str
    themes: tuple[str, ...]

    @property
    def line(self) -> str:
        return self.text + (f" (Themes: {', '.join(self.themes)}.)" if self.themes else "")


@dataclass(frozen=True)
class PackReview:
    """One focused review as members read it before the meeting: pseudonymised reference, never a name."""

    position: int
    reference: str
    facts: tuple[tuple[str, str], ...]  # (what, value): age band, setting, notified, the clock, reviewer
    summary: str
    learning: tuple[PackFinding, ...]
    good_practice: tuple[PackFinding, ...]
    concerns: tuple[PackFinding, ...]
    ethnicity_note: str

    def texts(self) -> list[str]:
        findings = (*self.learning, *self.good_practice, *self.concerns)
        return [self.reference, *(v for _, v in self.facts), self.summary, self.ethnicity_note,
                *(f.line for f in findings)]


@dataclass(frozen=True)
class PreviousMinutes:
    """The last meeting's minutes for approval, or why they are not in the pack."""

    note: str
    minutes: Minutes | None = None


@dataclass(frozen=True)
class MeetingPack:
    title: str
    marking: str
    cover: tuple[str, ...]  # ICB, panel, when (UK time), where, and "Papers for members: confidential"
    agenda: tuple[str, ...]  # "5. Focused review LDR-2026-0107", in agenda order
    reviews: tuple[PackReview, ...]
    actions_note: str
    actions: tuple[tuple[str, ...], ...]  # rows under ACTION_COLUMNS
    previous: PreviousMinutes

    def lines(self) -> list[tuple[str, str]]:
        """(where, text) for every piece of text, for the personal-data guard."""
        found = [("Cover", text) for text in (self.title, *self.cover)]
        found += [("Agenda", line) for line in self.agenda]
        found += [(review.reference, text) for review in self.reviews for text in review.texts()]
        found += [("Actions", cell) for row in self.actions for cell in row]
        if self.previous.minutes is not None:
            found += [(f"Last minutes, {where}", text) for where, text in self.previous.minutes.lines()]
        return found


@dataclass(frozen=True)
class MeetingPapers:
    """What circulating the papers produced: both packs, and the day they went."""

    meeting_id: int
    meeting_date: dt.date
    pack: MeetingPack
    easy_read: EasyReadMinutes
    circulated_on: dt.date


@dataclass(frozen=True)
class PapersRecord:
    """When a meeting's papers went out, read from the audit log: the first time, and the latest."""

    first: dt.datetime
    latest: dt.datetime
    times: int

    @property
    def in_words(self) -> str:
        first, latest = uk_time(self.first).date(), uk_time(self.latest).date()
        line = f"Papers circulated on {long_date(first)}"
        if self.times > 1:
            line += f"; sent again on {long_date(latest)}" if latest != first else f"; sent {self.times} times"
        return line + "."


def _sendable(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """A meeting of the actor's panel that has not started, with at least one review on its agenda."""
    require(actor, Permission.MANAGE_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.kind != MeetingKind.MEETING:
        raise NotFound("That meeting is not on your panel's calendar. A decision by circulation has no papers "
                       "pack: its reviews are read on the Circulations page.")
    if meeting.status == MeetingStatus.CANCELLED:
        raise Invalid(f"The meeting on {long_date(meeting.meeting_date)} is cancelled, so there are no papers "
                      "to send.")
    if meeting.status not in SENDABLE:
        raise Invalid(f"Papers go out before a meeting starts, and the meeting on {long_date(meeting.meeting_date)} "
                      f"has already started (its status is '{MEETING_STATUS_LABELS[meeting.status]}').")
    if not any(i.kind == AgendaItemKind.REVIEW and i.review_id for i in meeting.agenda_items):
        raise Invalid("Add at least one focused review to the agenda before sending the papers.")
    return meeting


def _when(meeting: Meeting) -> str:
    """The day and the start time as people in England read them (the stored time is UK time)."""
    start = clock_time(meeting.start_time)
    return long_date(meeting.meeting_date) + (f" at {start}" if start else "")


def _where(meeting: Meeting) -> str:
    online = "online (the link is in the calendar invite)" if meeting.online_link else ""
    return " and ".join(p for p in (meeting.location, online) if p) or "To be confirmed"


def _findings(review: ReviewDetail, kind: FindingKind) -> tuple[PackFinding, ...]:
    return tuple(PackFinding(f.kind_label, f.text, f.themes) for f in review.findings_of(kind))


def _ethnicity_note(review: ReviewDetail, rules: PanelRules, session: Session) -> str:
    """The ethnic minority lead checkpoint in words, so the lead knows before the meeting what waits for them."""
    recorded = bool(comment_sections(session, review.id).ethnic_minority_lead)
    checkpoint = ethnicity_checkpoint(ethnic_minority=review.ethnic_minority, required=rules.require_em_lead_view,
                                      em_lead_view_recorded=recorded)
    if not review.ethnic_minority:
        return checkpoint.message
    needed = ("The lead's view is needed before the panel signs it off. " if checkpoint.required
              else "The panel's settings do not require the lead's view before sign-off. ")
    return ("Flagged for the ethnic minority lead: the person was from an ethnic minority background. "
            + needed + (checkpoint.message if checkpoint.required else ""))


def _pack_review(session: Session, actor: Actor, position: int, review_id: int, today: dt.date,
                 rules: PanelRules) -> tuple[PackReview, ReviewDetail]:
    review = review_detail(session=session, actor=actor, review_id=review_id, today=today)
    facts = (("Age band", review.age_band), ("Setting", review.setting_type),
             ("Notified", long_date(review.notified_on)), ("Six-month clock", review.clock.label),
             ("Reviewer", review.reviewer_name))
    return PackReview(
        position=position, reference=review.reference, facts=facts,
        summary=review.summary.strip() or "The reviewer has not written a summary yet.",
        learning=_findings(review, FindingKind.LEARNING), good_practice=_findings(review, FindingKind.GOOD_PRACTICE),
        concerns=_findings(review, FindingKind.CONCERN), ethnicity_note=_ethnicity_note(review, rules, session),
    ), review


def returning_actions(session: Session, actor: Actor, meeting: Meeting) -> list[ActionRow]:
    """What comes back to this meeting's action log: open actions due on or before its day, and completed
    ones waiting for the panel to close them; never drafts."""
    due_by = meeting.meeting_date + dt.timedelta(days=1)
    due = list_actions(session=session, actor=actor, today=due_by, wanted=ActionFilter(overdue_only=True))
    done = list_actions(session=session, actor=actor, today=meeting.meeting_date,
                        wanted=ActionFilter(statuses=frozenset({ActionStatus.COMPLETED})))
    return [a for a in (*due, *done) if not a.is_draft]


def _action_row(action: ActionRow, today: dt.date) -> tuple[str, ...]:
    status = action.status_label
    if action.status != ActionStatus.COMPLETED and action.due_on < today:
        status += " (overdue)"
    elif action.status == ActionStatus.COMPLETED:
        status += ": for the panel to close"
    return (action.review_reference, action.description, action.owner, short_date(action.due_on), status)


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    """The panel's last meeting before this one that was not cancelled: its minutes come for approval."""
    return session.scalars(select(Meeting).where(
        panel_meetings(meeting.panel_id), Meeting.meeting_date < meeting.meeting_date,
        Meeting.status != MeetingStatus.CANCELLED).order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
        .limit(1)).first()


def _previous_minutes(session: Session, actor: Actor, meeting: Meeting, today: dt.date) -> PreviousMinutes:
    """Circulated draft minutes go in for approval; otherwise the pack says plainly why they are not there."""
    last = previous_meeting(session, meeting)
    if last is None:
        return PreviousMinutes("There is no earlier meeting, so there are no minutes to approve.")
    day = long_date(last.meeting_date)
    status = session.scalar(select(MinutesRecord.status).where(MinutesRecord.meeting_id == last.id))
    if status == MinutesStatus.APPROVED:
        return PreviousMinutes(f"The minutes of the meeting on {day} are already approved, so they are not in "
                               "this pack.")
    if status != MinutesStatus.CIRCULATED:
        return PreviousMinutes(f"The minutes of the meeting on {day} are not available yet: they have not been "
                               "circulated for comment. They will be sent separately for approval.")
    minutes = minutes_for_export(session=session, actor=actor, meeting_id=last.id, today=today)
    return PreviousMinutes(f"The draft minutes of the meeting on {day}, circulated for comment, for the panel "
                           "to approve as a true record.", minutes)


def gather_pack(session: Session, actor: Actor, meeting: Meeting, *, today: dt.date,
                rules: PanelRules) -> tuple[MeetingPack, list[ReviewDetail]]:
    """The meeting pack, and the reviews as read (the Easy Read pack uses the same ones)."""
    agenda = tuple(f"{item.position}. {item.title}" for item in meeting.agenda_items)
    gathered = [_pack_review(session, actor, item.position, item.review_id, today, rules)
                for item in meeting.agenda_items if item.kind == AgendaItemKind.REVIEW and item.review_id]
    actions = returning_actions(session, actor, meeting)
    note = (f"{plural(len(actions), 'action')} come back to this meeting: open actions due on or before "
            f"{long_date(meeting.meeting_date)}, and completed actions for the panel to close."
            if actions else "No actions come back to this meeting: none is due by its day or waiting to be closed.")
    cover = (actor.icb_name, actor.panel_name, f"When: {_when(meeting)} (UK time)", f"Where: {_where(meeting)}",
             CONFIDENTIAL, f"Prepared on {long_date(today)}.")
    pack = MeetingPack(
        title=f"Meeting pack: {meeting.title}", marking=rules.protective_marking, cover=cover, agenda=agenda,
        reviews=tuple(review for review, _ in gathered), actions_note=note,
        actions=tuple(_action_row(a, today) for a in actions),
        previous=_previous_minutes(session, actor, meeting, today))
    return pack, [detail for _, detail in gathered]


def _easy_review(review: ReviewDetail, jargon: list[tuple[str, str]]) -> EasyReadSection:
    """One review in Easy Read: its own summary only when it passes the Easy Read check."""
    summary = own_summary(review.easy_read_summary, jargon) or NO_EASY_READ
    blocks = [EasyReadBlock("review", (f"This is review {review.reference}.", *summary))]
    blocks.extend(findings_blocks(review))
    if review.ethnic_minority:
        blocks.append(EasyReadBlock("said", ("The person was from an ethnic minority community.",
                                             "The lead for ethnic minority communities will say what they think.")))
    blocks.append(EasyReadBlock("vote", ("Please tell us what you think before the meeting.",
                                         "At the meeting, the panel will vote on this review.")))
    return EasyReadSection(f"Review {review.reference}", tuple(blocks))


def gather_easy_read_pack(session: Session, actor: Actor, meeting: Meeting, reviews: list[ReviewDetail], *,
                          pack: MeetingPack, marking: str) -> EasyReadMinutes:
    """The Easy Read pack, in the Easy Read minutes' form (short sentences, a picture beside each block)."""
    jargon = jargon_pairs(session, actor.panel_id)
    start = clock_time(meeting.start_time)
    when = [f"The LeDeR panel meets on {long_date(meeting.meeting_date)}."]
    if start:
        when.append(f"The meeting starts at {start}.")
    if meeting.location:
        when.append(f"The meeting is at {meeting.location}.")
    if meeting.online_link:
        when.append("You can also join online. The link is in your invite.")
    sections = [
        EasyReadSection("About this meeting", (EasyReadBlock("meeting", (*when, *LEDER_EXPLAINED)),
                                               EasyReadBlock("review", REFERENCE_EXPLAINED))),
        EasyReadSection("What you will be asked to do", (
            EasyReadBlock("review", (f"The panel will look at {plural(len(reviews), 'review')}.",
                                     "Please read about each review in this pack.")),
            EasyReadBlock("said", ("Then tell us what you think before the meeting.",
                                   "You can say: I agree, I am not sure, or I am worried.",
                                   "You can do this on the My meeting page.")),
            EasyReadBlock("vote", ("At the meeting, you can vote on each review.",
                                   "Someone can help you read and vote.")))),
        *(_easy_review(review, jargon) for review in reviews),
    ]
    checks = []
    if pack.actions:
        checks.append(EasyReadBlock("action", (f"The panel will check {plural(len(pack.actions), 'job')} "
                                               "from earlier reviews.",)))
    if pack.previous.minutes is not None:
        checks.append(EasyReadBlock("calendar", ("The panel will check the notes of the last meeting.",
                                                 "Then the panel will agree them.")))
    if checks:
        sections.append(EasyReadSection("What else the panel will check", tuple(checks)))
    sections.append(EasyReadSection("Help", (
        EasyReadBlock("help", ("Do you have a question about this?", "Ask the person who runs the panel meetings.",
                               "You can bring someone to help you.")),)))
    return EasyReadMinutes(title=f"Papers for the meeting on {long_date(meeting.meeting_date)}", marking=marking,
                           sections=tuple(sections))


def send_papers(*, session: Session, actor: Actor, meeting_id: int, now: dt.datetime) -> MeetingPapers:
    """Both packs for a meeting that has not started, checked for personal data; then the papers are
    marked as circulated: a planned meeting moves to 'papers circulated' (members' comments open) and the
    audit log says so with the date. Sending again after a change adds another entry."""
    meeting = _sendable(session, actor, meeting_id)
    today = uk_time(now).date()
    rules = panel_rules(session=session, panel_id=actor.panel_id)
    pack, reviews = gather_pack(session, actor, meeting, today=today, rules=rules)
    easy = gather_easy_read_pack(session, actor, meeting, reviews, pack=pack, marking=rules.protective_marking)
    refuse_identifiers_in("The meeting pack", pack.lines())
    refuse_identifiers_in("The Easy Read pack", (("", sentence) for sentence in easy.sentences()))
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.PAPERS_CIRCULATED
        flush_or_conflict(session, "this meeting")
    # The command line's operator (user 0) is no account: the log shows such an entry as the system's.
    append_event(session, panel_id=actor.panel_id, actor_id=actor.user_id or None, action=PAPERS_CIRCULATED,
                 subject=f"meeting {meeting.id}",
                 description=f"Papers circulated on {long_date(today)} for the meeting on "
                             f"{long_date(meeting.meeting_date)}: the meeting pack and the Easy Read pack, "
                             f"{plural(len(reviews), 'focused review')}.", at=now)
    return MeetingPapers(meeting_id=meeting.id, meeting_date=meeting.meeting_date, pack=pack, easy_read=easy,
                         circulated_on=today)


def papers_record(*, session: Session, actor: Actor, meeting_id: int) -> PapersRecord | None:
    """When the papers went out, if they have: one grouped read of the audit log, no pack is built."""
    require(actor, Permission.VIEW_MEETINGS)
    first, latest, times = session.execute(
        select(func.min(AuditEvent.at), func.max(AuditEvent.at), func.count(AuditEvent.id))
        .where(AuditEvent.panel_id == actor.panel_id, AuditEvent.action == PAPERS_CIRCULATED,
               AuditEvent.subject == f"meeting {meeting_id}")).one()
    return PapersRecord(first, latest, times) if times else None
