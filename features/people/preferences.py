"""Reading preferences, saved with each person: larger text, high contrast, fewer things on the page, and
whether counts may update by themselves (off unless the person turns it on)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.models import User
from rules.actors import Actor
from rules.errors import NotFound


@dataclass(frozen=True)
class ReadingPreferences:
    larger_text: bool = False
    high_contrast: bool = False
    fewer_things: bool = False
    live_updates: bool = False


def _me(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id)
    if user is None or user.panel_id != actor.panel_id:
        raise NotFound("Your account could not be found. Sign in again.")
    return user


def reading_preferences(*, session: Session, actor: Actor) -> ReadingPreferences:
    user = _me(session, actor)
    return ReadingPreferences(user.larger_text, user.high_contrast, user.fewer_things, user.live_updates)


def save_reading_preferences(*, session: Session, actor: Actor, preferences: ReadingPreferences) -> None:
    """Everyone may set their own, and only their own (the actor is the person signed in)."""
    user = _me(session, actor)
    user.larger_text = preferences.larger_text
    user.high_contrast = preferences.high_contrast
    user.fewer_things = preferences.fewer_things
    user.live_updates = preferences.live_updates
    session.flush()
