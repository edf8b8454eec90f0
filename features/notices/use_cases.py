"""What the home page and the navigation ask of notices, one function per intent, each in its own unit of
work."""

from __future__ import annotations

import datetime as dt

from db.session import Database
from features.meetings.attendance import send_own_apologies
from features.notices.notices import Notice, mark_read, notices_for
from rules.actors import Actor


def my_notices(db: Database, *, actor: Actor, now: dt.datetime | None = None) -> list[Notice]:
    with db.unit_of_work(read_only=True) as session:
        return notices_for(session=session, actor=actor, now=now or dt.datetime.now(dt.UTC))


def unread_count(db: Database, *, actor: Actor) -> int:
    """For the count in the navigation."""
    return sum(1 for n in my_notices(db, actor=actor) if not n.read)


def mark_notices_read(db: Database, *, actor: Actor, keys: list[str]) -> int:
    with db.unit_of_work() as session:
        return mark_read(session=session, actor=actor, keys=keys, now=dt.datetime.now(dt.UTC))


def answer_meeting(db: Database, *, actor: Actor, meeting_id: int, coming: bool) -> None:
    """'I will come' puts the question away; 'I cannot come' sends apologies, which answers it too."""
    with db.unit_of_work() as session:
        if coming:
            mark_read(session=session, actor=actor, keys=[f"meeting-{meeting_id}"], now=dt.datetime.now(dt.UTC))
        else:
            send_own_apologies(session=session, actor=actor, meeting_id=meeting_id)
