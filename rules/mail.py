"""Where email goes out: the SMTP settings as one plain value, read and checked by settings.py and passed
in to features/mail (which never reads the environment)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailSettings:
    """Where email goes out (only when LEDER_SMTP_HOST is set). The password never reaches repr or a log."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = True

    def __repr__(self) -> str:
        return (f"MailSettings(host={self.host!r}, port={self.port}, sender={self.sender!r}, user={self.user!r}, "
                f"password={'set' if self.password else 'unset'}, starttls={self.starttls})")
