"""'My meeting': the next meeting as a member sees it, in Easy Read. What it is, when and where, who to ask
for help, the reviews on its agenda, and what is asked of the member for each: read the Easy Read summary,
say what they think before the meeting, and vote when the chair opens the vote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AgendaItem, Meeting, User, UserRole
from features.meetings.meetings import panel_meetings
from features.reviews.comments import CommentRow, my_comment
from features.voting.voting import PollStatus, PollView, poll_view
from rules.actors import Actor
from rules.formatting import clock_time, long_date
from rules.permissions import Permission, allows, require
from rules.vocabulary import AgendaItemKind, MeetingStatus, Role

OPEN_FOR_MEMBERS = (MeetingStatus.PAPERS_CIRCULATED, MeetingStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Helper:
    name: str
    email: str


@dataclass(frozen=True)
class MyReview:
    review_id: int
    item_id: int
    reference: str
    easy_read_summary: str
    my_comment: CommentRow | None
    poll: PollView | None

    @property
    def vote_is_open(self) -> bool:
        return self.poll is not None and self.poll.status == PollStatus.OPEN

    @property
    def next_step(self) -> str:
        """What is asked of the member now, in one short sentence."""
        if self.vote_is_open:
            return "The vote is open. Please vote now." if not (self.poll and self.poll.i_have_voted) \
                else "You have voted. Thank you."
        if self.poll is not None:
            return "The vote has finished."
        if self.my_comment is None:
            return "Please read about this review. Then tell us what you think."
        return "Thank you for telling us what you think. You can change it until the vote opens."


@dataclass(frozen=True)
class MyMeeting:
    meeting_id: int
    title: str
    when: str
    place: str | None
    online_link: str | None
    started: bool
    helpers: tuple[Helper, ...]
    reviews: tuple[MyReview, ...]


def _next_open_meeting(session: Session, actor: Actor, today: dt.date) -> Meeting | None:
    """A meeting in progress first; else the soonest one with papers out, today or later."""
    meetings = session.scalars(select(Meeting).where(panel_meetings(actor.panel_id),
                                                     Meeting.status.in_(OPEN_FOR_MEMBERS))
                               .order_by(Meeting.meeting_date, Meeting.id)).all()
    started = [m for m in meetings if m.status == MeetingStatus.IN_PROGRESS]
    coming = [m for m in meetings if m.meeting_date >= today]
    return next(iter(started or coming), None)


def _helpers(session: Session, actor: Actor) -> tuple[Helper, ...]:
    rows = session.execute(select(User.name, User.email).join(UserRole, UserRole.user_id == User.id)
                           .where(User.panel_id == actor.panel_id, User.is_active.is_(True),
                                  UserRole.role == Role.SECRETARIAT).order_by(User.name))
    return tuple(Helper(name, email) for name, email in rows)


def my_meeting(*, session: Session, actor: Actor, today: dt.date) -> MyMeeting | None:
    require(actor, Permission.VIEW_MEETINGS)
    meeting = _next_open_meeting(session, actor, today)
    if meeting is None:
        return None
    reads_cases = allows(actor, Permission.VIEW_REVIEWS)
    reviews = tuple(
        MyReview(review_id=item.review.id, item_id=item.id, reference=item.review.reference,
                 easy_read_summary=item.review.easy_read_summary if reads_cases else "",
                 my_comment=my_comment(session=session, actor=actor, review_id=item.review.id),
                 poll=poll_view(session=session, actor=actor, item_id=item.id))
        for item in session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                            AgendaItem.kind == AgendaItemKind.REVIEW)
                                    .order_by(AgendaItem.position))
        if item.review is not None
    )
    when = long_date(meeting.meeting_date) + (f" at {clock_time(meeting.start_time)}" if meeting.start_time else "")
    return MyMeeting(meeting_id=meeting.id, title=meeting.title, when=when, place=meeting.location,
                     online_link=meeting.online_link, started=meeting.status == MeetingStatus.IN_PROGRESS,
                     helpers=_helpers(session, actor), reviews=reviews)
