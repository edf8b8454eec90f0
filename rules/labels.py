"""Words for stored codes, so every page and export says the same thing in plain British English."""

from __future__ import annotations

from rules.vocabulary import (
    ActionStatus,
    AttendanceStatus,
    DecisionOutcome,
    DeclarationOutcome,
    Feeling,
    FindingKind,
    ItemStatus,
    MeetingStatus,
    PauseReason,
    ReviewStatus,
    VoteMode,
)

MEETING_STATUS_LABELS: dict[MeetingStatus, str] = {
    MeetingStatus.PLANNED: "Planned",
    MeetingStatus.PAPERS_CIRCULATED: "Papers circulated",
    MeetingStatus.IN_PROGRESS: "In progress",
    MeetingStatus.HELD: "Held, minutes to write",
    MeetingStatus.MINUTES_DRAFTED: "Minutes drafted",
    MeetingStatus.MINUTES_APPROVED: "Minutes approved",
    MeetingStatus.CANCELLED: "Cancelled",
}

REVIEW_STATUS_LABELS: dict[ReviewStatus, str] = {
    ReviewStatus.IN_PROGRESS: "Review in progress",
    ReviewStatus.READY_FOR_PANEL: "Ready for panel",
    ReviewStatus.ON_AGENDA: "On a meeting agenda",
    ReviewStatus.SIGNED_OFF: "Signed off",
    ReviewStatus.RETURNED: "Returned to reviewer",
    ReviewStatus.ESCALATED: "Escalated to the regional coordinator",
}

DECISION_OUTCOME_LABELS: dict[DecisionOutcome, str] = {
    DecisionOutcome.SIGNED_OFF: "Signed off",
    DecisionOutcome.SIGNED_OFF_WITH_AMENDMENTS: "Signed off with amendments",
    DecisionOutcome.RETURNED: "Returned to the reviewer",
    DecisionOutcome.ESCALATED: "Escalated to the regional coordinator",
}

VOTE_MODE_LABELS: dict[VoteMode, str] = {
    VoteMode.OWN_DEVICE: "On their own",
    VoteMode.SUPPORTER: "With a supporter",
    VoteMode.RECORDED_BY_SECRETARIAT: "Given to the chair or secretariat (in the room or by phone)",
}

FINDING_KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.LEARNING: "Area of learning",
    FindingKind.GOOD_PRACTICE: "Good practice",
    FindingKind.CONCERN: "Area of concern",
}

ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.COMPLETED: "Completed",
    ActionStatus.CLOSED: "Closed by the panel",
}

PAUSE_REASON_LABELS: dict[PauseReason, str] = {
    PauseReason.CORONER: "Coroner's inquest",
    PauseReason.POLICE: "Police investigation",
    PauseReason.SAFEGUARDING: "Safeguarding adults review",
    PauseReason.OTHER: "Another process",
}

ATTENDANCE_LABELS: dict[AttendanceStatus, str] = {
    AttendanceStatus.PRESENT_IN_PERSON: "Present in the room",
    AttendanceStatus.PRESENT_REMOTE: "Present online",
    AttendanceStatus.APOLOGIES: "Sent apologies",
    AttendanceStatus.ABSENT: "Absent",
}

ITEM_STATUS_LABELS: dict[ItemStatus, str] = {
    ItemStatus.PENDING: "Not started",
    ItemStatus.IN_DISCUSSION: "In discussion",
    ItemStatus.READY_FOR_VOTE: "Ready for the vote",
    ItemStatus.DECIDED: "Decided",
    ItemStatus.DEFERRED: "Deferred",
}

DECLARATION_OUTCOME_LABELS: dict[DeclarationOutcome, str] = {
    DeclarationOutcome.DECLARED_ONLY: "Declared, stays in the discussion",
    DeclarationOutcome.RECUSED: "Stepped out of this item",
}

# The words are the accessible label; each has a short meaning shown under it.
FEELING_LABELS: dict[Feeling, str] = {
    Feeling.AGREE: "I agree",
    Feeling.UNSURE: "I am not sure",
    Feeling.WORRIED: "I am worried",
}
FEELING_MEANINGS: dict[Feeling, str] = {
    Feeling.AGREE: "The review is good.",
    Feeling.UNSURE: "I have a question about the review.",
    Feeling.WORRIED: "Something in the review worries me.",
}
