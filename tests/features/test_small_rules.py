"""Passwords, role names and date wording."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from documents.output_files import check_output_file
from features.people.passwords import generate_password, hash_password, validate_password, verify_password
from rules.errors import Invalid
from rules.formatting import clock_time, long_date, short_date, when
from rules.roles import describe_roles, parse_role
from rules.vocabulary import Role


@pytest.mark.parametrize(
    ("password", "message"),
    [("elevenchars", "at least 12"), ("x" * 73, "too long"), (" padded-passphrase", "space")],
)
def test_password_rules(password: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        validate_password(password)


def test_long_passphrases_up_to_bcrypts_limit_are_welcome() -> None:
    passphrase = "a" * 72
    assert verify_password(passphrase, hash_password(passphrase, rounds=4))
    assert not verify_password("a" * 73, hash_password(passphrase, rounds=4))
    assert not verify_password("wrong-passphrase", hash_password(passphrase, rounds=4))


def test_generated_passwords_pass_the_rules() -> None:
    for _ in range(20):
        validate_password(generate_password())


@pytest.mark.parametrize(
    ("text", "role"),
    [("chair", Role.CHAIR), ("Lived-experience member", Role.LIVED_EXPERIENCE_MEMBER),
     (" SECRETARIAT ", Role.SECRETARIAT), ("vice chair", Role.VICE_CHAIR)],
)
def test_parse_role(text: str, role: Role) -> None:
    assert parse_role(text) is role


def test_parse_role_names_the_choices() -> None:
    with pytest.raises(Invalid, match="chair, vice_chair"):
        parse_role("king")


def test_describe_roles_uses_panel_order() -> None:
    assert describe_roles(frozenset({Role.SECRETARIAT, Role.CHAIR})) == "Chair, Secretariat"


def test_dates_and_times_in_nhs_style() -> None:
    assert long_date(dt.date(2026, 12, 7)) == "Monday 7 December 2026"
    assert short_date(dt.date(2026, 3, 1)) == "1 Mar 2026"
    assert clock_time(dt.time(10, 0)) == "10am"
    assert clock_time(dt.time(14, 30)) == "2:30pm"
    assert clock_time(dt.time(0, 5)) == "12:05am"
    assert clock_time(None) == ""


def test_stored_moments_are_shown_in_uk_time() -> None:
    """Summer times move an hour (BST); SQLite's naive values are UTC."""
    assert when(dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)) == "Wednesday 1 July 2026 at 10am"
    assert when(dt.datetime(2026, 11, 23, 17, 16)) == "Monday 23 November 2026 at 5:16pm"


def test_output_files_are_checked_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match=r"is a folder; give a file name such as minutes\.docx"):
        check_output_file(tmp_path, suffixes=(".docx",), example="minutes.docx")
    with pytest.raises(Invalid, match=r"log\.txt: the file must end in \.csv or \.xlsx"):
        check_output_file(tmp_path / "log.txt", suffixes=(".csv", ".xlsx"), example="actions.xlsx")
    with pytest.raises(Invalid, match="does not exist"):
        check_output_file(tmp_path / "missing" / "backup.json", example="backup.json")
    check_output_file(tmp_path / "log.XLSX", suffixes=(".csv", ".xlsx"), example="actions.xlsx")
