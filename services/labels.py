"""Words for stored codes, so every page and export says the same thing in plain British English."""

from __future__ import annotations

from db.models import ActionStatus, FindingKind, MeetingStatus, ReviewStatus

MEETING_STATUS_LABELS: dict[MeetingStatus, str] = {
    MeetingStatus.PLANNED: "Planned",
    MeetingStatus.PAPERS_CIRCULATED: "Papers circulated",
    MeetingStatus.IN_PROGRESS: "In progress",
    MeetingStatus.HELD: "Held, minutes to write",
    MeetingStatus.MINUTES_DRAFTED: "Minutes drafted",
    MeetingStatus.MINUTES_APPROVED: "Minutes approved",
}

REVIEW_STATUS_LABELS: dict[ReviewStatus, str] = {
    ReviewStatus.IN_PROGRESS: "Review in progress",
    ReviewStatus.READY_FOR_PANEL: "Ready for panel",
    ReviewStatus.ON_AGENDA: "On a meeting agenda",
    ReviewStatus.SIGNED_OFF: "Signed off",
    ReviewStatus.RETURNED: "Returned to reviewer",
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
