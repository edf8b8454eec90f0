"""Per-process resources and per-run context for pages: the database and the signed-in actor."""

from __future__ import annotations

import streamlit as st

from db.config import database_url
from db.session import Database
from services.actors import Actor
from services.preferences import ReadingPreferences

_ACTOR_KEY = "_leder_actor"
_PREFERENCES_KEY = "_leder_preferences"


@st.cache_resource(show_spinner=False)
def _database_for(url: str) -> Database:
    """One engine per process and URL, never one per rerun."""
    return Database.from_url(url)


def database() -> Database:
    return _database_for(database_url())


def set_actor(actor: Actor | None) -> None:
    """app.py loads the actor from the database on every run and hands it to pages here."""
    st.session_state[_ACTOR_KEY] = actor


def current_actor() -> Actor:
    actor = st.session_state.get(_ACTOR_KEY)
    if actor is None:  # a page reached without app.py's sign-in: show nothing
        st.stop()
    return actor


def set_preferences(preferences: ReadingPreferences) -> None:
    st.session_state[_PREFERENCES_KEY] = preferences


def current_preferences() -> ReadingPreferences:
    return st.session_state.get(_PREFERENCES_KEY) or ReadingPreferences()
