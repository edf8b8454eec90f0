"""Email against a real SMTP server (aiosmtpd on this machine), messages read back: a new circulation at
once, the daily digest, retries when the server is down, and nothing sent twice or without settings."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Callable, Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from db.models import OutgoingEmail, User
from db.session import Database
from features.circulation.use_cases import circulate
from features.mail.mail import MAX_ATTEMPTS, _claim, deliver_due, queue_digests
from features.mail.use_cases import send_digest_and_due, send_soon
from operations.demo import SeedReport
from rules.actors import Actor
from rules.formatting import uk_time
from rules.mail import MailSettings
from tests.features.test_circulation import PLAIN, Panel

APP = "https://leder.example.nhs.uk"
SENT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture
def inbox(port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def mail(port: int) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=port, sender="leder-panel@example.org", starttls=False)


@pytest.fixture
def panel(db: Database, actor: Callable[[str], Actor], demo: SeedReport) -> Panel:
    return Panel(db, actor)


def _circulate(panel: Panel, email_to: str | None = APP) -> int:
    return circulate(panel.db, actor=panel.actor("chair"), review_ids=[panel.review_id(PLAIN)],
                     deadline_day=dt.date(2026, 11, 27), deadline_time=dt.time(17), min_responses=3,
                     anonymous=False, now=SENT, email_to=email_to)


def _outbox(db: Database) -> list[OutgoingEmail]:
    with db.unit_of_work(read_only=True) as session:
        rows = session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)).all()
        session.expunge_all()
        return list(rows)


def _address(db: Database, username: str) -> str:
    with db.unit_of_work(read_only=True) as session:
        return session.scalars(select(User.email).where(User.username == username)).one()


def test_a_new_circulation_emails_each_member_who_may_answer_with_the_link_and_no_case_detail(
        panel: Panel, inbox: Inbox, mail: MailSettings) -> None:
    _circulate(panel)
    delivery = deliver_due(panel.db, mail=mail, now=SENT)
    assert (delivery.sent, delivery.failed, delivery.given_up) == (7, 0, 0)  # the north panel's voting members
    received = {m["To"] for m in inbox.messages}
    assert _address(panel.db, "lived") in received and _address(panel.db, "emlead") in received
    for nobody in ("observer", "reviewer", "admin", "southchair"):
        assert _address(panel.db, nobody) not in received
    message = inbox.to(_address(panel.db, "lived"))[0]
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert message["Subject"] == "LeDeR panel: please answer by Friday 27 November 2026"
    assert message["From"] == "leder-panel@example.org" and message["Auto-Submitted"] == "auto-generated"
    assert f"- Review {PLAIN}" in body and f"{APP}/circulations" in body and "Friday 27 November 2026 at 5pm" in body
    summary = panel.review(PLAIN).summary
    assert summary and summary[:40] not in body  # the reference only, never what the review says
    assert deliver_due(panel.db, mail=mail, now=SENT).sent == 0  # each message goes once
    assert len(inbox.messages) == 7


def test_without_email_settings_nothing_is_queued_or_sent(panel: Panel) -> None:
    _circulate(panel, email_to=None)
    assert _outbox(panel.db) == []
    assert send_soon(panel.db, mail=None) is None


def test_a_mail_server_that_is_down_never_blocks_and_the_message_is_retried_later(
        panel: Panel, port: int, mail: MailSettings) -> None:
    circulation_id = _circulate(panel)  # saved and queued although no server listens yet
    failed = deliver_due(panel.db, mail=mail, now=SENT)
    assert (failed.sent, failed.failed) == (0, 7)
    rows = _outbox(panel.db)
    assert all(r.attempts == 1 and r.sent_at is None and "ConnectionRefusedError" in (r.last_error or "")
               for r in rows)
    panel.answer(circulation_id, PLAIN, "lived")  # votes go on while mail is down
    assert deliver_due(panel.db, mail=mail, now=SENT + dt.timedelta(seconds=30)).sent == 0  # not due again yet
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = deliver_due(panel.db, mail=mail, now=SENT + dt.timedelta(minutes=2))
    finally:
        controller.stop()
    assert later.sent == 7 and len(handler.messages) == 7
    assert all(r.sent_at is not None and r.attempts == 2 for r in _outbox(panel.db))


def test_starttls_that_the_server_does_not_offer_is_a_failure_kept_in_words(
        panel: Panel, inbox: Inbox, mail: MailSettings) -> None:
    _circulate(panel)
    secure = MailSettings(host=mail.host, port=mail.port, sender=mail.sender, starttls=True)
    assert deliver_due(panel.db, mail=secure, now=SENT).failed == 7
    assert inbox.messages == []
    assert all("STARTTLS" in (r.last_error or "") for r in _outbox(panel.db))


def test_after_the_last_attempt_a_message_is_given_up_and_logged(
        panel: Panel, mail: MailSettings, caplog: pytest.LogCaptureFixture) -> None:
    _circulate(panel)
    moment = SENT
    for _ in range(MAX_ATTEMPTS):
        moment += dt.timedelta(hours=5)
        result = deliver_due(panel.db, mail=mail, now=moment)
    assert result.given_up == 7
    assert all(r.given_up_at is not None and r.attempts == MAX_ATTEMPTS for r in _outbox(panel.db))
    assert any("given up after 6 attempts" in record.getMessage() for record in caplog.records)
    assert deliver_due(panel.db, mail=mail, now=moment + dt.timedelta(days=1)).failed == 0


def test_a_message_is_claimed_by_one_sender_only(panel: Panel) -> None:
    _circulate(panel)
    first = _outbox(panel.db)[0]
    assert _claim(panel.db, first.id, SENT) is not None
    assert _claim(panel.db, first.id, SENT) is None  # the other instance finds it taken


def test_the_daily_digest_goes_once_a_day_in_each_persons_words(panel: Panel, inbox: Inbox,
                                                                 mail: MailSettings) -> None:
    queued, delivery = send_digest_and_due(panel.db, mail=mail, app_url=APP, digest=True, now=SENT)
    assert queued == delivery.sent > 0
    lived = inbox.to(_address(panel.db, "lived"))[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    member = inbox.to(_address(panel.db, "member"))[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "Please tell us what you think about review" in lived and "Can you come?" in lived
    assert "is waiting for your comment before the meeting on" in member
    assert f"({APP}/my-meeting)" in member
    assert inbox.to(_address(panel.db, "observer")) == []  # nothing needs them, so no email
    with panel.db.unit_of_work() as session:
        assert queue_digests(session=session, app_url=APP, now=SENT + dt.timedelta(hours=3)) == 0
    next_day = SENT + dt.timedelta(days=1)
    assert uk_time(next_day).date() != uk_time(SENT).date()
    with panel.db.unit_of_work() as session:
        assert queue_digests(session=session, app_url=APP, now=next_day) == queued
    with panel.db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(OutgoingEmail)) == 2 * queued
