"""Email through an outbox. A message is queued in the same transaction as what it tells of (a new
circulation), or by the daily digest; it is sent afterwards, outside any transaction, so a slow or broken
mail server never holds the database or blocks a vote. Each send first claims its message (a short write
that pushes the next attempt on), so two app instances never send the same one; a failure is kept with its
reason and tried again later, waiting longer each time, until MAX_ATTEMPTS.

Messages carry a review's pseudonymised reference at most, never case detail, and a link to the app.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import AgendaItem, FocusedReview, Meeting, OutgoingEmail, User
from db.session import Database
from features.meetings.quorum import eligible_voters
from features.notices.notices import Notice, notices_for
from features.people.actors import load_actor
from rules.actors import Actor
from rules.formatting import as_utc, long_date, plural, uk_time, when
from rules.mail import MailSettings
from rules.vocabulary import MeetingKind, Role

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RETRY_MINUTES = (1, 5, 15, 60, 240)  # after the 1st, 2nd, … failure
CLAIM_MINUTES = 10  # a claimed message not marked sent by then (the sender stopped) is tried again
SMTP_TIMEOUT_SECONDS = 15
FOOTER = ("This email holds no case detail: open the app to read the reviews. Please do not reply to it; "
          "contact the panel's secretariat instead.")

Sender = Callable[[MailSettings, EmailMessage], None]


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0  # will be tried again
    given_up: int = 0

    @property
    def in_words(self) -> str:
        return f"Sent {self.sent}, waiting to try again {self.failed}, given up {self.given_up}."


def queue_email(session: Session, *, user: User, reason: str, subject: str, body: str, now: dt.datetime) -> bool:
    """Put one message in the outbox unless the same reason is already there; True if queued."""
    if session.scalar(select(OutgoingEmail.id).where(OutgoingEmail.reason == reason)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(OutgoingEmail(panel_id=user.panel_id, user_id=user.id, reason=reason, to_address=user.email,
                                      subject=subject, body=body, created_at=now, next_attempt_at=now))
    except IntegrityError:  # queued a moment ago by another instance
        return False
    return True


def _circulation_body(name: str, references: list[str], deadline: dt.datetime, app_url: str) -> str:
    reviews = "\n".join(f"- Review {reference}" for reference in references)
    return (f"Dear {name},\n\nThe chair has sent {plural(len(references), 'review')} to the panel for a decision "
            f"by circulation. Please give your answer by {when(deadline)}:\n\n{reviews}\n\n"
            f"Read them and answer in the app: {app_url}/circulations\n\n{FOOTER}\n")


def queue_circulation_emails(*, session: Session, actor: Actor, circulation_id: int, app_url: str,
                             now: dt.datetime) -> int:
    """At once, to each member who may answer: what was sent, by when, and the link. Returns how many."""
    circulation = session.get_one(Meeting, circulation_id)
    if circulation.kind != MeetingKind.CIRCULATION or circulation.deadline_at is None:
        return 0
    items = session.execute(select(AgendaItem.id, FocusedReview.reference)
                            .join(FocusedReview, FocusedReview.id == AgendaItem.review_id)
                            .where(AgendaItem.meeting_id == circulation_id).order_by(AgendaItem.position)).all()
    asked: dict[int, list[str]] = {}
    for item_id, reference in items:
        for user_id in eligible_voters(session, actor, circulation_id, item_id):
            asked.setdefault(user_id, []).append(reference)
    queued = 0
    for user_id, references in asked.items():
        user = session.get_one(User, user_id)
        by_day = long_date(uk_time(circulation.deadline_at).date())
        queued += queue_email(session, user=user, reason=f"circulation-{circulation_id}-{user_id}",
                              subject=f"LeDeR panel: please answer by {by_day}",
                              body=_circulation_body(user.name, references, circulation.deadline_at, app_url), now=now)
    return queued


def _digest_body(name: str, notices: list[Notice], easy: bool, app_url: str) -> str:
    lines = "\n".join(f"- {n.easy if easy else n.words} ({app_url}/{n.page})" for n in notices)
    return f"Dear {name},\n\nThis is what needs you in the LeDeR panel app:\n\n{lines}\n\n{FOOTER}\n"


def queue_digests(*, session: Session, app_url: str, now: dt.datetime) -> int:
    """Once a day, one message to each active person with unread notices (again the same day: nothing)."""
    day = uk_time(now).date()
    queued = 0
    for user in session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id)).all():
        actor = load_actor(session=session, username=user.username)
        unread = [n for n in notices_for(session=session, actor=actor, now=now) if not n.read]
        if not unread:
            continue
        easy = Role.LIVED_EXPERIENCE_MEMBER in actor.roles
        queued += queue_email(session, user=user, reason=f"digest-{user.id}-{day.isoformat()}",
                              subject=f"LeDeR panel: {plural(len(unread), 'thing')} need"
                                      f"{'s' if len(unread) == 1 else ''} you",
                              body=_digest_body(user.name, unread, easy, app_url), now=now)
    return queued


def send_by_smtp(mail: MailSettings, message: EmailMessage) -> None:
    """One message through the ICB's mail server: STARTTLS (verified) and a login when configured."""
    with smtplib.SMTP(mail.host, mail.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if mail.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if mail.user and mail.password:
            smtp.login(mail.user, mail.password)
        smtp.send_message(message)


def _message(mail: MailSettings, row: OutgoingEmail, now: dt.datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = mail.sender, row.to_address, row.subject
    message["Date"] = format_datetime(as_utc(now))
    message["Message-ID"] = make_msgid(domain=mail.sender.rsplit("@", 1)[1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body)
    return message


def _claim(db: Database, email_id: int, now: dt.datetime) -> OutgoingEmail | None:
    """Take one due message for sending, or None if another sender took it first."""
    with db.unit_of_work() as session:
        row = session.get(OutgoingEmail, email_id)
        if row is None or row.sent_at is not None or row.given_up_at is not None \
                or as_utc(row.next_attempt_at) > as_utc(now):
            return None
        claimed = session.execute(  # type: ignore[attr-defined]
            update(OutgoingEmail).where(OutgoingEmail.id == email_id,
                                        OutgoingEmail.next_attempt_at == row.next_attempt_at)
            .values(next_attempt_at=now + dt.timedelta(minutes=CLAIM_MINUTES), attempts=OutgoingEmail.attempts + 1)
        ).rowcount
        if claimed != 1:
            return None
        session.refresh(row)
        session.expunge(row)
        return row


def _record(db: Database, row: OutgoingEmail, now: dt.datetime, error: Exception | None) -> str:
    with db.unit_of_work() as session:
        stored = session.get_one(OutgoingEmail, row.id)
        if error is None:
            stored.sent_at = now
            return "sent"
        stored.last_error = f"{type(error).__name__}: {error}"[:1000]
        if stored.attempts >= MAX_ATTEMPTS:
            stored.given_up_at = now
            log.error("email %s to user %s given up after %s attempts: %s", stored.id, stored.user_id,
                      stored.attempts, stored.last_error)
            return "given up"
        wait = RETRY_MINUTES[min(stored.attempts, len(RETRY_MINUTES)) - 1]
        stored.next_attempt_at = now + dt.timedelta(minutes=wait)
        log.warning("email %s to user %s failed (attempt %s), trying again in %s min: %s", stored.id,
                    stored.user_id, stored.attempts, wait, stored.last_error)
        return "failed"


def deliver_due(db: Database, *, mail: MailSettings, now: dt.datetime | None = None,
                send: Sender = send_by_smtp, limit: int = 500) -> Delivery:
    """Send what is due; each message claimed, sent outside any transaction, then marked sent or failed."""
    moment = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work(read_only=True) as session:
        due = session.scalars(select(OutgoingEmail.id).where(
            OutgoingEmail.sent_at.is_(None), OutgoingEmail.given_up_at.is_(None),
            OutgoingEmail.next_attempt_at <= moment).order_by(OutgoingEmail.id).limit(limit)).all()
    counts = {"sent": 0, "failed": 0, "given up": 0}
    for email_id in due:
        row = _claim(db, email_id, moment)
        if row is None:
            continue
        error: Exception | None = None
        try:
            send(mail, _message(mail, row, moment))
        except (OSError, smtplib.SMTPException, ssl.SSLError) as problem:
            error = problem
        counts[_record(db, row, moment, error)] += 1
    return Delivery(sent=counts["sent"], failed=counts["failed"], given_up=counts["given up"])
