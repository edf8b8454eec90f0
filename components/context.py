"""Per-process resources and per-run context for pages: the database and the signed-in actor."""

from __future__ import annotations

import gc
import threading

import streamlit as st

from db.session import Database, DatabaseUnreachable
from features.people.preferences import ReadingPreferences
from rules.actors import Actor
from settings import Settings, SettingsError, current_settings, database_url

_ACTOR_KEY = "_leder_actor"
_freeze_lock = threading.Lock()
_imports_frozen = False
_PREFERENCES_KEY = "_leder_preferences"


# What stops the app with a reason instead of a traceback: a bad setting, or no database at the address.
CONFIGURATION_PROBLEMS: tuple[type[Exception], ...] = (SettingsError, DatabaseUnreachable)


@st.cache_resource(show_spinner=False)
def _database_for(url: str) -> Database:
    """One engine per process and URL, never one per rerun; checked once that it answers (a failure is
    not cached, so the next run tries again)."""
    return Database.open_checked(url)


def freeze_imported_objects() -> None:
    """Once per process, after the first run has imported everything: move the libraries' objects out of
    the garbage collector's sight. Streamlit runs a full collection after every script run, and walking
    pandas', SQLAlchemy's and Streamlit's own objects each time cost most of a rerun (docs/performance.md).
    Objects made later are still collected as usual; freezing again would leak them, hence once."""
    global _imports_frozen
    if _imports_frozen:
        return
    with _freeze_lock:
        if not _imports_frozen:
            gc.collect()
            gc.freeze()
            _imports_frozen = True


def app_settings() -> Settings:
    """The settings read at start-up, for pages to pass on to the use cases that need one (the bcrypt cost)."""
    return current_settings()


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


_PAGES_KEY = "_leder_pages"


def set_pages(pages: dict[str, st.Page]) -> None:
    """The navigation's pages by address ("home" included, whose Page reports an empty one), so a component
    can link to one (st.page_link needs the Page)."""
    st.session_state[_PAGES_KEY] = pages


def page_called(url_path: str) -> st.Page | None:
    """The navigation's page at this address, or None when the person's roles do not include it."""
    found: st.Page | None = st.session_state.get(_PAGES_KEY, {}).get(url_path)
    return found
