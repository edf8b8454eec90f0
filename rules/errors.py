"""The small family of errors a service raises; each message is written for the person using the app."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: str(error) is safe and useful to show to the user."""


class NotAllowed(DomainError):
    """The acting user's role or ICB does not permit this."""


class NotFound(DomainError):
    """The record does not exist, or belongs to another ICB (we do not say which)."""


class Conflict(DomainError):
    """Someone else changed the record, or it clashes with one that exists."""


class Invalid(DomainError):
    """The input breaks a rule; the message says how to fix it."""


def changed_by_someone_else(what: str) -> Conflict:
    """The one wording for a lost race or a stale form: 'Someone else changed this review. Reload …'."""
    return Conflict(f"Someone else changed {what}. Reload the page and try again.")
