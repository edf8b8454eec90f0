"""Every setting the app takes from its environment, read in this one place into one typed object.

A value that is set but wrong stops the app, the command line and `make run` with one line that names the
variable and says what a good value looks like; nothing falls back to a default behind the operator's back.
Unset variables take defaults that work on a laptop. README.md (Configuration) lists them all.

The object is parsed and checked once per distinct environment: a running server's environment does not
change, so that is once per process; tests that change a variable get a fresh object for the new values.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

from rules.mail import MailSettings

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "leder.db"

DATABASE_URL = "DATABASE_URL"
IDLE_MINUTES = "LEDER_IDLE_MINUTES"
BCRYPT_ROUNDS = "LEDER_BCRYPT_ROUNDS"
COOKIE_KEY = "LEDER_COOKIE_KEY"
DEMO_PASSWORD = "LEDER_DEMO_PASSWORD"
PORT = "PORT"
APP_URL = "LEDER_APP_URL"
SMTP_HOST = "LEDER_SMTP_HOST"
SMTP_PORT = "LEDER_SMTP_PORT"
SMTP_USER = "LEDER_SMTP_USER"
SMTP_PASSWORD = "LEDER_SMTP_PASSWORD"
SMTP_FROM = "LEDER_SMTP_FROM"
SMTP_STARTTLS = "LEDER_SMTP_STARTTLS"
NAMES = (DATABASE_URL, IDLE_MINUTES, BCRYPT_ROUNDS, COOKIE_KEY, DEMO_PASSWORD, PORT, APP_URL, SMTP_HOST, SMTP_PORT,
         SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_STARTTLS)

DEFAULT_IDLE_MINUTES = 30
LONGEST_IDLE_MINUTES = 24 * 60
DEFAULT_BCRYPT_ROUNDS = 12
BCRYPT_ROUNDS_RANGE = (4, 16)  # bcrypt's own minimum; above 16 a sign-in takes seconds
MIN_COOKIE_KEY_CHARS = 32
DEFAULT_PORT = 8501
GOOD_DATABASE_URL = "sqlite:///data/leder.db or postgresql://USER:PASSWORD@HOST:5432/DATABASE"
_SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class SettingsError(ValueError):
    """A setting that is set but cannot be used. The message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    """What the environment says, checked. Secrets are kept out of repr so they never reach a log."""

    database_url: str
    idle_minutes: int = DEFAULT_IDLE_MINUTES
    bcrypt_rounds: int = DEFAULT_BCRYPT_ROUNDS
    cookie_key: str | None = None
    demo_password: str | None = None
    port: int = DEFAULT_PORT
    app_url: str = ""  # as given (LEDER_APP_URL); app_address fills it in
    mail: MailSettings | None = None  # None: no email is sent

    @property
    def app_address(self) -> str:
        """The app's address for links in email: LEDER_APP_URL, else this machine on its port."""
        return self.app_url or f"http://localhost:{self.port}"

    @property
    def idle_limit(self) -> dt.timedelta:
        """How long a session may go unused before it ends (LEDER_IDLE_MINUTES)."""
        return dt.timedelta(minutes=self.idle_minutes)

    def __repr__(self) -> str:
        return (f"Settings(database_url={masked_url(self.database_url)!r}, idle_minutes={self.idle_minutes}, "
                f"bcrypt_rounds={self.bcrypt_rounds}, cookie_key={'set' if self.cookie_key else 'unset'}, "
                f"demo_password={'set' if self.demo_password else 'unset'}, port={self.port}, "
                f"app_url={self.app_url!r}, mail={self.mail!r})")


# --- Database addresses ------------------------------------------------------------------------------------


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// spellings and route them to psycopg 3, the driver we pin."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


_PASSWORD_IN_TEXT = re.compile(r"(://[^:/@\s]*:)[^@]*@")


def masked_url(url: str) -> str:
    """The address with its password shown as ***, whether or not it parses."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD_IN_TEXT.sub(r"\1***@", url)


def checked_database_url(text: str, *, name: str = DATABASE_URL) -> str:
    """A database address we can use, normalised; SettingsError in words if not."""
    url = normalise_url(text.strip())
    problem = _database_url_problem(url)
    if problem:
        raise SettingsError(f"{name} is not a database address this app can use ({problem}): "
                            f"'{masked_url(text.strip())}'. Use {GOOD_DATABASE_URL}.")
    return url


def _database_url_problem(url: str) -> str | None:
    try:
        parsed: URL = make_url(url)
    except (ArgumentError, ValueError):
        return "it is not written as an address"
    if parsed.get_backend_name() not in _SUPPORTED_BACKENDS:
        return f"'{parsed.get_backend_name()}' is not SQLite or PostgreSQL"
    if parsed.get_backend_name() == "postgresql" and not parsed.host:
        return "it names no server"
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        return f"the driver '{parsed.get_driver_name()}' is not installed; leave it out"
    if parsed.get_backend_name() == "sqlite" and not parsed.database:
        return "it names no file"
    return None


# --- Numbers ---------------------------------------------------------------------------------------------


def _whole_number(environ: Mapping[str, str], name: str, default: int, low: int, high: int, what: str) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", text) or not low <= int(text) <= high:
        raise SettingsError(f"{name} must be {what} from {low} to {high}; it is '{text[:40]}'.")
    return int(text)


def _cookie_key(environ: Mapping[str, str]) -> str | None:
    value = environ.get(COOKIE_KEY, "")
    if not value:
        return None
    if len(value) < MIN_COOKIE_KEY_CHARS or value.strip() != value:
        raise SettingsError(f"{COOKIE_KEY} must be a random string of {MIN_COOKIE_KEY_CHARS} or more characters "
                            f"with no spaces at either end; it has {len(value)}. Leave it unset to use "
                            ".streamlit/secrets.toml, which `make run` writes.")
    return value


_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
_YES, _NO = ("yes", "true", "1", "on"), ("no", "false", "0", "off")


def _mail(environ: Mapping[str, str]) -> MailSettings | None:
    """SMTP settings, all checked, or None when no host is given (then nothing is sent)."""
    host = environ.get(SMTP_HOST, "").strip()
    if not host:
        return None
    sender = environ.get(SMTP_FROM, "").strip()
    if not _ADDRESS.fullmatch(sender):
        raise SettingsError(f"{SMTP_FROM} must be the address email is sent from, such as leder-panel@nhs.net; "
                            f"it is '{sender[:60]}'.")
    starttls = environ.get(SMTP_STARTTLS, "yes").strip().lower() or "yes"
    if starttls not in _YES + _NO:
        raise SettingsError(f"{SMTP_STARTTLS} must be yes or no; it is '{starttls[:20]}'.")
    user = environ.get(SMTP_USER, "").strip() or None
    password = environ.get(SMTP_PASSWORD) or None
    if bool(user) != bool(password):
        raise SettingsError(f"Give both {SMTP_USER} and {SMTP_PASSWORD}, or neither (a server that needs no login).")
    return MailSettings(host=host, port=_whole_number(environ, SMTP_PORT, 587, 1, 65535, "a port number"),
                        sender=sender, user=user, password=password, starttls=starttls in _YES)


def _app_url(environ: Mapping[str, str]) -> str:
    url = environ.get(APP_URL, "").strip().rstrip("/")
    if not url:
        return ""
    if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", url):
        raise SettingsError(f"{APP_URL} must be the app's address as members open it, such as "
                            f"https://leder.example.nhs.uk; it is '{url[:60]}'.")
    return url


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Read and check every setting from an environment. Raises SettingsError for the first bad one."""
    url_text = environ.get(DATABASE_URL, "").strip()
    return Settings(
        database_url=checked_database_url(url_text) if url_text else f"sqlite:///{DEFAULT_SQLITE_PATH}",
        idle_minutes=_whole_number(environ, IDLE_MINUTES, DEFAULT_IDLE_MINUTES, 1, LONGEST_IDLE_MINUTES,
                                   "a whole number of minutes"),
        bcrypt_rounds=_whole_number(environ, BCRYPT_ROUNDS, DEFAULT_BCRYPT_ROUNDS, *BCRYPT_ROUNDS_RANGE,
                                    "a whole number of bcrypt rounds"),
        cookie_key=_cookie_key(environ),
        demo_password=environ.get(DEMO_PASSWORD) or None,
        port=_whole_number(environ, PORT, DEFAULT_PORT, 1024, 65535, "a port number"),
        app_url=_app_url(environ),
        mail=_mail(environ),
    )


_lock = threading.Lock()
_loaded: dict[tuple[str | None, ...], Settings] = {}


def current_settings() -> Settings:
    """The settings for this process's environment, checked once for each set of values."""
    values = tuple(os.environ.get(name) for name in NAMES)
    found = _loaded.get(values)
    if found is None:
        found = load_settings({name: value for name, value in zip(NAMES, values, strict=True) if value is not None})
        with _lock:
            if len(_loaded) > 32:  # only tests change the environment; keep their leftovers few
                _loaded.clear()
            _loaded[values] = found
    return found


def database_url() -> str:
    """DATABASE_URL if set (checked and normalised), else the embedded SQLite file data/leder.db."""
    return current_settings().database_url
