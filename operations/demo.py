"""Fictional demo data: two ICBs (the second proves isolation), a panel covering every role,
three meetings, twelve pseudonymised focused reviews, their findings and some actions.

Every person, organisation and case here is invented. No real NHS number, name of a deceased
person, date of birth or address appears.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Decision,
    FocusedReview,
    Icb,
    Meeting,
    MinutesNarrative,
    MinutesRecord,
    Panel,
    PanelSettings,
    Poll,
    RegisteredInterest,
    ReviewComment,
    ReviewFinding,
    ReviewPause,
    ReviewVersion,
    StrategicPriority,
    Theme,
    User,
    UserRole,
    Vote,
    VoteOption,
)
from features.audit.audit import append_event
from features.meetings.meetings import STANDING_ITEMS
from features.panel_settings.panels import create_panel, panel_rules
from features.people.passwords import hash_password
from features.people.users import create_user_in_panel
from rules.errors import Conflict
from rules.formatting import long_date
from rules.quorum import VOTING_ROLES, Attendee, QuorumResult, check_quorum
from rules.vocabulary import (
    ActionStatus,
    AgendaItemKind,
    ApprovalRoute,
    AttendanceStatus,
    CommentStage,
    DecisionOutcome,
    Feeling,
    FindingKind,
    ItemStatus,
    MeetingStatus,
    MinutesStatus,
    PauseReason,
    PollStatus,
    ReviewStatus,
    Role,
    VersionKind,
)

DEMO_LABEL = "(fictional demo)"

NORTH_ACCOUNTS: list[tuple[str, str, tuple[Role, ...]]] = [
    ("chair", "Priya Shah", (Role.CHAIR,)),
    ("vicechair", "Tom Reilly", (Role.VICE_CHAIR,)),
    ("member", "Grace Mensah", (Role.PANEL_MEMBER,)),
    ("member2", "Daniel Hughes", (Role.PANEL_MEMBER,)),
    ("lived", "Sam Taylor", (Role.LIVED_EXPERIENCE_MEMBER,)),
    ("lived2", "Jo Bennett", (Role.LIVED_EXPERIENCE_MEMBER,)),
    ("emlead", "Farah Qureshi", (Role.ETHNIC_MINORITY_LEAD,)),
    ("reviewer", "Chris Walker", (Role.REVIEWER,)),
    ("admin", "Morgan Ellis", (Role.SECRETARIAT,)),
    ("observer", "Lee Park", (Role.OBSERVER,)),
]

SOUTH_ACCOUNTS: list[tuple[str, str, tuple[Role, ...]]] = [
    ("southchair", "Rosa Lindqvist", (Role.CHAIR,)),
    ("southadmin", "Ade Bello", (Role.SECRETARIAT,)),
]

# (age band, setting, ethnic minority, learning, good practice, concern)
REVIEW_STORIES: list[tuple[str, str, bool, str, str, str]] = [
    ("45-54", "Supported living", False,
     "Swallowing assessment was not repeated after a change in eating.",
     "Staff knew the person well and noticed they were unwell early.",
     "The eating and drinking plan was not followed at a day service."),
    ("25-34", "Family home", True,
     "An interpreter was needed at every appointment but was not booked twice.",
     "The GP practice made longer appointments as a reasonable adjustment.",
     "The family said they did not trust the hospital after a past experience."),
    ("55-64", "Residential care home", False,
     "A seizure plan was in place but rescue medicine was not taken on outings.",
     "The care home reviewed its outing checklist straight after the death.",
     "Rescue medicine was not to hand when a seizure started."),
    ("65-74", "Hospital", False,
     "Signs of sepsis were recognised late because the person could not say they felt ill.",
     "Hospital staff used the hospital passport on admission.",
     "Soft signs of deterioration were not escalated overnight."),
    ("35-44", "Supported living", True,
     "Bowel screening letters were not in an accessible format.",
     "The learning disability liaison nurse was involved from admission.",
     "Cancer was diagnosed late after screening was missed twice."),
    ("18-24", "Family home", False,
     "The annual health check was recorded but did not include a health action plan.",
     "The family were involved in every part of the review.",
     "No one followed up after two missed health checks."),
    ("45-54", "Residential care home", False,
     "Constipation was treated only when it became severe.",
     "Care staff kept a clear bowel chart.",
     "Laxatives were not reviewed for over a year."),
    ("55-64", "Hospital", True,
     "A do not resuscitate decision gave 'learning disability' as a reason.",
     "The ward challenged the decision and it was changed within a day.",
     "The decision was made without talking to the family."),
    ("35-44", "Supported living", False,
     "Psychotropic medicine had not been reviewed in line with STOMP.",
     "The pharmacist led a clear medicine review after concerns were raised.",
     "Medicine was continued for years without a documented reason."),
    ("65-74", "Nursing home", False,
     "The digital reasonable adjustment flag was not used.",
     "Staff made a communication passport with the person.",
     "Adjustments agreed in clinic were not passed to the ward."),
    ("25-34", "Family home", True,
     "Information for the family was only given in English.",
     "A community link worker helped the family take part.",
     "The family were not offered a translated copy of the review."),
    ("45-54", "Supported living", False,
     "Aspiration pneumonia followed a change of care provider.",
     "The new provider asked for a speech and language assessment.",
     "The handover between providers did not include the eating plan."),
]


@dataclass(frozen=True)
class SeedReport:
    usernames: tuple[str, ...]
    reviews: int
    meetings: int
    actions: int


DEMO_USERNAMES = tuple(username for username, _, _ in NORTH_ACCOUNTS + SOUTH_ACCOUNTS)


def database_is_empty(*, session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Icb))


def seed_demo(*, session: Session, password: str, today: dt.date, bcrypt_rounds: int) -> SeedReport:
    """Fill an empty database with the fictional demo. Refuses a database that already has data."""
    if not database_is_empty(session=session):
        raise Conflict("The database already has data; the demo is only added to an empty database.")
    north = _panel(session, "DEMO-N", f"NHS Northshire Integrated Care Board {DEMO_LABEL}")
    south = _panel(session, "DEMO-S", f"NHS Southvale Integrated Care Board {DEMO_LABEL}")
    # one bcrypt run, not twelve: all demo accounts share it
    shared_hash = hash_password(password, rounds=bcrypt_rounds)
    usernames = _accounts(session, north, NORTH_ACCOUNTS, shared_hash)
    usernames += _accounts(session, south, SOUTH_ACCOUNTS, shared_hash)
    reviewer_id = _user_id(session, "reviewer")
    north_reviews = _reviews(session, north, today, reviewer_id, REVIEW_STORIES, "01")
    south_reviews = _reviews(session, south, today, None, REVIEW_STORIES[:2], "02")
    meetings = _meetings(session, north, north_reviews, today)
    meetings += _meetings(session, south, south_reviews, today, upcoming_only=True)
    _colour(session, north_reviews, today)
    actions = _actions(session, north, north_reviews[:8], today)
    session.flush()
    _approved_minutes(session, north)
    return SeedReport(tuple(usernames), len(north_reviews) + len(south_reviews), meetings, actions)


def _panel(session: Session, code: str, icb_name: str) -> Panel:
    return create_panel(session=session, icb_code=code, icb_name=icb_name, panel_name="LeDeR Governance Panel")


def _accounts(
    session: Session, panel: Panel, accounts: list[tuple[str, str, tuple[Role, ...]]], password_hash: str
) -> list[str]:
    for username, name, roles in accounts:
        create_user_in_panel(
            session=session, panel_id=panel.id, username=username, name=name,
            email=f"{username}@example.org", roles=roles, password_hash=password_hash,
        )
    return [username for username, _, _ in accounts]


def _user_id(session: Session, username: str) -> int:
    return session.scalars(select(User.id).where(User.username == username)).one()


def _reviews(
    session: Session, panel: Panel, today: dt.date, reviewer_id: int | None,
    stories: list[tuple[str, str, bool, str, str, str]], series: str,
) -> list[FocusedReview]:
    reviews = []
    for number, (age_band, setting, minority, learning, good, concern) in enumerate(stories, start=1):
        review = FocusedReview(
            panel_id=panel.id,
            reference=f"LDR-{today.year}-{series}{number:02d}",
            reviewer_id=reviewer_id,
            summary=f"Focused review {DEMO_LABEL}. {learning}",
            age_band=age_band,
            setting_type=setting,
            ethnic_minority=minority,
            notified_on=today - dt.timedelta(days=40 + 15 * number),
            status=ReviewStatus.READY_FOR_PANEL,
            findings=[
                ReviewFinding(kind=FindingKind.LEARNING, position=1, text=learning),
                ReviewFinding(kind=FindingKind.GOOD_PRACTICE, position=1, text=good),
                ReviewFinding(kind=FindingKind.CONCERN, position=1, text=concern),
            ],
        )
        session.add(review)
        reviews.append(review)
    session.flush()
    _tag_ethnicity_findings(session, panel, reviews)
    return reviews


def _tag_ethnicity_findings(session: Session, panel: Panel, reviews: list[FocusedReview]) -> None:
    """The concerns in reviews about people from ethnic minorities carry the national ethnicity theme, so
    the ethnic minority lead's page has learning to show across reviews."""
    theme = session.scalars(select(Theme).where(Theme.panel_id == panel.id,
                                                Theme.name == "Ethnicity and inequalities")).one()
    for review in (r for r in reviews if r.ethnic_minority):
        for finding in review.findings:
            if finding.kind == FindingKind.CONCERN:
                finding.themes.append(theme)
    session.flush()


# (days from the day of seeding, where the meeting is, how many reviews): the north panel's three meetings.
DEMO_MEETING_PLAN = ((-63, MeetingStatus.MINUTES_APPROVED, 4), (-7, MeetingStatus.HELD, 3),
                     (14, MeetingStatus.PAPERS_CIRCULATED, 3))


def demo_meeting_month(status: MeetingStatus, *, seeded_on: dt.date) -> str:
    """"November 2026": the month in the title of the demo meeting in this state, for a demo seeded on
    `seeded_on`. The demo's dates move with the day it is made, so anything naming a meeting asks here."""
    days = next(d for d, planned, _count in DEMO_MEETING_PLAN if planned == status)
    return f"{seeded_on + dt.timedelta(days=days):%B %Y}"


def _meetings(
    session: Session, panel: Panel, reviews: list[FocusedReview], today: dt.date,
    upcoming_only: bool = False,
) -> int:
    """Approved two months ago (4 reviews), held last week awaiting minutes (3), upcoming in two weeks (3);
    any reviews left stay ready for the panel, for the secretariat to put on an agenda."""
    plan = [(today + dt.timedelta(days=days), status, count) for days, status, count in DEMO_MEETING_PLAN]
    if upcoming_only:
        plan = [(plan[-1][0], plan[-1][1], len(reviews))]
    voting = _voting_member_ids(session, panel)
    all_present = _everyone_present(session, panel, voting)
    start = 0
    for when, status, count in plan:
        chunk = reviews[start:start + count]
        start += count
        held = status != MeetingStatus.PAPERS_CIRCULATED
        meeting = Meeting(
            panel_id=panel.id,
            title=f"LeDeR Governance Panel, {when:%B %Y}",
            meeting_date=when,
            start_time=dt.time(10, 0),
            location="Room 2, Riverside House (fictional)",
            online_link="https://example.org/join/leder-panel",
            status=status,
            agenda_items=_agenda(chunk, decided=held, quorum_note=all_present.recorded),
        )
        for review in chunk:
            review.status = ReviewStatus.SIGNED_OFF if held else ReviewStatus.ON_AGENDA
            review.presented_on = when if held else None
            review.finished_on = when if held else None
        session.add(meeting)
        session.flush()
        if held:
            session.add_all(Attendance(meeting_id=meeting.id, user_id=uid, status=AttendanceStatus.PRESENT_IN_PERSON)
                            for uid in voting)
            session.flush()
            _past_decisions(session, panel, meeting, voting, all_present)
    session.flush()
    return len(plan)


def _past_decisions(session: Session, panel: Panel, meeting: Meeting, voting: list[int],
                    quorum: QuorumResult) -> None:
    """Each review at a held meeting: a closed named vote, the decision with its tally, and the signed-off
    text frozen as version 1, as if the panel had run the meeting in the app."""
    options = {o.code: o for o in session.scalars(select(VoteOption).where(VoteOption.panel_id == panel.id))}
    chair_id = voting[0]
    at = dt.datetime.combine(meeting.meeting_date, dt.time(11, 0), tzinfo=dt.UTC)
    for item in meeting.agenda_items:
        review = item.review
        if review is None:
            continue
        poll = Poll(agenda_item_id=item.id, status=PollStatus.CLOSED, opened_by_id=chair_id, opened_at=at,
                    closed_by_id=chair_id, closed_at=at, eligible_count=len(voting), quorum_met=True,
                    quorum_summary=quorum.recorded)
        session.add(poll)
        session.flush()
        choices = ["sign_off"] * (len(voting) - 1) + ["sign_off_with_changes"]
        session.add_all(Vote(poll_id=poll.id, member_id=uid, option_id=options[code].id, recorded_by_id=uid,
                             cast_at=at) for uid, code in zip(voting, choices, strict=True))
        tally = [{"option": o.label, "count": choices.count(o.code)} for o in options.values()]
        decision = Decision(poll_id=poll.id, agenda_item_id=item.id, review_id=review.id,
                            outcome=DecisionOutcome.SIGNED_OFF, reasons="", tally=json.dumps(tally),
                            voted_count=len(voting), eligible_count=len(voting), quorum_met=True,
                            quorum_summary=quorum.recorded, decided_by_id=chair_id, decided_at=at)
        session.add(decision)
        session.flush()
        content: list[dict[str, object]] = [{"kind": f.kind.value, "text": f.text, "themes": []}
                                            for f in review.findings]
        session.add(ReviewVersion(review_id=review.id, number=1, kind=VersionKind.SIGNED_OFF,
                                  content=json.dumps(content), decision_id=decision.id, created_by_id=chair_id,
                                  created_at=at))
        append_event(session, panel_id=panel.id, at=at, actor_id=chair_id, action="decision recorded",
                     subject=f"review {review.reference}",
                     description=f"Signed off {DEMO_LABEL}. {quorum.recorded}.")


def _everyone_present(session: Session, panel: Panel, voting: list[int]) -> QuorumResult:
    """The quorum of a past meeting every voting member came to, checked by the rule itself under the panel's
    settings, so the demo's minutes say which roles made it quorate as a real meeting's would."""
    roles: dict[int, set[Role]] = {uid: set() for uid in voting}
    for uid, role in session.execute(select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(voting))):
        roles[uid].add(role)
    rule = panel_rules(session=session, panel_id=panel.id).quorum
    return check_quorum(rule, [Attendee(user_id=uid, roles=frozenset(held), present=True)
                               for uid, held in roles.items()])


def _voting_member_ids(session: Session, panel: Panel) -> list[int]:
    return list(session.scalars(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.panel_id == panel.id, UserRole.role.in_(VOTING_ROLES)).distinct().order_by(User.id)
    ))


def _agenda(reviews: list[FocusedReview], *, decided: bool, quorum_note: str) -> list[AgendaItem]:
    items = [
        *[(kind, title, None) for kind, title in STANDING_ITEMS],
        *[(AgendaItemKind.REVIEW, f"Focused review {r.reference}", r) for r in reviews],
        (AgendaItemKind.ANY_OTHER_BUSINESS, "Any other business", None),
    ]
    return [
        AgendaItem(
            position=n, kind=kind, title=title, review=review,
            status=ItemStatus.DECIDED if decided and review else ItemStatus.PENDING,
            quorum_met=True if decided and review else None,
            quorum_summary=quorum_note if decided and review else None,
        )
        for n, (kind, title, review) in enumerate(items, start=1)
    ]


# Easy Read summaries for the upcoming meeting's reviews, in order. Each passes the Easy Read checker.
EASY_READ_SUMMARIES: tuple[str, ...] = (
    "This review is about a man who died in hospital. He was 55 to 64 years old. "
    "The hospital made a big decision about his care. Nobody asked his family first. "
    "Staff on the ward changed the decision the next day. That was good.",
    "This review is about a woman who lived in supported living. She was 35 to 44 years old. "
    "She took medicine for many years. Nobody checked if she still needed it. "
    "A pharmacist checked all her medicine. That was good.",
    "This review is about a man who lived in a nursing home. He was 65 to 74 years old. "
    "Staff wrote down how to help him in hospital. The hospital ward did not get this. "
    "Staff made him a passport about how he talks. That was good.",
)


def _colour(session: Session, reviews: list[FocusedReview], today: dt.date) -> None:
    """Pre-meeting comments, a pause and a standing interest, so the upcoming meeting has something to run."""
    upcoming = [r for r in reviews if r.status == ReviewStatus.ON_AGENDA]
    for review, easy_read in zip(upcoming, EASY_READ_SUMMARIES, strict=False):
        review.easy_read_summary = easy_read
    ids = {name: _user_id(session, name) for name in ("lived", "lived2", "emlead", "member", "member2")}
    meeting_id = session.scalar(select(AgendaItem.meeting_id).where(AgendaItem.review_id == upcoming[0].id))
    comments = [
        (upcoming[0], "lived", Role.LIVED_EXPERIENCE_MEMBER, "Nobody asked the family before the decision was made."),
        (upcoming[0], "member", None, "The ward put this right quickly, which is good practice to share."),
        (upcoming[1], "lived", Role.LIVED_EXPERIENCE_MEMBER, "The medicine review was clear."),
    ]
    feelings = {("lived", 0): Feeling.WORRIED, ("lived", 1): Feeling.AGREE}
    for review, author, role, body in comments:
        session.add(ReviewComment(review_id=review.id, meeting_id=meeting_id, author_id=ids[author],
                                  stage=CommentStage.BEFORE_MEETING, as_role=role, body=body,
                                  feeling=feelings.get((author, upcoming.index(review))),
                                  supported_by="Pat, support worker" if author == "lived" else None))
    # Jo cannot come to the meeting, so she says now how she would vote; the panel sees it when the vote opens.
    sign_off = session.scalar(select(VoteOption.id).join(User, User.panel_id == VoteOption.panel_id)
                              .where(User.id == ids["lived2"], VoteOption.code == "sign_off"))
    session.add(ReviewComment(review_id=upcoming[1].id, meeting_id=meeting_id, author_id=ids["lived2"],
                              stage=CommentStage.BEFORE_MEETING, as_role=Role.LIVED_EXPERIENCE_MEMBER,
                              body="I cannot come to the meeting. I agree with the review.",
                              vote_option_id=sign_off))
    upcoming[-1].pauses.append(ReviewPause(starts_on=upcoming[-1].notified_on + dt.timedelta(days=20),
                                           ends_on=upcoming[-1].notified_on + dt.timedelta(days=49),
                                           reason=PauseReason.CORONER))
    session.add(RegisteredInterest(user_id=ids["member2"], declared_on=today - dt.timedelta(days=200),
                                   description=f"Employed by Northshire Community Health {DEMO_LABEL}"))
    session.flush()


DEMO_PRIORITIES: tuple[str, ...] = (
    "Fewer deaths from aspiration pneumonia and sepsis",
    "Reasonable adjustments in every hospital and practice",
    "Fair access to screening and health checks for people from ethnic minorities",
)


def _priorities(session: Session, panel: Panel, today: dt.date) -> list[StrategicPriority]:
    """The ICB's 3-year plan, April to March, that actions link to (fictional)."""
    start = dt.date(today.year - (1 if today.month < 4 else 0), 4, 1)
    rows = [StrategicPriority(panel_id=panel.id, title=title, plan_start=start,
                              plan_end=dt.date(start.year + 3, 3, 31)) for title in DEMO_PRIORITIES]
    session.add_all(rows)
    session.flush()
    return rows


def _actions(session: Session, panel: Panel, reviews: list[FocusedReview], today: dt.date) -> int:
    # The first two fall overdue, so the tracker has something to show; the rest are on time or done.
    statuses = [ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED, ActionStatus.COMPLETED, ActionStatus.CLOSED]
    priorities = _priorities(session, panel, today)
    for number, review in enumerate(reviews):
        concern = next(f for f in review.findings if f.kind == FindingKind.CONCERN)
        status = statuses[number % len(statuses)]
        session.add(
            Action(
                panel_id=panel.id,
                review_id=review.id,
                finding_id=concern.id,
                priority_id=priorities[number % len(priorities)].id,
                description=(
                    "Audit eating and drinking plans in 12 supported-living homes with the community "
                    f"learning disability nurses {DEMO_LABEL}."
                ),
                owner_name="Learning disability nurse lead",
                owner_organisation="Northshire Community Health (fictional)",
                owner_agreed=True,
                measure="Audit report showing the share of homes with a current plan.",
                evidence="Audit report received by the panel." if status in (ActionStatus.COMPLETED,
                                                                             ActionStatus.CLOSED) else "",
                due_on=today + dt.timedelta(days=30 * (number - 2)),
                status=status,
            )
        )
    session.flush()
    _completion_updates(session, panel, today)
    return len(reviews)


def _completion_updates(session: Session, panel: Panel, today: dt.date) -> None:
    """A dated 'completed' update for each action that is done, as the tracker would have recorded it, so
    the insight page can say which were done by their due date. Alternate ones finish a week late."""
    lead = session.scalars(select(User.id).where(User.panel_id == panel.id, User.username == "admin")).one()
    done = session.scalars(select(Action).where(Action.panel_id == panel.id,
                                                Action.status.in_((ActionStatus.COMPLETED, ActionStatus.CLOSED)))
                           .order_by(Action.id)).all()
    for n, action in enumerate(done):
        finished = min(action.due_on + dt.timedelta(days=7 if n % 2 else -7), today - dt.timedelta(days=1))
        session.add(ActionUpdate(action_id=action.id, by_id=lead, status=ActionStatus.COMPLETED,
                                 at=dt.datetime.combine(finished, dt.time(15, 0), tzinfo=dt.UTC),
                                 note=f"Completed: the audit report was received {DEMO_LABEL}."))


DEMO_NARRATIVES = {
    AgendaItemKind.WELCOME: "The chair welcomed members and thanked the lived-experience members for their "
                            "preparation. Introductions were made.",
    AgendaItemKind.REVIEW: "The reviewer presented the review. Members asked how the learning would reach "
                           "staff on the wards. The lived-experience members said the findings matched what "
                           "families tell them.",
    AgendaItemKind.ANY_OTHER_BUSINESS: "There was no other business.",
}


def _approved_minutes(session: Session, panel: Panel) -> None:
    """The oldest meeting's minutes as the panel approved them at the next meeting: narrative per item,
    frozen as version 1. The held meeting's minutes are left to write; the demo panel's rules let the chair
    approve minutes between meetings, so the whole workflow can be tried."""
    from features.minutes.minutes import build_minutes
    from features.minutes.workflow import freeze_approved
    from features.people.actors import load_actor

    first, second = session.scalars(select(Meeting).where(Meeting.panel_id == panel.id)
                                    .order_by(Meeting.meeting_date).limit(2)).all()
    secretariat = load_actor(session=session, username="admin")
    at = dt.datetime.combine(first.meeting_date, dt.time(17, 0), tzinfo=dt.UTC)
    session.add_all(MinutesNarrative(agenda_item_id=item.id, text=DEMO_NARRATIVES[item.kind],
                                     updated_by_id=secretariat.user_id, updated_at=at)
                    for item in first.agenda_items if item.kind in DEMO_NARRATIVES)
    session.flush()
    minutes = build_minutes(session=session, actor=secretariat, meeting_id=first.id, today=first.meeting_date)
    how = f"Approved at the meeting on {long_date(second.meeting_date)}"
    approved_at = dt.datetime.combine(second.meeting_date, dt.time(10, 15), tzinfo=dt.UTC)
    freeze_approved(session, minutes, meeting_id=first.id, how=how, recorded_by=secretariat, at=approved_at)
    session.add(MinutesRecord(meeting_id=first.id, status=MinutesStatus.APPROVED, circulated_at=at,
                              circulated_by_id=secretariat.user_id, approved_at=approved_at,
                              approved_by_id=_user_id(session, "chair"), approval_route=ApprovalRoute.AT_MEETING,
                              approved_at_meeting_id=second.id))
    append_event(session, panel_id=panel.id, at=approved_at, actor_id=secretariat.user_id,
                 action="minutes approved", subject=f"meeting {first.id}",
                 description=f"{how}: the minutes of {first.title}. They are now locked.")
    settings = session.get_one(PanelSettings, panel.id)
    settings.chair_may_approve_minutes = True
    session.flush()
