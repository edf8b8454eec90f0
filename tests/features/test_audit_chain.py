"""The audit log's hash chain: the demo's chain verifies; an edited, removed, reordered or forged entry is
found and named; concurrent writers leave one unbroken chain; the app cannot change or remove an entry;
migration 0008 chains what was there before; and every kind of change leaves a line in the log."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from db.migrate import alembic_config
from db.models import AuditEvent, FocusedReview
from db.session import Database
from features.actions.actions import ActionDraft, linkable_findings, save_action
from features.audit.audit import (
    append_event,
    audit_trail,
    entry_hash,
    record_event,
    record_security_event,
    verify_audit_chain,
)
from features.panel_settings.panels import add_theme, panel_rules, set_theme_active, update_panel_rules
from features.people.users import create_user
from features.reviews.jargon import add_jargon_term, jargon_terms, remove_jargon_term
from features.reviews.reviews import update_summary
from features.voting.options import OptionChange, update_vote_options, vote_options
from operations.demo import SeedReport
from rules.actors import Actor
from rules.vocabulary import ApprovalRoute, Role
from tests.conftest import BCRYPT_ROUNDS, DEMO_TODAY, _postgres_admin_url
from tests.features.test_actions import _review
from tests.features.test_minutes_workflow import _approve, _circulate, _held, _write

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parents[2]
Who = Callable[[str], Actor]


# Helpers -----------------------------------------------------------------------------------------------------

def _verify(db: Database, expected_hash: str | None = None):
    with db.unit_of_work(read_only=True) as session:
        return verify_audit_chain(session, expected_hash=expected_hash, batch_size=7)  # small: several batches


def _ids(db: Database) -> list[int]:
    with db.unit_of_work(read_only=True) as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _postgres(db: Database) -> bool:
    return db.engine.dialect.name == "postgresql"


def _tamper(db: Database, statement: str | sa.Executable, **params: object) -> None:
    """What someone with direct database access can do: set the trigger aside, change rows, put it back."""
    with db.engine.begin() as connection:
        if _postgres(db):
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
            connection.execute(text("DROP TRIGGER audit_events_no_delete"))
        connection.execute(text(statement) if isinstance(statement, str) else statement, params)
        if _postgres(db):
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))
        else:
            for event in ("UPDATE", "DELETE"):
                connection.execute(text(
                    f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events BEGIN "
                    "SELECT RAISE(ABORT, 'audit_events is append-only: add a new row instead'); END"))


def _frozen_migration() -> ModuleType:
    path = ROOT / "db" / "migrations" / "versions" / "0008_security.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The chain ---------------------------------------------------------------------------------------------------

def test_the_demo_chain_verifies(db: Database, demo: SeedReport) -> None:
    result = _verify(db)
    ids = _ids(db)
    assert result.intact and result.problem is None
    assert result.checked == len(ids) >= 20  # 12 accounts, 7 decisions, approved minutes
    assert result.latest_entry_id == ids[-1]
    assert _verify(db, expected_hash=result.latest_hash).intact


def test_every_entry_follows_the_one_before(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work(read_only=True) as session:
        rows = session.execute(select(AuditEvent.prev_hash, AuditEvent.entry_hash).order_by(AuditEvent.id)).all()
    assert rows[0].prev_hash is None
    assert all(later.prev_hash == earlier.entry_hash for earlier, later in itertools.pairwise(rows))
    assert len({row.entry_hash for row in rows}) == len(rows)


def test_an_edited_entry_is_found_and_named(db: Database, demo: SeedReport) -> None:
    ids = _ids(db)
    target = ids[len(ids) // 2]
    _tamper(db, "UPDATE audit_events SET description = 'Returned to the reviewer.' WHERE id = :id", id=target)
    result = _verify(db)
    assert not result.intact and result.broken_entry_id == target
    assert result.problem.startswith(f"Entry {target} (recorded ")
    assert "does not match its hash: it was changed after it was written." in result.problem
    assert result.checked == ids.index(target) + 1


def test_a_moved_timestamp_is_found(db: Database, demo: SeedReport) -> None:
    target = _ids(db)[3]
    with db.unit_of_work(read_only=True) as session:
        at = session.get(AuditEvent, target).at
    table = AuditEvent.__table__
    _tamper(db, sa.update(table).where(table.c.id == target).values(at=at + dt.timedelta(seconds=1)))
    assert _verify(db).broken_entry_id == target


@pytest.mark.parametrize("place", [4, 10])  # in the first batch of seven, and in the second
def test_an_unreadable_time_is_reported_not_a_crash(db: Database, demo: SeedReport, place: int) -> None:
    if _postgres(db):
        pytest.skip("PostgreSQL refuses text that is not a time")
    target = _ids(db)[place]
    _tamper(db, "UPDATE audit_events SET at = 'last Tuesday' WHERE id = :id", id=target)
    result = _verify(db)
    assert not result.intact and result.broken_entry_id == target and result.checked == place + 1
    assert result.problem == f"Entry {target} has a time that cannot be read: it was changed after it was written."


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(db: Database, demo: SeedReport) -> None:
    ids = _ids(db)
    target, following = ids[5], ids[6]
    with db.unit_of_work(read_only=True) as session:
        row = session.get(AuditEvent, target)
        forged = entry_hash(prev_hash=row.prev_hash, panel_id=row.panel_id, at=row.at,
                            actor_id=row.actor_id, action=row.action, subject=row.subject,
                            description="Nothing happened.")
    _tamper(db, "UPDATE audit_events SET description = 'Nothing happened.', entry_hash = :h WHERE id = :id",
            h=forged, id=target)
    result = _verify(db)
    assert result.broken_entry_id == following
    assert result.problem.startswith(f"Entry {following} does not follow entry {target}: ")


def test_a_removed_entry_is_a_missing_link(db: Database, demo: SeedReport) -> None:
    ids = _ids(db)
    removed = ids[len(ids) // 2]
    _tamper(db, "DELETE FROM audit_events WHERE id = :id", id=removed)
    result = _verify(db)
    before, after = ids[ids.index(removed) - 1], ids[ids.index(removed) + 1]
    assert result.broken_entry_id == after
    assert result.problem == (f"Entry {after} does not follow entry {before}: an entry between them was removed, "
                              f"the order changed, or entry {before} was rewritten.")


def test_removing_the_first_entries_is_found(db: Database, demo: SeedReport) -> None:
    first, second = _ids(db)[:2]
    _tamper(db, "DELETE FROM audit_events WHERE id = :id", id=first)
    result = _verify(db)
    assert result.broken_entry_id == second
    assert "points back to an entry that is not there" in result.problem


def test_swapped_entries_are_found(db: Database, demo: SeedReport) -> None:
    """Two whole rows, hashes included, trade places: each still matches its hash, but not its place."""
    first, second = _ids(db)[4:6]
    columns = ("panel_id", "at", "actor_id", "action", "subject", "description", "prev_hash", "entry_hash")
    with db.unit_of_work(read_only=True) as session:
        query = select(AuditEvent.id, *(getattr(AuditEvent, c) for c in columns))
        rows = {row.id: row for row in session.execute(query.where(AuditEvent.id.in_([first, second])))}
    table = AuditEvent.__table__
    _tamper(db, "UPDATE audit_events SET entry_hash = NULL WHERE id IN (:a, :b)", a=first, b=second)  # unique index
    for target, source in ((first, second), (second, first)):
        _tamper(db, sa.update(table).where(table.c.id == target)
                .values(**{c: getattr(rows[source], c) for c in columns}))
    result = _verify(db)
    assert result.broken_entry_id == first
    assert f"Entry {first} does not follow entry " in result.problem


def test_entries_added_outside_the_app_are_found(db: Database, demo: SeedReport) -> None:
    """Inserting needs no trigger to be set aside: a row without a hash, or one chained to an old entry."""
    with db.unit_of_work(read_only=True) as session:
        panel_id = session.scalars(select(AuditEvent.panel_id).order_by(AuditEvent.id).limit(1)).one()
    with db.engine.begin() as connection:
        connection.execute(sa.insert(AuditEvent.__table__).values(
            panel_id=panel_id, at=NOW, actor_id=None, action="decision recorded", subject="review LDR-2026-0109",
            description="Signed off."))
    result = _verify(db)
    assert result.broken_entry_id == _ids(db)[-1]
    assert "has no hash: it was added to the table outside the app" in result.problem


def test_a_fork_chained_to_an_old_entry_is_found(db: Database, demo: SeedReport) -> None:
    with db.unit_of_work(read_only=True) as session:
        panel_id, old_hash = session.execute(select(AuditEvent.panel_id, AuditEvent.entry_hash)
                                             .order_by(AuditEvent.id).limit(1)).one()
    digest = entry_hash(prev_hash=old_hash, panel_id=panel_id, at=NOW, actor_id=None, action="decision recorded",
                        subject="review LDR-2026-0109", description="Signed off.")
    with db.engine.begin() as connection:
        connection.execute(sa.insert(AuditEvent.__table__).values(
            panel_id=panel_id, at=NOW, actor_id=None, action="decision recorded", subject="review LDR-2026-0109",
            description="Signed off.", prev_hash=old_hash, entry_hash=digest))
    result = _verify(db)
    assert result.broken_entry_id == _ids(db)[-1] and "does not follow" in result.problem


def test_a_noted_hash_catches_a_log_rewritten_or_cut_short(db: Database, demo: SeedReport) -> None:
    noted = _verify(db).latest_hash
    assert noted is not None
    last = _ids(db)[-1]
    _tamper(db, "DELETE FROM audit_events WHERE id = :id", id=last)
    assert _verify(db).intact  # cutting the tail leaves a sound chain...
    result = _verify(db, expected_hash=noted)
    assert not result.intact and f"The hash you noted, {noted}, is not in the audit log" in result.problem


def test_an_empty_log_is_intact(db: Database) -> None:
    result = _verify(db)
    assert result.intact and result.checked == 0 and result.latest_hash is None


# Writing -----------------------------------------------------------------------------------------------------

def test_concurrent_writers_leave_one_unbroken_chain(db: Database, actor: Who) -> None:
    threads_count, per_thread = 8, 10
    chair = actor("chair")
    before = len(_ids(db))
    barrier = threading.Barrier(threads_count)
    failures: list[BaseException] = []

    def write(number: int) -> None:
        try:
            barrier.wait()
            for event in range(per_thread):
                with db.unit_of_work() as session:
                    record_event(session, chair, action="test event", subject="concurrency",
                                 description=f"Writer {number}, event {event}.")
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    result = _verify(db)
    assert result.intact, result.problem
    assert result.checked == before + threads_count * per_thread


def test_several_events_in_one_unit_of_work_chain_in_order(db: Database, actor: Who) -> None:
    chair = actor("chair")
    with db.unit_of_work() as session:
        for n in range(3):
            record_event(session, chair, action="test event", subject="one transaction", description=f"Event {n}.")
    assert _verify(db).intact


def test_times_read_back_hash_the_same_on_both_databases(db: Database, actor: Who) -> None:
    """Microseconds, a naive value (taken as UTC) and one in British Summer Time all survive the round trip."""
    chair = actor("chair")
    moments = [dt.datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=dt.UTC),
               dt.datetime(2026, 7, 1, 9, 30, 0, 1),
               dt.datetime(2026, 7, 1, 10, 30, 0, 123_456, tzinfo=ZoneInfo("Europe/London"))]
    for moment in moments:
        with db.unit_of_work() as session:
            record_event(session, chair, action="test event", subject="times", description="A moment.", at=moment)
    with db.unit_of_work(read_only=True) as session:
        stored = session.scalars(select(AuditEvent.at).where(AuditEvent.subject == "times")
                                 .order_by(AuditEvent.id)).all()
    as_utc = [m if m.tzinfo else m.replace(tzinfo=dt.UTC) for m in moments]
    assert [(s if s.tzinfo else s.replace(tzinfo=dt.UTC)) for s in stored] == as_utc
    assert _verify(db).intact


def test_the_app_cannot_change_or_remove_an_entry(db: Database, demo: SeedReport) -> None:
    target = _ids(db)[0]
    for statement in ("UPDATE audit_events SET description = 'x' WHERE id = :id",
                      "DELETE FROM audit_events WHERE id = :id"):
        with pytest.raises(DBAPIError, match="append-only"), db.unit_of_work() as session:
            session.execute(text(statement), {"id": target})
    with pytest.raises(DBAPIError, match="append-only"), db.unit_of_work() as session:
        session.get(AuditEvent, target).description = "Changed through the ORM."
    assert _verify(db).intact


def test_only_the_audit_service_makes_entries() -> None:
    offenders = [path.relative_to(ROOT) for path in sorted((ROOT / "services").rglob("*.py"))
                 if path.name != "audit.py" and "AuditEvent(" in path.read_text()]
    assert offenders == []


def test_security_events_go_to_the_accounts_panel_and_unknown_names_nowhere(db: Database, actor: Who) -> None:
    chair = actor("chair")
    with db.unit_of_work() as session:
        assert record_security_event(session, action="signed in", username="Chair", description="Signed in.",
                                     at=NOW, actor_id=chair.user_id)
        assert record_security_event(session, action="sign-in failed", username="chair",
                                     description="A sign-in to this account failed: wrong password.", at=NOW)
        count = session.scalar(select(func.count()).select_from(AuditEvent))
        assert not record_security_event(session, action="sign-in failed", username="nobody-here",
                                         description="A sign-in failed.", at=NOW)
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == count
    with db.unit_of_work(read_only=True) as session:
        rows = audit_trail(session=session, actor=actor("admin"), subject="account chair")
    assert sorted((row.action, row.who) for row in rows) == [("account created", "The system"),
                                                           ("sign-in failed", "The system"),
                                                           ("signed in", "Priya Shah")]
    assert _verify(db).intact


def test_the_migrations_frozen_hash_is_the_services(db: Database, demo: SeedReport) -> None:
    frozen = _frozen_migration().frozen_entry_hash
    samples = [
        dict(prev_hash=None, panel_id=1, at=dt.datetime(2026, 11, 23, 10, 15, tzinfo=dt.UTC), actor_id=None,
             action="vote cast", subject="review LDR-2026-0109", description="Sam Taylor voted."),
        dict(prev_hash="a" * 64, panel_id=2, at=dt.datetime(2026, 6, 1, 9, 0, 0, 5), actor_id=7,
             action="minutes corrected", subject="meeting 3", description="Café, naïve — “quotes” \u2028 end"),
        dict(prev_hash="b" * 64, panel_id=1, at=dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")),
             actor_id=1, action="", subject="", description=""),
    ]
    for sample in samples:
        assert frozen(**sample) == entry_hash(**sample)
    with db.unit_of_work(read_only=True) as session:
        for row in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            assert frozen(prev_hash=row.prev_hash, panel_id=row.panel_id, at=row.at, actor_id=row.actor_id,
                          action=row.action, subject=row.subject, description=row.description) == row.entry_hash


# Migration 0008 chains the entries written before it ---------------------------------------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own (not the shared migrated one), so it can be taken to revision 0007."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'before-0008.db'}"
        return
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip("TEST_DATABASE_URL is not set: the PostgreSQL lane is off")
    name = f"leder_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _old_entries(url: str) -> None:
    """Three lines as the app wrote them before 0008: no hashes."""
    old = sa.table("audit_events", sa.column("panel_id", sa.Integer()), sa.column("at", sa.DateTime(timezone=True)),
                   sa.column("actor_id", sa.Integer()), sa.column("action", sa.String()),
                   sa.column("subject", sa.String()), sa.column("description", sa.Text()))
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO icbs (id, code, name) VALUES (1, 'OLD', 'Old ICB (fictional)')"))
            connection.execute(text("INSERT INTO panels (id, icb_id, name) VALUES (1, 1, 'Old panel')"))
            connection.execute(sa.insert(old), [
                {"panel_id": 1, "at": NOW + dt.timedelta(minutes=n, microseconds=n), "actor_id": None,
                 "action": "vote opened", "subject": f"review LDR-2026-000{n}", "description": f"Line {n}."}
                for n in range(3)])
    finally:
        engine.dispose()


def test_migration_0008_chains_earlier_entries_and_keeps_the_triggers(empty_url: str) -> None:
    command.upgrade(alembic_config(empty_url), "0007")
    _old_entries(empty_url)
    command.upgrade(alembic_config(empty_url), "head")
    database = Database.from_url(empty_url)
    try:
        with database.unit_of_work(read_only=True) as session:
            result = verify_audit_chain(session)
            assert session.scalar(select(func.count()).where(AuditEvent.entry_hash.is_(None))) == 0
        assert result.intact and result.checked == 3
        with pytest.raises(DBAPIError, match="append-only"), database.unit_of_work() as session:
            session.execute(text("UPDATE audit_events SET description = 'x'"))
        with pytest.raises(DBAPIError, match="append-only"), database.unit_of_work() as session:
            session.execute(text("DELETE FROM audit_events"))
        with database.unit_of_work() as session:  # the app goes on from the last old entry
            append_event(session, panel_id=1, actor_id=None, action="test event", subject="after", description="New.")
        with database.unit_of_work(read_only=True) as session:
            assert verify_audit_chain(session).checked == 4
    finally:
        database.dispose()


# Every kind of change leaves a line --------------------------------------------------------------------------

def _log(db: Database, actor: Who, subject: str | None = None) -> list[tuple[str, str]]:
    with db.unit_of_work(read_only=True) as session:
        return [(row.action, row.description) for row in audit_trail(session=session, actor=actor("admin"),
                                                                     subject=subject)]


def test_saving_an_action_is_logged_by_number_not_words(db: Database, actor: Who) -> None:
    review = _review(db, "0109")
    with db.unit_of_work(read_only=True) as session:
        concern = next(iter(linkable_findings(session=session, actor=actor("chair"), review_id=review)))
    data = ActionDraft(description="Audit eating and drinking plans in all 12 homes each quarter",
                       measure="Audit report", owner_name="Nurse lead", owner_organisation="Northshire (fictional)",
                       owner_agreed=True, finding_id=concern, priority_id=None,
                       due_on=DEMO_TODAY + dt.timedelta(days=90))
    with db.unit_of_work() as session:
        action_id = save_action(session=session, actor=actor("chair"), review_id=review, data=data, as_draft=True,
                                today=DEMO_TODAY, now=NOW)
    action, description = _log(db, actor, "review LDR-2026-0109")[0]
    assert action == "action added" and description.startswith(f"Added action {action_id}")
    assert "eating" not in description
    assert _verify(db).intact


def test_creating_a_user_and_changing_roles_is_logged(db: Database, actor: Who) -> None:
    with db.unit_of_work() as session:
        create_user(session=session, actor=actor("admin"), username="newmember", name="New Member",
                    email="new@example.org", roles=[Role.PANEL_MEMBER], password="a-long-enough-password",
                    bcrypt_rounds=BCRYPT_ROUNDS)
    log = _log(db, actor, "account newmember")
    assert log == [("account created", "Created the account 'newmember' with the roles: Panel member.")]
    assert "new@example.org" not in str(log)


def test_approving_minutes_is_logged(db: Database, actor: Who) -> None:
    held = _held(db)
    _write(db, actor("admin"), held, "The chair welcomed everyone.")
    _circulate(db, actor("admin"), held)
    _approve(db, actor("chair"), held, ApprovalRoute.BY_CHAIR)
    actions = [action for action, _ in _log(db, actor, f"meeting {held}")]
    assert actions[:3] == ["minutes approved", "minutes circulated", "minutes written"]
    assert _verify(db).intact


def test_editing_a_review_is_logged_without_its_words(db: Database, actor: Who) -> None:
    review = _review(db, "0111")  # ready for the panel, so still editable
    with db.unit_of_work(read_only=True) as session:
        row = session.get(FocusedReview, review)
        version, reference = row.version_id, row.reference
    with db.unit_of_work() as session:
        update_summary(session=session, actor=actor("reviewer"), review_id=review,
                       summary="A new plain summary of what happened.", ethnic_minority=False,
                       expected_version=version)
    log = _log(db, actor, f"review {reference}")
    assert log[0][0] == "review edited" and "plain summary" in log[0][1] and "what happened" not in log[0][1]


def test_settings_jargon_themes_and_vote_answers_are_logged(db: Database, actor: Who) -> None:
    admin = actor("admin")
    with db.unit_of_work() as session:
        add_jargon_term(session=session, actor=admin, term="PEG", plain="a tube into the stomach for food")
        term = next(t.id for t in jargon_terms(session=session, panel_id=admin.panel_id) if t.term == "PEG")
        remove_jargon_term(session=session, actor=admin, term_id=term)
        theme = add_theme(session=session, actor=admin, name="Dysphagia")
        set_theme_active(session=session, actor=admin, theme_id=theme.id, active=False)
        option = vote_options(session=session, panel_id=admin.panel_id)[0]
        update_vote_options(session=session, actor=admin, changes=[
            OptionChange(option.id, option.label, option.meaning, requires_reason=True)])
        rules = panel_rules(session=session, panel_id=admin.panel_id)
        update_panel_rules(session=session, actor=admin, quorum=rules.quorum, clock=rules.clock,
                           require_em_lead_view=not rules.require_em_lead_view, expected_version=rules.version_id)
    descriptions = [description for _, description in reversed(_log(db, actor))][-6:]
    assert descriptions == [
        "Added 'PEG' to the jargon list.", "Removed 'PEG' from the jargon list.", "Added the theme 'Dysphagia'.",
        "Switched the theme 'Dysphagia' off.", f"Changed the vote answers: '{option.label}'.",
        "Changed the panel settings: whether the ethnic minority lead's view is needed before the vote.",
    ]
    assert _verify(db).intact
