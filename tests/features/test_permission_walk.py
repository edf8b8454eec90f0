"""Walk the whole permission matrix through the real services, not the table: for every permission and every
role, the allowed action works and the forbidden one is refused; and another ICB's records stay out of reach.

Pages only hide what a role cannot do, so this is what stops a hand-made request. Each attempt runs in its own
unit of work and is rolled back, so one demo seed serves every role and no attempt changes what the next sees.
A service that forgets its `require(...)` makes a role outside the table succeed, and this test fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    AgendaItem,
    FocusedReview,
    Meeting,
    RegisteredInterest,
    ReviewFinding,
    ReviewVersion,
    Theme,
    User,
)
from db.session import Database
from documents.action_log import actions_csv
from features.actions.actions import ActionDraft, ActionRow, linkable_findings, list_actions, save_action
from features.audit.audit import audit_trail
from features.circulation.circulation import start_circulation
from features.meetings.declarations import end_interest, register_interest
from features.meetings.meetings import add_review_to_agenda, create_meeting, list_meetings, next_meeting
from features.meetings.room import meeting_room, set_current_item
from features.minutes.workflow import (
    approve_minutes,
    circulate_minutes,
    minutes_for_export,
    minutes_state,
    save_narrative,
)
from features.panel_settings.panels import add_theme, set_theme_active
from features.people.preferences import reading_preferences
from features.people.users import create_user, list_users, set_roles
from features.reviews.comments import add_comment
from features.reviews.em_lead import em_lead_overview
from features.reviews.importing import import_reviews, preview_import
from features.reviews.reviews import add_finding, list_reviews, review_detail
from features.reviews.versions import amend_signed_off_review
from features.voting.decisions import record_decision
from features.voting.voting import cast_vote, close_poll
from rules.actors import Actor
from rules.errors import DomainError, NotAllowed, NotFound
from rules.permissions import ALLOWED_ROLES, Permission
from rules.vocabulary import ApprovalRoute, DecisionOutcome, FindingKind, MeetingStatus, ReviewStatus, Role
from tests.conftest import BCRYPT_ROUNDS, DEMO_TODAY
from tests.features.conftest import NOW, VOTERS, Room, open_vote, option_ids, vote

# One demo account per role on the north panel, and the south ICB's two: the walk covers every role.
NORTH: dict[str, Role] = {
    "chair": Role.CHAIR,
    "vicechair": Role.VICE_CHAIR,
    "member": Role.PANEL_MEMBER,
    "lived": Role.LIVED_EXPERIENCE_MEMBER,
    "emlead": Role.ETHNIC_MINORITY_LEAD,
    "reviewer": Role.REVIEWER,
    "admin": Role.SECRETARIAT,
    "observer": Role.OBSERVER,
}
SOUTH: dict[str, Role] = {"southchair": Role.CHAIR, "southadmin": Role.SECRETARIAT}


@dataclass
class North:
    """The north panel's records the probes act on, found once per test after the demo is seeded."""

    upcoming_meeting: int
    held_meeting: int
    approved_meeting: int
    held_item: int
    agenda_review: int
    open_review: int
    open_concern: int
    signed_off_review: int
    signed_off_learning: int
    signed_off_version: int
    theme: int
    member: int
    member_version: int
    interest: int
    references: frozenset[str]
    action_rows: list[ActionRow]
    # Filled by a probe's `prepare`, for the permissions that need the meeting running first.
    current_item: int | None = None
    poll: int | None = None
    sign_off: int | None = None
    minutes_version: int | None = None


Act = Callable[[Session, Actor, North], object]
Seen = Callable[[Session, Actor, North], set[str]]
Prepare = Callable[[pytest.FixtureRequest, North], None]


@dataclass(frozen=True)
class Probe:
    """How one permission is exercised through the services.

    acts: real, representative actions the permission allows, on a north record or the actor's own panel;
        each is attempted on its own, so each must refuse by itself (one refusal cannot hide a missing one).
    foreign: an action on a north record; for another ICB it must be NotFound (never success, never a hint).
    own_only: what a list shows; another ICB's view must share nothing with the north panel's view.
    prepare: state the action needs (a running meeting, an open vote), set up once and committed.
    """

    acts: tuple[Act, ...]
    foreign: Act | None = None
    own_only: Seen | None = None
    prepare: Prepare | None = None


class _Undo(Exception):
    """Raised at the end of a successful attempt so the unit of work rolls it back."""


def _attempt(db: Database, act: Act, who: Actor, north: North) -> tuple[object, DomainError | None]:
    """Run one action in its own unit of work, always rolled back; return its result or the refusal."""
    result: object = None
    try:
        with db.unit_of_work() as session:
            result = act(session, who, north)
            raise _Undo
    except _Undo:
        return result, None
    except DomainError as error:
        return None, error


# --- north records --------------------------------------------------------------------------------------


def _north(db: Database, chair: Actor, admin: Actor) -> North:
    panel = chair.panel_id
    with db.unit_of_work(read_only=True) as session:
        def meeting(status: MeetingStatus) -> int:
            return session.scalars(select(Meeting.id).where(Meeting.panel_id == panel, Meeting.status == status)
                                   .order_by(Meeting.meeting_date)).first()

        def review(status: ReviewStatus) -> int:
            return session.scalars(select(FocusedReview.id).where(
                FocusedReview.panel_id == panel, FocusedReview.status == status)
                .order_by(FocusedReview.reference)).first()

        def finding(review_id: int, kind: FindingKind) -> int:
            return session.scalars(select(ReviewFinding.id).where(
                ReviewFinding.review_id == review_id, ReviewFinding.kind == kind)).first()

        held = meeting(MeetingStatus.HELD)
        open_review, signed_off = review(ReviewStatus.READY_FOR_PANEL), review(ReviewStatus.SIGNED_OFF)
        member = session.scalars(select(User).where(User.username == "member")).one()
        return North(
            upcoming_meeting=meeting(MeetingStatus.PAPERS_CIRCULATED),
            held_meeting=held,
            approved_meeting=meeting(MeetingStatus.MINUTES_APPROVED),
            held_item=session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == held)
                                      .order_by(AgendaItem.position)).first(),
            agenda_review=review(ReviewStatus.ON_AGENDA),
            open_review=open_review,
            open_concern=finding(open_review, FindingKind.CONCERN),
            signed_off_review=signed_off,
            signed_off_learning=finding(signed_off, FindingKind.LEARNING),
            signed_off_version=max(session.scalars(select(ReviewVersion.number)
                                                   .where(ReviewVersion.review_id == signed_off))),
            theme=session.scalars(select(Theme.id).where(Theme.panel_id == panel).order_by(Theme.id)).first(),
            member=member.id,
            member_version=member.version_id,
            interest=session.scalars(select(RegisteredInterest.id).join(User, User.id == RegisteredInterest.user_id)
                                     .where(User.panel_id == panel)).first(),
            references=frozenset(session.scalars(select(FocusedReview.reference)
                                                 .where(FocusedReview.panel_id == panel))),
            action_rows=list_actions(session=session, actor=admin, today=DEMO_TODAY),
        )


# --- preparing state some permissions need ----------------------------------------------------------------


def _meeting_running(request: pytest.FixtureRequest, north: North) -> None:
    """The upcoming meeting in progress with everyone present (tests/features/conftest.py)."""
    room: Room = request.getfixturevalue("started")
    north.current_item = room.review_items()[0].id


def _vote_open(request: pytest.FixtureRequest, north: North) -> None:
    """A named vote open on a review item, nobody has voted yet."""
    room: Room = request.getfixturevalue("started")
    north.poll = open_vote(room, request.getfixturevalue("ready_item"))
    north.sign_off = option_ids(room)["sign_off"]


def _vote_closed(request: pytest.FixtureRequest, north: North) -> None:
    """The same vote with every voting member's vote in, closed by the chair: waiting for the decision."""
    _vote_open(request, north)
    room: Room = request.getfixturevalue("started")
    assert north.poll is not None
    for who in VOTERS:
        vote(room, north.poll, who, "sign_off")
    with room.db.unit_of_work() as session:
        close_poll(session=session, actor=room.actor("chair"), poll_id=north.poll, now=NOW)


def _minutes_circulated(request: pytest.FixtureRequest, north: North) -> None:
    """The held meeting's draft minutes circulated by the secretariat, ready for the chair to approve."""
    db: Database = request.getfixturevalue("db")
    admin = request.getfixturevalue("actor")("admin")
    with db.unit_of_work() as session:
        seen = minutes_state(session=session, actor=admin, meeting_id=north.held_meeting).version_id
        circulate_minutes(session=session, actor=admin, meeting_id=north.held_meeting, expected_version=seen, now=NOW)
    with db.unit_of_work(read_only=True) as session:
        north.minutes_version = minutes_state(session=session, actor=admin, meeting_id=north.held_meeting).version_id


# --- the probes, one per permission -----------------------------------------------------------------------


def _next_meeting(session: Session, who: Actor, north: North) -> object:
    """What the home page calls (no service requires VIEW_HOME itself; this one requires VIEW_MEETINGS)."""
    return next_meeting(session=session, actor=who, today=DEMO_TODAY)


def _reading_settings(session: Session, who: Actor, north: North) -> object:
    """What the reading-settings page calls: everyone's own record, no permission needed."""
    return reading_preferences(session=session, actor=who)


def _home_seen(session: Session, who: Actor, north: North) -> set[str]:
    upcoming = next_meeting(session=session, actor=who, today=DEMO_TODAY)
    return {f"meeting {upcoming.id}"} if upcoming else set()


def _meeting_room(session: Session, who: Actor, north: North) -> object:
    return meeting_room(session=session, actor=who, meeting_id=north.upcoming_meeting, item_id=None, today=DEMO_TODAY)


def _meetings_seen(session: Session, who: Actor, north: North) -> set[str]:
    return {f"meeting {m.id}" for m in list_meetings(session=session, actor=who)}


def _review_detail(session: Session, who: Actor, north: North) -> object:
    return review_detail(session=session, actor=who, review_id=north.agenda_review, today=DEMO_TODAY)


def _linkable_findings(session: Session, who: Actor, north: North) -> object:
    """The findings the action builder offers: case detail too."""
    return linkable_findings(session=session, actor=who, review_id=north.agenda_review)


def _reviews_seen(session: Session, who: Actor, north: North) -> set[str]:
    return {r.reference for r in list_reviews(session=session, actor=who, today=DEMO_TODAY)}


def _actions(session: Session, who: Actor, north: North) -> object:
    return list_actions(session=session, actor=who, today=DEMO_TODAY)


def _actions_seen(session: Session, who: Actor, north: North) -> set[str]:
    rows = list_actions(session=session, actor=who, today=DEMO_TODAY)
    return {f"action {r.id} on {r.review_reference}" for r in rows}


def _create_user(session: Session, who: Actor, north: North) -> object:
    return create_user(session=session, actor=who, username="newmember", name="Alex Morgan",
                       email="newmember@example.org", roles=[Role.PANEL_MEMBER], password="a long enough passphrase",
                       bcrypt_rounds=BCRYPT_ROUNDS)


def _set_member_roles(session: Session, who: Actor, north: North) -> object:
    return set_roles(session=session, actor=who, user_id=north.member, roles=[Role.PANEL_MEMBER, Role.REVIEWER],
                     expected_version=north.member_version)


def _users_seen(session: Session, who: Actor, north: North) -> set[str]:
    return {f"user {u.id}" for u in list_users(session=session, actor=who)}


def _add_theme(session: Session, who: Actor, north: North) -> object:
    return add_theme(session=session, actor=who, name="Transition to adult services")


def _switch_theme_off(session: Session, who: Actor, north: North) -> object:
    return set_theme_active(session=session, actor=who, theme_id=north.theme, active=False)


def _plan_meeting(session: Session, who: Actor, north: North) -> object:
    return create_meeting(session=session, actor=who, meeting_date=DEMO_TODAY + dt.timedelta(days=60),
                          start_time=dt.time(10, 0), location="Room 2, Riverside House (fictional)", online_link="",
                          today=DEMO_TODAY)


def _put_on_agenda(session: Session, who: Actor, north: North) -> object:
    return add_review_to_agenda(session=session, actor=who, meeting_id=north.upcoming_meeting,
                                review_id=north.open_review)


def _move_to_item(session: Session, who: Actor, north: North) -> object:
    assert north.current_item is not None
    return set_current_item(session=session, actor=who, meeting_id=north.upcoming_meeting, item_id=north.current_item)


def _add_finding(session: Session, who: Actor, north: North) -> object:
    return add_finding(session=session, actor=who, review_id=north.open_review, kind=FindingKind.LEARNING,
                       text="Annual health checks did not lead to a health action plan.", theme_ids=[north.theme])


def _comment(session: Session, who: Actor, north: North) -> object:
    return add_comment(session=session, actor=who, review_id=north.agenda_review,
                       body="The findings match what families tell us.")


def _register_interest(session: Session, who: Actor, north: North) -> object:
    return register_interest(session=session, actor=who, description="Trustee of a local carers' charity",
                             declared_on=DEMO_TODAY, today=DEMO_TODAY)


def _end_someone_elses_interest(session: Session, who: Actor, north: North) -> object:
    return end_interest(session=session, actor=who, interest_id=north.interest, ended_on=DEMO_TODAY)


def _vote(session: Session, who: Actor, north: North) -> object:
    assert north.poll is not None and north.sign_off is not None
    return cast_vote(session=session, actor=who, poll_id=north.poll, option_id=north.sign_off, reason="", now=NOW)


def _decide(session: Session, who: Actor, north: North) -> object:
    assert north.poll is not None
    return record_decision(session=session, actor=who, poll_id=north.poll, outcome=DecisionOutcome.SIGNED_OFF,
                           reasons="", now=NOW)


def _circulate(session: Session, who: Actor, north: North) -> object:
    return start_circulation(session=session, actor=who, review_ids=[north.open_review],
                             deadline_at=NOW + dt.timedelta(days=3), min_responses=3, anonymous=False, now=NOW)


def _amend(session: Session, who: Actor, north: North) -> object:
    return amend_signed_off_review(
        session=session, actor=who, review_id=north.signed_off_review,
        texts={north.signed_off_learning: "The swallowing assessment was not repeated when eating changed."},
        reason="Wording agreed with the family after sign-off.", now=NOW, expected_version=north.signed_off_version)


def _audit(session: Session, who: Actor, north: North) -> object:
    return audit_trail(session=session, actor=who)


def _audit_seen(session: Session, who: Actor, north: North) -> set[str]:
    return {f"{row.at.isoformat()} {row.action} {row.subject}: {row.description}"
            for row in audit_trail(session=session, actor=who)}


def _em_lead(session: Session, who: Actor, north: North) -> object:
    return em_lead_overview(session=session, actor=who)


def _em_lead_seen(session: Session, who: Actor, north: North) -> set[str]:
    overview = em_lead_overview(session=session, actor=who)
    return {r.reference for r in overview.flagged} | {t.reference for t in overview.themed}


def _save_action(session: Session, who: Actor, north: North) -> object:
    data = ActionDraft(description="Audit eating and drinking plans in all 12 supported-living homes each quarter",
                       measure="Audit report with the share of homes with a current plan", owner_name="Nurse lead",
                       owner_organisation="Northshire Community Health (fictional)", owner_agreed=True,
                       finding_id=north.open_concern, priority_id=None, due_on=DEMO_TODAY + dt.timedelta(days=90))
    return save_action(session=session, actor=who, review_id=north.open_review, data=data, as_draft=False,
                       today=DEMO_TODAY, now=NOW)


def _write_minute(session: Session, who: Actor, north: North) -> object:
    return save_narrative(session=session, actor=who, item_id=north.held_item,
                          text="The chair welcomed members and apologies were noted.", expected_version=0, now=NOW)


def _approve_minutes(session: Session, who: Actor, north: North) -> object:
    assert north.minutes_version is not None
    return approve_minutes(session=session, actor=who, meeting_id=north.held_meeting, route=ApprovalRoute.BY_CHAIR,
                           at_meeting_id=None, expected_version=north.minutes_version, now=NOW)


def _export_minutes(session: Session, who: Actor, north: North) -> object:
    return minutes_for_export(session=session, actor=who, meeting_id=north.approved_meeting, today=DEMO_TODAY)


def _export_actions(session: Session, who: Actor, north: North) -> object:
    """The action log as a spreadsheet (the rows were read by the secretariat)."""
    return actions_csv(north.action_rows, actor=who)


_IMPORT_HEADINGS = "Reference,Notification date,Reviewer,Ethnic minority,Age band,Summary,Areas of learning\n"


def _import_file(references: list[str]) -> bytes:
    rows = "".join(f"{ref},01/06/2026,reviewer@example.org,no,35-44,A fictional summary.,Bowel charts were not read.\n"
                   for ref in references)
    return (_IMPORT_HEADINGS + rows).encode()


def _import_reviews(session: Session, who: Actor, north: North) -> object:
    return import_reviews(session, who, file_name="walk.csv", data=_import_file(["LDR-2026-0999"]),
                          today=DEMO_TODAY, only_clean=True)


def _import_seen(session: Session, who: Actor, north: North) -> set[str]:
    """A file naming the north's reviews: only the north sees them as its own (to update, with their ids)."""
    check = preview_import(session, who, file_name="walk.csv", data=_import_file(sorted(north.references)),
                           today=DEMO_TODAY).check
    return {f"{row.reference} {row.action} {row.review_id}" for row in check.rows}


PROBES: dict[Permission, Probe] = {
    Permission.VIEW_HOME: Probe((_next_meeting, _reading_settings), own_only=_home_seen),
    Permission.VIEW_MEETINGS: Probe((_meeting_room,), foreign=_meeting_room, own_only=_meetings_seen),
    Permission.VIEW_REVIEWS: Probe((_review_detail, _linkable_findings), foreign=_review_detail,
                                   own_only=_reviews_seen),
    Permission.VIEW_ACTIONS: Probe((_actions,), own_only=_actions_seen),
    Permission.MANAGE_USERS: Probe((_create_user,), foreign=_set_member_roles, own_only=_users_seen),
    Permission.MANAGE_SETTINGS: Probe((_add_theme,), foreign=_switch_theme_off),
    Permission.MANAGE_MEETINGS: Probe((_plan_meeting,), foreign=_put_on_agenda),
    Permission.RUN_MEETING: Probe((_move_to_item,), foreign=_move_to_item, prepare=_meeting_running),
    Permission.EDIT_REVIEW: Probe((_add_finding,), foreign=_add_finding),
    Permission.COMMENT: Probe((_comment,), foreign=_comment),
    Permission.DECLARE_INTEREST: Probe((_register_interest,), foreign=_end_someone_elses_interest),
    Permission.VOTE: Probe((_vote,), foreign=_vote, prepare=_vote_open),
    Permission.RECORD_DECISION: Probe((_decide,), foreign=_decide, prepare=_vote_closed),
    Permission.CIRCULATE: Probe((_circulate,), foreign=_circulate),
    Permission.AMEND_SIGNED_OFF: Probe((_amend,), foreign=_amend),
    Permission.VIEW_AUDIT: Probe((_audit,), own_only=_audit_seen),
    Permission.VIEW_EM_LEAD: Probe((_em_lead,), own_only=_em_lead_seen),
    Permission.MANAGE_ACTIONS: Probe((_save_action,), foreign=_save_action),
    Permission.EDIT_MINUTES: Probe((_write_minute,), foreign=_write_minute),
    Permission.APPROVE_MINUTES: Probe((_approve_minutes,), foreign=_approve_minutes, prepare=_minutes_circulated),
    Permission.EXPORT: Probe((_export_minutes, _export_actions), foreign=_export_minutes),
    Permission.IMPORT_REVIEWS: Probe((_import_reviews,), own_only=_import_seen),
}


def test_every_permission_has_a_probe_and_every_role_an_account() -> None:
    """A new permission or role without a probe or an account would otherwise go unwalked."""
    assert set(PROBES) == set(Permission)
    assert set(NORTH.values()) == set(Role)
    assert all(probe.foreign or probe.own_only for probe in PROBES.values()), "each probe also checks the ICB"


# --- the walk ---------------------------------------------------------------------------------------------


def _outcome(error: DomainError | None) -> str:
    return "success" if error is None else f"{type(error).__name__}: {error}"


def _within_own_panel(db: Database, permission: Permission, probe: Probe, people: dict[str, Actor],
                      north: North) -> list[str]:
    """Every north role: allowed → the action works; not allowed → NotAllowed."""
    problems = []
    for username, role in NORTH.items():
        allowed = role in ALLOWED_ROLES[permission]
        for act in probe.acts:
            _, error = _attempt(db, act, people[username], north)
            if allowed and error is not None:
                problems.append(f"{act.__name__}: {username} ({role}) is allowed but was refused: {_outcome(error)}")
            elif not allowed and not isinstance(error, NotAllowed):
                problems.append(f"{act.__name__}: {username} ({role}) is not allowed but got {_outcome(error)}")
    return problems


def _across_icbs(db: Database, permission: Permission, probe: Probe, people: dict[str, Actor],
                 north: North) -> list[str]:
    """The south ICB's chair and secretariat never reach a north record, nor see north rows in a list."""
    problems = []
    baseline: set[str] = set()
    if probe.own_only is not None:
        reader = next(name for name, role in NORTH.items() if role in ALLOWED_ROLES[permission])
        seen, error = _attempt(db, probe.own_only, people[reader], north)
        baseline = seen if isinstance(seen, set) else set()
        if error is not None or not baseline:  # an empty north view would make the comparison prove nothing
            problems.append(f"the north {reader} should see north rows, got {_outcome(error)} {seen!r}")
    for username, role in SOUTH.items():
        allowed = role in ALLOWED_ROLES[permission]
        who = people[username]
        if probe.foreign is not None:
            _, error = _attempt(db, probe.foreign, who, north)
            leaked = sorted(ref for ref in north.references if error is not None and ref in str(error))
            if allowed and not isinstance(error, NotFound):
                problems.append(f"{username} ({role}) reached a north record: {_outcome(error)}")
            elif not allowed and not isinstance(error, NotAllowed | NotFound):
                problems.append(f"{username} ({role}) is not allowed but got {_outcome(error)}")
            if leaked:
                problems.append(f"{username}'s refusal names north reviews {leaked}: {error}")
        if probe.own_only is not None:
            seen, error = _attempt(db, probe.own_only, who, north)
            if allowed and error is not None:
                problems.append(f"{username} ({role}) could not read their own panel's list: {_outcome(error)}")
            elif not allowed and not isinstance(error, NotAllowed):
                problems.append(f"{username} ({role}) is not allowed but got {_outcome(error)}")
            shared = sorted(seen & baseline) if isinstance(seen, set) else []
            if shared:
                problems.append(f"{username} sees the north panel's {shared}")
    return problems


@pytest.mark.parametrize("permission", list(Permission), ids=str)
def test_the_services_enforce_the_matrix_for_every_role_and_icb(
        permission: Permission, request: pytest.FixtureRequest, db: Database,
        actor: Callable[[str], Actor]) -> None:
    """Every allowed action works, every forbidden one is refused, and another ICB's records are not found.
    All mismatches are collected first, so one run shows every hole in a permission."""
    people = {name: actor(name) for name in (*NORTH, *SOUTH)}
    for name, role in {**NORTH, **SOUTH}.items():
        assert people[name].roles == {role}, f"the demo account {name} should hold exactly the {role} role"
    assert people["southchair"].panel_id != people["chair"].panel_id
    probe = PROBES[permission]
    north = _north(db, people["chair"], people["admin"])
    if probe.prepare is not None:
        probe.prepare(request, north)
    problems = _within_own_panel(db, permission, probe, people, north)
    problems += _across_icbs(db, permission, probe, people, north)
    assert not problems, f"{permission}:\n" + "\n".join(problems)
