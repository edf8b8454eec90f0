"""The minutes' workflow: draft (the secretariat and chair write narrative per item) → circulated to the
panel for comment → approved (at a later meeting, or by the chair where the panel's rules allow), which
locks them. After approval a correction is a new version with its reason, never an edit in place.

Approved minutes are exported from their frozen version, so a later change to the record (an action's
new date, a reworded finding) never rewrites what the panel approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import (
    AgendaItem,
    Meeting,
    MinutesComment,
    MinutesNarrative,
    MinutesRecord,
    MinutesVersion,
    User,
)
from features.audit.audit import record_event
from features.meetings.meetings import load_meeting, panel_meetings
from features.minutes.minutes import (
    Minutes,
    agreed_since_last_meeting,
    build_minutes,
    item_key,
    narrative_records,
    refuse_identifiers,
)
from features.panel_settings.panels import panel_rules
from rules.actors import Actor
from rules.errors import Invalid, NotAllowed, NotFound, changed_by_someone_else
from rules.formatting import long_date, uk_time
from rules.limits import MAX_COMMENT_CHARS, MAX_NARRATIVE_CHARS
from rules.permissions import Permission, allows, require
from rules.pii import find_identifiers
from rules.plain_text import clean_text
from rules.vocabulary import ApprovalRoute, MeetingStatus, MinutesStatus, Role

MINUTES_STATUS_LABELS = {
    None: "Not started",
    MinutesStatus.DRAFT: "Draft",
    MinutesStatus.CIRCULATED: "Circulated to the panel for comment",
    MinutesStatus.APPROVED: "Approved and locked",
}
# Narrative can be written from the moment the meeting starts; circulation waits until it has ended.
WRITABLE = (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED)
ENDED = (MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED, MeetingStatus.MINUTES_APPROVED)
APPROVING_MEETINGS = (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED,
                      MeetingStatus.MINUTES_APPROVED)


@dataclass(frozen=True)
class NarrativeRow:
    item_id: int
    key: str
    heading: str
    text: str
    version_id: int  # 0: nothing written yet


@dataclass(frozen=True)
class MinutesVersionRow:
    number: int
    author: str
    created_at: dt.datetime
    reason: str


@dataclass(frozen=True)
class MinutesCommentRow:
    author: str
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class ApprovalMeeting:
    id: int
    label: str


@dataclass(frozen=True)
class MinutesState:
    meeting_id: int
    meeting_title: str
    meeting_date: dt.date
    status: MinutesStatus | None
    version_id: int  # of the minutes record; 0 before one exists
    narratives: tuple[NarrativeRow, ...]
    versions: tuple[MinutesVersionRow, ...]
    comments: tuple[MinutesCommentRow, ...]
    approval_meetings: tuple[ApprovalMeeting, ...]
    chair_may_approve: bool
    meeting_ended: bool
    agreed_by_circulation: tuple[str, ...] = ()  # the lines the minutes write for it, shown to the writer

    @property
    def status_label(self) -> str:
        return MINUTES_STATUS_LABELS[self.status]

    @property
    def locked(self) -> bool:
        return self.status == MinutesStatus.APPROVED

    @property
    def latest_version(self) -> int:
        return self.versions[-1].number if self.versions else 0


def _record(session: Session, meeting_id: int) -> MinutesRecord | None:
    return session.scalars(select(MinutesRecord).where(MinutesRecord.meeting_id == meeting_id)).one_or_none()


def _ensure_record(session: Session, meeting: Meeting) -> MinutesRecord:
    """The record is made when the first words are written; the meeting then shows 'Minutes drafted'."""
    record = _record(session, meeting.id)
    if record is None:
        record = MinutesRecord(meeting_id=meeting.id, status=MinutesStatus.DRAFT)
        session.add(record)
        if meeting.status == MeetingStatus.HELD:
            meeting.status = MeetingStatus.MINUTES_DRAFTED
    return record


def _check_version(record: MinutesRecord | None, expected_version: int) -> None:
    if (record.version_id if record else 0) != expected_version:
        raise changed_by_someone_else("these minutes")


def _refuse_personal_data(text: str, what: str) -> None:
    hits = find_identifiers(text, full_dates=False)
    if hits:
        raise Invalid(f"{what} was not saved because it contains what looks like personal data: "
                      + " ".join(hit.message for hit in hits[:3]) + " Your words are still in the box.")


def minutes_state(*, session: Session, actor: Actor, meeting_id: int) -> MinutesState:
    require(actor, Permission.VIEW_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    record = _record(session, meeting.id)
    narratives = narratives_for_rows(session, meeting) if allows(actor, Permission.EDIT_MINUTES) else ()
    return MinutesState(
        meeting_id=meeting.id, meeting_title=meeting.title, meeting_date=meeting.meeting_date,
        status=record.status if record else None, version_id=record.version_id if record else 0,
        narratives=narratives, versions=tuple(_versions(session, meeting.id)),
        comments=tuple(_comments(session, meeting.id)),
        approval_meetings=tuple(_approval_meetings(session, meeting)),
        chair_may_approve=panel_rules(session=session, panel_id=actor.panel_id).chair_may_approve_minutes,
        meeting_ended=meeting.status in ENDED,
        agreed_by_circulation=tuple(a.line for a in agreed_since_last_meeting(session, actor, meeting)))


def narratives_for_rows(session: Session, meeting: Meeting) -> tuple[NarrativeRow, ...]:
    rows = narrative_records(session, meeting)
    return tuple(NarrativeRow(item.id, item_key(item.id), f"{item.position}. {item.title}",
                              rows[item.id].text if item.id in rows else "",
                              rows[item.id].version_id if item.id in rows else 0)
                 for item in meeting.agenda_items)


def _versions(session: Session, meeting_id: int) -> list[MinutesVersionRow]:
    return [MinutesVersionRow(v.number, name, v.created_at, v.reason) for v, name in session.execute(
        select(MinutesVersion, User.name).join(User, User.id == MinutesVersion.created_by_id)
        .where(MinutesVersion.meeting_id == meeting_id).order_by(MinutesVersion.number))]


def _comments(session: Session, meeting_id: int) -> list[MinutesCommentRow]:
    return [MinutesCommentRow(name, c.body, c.created_at) for c, name in session.execute(
        select(MinutesComment, User.name).join(User, User.id == MinutesComment.author_id)
        .where(MinutesComment.meeting_id == meeting_id).order_by(MinutesComment.created_at, MinutesComment.id))]


def _approval_meetings(session: Session, meeting: Meeting) -> list[ApprovalMeeting]:
    """Later meetings of the panel that have started: minutes are approved at one of those."""
    later = session.scalars(select(Meeting).where(
        panel_meetings(meeting.panel_id), Meeting.meeting_date > meeting.meeting_date,
        Meeting.status.in_(APPROVING_MEETINGS)).order_by(Meeting.meeting_date))
    return [ApprovalMeeting(m.id, f"{m.title} ({long_date(m.meeting_date)})") for m in later]


def save_narrative(*, session: Session, actor: Actor, item_id: int, text: str, expected_version: int,
                   now: dt.datetime) -> None:
    """Write what was discussed under one agenda item. `expected_version` is the narrative's version the
    writer saw (0 for none), so two people writing at once do not overwrite each other."""
    require(actor, Permission.EDIT_MINUTES)
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound("That agenda item is not on your panel's calendar.")
    meeting = load_meeting(session, actor, item.meeting_id)
    record = _record(session, meeting.id)
    if record is not None and record.status == MinutesStatus.APPROVED:
        raise Invalid("These minutes are approved and locked. Make a correction with a reason instead.")
    if meeting.status not in WRITABLE:
        raise Invalid("Minutes are written once the meeting has started.")
    words = clean_text(text, what="The minute", limit=MAX_NARRATIVE_CHARS)
    _refuse_personal_data(words, "The minute")
    narrative = session.scalars(select(MinutesNarrative).where(MinutesNarrative.agenda_item_id == item.id)).first()
    if (narrative.version_id if narrative else 0) != expected_version:
        raise changed_by_someone_else("the minute for this item")
    if narrative is None:
        session.add(MinutesNarrative(agenda_item_id=item.id, text=words, updated_by_id=actor.user_id,
                                     updated_at=now))
    else:
        narrative.text, narrative.updated_by_id, narrative.updated_at = words, actor.user_id, now
    _ensure_record(session, meeting)
    flush_or_conflict(session, "the minute for this item", duplicates=True)
    record_event(session, actor, action="minutes written", subject=f"meeting {meeting.id}",
                 description=f"Wrote the minute for item {item.position}, {item.title}.", at=now)


def circulate_minutes(*, session: Session, actor: Actor, meeting_id: int, expected_version: int,
                      now: dt.datetime) -> None:
    """Send the draft to the panel for comment. The draft must build: attendance recorded, no personal data."""
    require(actor, Permission.EDIT_MINUTES)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.status not in ENDED:
        raise Invalid("Minutes are circulated once the meeting has ended.")
    record = _record(session, meeting.id)
    _check_version(record, expected_version)
    if record is not None and record.status != MinutesStatus.DRAFT:
        raise Invalid(f"These minutes are already {MINUTES_STATUS_LABELS[record.status].lower()}.")
    build_minutes(session=session, actor=actor, meeting_id=meeting.id, today=uk_time(now).date())
    record = _ensure_record(session, meeting)
    record.status, record.circulated_at, record.circulated_by_id = MinutesStatus.CIRCULATED, now, actor.user_id
    flush_or_conflict(session, "these minutes")
    record_event(session, actor, action="minutes circulated", subject=f"meeting {meeting.id}",
                 description=f"Circulated the draft minutes of {meeting.title} to the panel for comment.", at=now)


def comment_on_minutes(*, session: Session, actor: Actor, meeting_id: int, body: str, now: dt.datetime) -> None:
    """A member's comment on the circulated draft, for the secretariat to act on before approval."""
    if not (allows(actor, Permission.COMMENT) or allows(actor, Permission.EDIT_MINUTES)):
        raise NotAllowed("Your role on the panel does not allow this. Ask the secretariat if you need it.")
    meeting = load_meeting(session, actor, meeting_id)
    record = _record(session, meeting.id)
    if record is None or record.status != MinutesStatus.CIRCULATED:
        raise Invalid("Comments are taken while the draft minutes are circulated to the panel.")
    words = clean_text(body, what="Your comment", limit=MAX_COMMENT_CHARS)
    if not words:
        raise Invalid("Write your comment first.")
    _refuse_personal_data(words, "Your comment")
    session.add(MinutesComment(meeting_id=meeting.id, author_id=actor.user_id, body=words, created_at=now))
    session.flush()
    record_event(session, actor, action="minutes comment", subject=f"meeting {meeting.id}",
                 description="Commented on the circulated draft minutes.", at=now)


def approve_minutes(*, session: Session, actor: Actor, meeting_id: int, route: ApprovalRoute,
                    at_meeting_id: int | None, expected_version: int, now: dt.datetime) -> None:
    """Approve the circulated draft and freeze it as version 1; from now on it is locked."""
    require(actor, Permission.APPROVE_MINUTES)
    meeting = load_meeting(session, actor, meeting_id)
    record = _record(session, meeting.id)
    _check_version(record, expected_version)
    if record is None or record.status != MinutesStatus.CIRCULATED:
        raise Invalid("Circulate the draft minutes to the panel before they are approved.")
    today = uk_time(now).date()
    if route == ApprovalRoute.AT_MEETING:
        approving = _approving_meeting(session, meeting, at_meeting_id)
        how = f"Approved at the meeting on {long_date(approving.meeting_date)}"
    else:
        if not panel_rules(session=session, panel_id=actor.panel_id).chair_may_approve_minutes:
            raise Invalid("This panel approves minutes at its next meeting. The panel settings say whether the "
                          "chair may approve them between meetings.")
        chair = "chair" if actor.has_role(Role.CHAIR) else "vice chair"
        approving, how = None, f"Approved by {actor.name}, {chair}, on {long_date(today)}"
    minutes = build_minutes(session=session, actor=actor, meeting_id=meeting.id, today=today)
    freeze_approved(session, minutes, meeting_id=meeting.id, how=how, recorded_by=actor, at=now)
    record.status, record.approved_at, record.approved_by_id = MinutesStatus.APPROVED, now, actor.user_id
    record.approval_route, record.approved_at_meeting_id = route, approving.id if approving else None
    meeting.status = MeetingStatus.MINUTES_APPROVED
    flush_or_conflict(session, "these minutes", duplicates=True)
    record_event(session, actor, action="minutes approved", subject=f"meeting {meeting.id}",
                 description=f"{how}: the minutes of {meeting.title}. They are now locked.", at=now)


def freeze_approved(session: Session, minutes: Minutes, *, meeting_id: int, how: str, recorded_by: Actor,
                    at: dt.datetime) -> None:
    """The minutes as approved become version 1, with how they were approved as their status and history."""
    frozen = replace(minutes, status_line=f"{how}. Version 1.",
                     history=(f"Version 1: {how[0].lower()}{how[1:]}, recorded by {recorded_by.name}.",))
    session.add(MinutesVersion(meeting_id=meeting_id, number=1, content=frozen.to_json(), reason="",
                               created_by_id=recorded_by.user_id, created_at=at))


def _approving_meeting(session: Session, meeting: Meeting, at_meeting_id: int | None) -> Meeting:
    if at_meeting_id is None:
        raise Invalid("Choose the meeting at which the panel approved these minutes.")
    allowed = {m.id for m in _approval_meetings(session, meeting)}
    if at_meeting_id not in allowed:
        raise Invalid("Minutes are approved at a later meeting of the panel that has started. Choose one of those.")
    return session.get_one(Meeting, at_meeting_id)


def correct_minutes(*, session: Session, actor: Actor, meeting_id: int, section_key: str, narrative: str,
                    reason: str, expected_version: int, now: dt.datetime) -> int:
    """A correction to approved minutes: a new version with the new words for one item and the reason.
    `expected_version` is the latest version number the writer saw. Returns the new number."""
    require(actor, Permission.EDIT_MINUTES)
    meeting = load_meeting(session, actor, meeting_id)
    record = _record(session, meeting.id)
    if record is None or record.status != MinutesStatus.APPROVED:
        raise Invalid("Only approved minutes are corrected this way. Edit the draft as usual.")
    why = clean_text(reason, what="The reason for the correction")
    if not why:
        raise Invalid("Say why the approved minutes are being corrected. The reason is kept with the new version.")
    words = clean_text(narrative, what="The corrected minute", limit=MAX_NARRATIVE_CHARS)
    _refuse_personal_data(words + "\n" + why, "The correction")
    latest = session.scalars(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
                             .order_by(MinutesVersion.number.desc()).limit(1)).one()
    if latest.number != expected_version:
        raise changed_by_someone_else("these minutes")
    before = Minutes.from_json(latest.content)
    corrected = before.with_narrative(section_key, words)
    if corrected == before:
        raise Invalid("Nothing has changed, so no new version was made.")
    number = latest.number + 1
    heading = next(s.heading for s in corrected.sections if s.key == section_key)
    line = f"Version {number}: corrected on {long_date(uk_time(now).date())} by {actor.name} ({heading}). Reason: {why}"
    corrected = replace(corrected, history=(*before.history, line),
                        status_line=before.status_line.rsplit(" Version ", 1)[0] + f" Version {number}, corrected.")
    refuse_identifiers(corrected)
    session.add(MinutesVersion(meeting_id=meeting.id, number=number, content=corrected.to_json(), reason=why,
                               created_by_id=actor.user_id, created_at=now))
    flush_or_conflict(session, "these minutes", duplicates=True)
    record_event(session, actor, action="minutes corrected", subject=f"meeting {meeting.id}",
                 description=f"Version {number} of the approved minutes ({heading}). Reason: {why}", at=now)
    return number


def minutes_for_export(*, session: Session, actor: Actor, meeting_id: int, today: dt.date) -> Minutes:
    """What leaves the app: the latest approved version if there is one, otherwise the live draft, which
    only the people writing it may take before it is circulated."""
    require(actor, Permission.EXPORT)
    meeting = load_meeting(session, actor, meeting_id)
    record = _record(session, meeting.id)
    if record is not None and record.status == MinutesStatus.APPROVED:
        latest = session.scalars(select(MinutesVersion.content).where(MinutesVersion.meeting_id == meeting.id)
                                 .order_by(MinutesVersion.number.desc()).limit(1)).one()
        return Minutes.from_json(latest)
    if (record is None or record.status == MinutesStatus.DRAFT) and not allows(actor, Permission.EDIT_MINUTES):
        raise NotAllowed("These minutes are still a draft. They can be read once the secretariat circulates them.")
    minutes = build_minutes(session=session, actor=actor, meeting_id=meeting.id, today=today)
    if record is not None and record.status == MinutesStatus.CIRCULATED:
        return replace(minutes, status_line="Draft circulated to the panel for comment: not yet approved.")
    return minutes

