"""Sign-in with streamlit-authenticator, credentials built from the users table on every run.

The library keeps its own copy of the credentials in memory; the database stays the truth, so a user
created or switched off by the secretariat takes effect on the next run.
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth

from components.context import database
from services.actors import Actor, load_actor
from services.errors import NotFound
from services.users import credentials_for_authenticator, record_login

COOKIE_NAME = "leder_panel_auth"
COOKIE_KEY_ENV = "LEDER_COOKIE_KEY"
COOKIE_EXPIRY_DAYS = 1.0
_COOKIE_WANTED = "_leder_cookie_wanted"  # True after signing in, False after logging out, until settled


class MissingCookieKey(RuntimeError):
    """The server has no signing key: refuse to run rather than fall back to a guessable one."""


def cookie_key() -> str:
    """From Streamlit secrets ([auth] cookie_key), else LEDER_COOKIE_KEY. `make run` writes secrets."""
    try:
        value = st.secrets.get("auth", {}).get("cookie_key")
    except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
        value = None
    value = value or os.environ.get(COOKIE_KEY_ENV)
    if not value or len(value) < 32:
        raise MissingCookieKey(
            "No cookie key is set. Run `make run` once (it writes .streamlit/secrets.toml), "
            f"or set {COOKIE_KEY_ENV} to a random string of 32 or more characters."
        )
    return value


def build_authenticator() -> stauth.Authenticate:
    with database().unit_of_work(read_only=True) as session:
        credentials = credentials_for_authenticator(session=session)
    return stauth.Authenticate(
        credentials,
        cookie_name=COOKIE_NAME,
        cookie_key=cookie_key(),
        cookie_expiry_days=COOKIE_EXPIRY_DAYS,
        auto_hash=False,
        login_sleep_time=0,  # the library's pause predates st.context.cookies; nothing needs it now
    )


def restore_from_cookie(authenticator: stauth.Authenticate) -> None:
    """Sign back in from a valid cookie before the navigation is built, so deep links keep their page."""
    if not is_signed_in():
        authenticator.login(location="unrendered")


def _remember_login(event: dict[str, Any]) -> None:
    with database().unit_of_work() as session:
        record_login(session=session, username=event["username"])


def is_signed_in() -> bool:
    return bool(st.session_state.get("authentication_status"))


def render_sign_in(authenticator: stauth.Authenticate) -> None:
    """The login form (the library's own labels: Username, Password, Login), captcha off."""
    st.title("LeDeR governance panel")
    st.write("Sign in with the username and password the panel secretariat gave you.")
    authenticator.login(location="main", captcha=False, callback=_remember_login)
    if is_signed_in():
        # No st.rerun() here: it would discard the cookie the library has just asked the browser to
        # store. The cookie component reruns the app itself once the cookie is set.
        st.session_state[_COOKIE_WANTED] = True
        st.success("You are signed in. Opening your pages…", icon=":material/check_circle:")
        return
    if st.session_state.get("authentication_status") is False:
        st.error(
            "The username or password is not right. Check them and try again, "
            "or ask the secretariat to reset your password.",
            icon=":material/error:",
        )


def signed_in_actor(authenticator: stauth.Authenticate) -> Actor | None:
    """The actor for this run, loaded from the database; signs out an account that was switched off."""
    if not is_signed_in():
        return None
    try:
        with database().unit_of_work(read_only=True) as session:
            return load_actor(session=session, username=st.session_state["username"])
    except NotFound:
        authenticator.logout(location="unrendered")
        return None


def render_sign_out(authenticator: stauth.Authenticate, actor: Actor, role_names: str) -> bool:
    """The sidebar's caption and "Log out" button. Returns True when the person has just logged out."""
    with st.sidebar:
        st.caption(f"Signed in as {actor.name} ({role_names}), {actor.icb_name}")
        authenticator.logout("Log out", location="sidebar", key="sign_out")
    if is_signed_in():
        return False
    st.session_state[_COOKIE_WANTED] = False
    return True


def settle_cookie(authenticator: stauth.Authenticate) -> None:
    """Make the browser's cookie match the sign-in state, asking again if a request was overtaken.

    The library asks the browser to store (or delete) the cookie once, through a component rendered in
    that run. If another rerun overtakes it (a slow first load of the component), the request is lost:
    the person is then signed out by a reload, or, worse, signed back in after logging out. The cookie
    manager's own view of the browser's cookies tells us whether to ask again.
    """
    wanted = st.session_state.get(_COOKIE_WANTED)
    if wanted is None:
        return
    manager = getattr(getattr(authenticator.cookie_controller, "cookie_model", None), "cookie_manager", None)
    stored = COOKIE_NAME in (getattr(manager, "cookies", None) or {})
    if wanted and not stored and is_signed_in():
        authenticator.cookie_controller.set_cookie()
    elif not wanted and stored:
        authenticator.cookie_controller.delete_cookie()
    else:
        del st.session_state[_COOKIE_WANTED]
