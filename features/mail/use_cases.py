"""Email, one function per intent: send what is due now (in the background after a new circulation, so
the chair's page never waits on the mail server), and the daily digest run by the command line."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from db.session import Database
from features.mail.mail import Delivery, Sender, deliver_due, queue_digests, send_by_smtp
from rules.mail import MailSettings

log = logging.getLogger(__name__)


def send_soon(db: Database, *, mail: MailSettings | None) -> threading.Thread | None:
    """Deliver what is due in a background thread; a failure is logged and kept for the next try."""
    if mail is None:
        return None

    def work() -> None:
        try:
            deliver_due(db, mail=mail)
        except Exception:  # a broken outbox must not take the app down; the messages stay queued
            log.exception("sending email failed; the messages stay in the outbox")

    thread = threading.Thread(target=work, name="leder-mail", daemon=True)
    thread.start()
    return thread


def send_digest_and_due(db: Database, *, mail: MailSettings, app_url: str, digest: bool,
                        now: dt.datetime | None = None, send: Sender = send_by_smtp) -> tuple[int, Delivery]:
    """For `manage.py send-mail`: queue today's digests (if asked), then send everything due."""
    moment = now or dt.datetime.now(dt.UTC)
    queued = 0
    if digest:
        with db.unit_of_work() as session:
            queued = queue_digests(session=session, app_url=app_url, now=moment)
    return queued, deliver_due(db, mail=mail, now=moment, send=send)
