"""settings.py: every environment setting read in one place, typed, and a bad value refused in one line."""

from __future__ import annotations

import pytest

from settings import (
    DEFAULT_SQLITE_PATH,
    Settings,
    SettingsError,
    current_settings,
    load_settings,
    masked_url,
    normalise_url,
)

GOOD_KEY = "k" * 40


def test_an_empty_environment_gives_the_laptop_defaults() -> None:
    assert load_settings({}) == Settings(database_url=f"sqlite:///{DEFAULT_SQLITE_PATH}", idle_minutes=30,
                                         bcrypt_rounds=12, cookie_key=None, demo_password=None, port=8501)


def test_good_values_are_read_typed() -> None:
    settings = load_settings({"DATABASE_URL": " postgres://u:p@db.example:5433/leder ", "LEDER_IDLE_MINUTES": "5",
                              "LEDER_BCRYPT_ROUNDS": "4", "LEDER_COOKIE_KEY": GOOD_KEY, "PORT": "8600",
                              "LEDER_DEMO_PASSWORD": "a-long-demo-passphrase"})
    assert settings == Settings(database_url="postgresql+psycopg://u:p@db.example:5433/leder", idle_minutes=5,
                                bcrypt_rounds=4, cookie_key=GOOD_KEY, demo_password="a-long-demo-passphrase",
                                port=8600)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("LEDER_IDLE_MINUTES", "ten", "LEDER_IDLE_MINUTES must be a whole number of minutes from 1 to 1440; it is 'ten'."),
    ("LEDER_IDLE_MINUTES", "0", "from 1 to 1440; it is '0'"),
    ("LEDER_IDLE_MINUTES", "100000", "from 1 to 1440; it is '100000'"),
    ("LEDER_IDLE_MINUTES", "-5", "it is '-5'"),
    ("LEDER_IDLE_MINUTES", "1.5", "it is '1.5'"),
    ("LEDER_BCRYPT_ROUNDS", "3", "LEDER_BCRYPT_ROUNDS must be a whole number of bcrypt rounds from 4 to 16"),
    ("LEDER_BCRYPT_ROUNDS", "17", "from 4 to 16; it is '17'"),
    ("PORT", "http", "PORT must be a port number from 1024 to 65535; it is 'http'."),
    ("PORT", "80", "it is '80'"),
    ("PORT", "99999999999999999999", "it is '99999999999999999999'"),
    ("LEDER_COOKIE_KEY", "too-short", "LEDER_COOKIE_KEY must be a random string of 32 or more characters"),
    ("LEDER_COOKIE_KEY", " " + GOOD_KEY, "no spaces at either end"),
    ("DATABASE_URL", "not-a-database-url", "(it is not written as an address): 'not-a-database-url'"),
    ("DATABASE_URL", "mysql://u@h/d", "('mysql' is not SQLite or PostgreSQL)"),
    ("DATABASE_URL", "postgresql+asyncpg://u@h/d", "the driver 'asyncpg' is not installed"),
    ("DATABASE_URL", "postgres:///leder", "(it names no server)"),
    ("DATABASE_URL", "sqlite://", "(it names no file)"),
    ("LEDER_APP_URL", "leder.example.nhs.uk", "LEDER_APP_URL must be the app's address as members open it"),
])
def test_a_bad_value_is_refused_in_one_line_naming_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({name: value})
    said = str(refused.value)
    assert said.startswith(name) and message in said and "\n" not in said


def test_a_bad_database_url_says_what_a_good_one_looks_like_with_the_password_masked() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"DATABASE_URL": "oracle://admin:tiger-tiger@db/leder"})
    said = str(refused.value)
    assert "tiger-tiger" not in said and "oracle://admin:***@db/leder" in said
    assert said.endswith("Use sqlite:///data/leder.db or postgresql://USER:PASSWORD@HOST:5432/DATABASE.")


def test_a_password_is_masked_even_in_an_address_that_does_not_parse() -> None:
    assert masked_url("postgresql://u:pa ss@host:notaport/db") == "postgresql://u:***@host:notaport/db"
    assert masked_url("postgresql+psycopg://u:secret@h/d") == "postgresql+psycopg://u:***@h/d"


def test_postgres_spellings_go_to_psycopg3() -> None:
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_secrets_never_appear_in_the_settings_repr() -> None:
    shown = repr(load_settings({"DATABASE_URL": "postgresql://u:db-secret@h/d", "LEDER_COOKIE_KEY": GOOD_KEY,
                                "LEDER_DEMO_PASSWORD": "demo-secret-phrase"}))
    assert "db-secret" not in shown and GOOD_KEY not in shown and "demo-secret-phrase" not in shown
    assert "cookie_key=set" in shown


def test_the_process_settings_follow_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_IDLE_MINUTES", "7")
    first = current_settings()
    assert first.idle_minutes == 7 and current_settings() is first  # parsed once for these values
    monkeypatch.setenv("LEDER_IDLE_MINUTES", "8")
    assert current_settings().idle_minutes == 8
    monkeypatch.setenv("LEDER_IDLE_MINUTES", "eight")
    with pytest.raises(SettingsError, match="LEDER_IDLE_MINUTES"):
        current_settings()


SMTP = {"LEDER_SMTP_HOST": "smtp.example.nhs.uk", "LEDER_SMTP_FROM": "leder-panel@example.nhs.uk"}


def test_email_is_off_without_a_host_and_on_with_the_settings_checked() -> None:
    assert load_settings({}).mail is None
    on = load_settings({**SMTP, "LEDER_SMTP_PORT": "2525", "LEDER_SMTP_USER": "panel", "LEDER_SMTP_PASSWORD": "s3cret",
                        "LEDER_SMTP_STARTTLS": "no", "LEDER_APP_URL": "https://leder.example.nhs.uk/"})
    assert on.mail is not None
    assert (on.mail.host, on.mail.port, on.mail.sender, on.mail.user, on.mail.starttls) == (
        "smtp.example.nhs.uk", 2525, "leder-panel@example.nhs.uk", "panel", False)
    assert on.app_address == "https://leder.example.nhs.uk"
    assert load_settings({**SMTP, "PORT": "8600"}).app_address == "http://localhost:8600"
    assert load_settings(SMTP).mail.port == 587 and load_settings(SMTP).mail.starttls  # type: ignore[union-attr]
    assert "s3cret" not in repr(on)


@pytest.mark.parametrize(("change", "message"), [
    ({"LEDER_SMTP_PORT": "25x"}, "LEDER_SMTP_PORT must be a port number from 1 to 65535; it is '25x'."),
    ({"LEDER_SMTP_PORT": "0"}, "LEDER_SMTP_PORT must be a port number from 1 to 65535; it is '0'."),
    ({"LEDER_SMTP_FROM": "panel"}, "LEDER_SMTP_FROM must be the address email is sent from"),
    ({"LEDER_SMTP_STARTTLS": "maybe"}, "LEDER_SMTP_STARTTLS must be yes or no; it is 'maybe'."),
    ({"LEDER_SMTP_USER": "panel"}, "Give both LEDER_SMTP_USER and LEDER_SMTP_PASSWORD, or neither"),
])
def test_bad_email_settings_are_refused_in_one_line(change: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({**SMTP, **change})
    assert message in str(refused.value) and "\n" not in str(refused.value)
