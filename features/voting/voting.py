"""Voting on sign-off: the chair opens a poll on an item that is ready, eligible members vote (one row each,
enforced by the database), everyone sees how many have voted but not how, and the results appear when the
chair closes the poll.

Eligible: present, a voting member (or deputising for one), and not recused from the item.
Anonymous polls keep who has voted (Vote, with no choice) apart from what was chosen (AnonymousBallot, with
no member, no time and a random key), so a choice cannot be traced back to a person.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    AgendaItem,
    AnonymousBallot,
    Attendance,
    Meeting,
    Poll,
    ReviewComment,
    User,
    UserRole,
    Vote,
    VoteOption,
)
from features.audit.audit import record_event
from features.meetings.declarations import recused_user_ids
from features.meetings.quorum import eligible_voters, item_quorum
from features.meetings.room import meeting_room
from features.panel_settings.panels import panel_rules
from features.voting.options import OptionRow, vote_options
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotAllowed, NotFound
from rules.formatting import as_utc, long_date, when
from rules.limits import MAX_NAME_CHARS, MAX_REASON_CHARS
from rules.permissions import Permission, allows, require
from rules.plain_text import clean_text
from rules.quorum import is_voting_member
from rules.vocabulary import (
    AttendanceStatus,
    CommentStage,
    ItemStatus,
    MeetingKind,
    MeetingStatus,
    PollStatus,
    Role,
    VoteMode,
)

__all__ = ["MAX_REASON_CHARS", "ApologyView", "OptionRow", "PollStatus", "PollView", "ResultRow", "VoteMode",
           "VoterRow", "cast_vote", "clean_text", "close_poll", "open_poll", "poll_view", "vote_options"]


@dataclass(frozen=True)
class ResultRow:
    option: str
    count: int
    names: tuple[str, ...]  # empty in anonymous polls


@dataclass(frozen=True)
class VoterRow:
    """Who has voted, and how they were helped; never what they chose."""

    user_id: int
    name: str
    supported_by: str | None

    @property
    def shown_as(self) -> str:
        return shown_with_supporter(self.name, self.supported_by)


def shown_with_supporter(name: str, helper: str | None) -> str:
    """'Sam Taylor (supported by Pat)': the one wording for a supported vote, in the list and the results."""
    return f"{name} (supported by {helper})" if helper else name


@dataclass(frozen=True)
class ApologyView:
    """A pre-meeting view from a member who sent apologies, shown to the panel when the vote opens."""

    user_id: int
    name: str
    body: str
    would_vote: str | None
    counted: bool


@dataclass(frozen=True)
class PollView:
    id: int
    item_id: int
    status: PollStatus
    anonymous: bool
    eligible: int
    voted: int
    my_choice: str | None  # never known in an anonymous poll: only whether I have voted
    i_have_voted: bool
    voters: tuple[VoterRow, ...]
    apology_views: tuple[ApologyView, ...]
    results: tuple[ResultRow, ...] | None  # None while the poll is open
    quorum_summary: str | None  # the quorum when the poll closed
    quorum_met: bool | None

    @property
    def progress(self) -> str:
        """What everyone sees while the poll is open: how many, never how."""
        verb = "has" if self.voted == 1 else "have"
        return f"{self.voted} of {self.eligible} eligible members {verb} voted"

    @property
    def leading(self) -> str | None:
        """The answer with most votes, in words, to help the chair word the decision (ties said as ties)."""
        if not self.results:
            return None
        top = max(r.count for r in self.results)
        if top == 0:
            return None
        leaders = [r.option for r in self.results if r.count == top]
        if len(leaders) > 1:
            return f"A tie between {' and '.join(leaders)} ({top} each)"
        return f"Most votes: {leaders[0]} ({top})"


def poll_in_panel(session: Session, actor: Actor, poll_id: int) -> tuple[Poll, AgendaItem, Meeting]:
    row = session.execute(
        select(Poll, AgendaItem, Meeting).join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Poll.id == poll_id, Meeting.panel_id == actor.panel_id)
    ).first()
    if row is None:
        raise NotFound("That vote is not on your panel's meetings.")
    return row[0], row[1], row[2]


def poll_subject(item: AgendaItem) -> str:
    """How the audit log names a vote: by its review, so one search finds votes, decision and amendments."""
    return f"review {item.review.reference}" if item.review is not None else f"item {item.position}: {item.title}"[:64]


def open_poll(*, session: Session, actor: Actor, meeting_id: int, item_id: int, now: dt.datetime,
              today: dt.date, anonymous: bool = False) -> int:
    """Open the vote on an item the chair has made ready, re-checking quorum and checkpoint at this moment.
    Named or anonymous is chosen here, before anyone votes, and cannot change afterwards."""
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
                status=PollStatus.OPEN, anonymous=anonymous, opened_by_id=actor.user_id, opened_at=now)
    session.add(poll)
    try:
        session.flush()
    except IntegrityError as error:  # two chairs pressed "Open" at the same moment
        raise Conflict("The vote on this item has just been opened by someone else.") from error
    kind = "an anonymous" if anonymous else "a named"
    record_event(session, actor, action="vote opened", subject=poll_subject(session.get_one(AgendaItem, item_id)),
                 description=f"Opened {kind} vote at the meeting on {long_date(room.meeting.date)} "
                             f"(round {poll.round}). {item.quorum.summary}.", at=now)
    return poll.id


def _supporter(actor: Actor, voter: int, mode: VoteMode, supported_by: str | None) -> str | None:
    """Who helped, in words. A supporter is named; a vote given to the chair or secretariat names them."""
    name = clean_text(supported_by or "", what="The supporter's name", limit=MAX_NAME_CHARS)
    if mode == VoteMode.OWN_DEVICE:
        return None
    if mode == VoteMode.SUPPORTER and not name:
        raise Invalid("Write the name of the person helping you to vote.")
    if mode == VoteMode.RECORDED_BY_SECRETARIAT:
        if voter == actor.user_id:
            raise Invalid("A vote given to the chair or secretariat is recorded by them, for the member.")
        return name or actor.name
    return name


def cast_vote(*, session: Session, actor: Actor, poll_id: int, option_id: int, reason: str, now: dt.datetime,
              member_id: int | None = None, mode: VoteMode = VoteMode.OWN_DEVICE,
              supported_by: str | None = None) -> None:
    """Record or change a member's vote. The chair or secretariat may record a vote for a member who asks.

    Everything is checked before anything is written, so a refused vote leaves nothing behind.
    """
    voter = member_id if member_id is not None else actor.user_id
    if voter == actor.user_id:
        require(actor, Permission.VOTE)
    elif not allows(actor, Permission.RUN_MEETING):
        raise NotAllowed("Only the chair or the secretariat can record a vote for someone else.")
    elif mode == VoteMode.OWN_DEVICE:
        mode = VoteMode.RECORDED_BY_SECRETARIAT
    poll, item, meeting = poll_in_panel(session, actor, poll_id)
    if poll.status != PollStatus.OPEN:
        raise Invalid("This vote has closed. Ask the chair if something went wrong.")
    refuse_after_deadline(meeting, now)
    options = {o.id: o for o in vote_options(session=session, panel_id=actor.panel_id)}
    option = options.get(option_id)
    if option is None:
        raise Invalid("Choose one of the answers shown.")
    if voter not in eligible_voters(session, actor, meeting.id, item.id):
        raise NotAllowed("Only voting members who are present and have not stepped out of this item can vote.")
    text = clean_text(reason)
    if option.requires_reason and not text:
        raise Invalid(f"Say why you chose '{option.label}'. The reviewer needs to know what to change.")
    helper = _supporter(actor, voter, mode, supported_by)
    fields: dict[str, object] = {"mode": mode, "supported_by": helper, "recorded_by_id": actor.user_id, "cast_at": now}
    if poll.anonymous:
        _write_anonymous_vote(session, poll.id, voter, option.id, text, fields)
        changed = False
    else:
        changed = _write_named_vote(session, poll.id, voter, {"option_id": option.id, "reason": text, **fields})
    _audit_vote(session, actor, item, voter, option.label, poll.anonymous, changed, helper, now)


def _audit_vote(session: Session, actor: Actor, item: AgendaItem, voter: int, label: str, anonymous: bool,
                changed: bool, helper: str | None, now: dt.datetime) -> None:
    name = session.get_one(User, voter).name
    verb = "changed their vote" if changed else "voted"
    what = "" if anonymous else f": {label}"
    helped = f" (supported by {helper})" if helper else ""
    record_event(session, actor, action="vote changed" if changed else "vote cast", subject=poll_subject(item),
                 description=f"{name} {verb}{helped}{what}.", at=now)


def _write_named_vote(session: Session, poll_id: int, voter: int, fields: dict[str, object]) -> bool:
    """Insert the member's row, or change it (returns True when changed). If another request inserted it a
    moment ago (two tabs, a double click), the unique constraint stops the second row and we change the first."""
    for _attempt in range(2):
        existing = session.scalars(select(Vote).where(Vote.poll_id == poll_id, Vote.member_id == voter)
                                   .with_for_update()).one_or_none()
        if existing is not None:
            for key, value in fields.items():
                setattr(existing, key, value)
            existing.changes += 1
            session.flush()
            return True
        try:
            with session.begin_nested():
                session.add(Vote(poll_id=poll_id, member_id=voter, **fields))
            return False
        except IntegrityError:
            continue
    raise Conflict("Your vote could not be saved just now. Please press the button again.")


def _write_anonymous_vote(session: Session, poll_id: int, voter: int, option_id: int, reason: str,
                          fields: dict[str, object]) -> None:
    """Mark the member as having voted and drop the choice in the box, together or not at all. An anonymous
    vote cannot be changed: nothing links the choice to the member, so there is nothing to find and change."""
    already = Conflict("You have already voted in this anonymous vote. Anonymous votes cannot be changed, "
                       "because nobody, the system included, knows which answer was yours.")
    if session.scalar(select(Vote.id).where(Vote.poll_id == poll_id, Vote.member_id == voter)) is not None:
        raise already
    try:
        with session.begin_nested():
            session.add(Vote(poll_id=poll_id, member_id=voter, option_id=None, reason="", **fields))
            session.add(AnonymousBallot(id=uuid.uuid4().hex, poll_id=poll_id, option_id=option_id, reason=reason))
    except IntegrityError as error:  # the same member's other tab got there first
        raise already from error


def _shake_the_ballot_box(session: Session, poll_id: int) -> None:
    """Take the ballots out and put them back in a random order under new random keys, so not even the
    order rows sit on disk (PostgreSQL keeps insertion order) says who voted first."""
    ballots = list(session.scalars(select(AnonymousBallot).where(AnonymousBallot.poll_id == poll_id)))
    kept = [(b.option_id, b.reason) for b in ballots]
    for ballot in ballots:
        session.delete(ballot)
    session.flush()
    random.SystemRandom().shuffle(kept)
    session.add_all(AnonymousBallot(id=uuid.uuid4().hex, poll_id=poll_id, option_id=option_id, reason=reason)
                    for option_id, reason in kept)


def refuse_after_deadline(meeting: Meeting, now: dt.datetime) -> None:
    """A circulation takes answers until its deadline, not at it or after it."""
    if meeting.kind == MeetingKind.CIRCULATION and meeting.deadline_at is not None \
            and as_utc(now) >= as_utc(meeting.deadline_at):
        raise Invalid(f"This decision by circulation closed for answers on {when(meeting.deadline_at)}.")


def close_poll(*, session: Session, actor: Actor, poll_id: int, now: dt.datetime) -> None:
    """Close the vote and fix, at this moment, how many could vote and whether the panel was quorate."""
    require(actor, Permission.RUN_MEETING)
    poll, item, meeting = poll_in_panel(session, actor, poll_id)
    if poll.status != PollStatus.OPEN:
        raise Invalid("This vote is already closed.")
    voted = session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll.id)) or 0
    if voted == 0:
        raise Invalid("No one has voted yet. Wait for the votes, or ask the panel to vote before closing.")
    fix_the_result(session, actor, poll, item, meeting, voted=voted, now=now)


def fix_the_result(session: Session, actor: Actor, poll: Poll, item: AgendaItem, meeting: Meeting, *, voted: int,
                   now: dt.datetime) -> None:
    """Close an open poll: how many could vote and whether it was quorate, fixed at this moment. A meeting's
    chair does it with close_poll; a circulation does it for all its reviews when it closes, answered or not."""
    quorum = item_quorum(session=session, actor=actor, meeting_id=meeting.id, item_id=item.id)
    poll.status = PollStatus.CLOSED
    poll.closed_by_id = actor.user_id or None  # 0: manage.py's operator, closing at the deadline
    poll.closed_at = now
    poll.eligible_count = len(eligible_voters(session, actor, meeting.id, item.id))
    poll.quorum_met = quorum.quorate
    poll.quorum_summary = quorum.recorded
    if poll.anonymous:
        _shake_the_ballot_box(session, poll.id)
    session.flush()
    record_event(session, actor, action="vote closed", subject=poll_subject(item),
                 description=f"Closed the vote: {voted} of {poll.eligible_count} eligible members voted. "
                             f"{quorum.summary}.", at=now)


def _readable(actor: Actor, views: list[ApologyView]) -> list[ApologyView]:
    """Observers see the vote's progress but not case detail: the words of a pre-meeting view are blanked."""
    if allows(actor, Permission.VIEW_REVIEWS):
        return views
    return [replace(v, body="") for v in views]


def apology_views(session: Session, actor: Actor, item: AgendaItem) -> list[ApologyView]:
    """The latest pre-meeting view of each member who sent apologies for this meeting. It counts as a vote
    only if the panel's setting says so, the member is a voting member, gave a vote and is not recused."""
    if item.review_id is None:
        return []
    counting = panel_rules(session=session, panel_id=actor.panel_id).count_apology_views
    apologies = select(Attendance.user_id).where(Attendance.meeting_id == item.meeting_id,
                                                 Attendance.status == AttendanceStatus.APOLOGIES)
    rows = session.execute(
        select(ReviewComment, User.name, VoteOption.label).join(User, User.id == ReviewComment.author_id)
        .outerjoin(VoteOption, VoteOption.id == ReviewComment.vote_option_id)
        .where(ReviewComment.review_id == item.review_id, ReviewComment.meeting_id == item.meeting_id,
               ReviewComment.stage == CommentStage.BEFORE_MEETING, ReviewComment.author_id.in_(apologies))
        .order_by(ReviewComment.created_at, ReviewComment.id)
    ).all()
    latest = {comment.author_id: (comment, name, label) for comment, name, label in rows}
    recused = recused_user_ids(session, item.id)
    voting = _voting_member_ids(session, latest)
    return [
        ApologyView(user_id=author, name=name, body=comment.body, would_vote=label,
                    counted=counting and label is not None and author in voting and author not in recused)
        for author, (comment, name, label) in latest.items()
    ]


def _voting_member_ids(session: Session, user_ids: Iterable[int]) -> set[int]:
    roles: dict[int, set[Role]] = {}
    for user_id, role in session.execute(select(UserRole.user_id, UserRole.role)
                                         .where(UserRole.user_id.in_(list(user_ids)))):
        roles.setdefault(user_id, set()).add(role)
    return {user_id for user_id, held in roles.items() if is_voting_member(held)}


def _results(session: Session, poll: Poll, options: list[OptionRow], views: list[ApologyView]) -> tuple[ResultRow, ...]:
    """Counts per answer (with names in a named poll), including counted apology views, marked as such."""
    chosen: list[tuple[str | None, str | None]]
    if poll.anonymous:
        chosen = [(label, None) for label in session.scalars(
            select(VoteOption.label).join(AnonymousBallot, AnonymousBallot.option_id == VoteOption.id)
            .where(AnonymousBallot.poll_id == poll.id))]
    else:
        chosen = [(label, shown_with_supporter(name, helper)) for label, name, helper in session.execute(
            select(VoteOption.label, User.name, Vote.supported_by).join(Vote, Vote.option_id == VoteOption.id)
            .join(User, User.id == Vote.member_id).where(Vote.poll_id == poll.id))]
    chosen += [(v.would_vote, None if poll.anonymous else f"{v.name} (view sent before the meeting)")
               for v in views if v.counted]
    return tuple(
        ResultRow(o.label, sum(1 for label, _ in chosen if label == o.label),
                  tuple(sorted(name for label, name in chosen if label == o.label and name)))
        for o in options
    )


def poll_view(*, session: Session, actor: Actor, item_id: int) -> PollView | None:
    """The latest vote on an item: progress while open, results (with names if named) once closed."""
    require(actor, Permission.VIEW_MEETINGS)
    row = session.execute(
        select(Poll, AgendaItem).join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Poll.agenda_item_id == item_id, Meeting.panel_id == actor.panel_id)
        .order_by(Poll.round.desc()).limit(1)
    ).first()
    if row is None:
        return None
    poll, item = row
    votes = session.execute(
        select(Vote.member_id, User.name, Vote.supported_by, VoteOption.label).join(User, User.id == Vote.member_id)
        .outerjoin(VoteOption, VoteOption.id == Vote.option_id).where(Vote.poll_id == poll.id).order_by(User.name)
    ).all()
    mine = next((label for member, _, _, label in votes if member == actor.user_id), None)
    views = apology_views(session, actor, item)
    counted = sum(1 for v in views if v.counted)
    eligible = (poll.eligible_count if poll.eligible_count is not None
                else len(eligible_voters(session, actor, item.meeting_id, item_id))) + counted
    closed = poll.status == PollStatus.CLOSED
    options = vote_options(session=session, panel_id=actor.panel_id)
    return PollView(
        id=poll.id, item_id=item_id, status=poll.status, anonymous=poll.anonymous, eligible=eligible,
        voted=len(votes) + counted, my_choice=None if poll.anonymous else mine,
        i_have_voted=any(member == actor.user_id for member, *_ in votes),
        voters=tuple(VoterRow(member, name, helper) for member, name, helper, _ in votes) if closed else (),
        apology_views=tuple(_readable(actor, views)),
        results=_results(session, poll, options, views) if closed else None,
        quorum_summary=poll.quorum_summary, quorum_met=poll.quorum_met,
    )


def members_who_can_vote(*, session: Session, actor: Actor, meeting_id: int, item_id: int) -> dict[int, str]:
    """For the chair or secretariat recording a vote someone gave them: eligible members by name."""
    require(actor, Permission.RUN_MEETING)
    eligible = eligible_voters(session, actor, meeting_id, item_id)
    rows = session.execute(select(User.id, User.name).where(User.id.in_(eligible)).order_by(User.name))
    return {user_id: name for user_id, name in rows}
