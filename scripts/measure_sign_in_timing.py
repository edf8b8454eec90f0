"""How long a failed sign-in takes for an unknown username and for a wrong password, before and after the
sign-in hardening. Prints medians; docs/security.md (Sign-in) quotes them. Not a test: wall-clock times
depend on the machine, so no test asserts on them.

    .venv/bin/python -m scripts.measure_sign_in_timing [--tries 20]

Uses a throwaway SQLite database with the demo accounts, hashed at the production cost (bcrypt 12 unless
LEDER_BCRYPT_ROUNDS says otherwise). "After" runs the same three steps as the app's form (read, one
bcrypt check outside any transaction, write), audit line and throttle row included; tries of one
username are an hour and a half apart (in the `now` given), so the throttle never pauses the measurement.
"Before" is streamlit-authenticator 0.4.2's own AuthenticationModel.check_credentials. The two kinds are
timed in turn, so a busy moment slows both alike; "without bcrypt" shows what the database work alone
costs on each path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from db.migrate import upgrade_to_head
from db.session import Database
from features.people.passwords import verify_password
from features.people.sign_in import Verify, finish_sign_in, password_matches, start_sign_in
from features.people.users import credentials_for_authenticator
from operations.demo import seed_demo
from settings import current_settings

WRONG = "not-the-right-passphrase"
ROUNDS = current_settings().bcrypt_rounds  # the production cost unless LEDER_BCRYPT_ROUNDS says otherwise
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
GAP = dt.timedelta(minutes=45)  # tries of one name are two gaps apart, past the hour the throttle remembers

Figures = tuple[float, float, float]  # median, fastest, slowest (ms)


def _app_sign_in(database: Database, username: str, at: dt.datetime, verify: Verify = verify_password) -> None:
    with database.unit_of_work(read_only=True) as session:
        attempt = start_sign_in(session, username=username, password=WRONG, now=at, bcrypt_rounds=ROUNDS)
    matched = password_matches(attempt, WRONG, verify=verify)
    with database.unit_of_work() as session:
        finish_sign_in(session, attempt, matched=matched, now=at)


def _no_bcrypt(password: str, password_hash: str) -> bool:
    """Stands in for bcrypt, to show what the database work alone costs on each path."""
    return False


def _library_check(database: Database) -> Callable[[str], object]:
    """The library's own check, as its login form ran it (bare mode: no Streamlit server needed)."""
    with database.unit_of_work(read_only=True) as session:
        credentials = credentials_for_authenticator(session=session)
    logging.disable(logging.WARNING)  # bare-mode warnings ("missing ScriptRunContext") say nothing useful here
    try:
        from streamlit_authenticator.models.authentication_model import AuthenticationModel

        model = AuthenticationModel(credentials, auto_hash=False)
    finally:
        logging.disable(logging.NOTSET)
    return lambda username: model.check_credentials(username, WRONG)


def _timed_ms(run: Callable[[int], object], index: int) -> float:
    started = time.perf_counter()
    run(index)
    return (time.perf_counter() - started) * 1000


def _pairs(unknown: Callable[[int], object], wrong: Callable[[int], object], tries: int) -> list[Figures]:
    """Unknown and wrong in turn, so a busy moment on the machine slows both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for index in range(tries):
        times[0].append(_timed_ms(unknown, index))
        times[1].append(_timed_ms(wrong, index))
    return [(statistics.median(t), min(t), max(t)) for t in times]


def measure(tries: int) -> dict[str, Figures]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'timing.db'}"
        upgrade_to_head(url)
        database = Database.from_url(url)
        try:
            with database.unit_of_work() as session:
                seed_demo(session=session, password="correct-horse-battery-staple", today=START.date(),
                          bcrypt_rounds=ROUNDS)
            library = _library_check(database)
            _app_sign_in(database, "chair", START - GAP)  # warm up: connections, the dummy hash
            before = _pairs(lambda i: library(f"nobody-{i}"), lambda i: library("chair"), tries)
            after = _pairs(lambda i: _app_sign_in(database, f"nobody-{i}", START + 2 * i * GAP),
                           lambda i: _app_sign_in(database, "chair", START + (2 * i + 1) * GAP), tries)
            later = START + 2 * tries * GAP
            database_only = _pairs(
                lambda i: _app_sign_in(database, f"someone-{i}", later + 2 * i * GAP, _no_bcrypt),
                lambda i: _app_sign_in(database, "chair", later + (2 * i + 1) * GAP, _no_bcrypt), tries)
            return {
                "before: unknown username": before[0], "before: wrong password": before[1],
                "after: unknown username": after[0], "after: wrong password": after[1],
                "after, without bcrypt: unknown": database_only[0],
                "after, without bcrypt: wrong": database_only[1],
            }
        finally:
            database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=20, help="tries of each kind (default 20)")
    tries = max(1, parser.parse_args().tries)
    print(f"bcrypt cost {ROUNDS}, {tries} tries of each kind; median (fastest to slowest) in ms")
    for name, (median, fastest, slowest) in measure(tries).items():
        print(f"  {name:<32} {median:8.2f}  ({fastest:.2f} to {slowest:.2f})")


if __name__ == "__main__":
    main()
