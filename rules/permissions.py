"""The permission matrix: which role may do what. Every service checks it; pages only hide controls."""

from __future__ import annotations

import enum

from rules.actors import Actor
from rules.errors import NotAllowed
from rules.vocabulary import Role


class Permission(enum.StrEnum):
    VIEW_HOME = "view_home"
    VIEW_MEETINGS = "view_meetings"
    VIEW_REVIEWS = "view_reviews"
    VIEW_ACTIONS = "view_actions"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_MEETINGS = "manage_meetings"
    RUN_MEETING = "run_meeting"
    EDIT_REVIEW = "edit_review"
    COMMENT = "comment"
    DECLARE_INTEREST = "declare_interest"
    VOTE = "vote"
    RECORD_DECISION = "record_decision"
    CIRCULATE = "circulate"
    AMEND_SIGNED_OFF = "amend_signed_off"
    VIEW_AUDIT = "view_audit"
    VIEW_EM_LEAD = "view_em_lead"
    MANAGE_ACTIONS = "manage_actions"
    EDIT_MINUTES = "edit_minutes"
    APPROVE_MINUTES = "approve_minutes"
    EXPORT = "export"
    IMPORT_REVIEWS = "import_reviews"


_EVERYONE = frozenset(Role)
_CASE_READERS = _EVERYONE - {Role.OBSERVER}
_VOTING = frozenset(
    {Role.CHAIR, Role.VICE_CHAIR, Role.PANEL_MEMBER, Role.LIVED_EXPERIENCE_MEMBER, Role.ETHNIC_MINORITY_LEAD}
)

ALLOWED_ROLES: dict[Permission, frozenset[Role]] = {
    Permission.VIEW_HOME: _EVERYONE,
    Permission.VIEW_MEETINGS: _EVERYONE,
    # Observers watch the meeting but do not read case detail (Caldicott: need to know).
    Permission.VIEW_REVIEWS: _CASE_READERS,
    Permission.VIEW_ACTIONS: _CASE_READERS,
    Permission.MANAGE_USERS: frozenset({Role.SECRETARIAT}),
    Permission.MANAGE_SETTINGS: frozenset({Role.SECRETARIAT}),
    # The secretariat builds agendas and moves meetings along; chairs may too.
    Permission.MANAGE_MEETINGS: frozenset({Role.SECRETARIAT, Role.CHAIR, Role.VICE_CHAIR}),
    # In the room: attendance, declarations, the current item, "ready for vote".
    Permission.RUN_MEETING: frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT}),
    Permission.EDIT_REVIEW: frozenset({Role.REVIEWER, Role.SECRETARIAT}),
    Permission.COMMENT: _VOTING,
    Permission.DECLARE_INTEREST: _CASE_READERS,
    Permission.VOTE: _VOTING,
    # The chair (or vice chair in the chair) records what the panel decided; the secretariat writes it up.
    Permission.RECORD_DECISION: frozenset({Role.CHAIR, Role.VICE_CHAIR}),
    # Between meetings the chair (or vice chair) sends reviews to members for a decision by circulation.
    Permission.CIRCULATE: frozenset({Role.CHAIR, Role.VICE_CHAIR}),
    # A signed-off review changes only as a new, reasoned version: by its reviewer or the secretariat.
    Permission.AMEND_SIGNED_OFF: frozenset({Role.REVIEWER, Role.SECRETARIAT}),
    Permission.VIEW_AUDIT: frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT}),
    # The lead's own page; the chair and secretariat read it to see what is waiting for the lead.
    Permission.VIEW_EM_LEAD: frozenset({Role.ETHNIC_MINORITY_LEAD, Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT}),
    # The chair agrees actions with the reviewer in the meeting; the secretariat keeps the tracker.
    Permission.MANAGE_ACTIONS: frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT, Role.REVIEWER}),
    # The secretariat writes the minutes up with the chair; the chair (or vice chair) approves them.
    Permission.EDIT_MINUTES: frozenset({Role.SECRETARIAT, Role.CHAIR, Role.VICE_CHAIR}),
    Permission.APPROVE_MINUTES: frozenset({Role.CHAIR, Role.VICE_CHAIR}),
    # Word minutes and the action log as a spreadsheet leave the app: not for observers (no case detail).
    Permission.EXPORT: _CASE_READERS,
    # Loading the review platform's export: the secretariat keeps the panel's records.
    Permission.IMPORT_REVIEWS: frozenset({Role.SECRETARIAT}),
}


def allows(actor: Actor, permission: Permission) -> bool:
    return bool(actor.roles & ALLOWED_ROLES[permission])


def require(actor: Actor, permission: Permission) -> None:
    """Raise NotAllowed unless one of the actor's roles carries the permission."""
    if not allows(actor, permission):
        raise NotAllowed("Your role on the panel does not allow this. Ask the secretariat if you need it.")


PERMISSION_WORDS: dict[Permission, str] = {
    Permission.VIEW_HOME: "See the home page",
    Permission.VIEW_MEETINGS: "See meetings and the minutes' progress",
    Permission.VIEW_REVIEWS: "Read case detail (focused reviews)",
    Permission.VIEW_ACTIONS: "Read the action tracker",
    Permission.MANAGE_USERS: "Manage people and roles",
    Permission.MANAGE_SETTINGS: "Change the panel's settings",
    Permission.MANAGE_MEETINGS: "Plan meetings and agendas",
    Permission.RUN_MEETING: "Run the meeting: attendance, items, open and close votes",
    Permission.EDIT_REVIEW: "Write and edit a review",
    Permission.COMMENT: "Comment on a review",
    Permission.DECLARE_INTEREST: "Declare an interest",
    Permission.VOTE: "Vote on sign-off",
    Permission.RECORD_DECISION: "Record the panel's decision",
    Permission.CIRCULATE: "Send reviews for a decision by circulation",
    Permission.AMEND_SIGNED_OFF: "Amend a signed-off review (new version)",
    Permission.VIEW_AUDIT: "Read the audit log",
    Permission.VIEW_EM_LEAD: "Use the ethnic minority lead's page",
    Permission.MANAGE_ACTIONS: "Agree and update actions",
    Permission.EDIT_MINUTES: "Write and circulate minutes",
    Permission.APPROVE_MINUTES: "Approve minutes",
    Permission.EXPORT: "Export minutes and the action log",
    Permission.IMPORT_REVIEWS: "Import reviews from the review platform's export",
}


def matrix_markdown() -> str:
    """The matrix as a Markdown table for docs/security.md, made from ALLOWED_ROLES so they never differ."""
    roles = list(Role)
    header = "| Action | " + " | ".join(r.value.replace("_", " ") for r in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = [f"| {PERMISSION_WORDS[p]} | " + " | ".join("yes" if r in ALLOWED_ROLES[p] else "no" for r in roles) + " |"
            for p in Permission]
    return "\n".join([header, rule, *rows])
