"""Voting on sign-off: the chair opens a poll on an item that is ready, eligible members vote (one row each,
enforced by the database), everyone sees how many have voted but not how, and the results appear when the
chair closes the poll.

Eligible: present, a voting member (or deputising for one), and not recused from the item.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Poll,
    PollStatus,
    User,
    Vote,
    VoteMode,
    VoteOption,
)
from services.actors import Actor
from services.attendance import attendance_rows, attendees_for_quorum
from services.declarations import recused_user_ids
from services.errors import Conflict, Invalid, NotAllowed, NotFound
from services.meeting_room import meeting_room
from services.permissions import Permission, allows, require

__all__ = ["MAX_REASON_CHARS", "OptionRow", "PollStatus", "PollView", "ResultRow", "cast_vote", "close_poll",
           "open_poll", "poll_view", "vote_options"]

MAX_REASON_CHARS = 2000
@dataclass(frozen=True)
class OptionRow:
    id: int
    code: str
    label: str
    meaning: str
    requires_reason: bool


@dataclass(frozen=True)
class ResultRow:
    option: str
    count: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class PollView:
    id: int
    item_id: int
    status: PollStatus
    eligible: int
    voted: int
    my_choice: str | None
    results: tuple[ResultRow, ...] | None  # None while the poll is open

    @property
    def progress(self) -> str:
        """What everyone sees while the poll is open: how many, never how."""
        noun = "member has" if self.voted == 1 else "members have"
        return f"{self.voted} of {self.eligible} eligible {noun} voted"


def vote_options(*, session: Session, panel_id: int) -> list[OptionRow]:
    rows = session.scalars(select(VoteOption).where(VoteOption.panel_id == panel_id, VoteOption.is_active.is_(True))
                           .order_by(VoteOption.position, VoteOption.id))
    return [OptionRow(o.id, o.code, o.label, o.meaning, o.requires_reason) for o in rows]


def eligible_voters(session: Session, actor: Actor, meeting_id: int, item_id: int) -> set[int]:
    """Present voting members (deputies included) who are not recused from this item."""
    rows = attendance_rows(session=session, actor=actor, meeting_id=meeting_id)
    attendees = attendees_for_quorum(rows, recused_user_ids(session, item_id))
    return {a.user_id for a in attendees if a.counts}


def _poll_in_panel(session: Session, actor: Actor, poll_id: int) -> tuple[Poll, AgendaItem, Meeting]:
    row = session.execute(
        select(Poll, AgendaItem, Meeting).join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Poll.id == poll_id, Meeting.panel_id == actor.panel_id)
    ).first()
    if row is None:
        raise NotFound("That vote is not on your panel's meetings.")
    return row[0], row[1], row[2]


def open_poll(*, session: Session, actor: Actor, meeting_id: int, item_id: int, now: dt.datetime,
              today: dt.date) -> int:
    """Open the vote on an item the chair has made ready, re-checking quorum and checkpoint at this moment."""
    require(actor, Permission.RUN_MEETING)
    room = meeting_room(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id, today=today)
    item = room.item
    if item is None or item.line.id != item_id:
        raise NotFound("That item is not on this meeting's agenda.")
    if room.meeting.status != MeetingStatus.IN_PROGRESS:
        raise Invalid("The meeting has not started.")
    if item.line.status != ItemStatus.READY_FOR_VOTE:
        raise Invalid("Make the item ready for the vote first.")
    if not item.quorum.quorate:
        raise Invalid(f"The vote cannot open. {item.quorum.summary}.")
    if item.checkpoint is not None and not item.checkpoint.met:
        raise Invalid(f"The vote cannot open. {item.checkpoint.message}")
    existing = session.scalars(select(Poll).where(Poll.agenda_item_id == item_id)).all()
    if any(p.status == PollStatus.OPEN for p in existing):
        raise Conflict("The vote on this item is already open.")
    poll = Poll(agenda_item_id=item_id, round=1 + max((p.round for p in existing), default=0),
                status=PollStatus.OPEN, opened_by_id=actor.user_id, opened_at=now)
    session.add(poll)
    try:
        session.flush()
    except IntegrityError as error:  # two chairs pressed "Open" at the same moment
        raise Conflict("The vote on this item has just been opened by someone else.") from error
    return poll.id


def clean_reason(text: str) -> str:
    """Plain text only: control characters would break the Word minutes, so they are refused, not stripped."""
    value = unicodedata.normalize("NFKC", text).strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise Invalid("The reason has hidden control characters. Type it again rather than pasting it.")
    if len(value) > MAX_REASON_CHARS:
        raise Invalid(f"The reason is too long: at most {MAX_REASON_CHARS} characters.")
    return value


def cast_vote(*, session: Session, actor: Actor, poll_id: int, option_id: int, reason: str, now: dt.datetime,
              member_id: int | None = None, mode: VoteMode = VoteMode.OWN_DEVICE,
              supported_by: str | None = None) -> None:
    """Record or change a member's vote. The chair or secretariat may record a vote for a member who asks."""
    voter = member_id if member_id is not None else actor.user_id
    if voter == actor.user_id:
        require(actor, Permission.VOTE)
    elif not allows(actor, Permission.RUN_MEETING):
        raise NotAllowed("Only the chair or the secretariat can record a vote for someone else.")
    poll, item, meeting = _poll_in_panel(session, actor, poll_id)
    if poll.status != PollStatus.OPEN:
        raise Invalid("This vote has closed. Ask the chair if something went wrong.")
    options = {o.id: o for o in vote_options(session=session, panel_id=actor.panel_id)}
    option = options.get(option_id)
    if option is None:
        raise Invalid("Choose one of the answers shown.")
    if voter not in eligible_voters(session, actor, meeting.id, item.id):
        raise NotAllowed("Only voting members who are present and have not stepped out of this item can vote.")
    text = clean_reason(reason)
    if option.requires_reason and not text:
        raise Invalid(f"Say why you chose '{option.label}'. The reviewer needs to know what to change.")
    _write_vote(session, poll.id, voter, option.id, text, now, mode, supported_by, actor.user_id)


def _write_vote(session: Session, poll_id: int, voter: int, option_id: int, reason: str, now: dt.datetime,
                mode: VoteMode, supported_by: str | None, recorded_by: int) -> None:
    """Insert the member's row, or change it. If another request inserted it a moment ago (two tabs, a
    double click on PostgreSQL), the unique constraint stops the second row and we change the first."""
    fields = {"option_id": option_id, "reason": reason, "mode": mode, "supported_by": supported_by,
              "recorded_by_id": recorded_by, "cast_at": now}
    for _attempt in range(2):
        existing = session.scalars(select(Vote).where(Vote.poll_id == poll_id, Vote.member_id == voter)
                                   .with_for_update()).one_or_none()
        if existing is not None:
            for key, value in fields.items():
                setattr(existing, key, value)
            existing.changes += 1
            session.flush()
            return
        try:
            with session.begin_nested():
                session.add(Vote(poll_id=poll_id, member_id=voter, **fields))
            return
        except IntegrityError:
            continue
    raise Conflict("Your vote could not be saved just now. Please press the button again.")


def close_poll(*, session: Session, actor: Actor, poll_id: int, now: dt.datetime) -> None:
    require(actor, Permission.RUN_MEETING)
    poll, item, meeting = _poll_in_panel(session, actor, poll_id)
    if poll.status != PollStatus.OPEN:
        raise Invalid("This vote is already closed.")
    voted = session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll.id)) or 0
    if voted == 0:
        raise Invalid("No one has voted yet. Wait for the votes, or ask the panel to vote before closing.")
    poll.status = PollStatus.CLOSED
    poll.closed_by_id = actor.user_id
    poll.closed_at = now
    poll.eligible_count = len(eligible_voters(session, actor, meeting.id, item.id))
    session.flush()


def poll_view(*, session: Session, actor: Actor, item_id: int) -> PollView | None:
    """The latest vote on an item: progress while open, results (with names) once closed."""
    require(actor, Permission.VIEW_MEETINGS)
    row = session.execute(
        select(Poll, AgendaItem.meeting_id).join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Poll.agenda_item_id == item_id, Meeting.panel_id == actor.panel_id)
        .order_by(Poll.round.desc()).limit(1)
    ).first()
    if row is None:
        return None
    poll, meeting_id = row
    votes = session.execute(
        select(Vote.member_id, VoteOption.label, User.name).join(VoteOption, VoteOption.id == Vote.option_id)
        .join(User, User.id == Vote.member_id).where(Vote.poll_id == poll.id)
    ).all()
    mine = next((label for member, label, _ in votes if member == actor.user_id), None)
    eligible = poll.eligible_count if poll.eligible_count is not None else len(
        eligible_voters(session, actor, meeting_id, item_id))
    results = None
    if poll.status == PollStatus.CLOSED:
        options = vote_options(session=session, panel_id=actor.panel_id)
        results = tuple(
            ResultRow(o.label, sum(1 for _, label, _ in votes if label == o.label),
                      tuple(sorted(name for _, label, name in votes if label == o.label)))
            for o in options
        )
    return PollView(id=poll.id, item_id=item_id, status=poll.status, eligible=eligible, voted=len(votes),
                    my_choice=mine, results=results)
