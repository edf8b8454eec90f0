"""Typed SQLAlchemy 2.0 models. Every record belongs to one ICB's governance panel (tenancy).

Reviews are pseudonymised: no name, NHS number, date of birth or address of the person who died is
ever stored here, only a reference such as LDR-2026-0147, an age band and a setting type.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from rules.vocabulary import (  # the enums are rules' vocabulary; imported here so db.models.Role still works
    ActionStatus,
    AgendaItemKind,
    ApprovalRoute,
    AttendanceStatus,
    CommentStage,
    DecisionOutcome,
    DeclarationOutcome,
    EscalationStatus,
    Feeling,
    FindingKind,
    ItemStatus,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    PauseReason,
    PollStatus,
    ReviewStatus,
    Role,
    VersionKind,
    VoteMode,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
created_at = Annotated[
    dt.datetime, mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Store enums as their readable values in a VARCHAR with a CHECK: portable to SQLite and PostgreSQL."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Icb(Base):
    """An integrated care board: the tenant. Each has one LeDeR governance panel."""

    __tablename__ = "icbs"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    panels: Mapped[list[Panel]] = relationship(back_populates="icb")

    def __repr__(self) -> str:
        return f"Icb(id={self.id!r}, code={self.code!r})"


class Panel(Base):
    __tablename__ = "panels"

    id: Mapped[intpk]
    icb_id: Mapped[int] = mapped_column(ForeignKey("icbs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    icb: Mapped[Icb] = relationship(back_populates="panels")

    def __repr__(self) -> str:
        return f"Panel(id={self.id!r}, name={self.name!r})"


class PanelSettings(Base):
    """Local rules (not set nationally), edited by the secretariat: quorum, checkpoint and clock."""

    __tablename__ = "panel_settings"

    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), primary_key=True)
    quorum_min_voting_members: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    quorum_require_chair_or_vice: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    quorum_min_lived_experience: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    quorum_require_em_lead: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    require_em_lead_view: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    clock_target_months: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    clock_amber_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # Pre-meeting views of members who sent apologies are always shown; counting them as votes is a choice.
    count_apology_views: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The line printed at the top of every page of exported minutes.
    protective_marking: Mapped[str] = mapped_column(String(100), default="OFFICIAL-SENSITIVE",
                                                    server_default="OFFICIAL-SENSITIVE")
    # Minutes are approved at the next meeting; some panels' terms of reference let the chair approve them.
    chair_may_approve_minutes: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version_id}


class Theme(Base):
    """A learning theme (national list to start with); data the secretariat edits, never a constant."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("panel_id", "name"),)

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class User(Base):
    """A person who signs in. Passwords are bcrypt hashes; roles live in user_roles."""

    __tablename__ = "users"

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[created_at]
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Logging out ends every session the person has: a sign-in cookie issued before this moment is refused,
    # even if someone copied it.
    sessions_valid_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Reading preferences, kept with the person so they follow them to any computer.
    larger_text: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    high_contrast: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    fewer_things: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    live_updates: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    panel: Mapped[Panel] = relationship()
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, username={self.username!r})"


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    user: Mapped[User] = relationship(back_populates="roles")


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    meeting_date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    location: Mapped[str | None] = mapped_column(String(200))
    online_link: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus, "meeting_status"), default=MeetingStatus.PLANNED
    )
    current_position: Mapped[int | None] = mapped_column(Integer)
    # Calendar invites (.ics): the sequence rises with each change a member's calendar must take in.
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[MeetingKind] = mapped_column(
        str_enum(MeetingKind, "meeting_kind"), default=MeetingKind.MEETING, server_default=MeetingKind.MEETING.value,
        index=True,
    )
    # A circulation only: when answers stop (stored in UTC) and how many answers it needs to be decided.
    deadline_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    min_responses: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[created_at]
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"Meeting(id={self.id!r}, date={self.meeting_date!r})"


class FocusedReview(Base):
    """A focused review, known only by its pseudonymised reference."""

    __tablename__ = "focused_reviews"
    __table_args__ = (UniqueConstraint("panel_id", "reference"),)

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    reference: Mapped[str] = mapped_column(String(32))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    senior_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    easy_read_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    age_band: Mapped[str] = mapped_column(String(16))
    setting_type: Mapped[str] = mapped_column(String(100), default="")
    ethnic_minority: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notified_on: Mapped[dt.date] = mapped_column(Date)
    presented_on: Mapped[dt.date | None] = mapped_column(Date)
    finished_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, "review_status"), default=ReviewStatus.IN_PROGRESS
    )
    created_at: Mapped[created_at]
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    senior_reviewer: Mapped[User | None] = relationship(foreign_keys=[senior_reviewer_id])
    findings: Mapped[list[ReviewFinding]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewFinding.position"
    )
    pauses: Mapped[list[ReviewPause]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewPause.starts_on"
    )

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"FocusedReview(id={self.id!r}, reference={self.reference!r})"


class ReviewFinding(Base):
    """One area of learning, of good practice or of concern from a focused review."""

    __tablename__ = "review_findings"

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(
        ForeignKey("focused_reviews.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FindingKind] = mapped_column(str_enum(FindingKind, "finding_kind"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    review: Mapped[FocusedReview] = relationship(back_populates="findings")
    themes: Mapped[list[Theme]] = relationship(secondary="finding_themes", order_by="Theme.position")


class FindingTheme(Base):
    __tablename__ = "finding_themes"

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("review_findings.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), primary_key=True, index=True)


class ReviewPause(Base):
    """A period when the clock stops while another process (inquest, police, safeguarding) runs."""

    __tablename__ = "review_pauses"

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(
        ForeignKey("focused_reviews.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[PauseReason] = mapped_column(str_enum(PauseReason, "pause_reason"))
    review: Mapped[FocusedReview] = relationship(back_populates="pauses")


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[AgendaItemKind] = mapped_column(str_enum(AgendaItemKind, "agenda_item_kind"))
    title: Mapped[str] = mapped_column(String(200))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("focused_reviews.id"), index=True)
    status: Mapped[ItemStatus] = mapped_column(
        str_enum(ItemStatus, "item_status"), default=ItemStatus.PENDING, server_default="pending"
    )
    # The quorum as checked when the chair declared the item ready for the vote, kept for the minutes.
    quorum_met: Mapped[bool | None] = mapped_column(Boolean)
    quorum_summary: Mapped[str | None] = mapped_column(Text)
    quorum_checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    review: Mapped[FocusedReview | None] = relationship()
    declarations: Mapped[list[ItemDeclaration]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemDeclaration.id"
    )

    __mapper_args__ = {"version_id_col": version_id}


class Attendance(Base):
    """One person's attendance at one meeting. Capacity (voting member, observer, in attendance) follows
    from their roles, so it is derived, not stored."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        UniqueConstraint("meeting_id", "deputy_for_user_id"),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus, "attendance_status"))
    deputy_for_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version_id}


class RegisteredInterest(Base):
    """A standing entry in the register of interests (e.g. 'employed by Provider X')."""

    __tablename__ = "registered_interests"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    declared_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)


class ItemDeclaration(Base):
    """A declaration made on one agenda item and what the chair decided: declared only, or recused."""

    __tablename__ = "item_declarations"
    __table_args__ = (UniqueConstraint("agenda_item_id", "user_id"),)

    id: Mapped[intpk]
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    interest: Mapped[str] = mapped_column(Text)
    outcome: Mapped[DeclarationOutcome] = mapped_column(str_enum(DeclarationOutcome, "declaration_outcome"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[created_at]
    item: Mapped[AgendaItem] = relationship(back_populates="declarations")


class ReviewComment(Base):
    """A member's comment on a review, before or during the meeting.

    `as_role` keeps the capacity the author spoke in (lived-experience member, ethnic minority lead or
    their deputy), so the panel sees those voices as their own section and the checkpoint can be met.
    """

    __tablename__ = "review_comments"

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(ForeignKey("focused_reviews.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[CommentStage] = mapped_column(str_enum(CommentStage, "comment_stage"))
    as_role: Mapped[Role | None] = mapped_column(str_enum(Role, "comment_role"))
    as_deputy: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    body: Mapped[str] = mapped_column(Text)
    # How the member would vote, given before the meeting (shown when the poll opens if they sent apologies).
    vote_option_id: Mapped[int | None] = mapped_column(ForeignKey("vote_options.id"))
    feeling: Mapped[Feeling | None] = mapped_column(str_enum(Feeling, "feeling"))
    supported_by: Mapped[str | None] = mapped_column(String(200))  # "someone helped me": the helper's name
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[created_at]


class Action(Base):
    """An action agreed by the panel. The owner may sit outside the panel, so it is a name, not a user."""

    __tablename__ = "actions"

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("focused_reviews.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_name: Mapped[str] = mapped_column(String(200))
    owner_organisation: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "action_status"), default=ActionStatus.NOT_STARTED
    )
    created_at: Mapped[created_at]
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    # The SMART builder's fields: the finding it answers, the ICB priority it feeds, the owner's agreement.
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("review_findings.id", ondelete="SET NULL"))
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_priorities.id"))
    owner_agreed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    evidence: Mapped[str] = mapped_column(Text, default="", server_default="")  # needed to mark it completed

    review: Mapped[FocusedReview] = relationship()
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.at"
    )

    __mapper_args__ = {"version_id_col": version_id}


class StrategicPriority(Base):
    """One of the ICB's strategic priorities, with the plan period it belongs to (e.g. 2025 to 2028)."""

    __tablename__ = "strategic_priorities"

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    plan_start: Mapped[dt.date] = mapped_column(Date)
    plan_end: Mapped[dt.date] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ActionUpdate(Base):
    """A dated note on an action by a named person: progress, a status change, or a new date with reason."""

    __tablename__ = "action_updates"

    id: Mapped[intpk]
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[ActionStatus | None] = mapped_column(str_enum(ActionStatus, "update_action_status"))
    new_due_on: Mapped[dt.date | None] = mapped_column(Date)

    action: Mapped[Action] = relationship(back_populates="updates")


class Escalation(Base):
    """A concern or an action the panel escalates to the regional coordinator, and what came back."""

    __tablename__ = "escalations"

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("focused_reviews.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    escalated_on: Mapped[dt.date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(Text)
    to_whom: Mapped[str] = mapped_column(String(200))
    status: Mapped[EscalationStatus] = mapped_column(str_enum(EscalationStatus, "escalation_status"),
                                                     default=EscalationStatus.OPEN)
    response: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version_id}


class JargonTerm(Base):
    """A word the Easy Read checker flags, with the plain words to use instead. The panel's own list."""

    __tablename__ = "jargon_terms"
    __table_args__ = (UniqueConstraint("panel_id", "term"),)

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    term: Mapped[str] = mapped_column(String(100))
    plain: Mapped[str] = mapped_column(String(300))


class VoteOption(Base):
    """One answer a panel offers on sign-off, with a plain meaning. Panel configuration, not code."""

    __tablename__ = "vote_options"
    __table_args__ = (UniqueConstraint("panel_id", "code"),)

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    meaning: Mapped[str] = mapped_column(String(300))
    requires_reason: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Poll(Base):
    """The sign-off vote on one agenda item. The chair opens and closes it; results show only when closed."""

    __tablename__ = "polls"
    __table_args__ = (UniqueConstraint("agenda_item_id", "round"),)

    id: Mapped[intpk]
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[PollStatus] = mapped_column(str_enum(PollStatus, "poll_status"), default=PollStatus.OPEN)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    eligible_count: Mapped[int | None] = mapped_column(Integer)  # fixed when the poll closes
    quorum_met: Mapped[bool | None] = mapped_column(Boolean)  # the quorum at the moment the poll closed
    quorum_summary: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version_id}


class Vote(Base):
    """One member's vote in one poll. The unique constraint, not the page, guarantees one row per member:
    double clicks, two tabs and reruns change this row instead of adding another."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("poll_id", "member_id"),)

    id: Mapped[intpk]
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Empty in anonymous polls: the choice is in AnonymousBallot, with nothing that leads back to the member.
    option_id: Mapped[int | None] = mapped_column(ForeignKey("vote_options.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[VoteMode] = mapped_column(str_enum(VoteMode, "vote_mode"), default=VoteMode.OWN_DEVICE)
    supported_by: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cast_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AnonymousBallot(Base):
    """A choice in an anonymous poll. No member, no time and a random key, so it cannot be linked to the
    Vote row that records who has voted."""

    __tablename__ = "anonymous_ballots"
    # Without SQLite's hidden rowid, rows are kept in the order of their random keys, not the order of voting.
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), index=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("vote_options.id"))
    reason: Mapped[str] = mapped_column(Text, default="")


class Decision(Base):
    """The panel's decision on a review, stored with the tally and the quorum when the vote closed.
    Append-only: the database refuses UPDATE and DELETE."""

    __tablename__ = "decisions"

    id: Mapped[intpk]
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), unique=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("focused_reviews.id"), index=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(str_enum(DecisionOutcome, "decision_outcome"))
    reasons: Mapped[str] = mapped_column(Text, default="")
    tally: Mapped[str] = mapped_column(Text)  # JSON: [{"option": label, "count": n}, ...]
    voted_count: Mapped[int] = mapped_column(Integer)
    eligible_count: Mapped[int] = mapped_column(Integer)
    quorum_met: Mapped[bool] = mapped_column(Boolean)
    quorum_summary: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReviewVersion(Base):
    """A frozen copy of a review's findings: the signed-off text, then each later amendment with its reason.
    Append-only: the database refuses UPDATE and DELETE, so nobody can edit a signed-off version in place."""

    __tablename__ = "review_versions"
    __table_args__ = (UniqueConstraint("review_id", "number"),)

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(ForeignKey("focused_reviews.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[VersionKind] = mapped_column(str_enum(VersionKind, "version_kind"))
    content: Mapped[str] = mapped_column(Text)  # JSON: [{"kind": ..., "text": ..., "themes": [...]}, ...]
    reason: Mapped[str] = mapped_column(Text, default="")
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """One line of the append-only audit log: who did what, when, in plain words. The database refuses
    UPDATE and DELETE on this table."""

    __tablename__ = "audit_events"

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64))  # e.g. "poll 12", "review LDR-2026-0109"
    description: Mapped[str] = mapped_column(Text)
    # Tamper evidence: each entry's hash covers its own fields and the previous entry's hash, so editing or
    # removing a row breaks the chain from there on (`manage.py verify-audit` finds the first broken link).
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)


class SignInThrottle(Base):
    """Recent failed sign-ins per username (known or not, so nothing tells which usernames exist).
    Failures slow further attempts for a while; they never lock an account for good."""

    __tablename__ = "sign_in_throttle"

    username_key: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MinutesRecord(Base):
    """Where a meeting's minutes are in their workflow: draft, circulated for comment, approved (locked)."""

    __tablename__ = "minutes_records"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    status: Mapped[MinutesStatus] = mapped_column(str_enum(MinutesStatus, "minutes_status"),
                                                  default=MinutesStatus.DRAFT)
    circulated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    circulated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_route: Mapped[ApprovalRoute | None] = mapped_column(str_enum(ApprovalRoute, "approval_route"))
    approved_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version_id}


class MinutesNarrative(Base):
    """What the secretariat writes for one agenda item: the discussion, in their words."""

    __tablename__ = "minutes_narratives"

    id: Mapped[intpk]
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version_id}


class MinutesVersion(Base):
    """The approved minutes, frozen; then each correction as a new version with its reason.
    Append-only: the database refuses UPDATE and DELETE."""

    __tablename__ = "minutes_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)  # JSON of the minutes as approved or corrected
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class MinutesComment(Base):
    """A panel member's comment on circulated draft minutes, for the secretariat to act on."""

    __tablename__ = "minutes_comments"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class NoticeRead(Base):
    """A notice a person has marked as read. Notices themselves are worked out afresh from the records
    (what is open, due or waiting); only "I have seen this" is stored, one row per person and notice."""

    __tablename__ = "notice_reads"
    __table_args__ = (UniqueConstraint("user_id", "notice_key"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    notice_key: Mapped[str] = mapped_column(String(80))
    read_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class OutgoingEmail(Base):
    """An email waiting to go, sent, or given up on: the outbox. A message is queued in the same transaction
    as what it tells of, and sent afterwards, so a mail server that is down never blocks a vote or loses a
    notice; sends are retried with a growing wait and each failure is kept."""

    __tablename__ = "outgoing_emails"

    id: Mapped[intpk]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # One message per reason: "circulation-<id>-<user>", "digest-<user>-<day>"; a second queueing is a no-op.
    reason: Mapped[str] = mapped_column(String(80), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    given_up_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


APPEND_ONLY_TABLES = ("audit_events", "decisions", "review_versions", "minutes_versions")
