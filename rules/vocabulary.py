"""The codes the panel's records use (roles, statuses, outcomes). Plain enums, so rules can speak of them
without the database; db/models.py stores them and labels.py gives them words."""

from __future__ import annotations

import enum
import re


class Role(enum.StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    PANEL_MEMBER = "panel_member"
    LIVED_EXPERIENCE_MEMBER = "lived_experience_member"
    ETHNIC_MINORITY_LEAD = "ethnic_minority_lead"
    REVIEWER = "reviewer"
    SECRETARIAT = "secretariat"
    OBSERVER = "observer"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    PAPERS_CIRCULATED = "papers_circulated"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    MINUTES_DRAFTED = "minutes_drafted"
    MINUTES_APPROVED = "minutes_approved"
    CANCELLED = "cancelled"  # before it was held; its reviews go back to "ready for the panel"


class MeetingKind(enum.StrEnum):
    """A meeting the panel sits in, or a decision by circulation: reviews sent to members to vote on by a
    deadline. Both keep the same agenda items, polls, votes and decisions."""

    MEETING = "meeting"
    CIRCULATION = "circulation"


class ReviewStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    READY_FOR_PANEL = "ready_for_panel"
    ON_AGENDA = "on_agenda"
    SIGNED_OFF = "signed_off"
    RETURNED = "returned"
    ESCALATED = "escalated"


class FindingKind(enum.StrEnum):
    LEARNING = "learning"
    GOOD_PRACTICE = "good_practice"
    CONCERN = "concern"


class AgendaItemKind(enum.StrEnum):
    WELCOME = "welcome"
    DECLARATIONS = "declarations"
    PREVIOUS_MINUTES = "previous_minutes"
    REVIEW = "review"
    ANY_OTHER_BUSINESS = "any_other_business"


class PauseReason(enum.StrEnum):
    CORONER = "coroner"
    POLICE = "police"
    SAFEGUARDING = "safeguarding"
    OTHER = "other"


class AttendanceStatus(enum.StrEnum):
    PRESENT_IN_PERSON = "present_in_person"
    PRESENT_REMOTE = "present_remote"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class ItemStatus(enum.StrEnum):
    PENDING = "pending"
    IN_DISCUSSION = "in_discussion"
    READY_FOR_VOTE = "ready_for_vote"
    DECIDED = "decided"
    DEFERRED = "deferred"


class DeclarationOutcome(enum.StrEnum):
    DECLARED_ONLY = "declared_only"
    RECUSED = "recused"


class Feeling(enum.StrEnum):
    """The three Easy Read answers a member gives with a comment."""

    AGREE = "agree"
    UNSURE = "unsure"
    WORRIED = "worried"


class CommentStage(enum.StrEnum):
    BEFORE_MEETING = "before_meeting"
    DURING_MEETING = "during_meeting"


class PollStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class VoteMode(enum.StrEnum):
    OWN_DEVICE = "own_device"
    SUPPORTER = "supporter"  # a supporter pressed the buttons at the member's direction
    RECORDED_BY_SECRETARIAT = "recorded_by_secretariat"  # e.g. a vote given by phone


class DecisionOutcome(enum.StrEnum):
    """What the panel decided on a review, recorded by the chair after the vote closes."""

    SIGNED_OFF = "signed_off"
    SIGNED_OFF_WITH_AMENDMENTS = "signed_off_with_amendments"
    RETURNED = "returned"
    ESCALATED = "escalated"


class VersionKind(enum.StrEnum):
    SIGNED_OFF = "signed_off"
    AMENDMENT = "amendment"


class MinutesStatus(enum.StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"  # approved minutes are locked: a correction is a new version with its reason


class ApprovalRoute(enum.StrEnum):
    AT_MEETING = "at_meeting"
    BY_CHAIR = "by_chair"


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"


class EscalationStatus(enum.StrEnum):
    OPEN = "open"
    RESPONDED = "responded"
    CLOSED = "closed"


# A review is known only by its pseudonymised reference, never by the person's name.
REFERENCE_PATTERN = re.compile(r"^LDR-\d{4}-\d{4}$")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+", "Under 18")
