"""Sign-in: our own checks around streamlit-authenticator, which still keeps the cookie and the session keys.

The form is drawn here (the library's labels: Username, Password, Login) and the password is checked by
features/people/sign_in.py: one bcrypt check for every try, known username or not, and throttling that slows
repeated failures without locking anyone out for good. A right password is then handed to the library's
own re-authentication path, which fills the session keys the app reads (`authentication_status`,
`username`, `name`) and sets its signed cookie. On every run the cookie, and the session, must have begun
after the person last logged out, and the session must have been used within the idle limit.

The library keeps its own copy of the credentials in memory; the database stays the truth, so a user
created or switched off by the secretariat takes effect on the next run. See docs/security.md, Sign-in.

When .streamlit/secrets.toml configures the ICB's identity provider ([auth.icb]), the same page offers
"Sign in with your organisation's account": Streamlit's st.login does the OpenID Connect round trip and
keeps the identity in its own cookie; features/people/organisation_sign_in.py maps its email to a panel
account, which is then handed to the library's session keys like a password sign-in (without the
library's cookie: Streamlit's identity cookie is what brings the person back). From there the same checks
run for both: the idle limit, and a session begun (for the provider, the identity issued) before the person
last logged out is refused.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from typing import Any, cast

import streamlit as st
import streamlit_authenticator as stauth

from components.context import database
from features.people.organisation_sign_in import PROVIDER, configuration_problem, provider_configured
from features.people.sign_in import (
    ENDED_ELSEWHERE_MESSAGE,
    SignInResult,
    idle_sign_out_message,
    idle_too_long,
)
from features.people.use_cases import (
    check_password,
    cookie_valid,
    credentials_if_changed,
    log_out_everywhere,
    now_utc,
    sign_in_with_organisation,
    sign_out_idle,
    signed_in_person,
)
from rules.actors import Actor
from rules.limits import MAX_EMAIL_CHARS, MAX_PASSWORD_BOX_CHARS
from settings import COOKIE_KEY, current_settings

COOKIE_NAME = "leder_panel_auth"
COOKIE_EXPIRY_DAYS = 1.0
_COOKIE_WANTED = "_leder_cookie_wanted"  # True after signing in, False after logging out, until settled
SESSION_STARTED = "_leder_session_started"  # seconds since 1970: when this session's sign-in began
LAST_ACTIVITY = "_leder_last_activity"  # seconds since 1970: the last run while signed in
_SIGN_OUT_REASON = "_leder_sign_out_reason"  # shown above the form after an automatic sign-out
_SIGN_IN_PROBLEM = "_leder_sign_in_problem"  # the last try's message, kept through the cookie component's rerun
_SIGNED_IN_WITH = "_leder_signed_in_with"  # ORGANISATION while this session is a sign-in by the provider
_IDENTITY_REFUSED = "_leder_identity_refused"  # why Streamlit's identity may not sign in, for this session
ORGANISATION = "organisation"
ORGANISATION_BUTTON = "Sign in with your organisation's account"
LEAVE_IDENTITY_BUTTON = "Sign out of that account"
SWITCHED_OFF_JUST_NOW = "That account has just been switched off. Ask the secretariat."


class SignInNotConfigured(RuntimeError):
    """Sign-in cannot work as configured: the app says so and serves nothing else."""


class MissingCookieKey(SignInNotConfigured):
    """The server has no signing key: refuse to run rather than fall back to a guessable one."""


class OrganisationSignInMisconfigured(SignInNotConfigured):
    """[auth.icb] is in secrets.toml, but something it needs is missing or wrong."""


def _auth_section() -> Mapping[str, object]:
    """The [auth] section of Streamlit's secrets, or nothing when there is no secrets file."""
    try:
        section = st.secrets.get("auth", {})
    except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
        return {}
    return cast(Mapping[str, object], section) if isinstance(section, Mapping) else {}


def organisation_provider() -> str | None:
    """The provider's name for st.login when secrets.toml sets one up, else None (passwords only)."""
    section = _auth_section()
    if problem := configuration_problem(section):
        raise OrganisationSignInMisconfigured(problem)
    return PROVIDER if provider_configured(section) else None


def cookie_key() -> str:
    """From Streamlit secrets ([auth] cookie_key), else LEDER_COOKIE_KEY (settings.py). `make run` writes secrets."""
    try:
        value = st.secrets.get("auth", {}).get("cookie_key")
    except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
        value = None
    value = value or current_settings().cookie_key
    if not value or len(value) < 32:
        raise MissingCookieKey(
            "No cookie key is set. Run `make run` once (it writes .streamlit/secrets.toml), "
            f"or set {COOKIE_KEY} to a random string of 32 or more characters."
        )
    return value


_credentials_lock = threading.Lock()
_credentials_kept: dict[str, tuple[tuple[object, ...], dict[str, dict[str, object]]]] = {}


def _credentials() -> dict[str, dict[str, dict[str, object]]]:
    """The users the library knows, rebuilt only when the database's users or roles change (one small
    query tells), so a national database does not cost every click. Each run gets its own copy of the
    entries, because the library writes into them."""
    url = database().url
    kept = _credentials_kept.get(url)
    stamp, fresh = credentials_if_changed(database(), known_stamp=kept[0] if kept else None)
    if fresh is not None or kept is None:
        kept = (stamp, fresh or {})
        with _credentials_lock:
            _credentials_kept[url] = kept
    return {"usernames": {username: dict(entry) for username, entry in kept[1].items()}}


def build_authenticator() -> stauth.Authenticate:
    """The library, with the users from the database. Checks the identity provider's settings first, so a
    half-configured one stops the app with a sentence."""
    organisation_provider()
    credentials = _credentials()
    return stauth.Authenticate(
        credentials,
        cookie_name=COOKIE_NAME,
        cookie_key=cookie_key(),
        cookie_expiry_days=COOKIE_EXPIRY_DAYS,
        auto_hash=False,
        login_sleep_time=0,  # the library's pause predates st.context.cookies; nothing needs it now
    )


def is_signed_in() -> bool:
    return bool(st.session_state.get("authentication_status"))


# --- The cookie -------------------------------------------------------------------------------------------


def cookie_issued_at(token: Mapping[str, Any]) -> dt.datetime | None:
    """When the library's cookie was made. It holds only the username and its expiry (`exp_date`, seconds
    since 1970), set COOKIE_EXPIRY_DAYS after it was made."""
    try:
        expires = dt.datetime.fromtimestamp(float(token["exp_date"]), dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None
    return expires - dt.timedelta(days=COOKIE_EXPIRY_DAYS)


def cookie_accepted(token: Mapping[str, Any]) -> bool:
    """Whether a cookie the library has already verified (signature, expiry) may still sign in: the account
    is active and the cookie was made after the person last logged out, so a copy taken earlier fails."""
    issued, username = cookie_issued_at(token), token.get("username")
    if issued is None or not isinstance(username, str):
        return False
    return cookie_valid(database(), username=username, issued_at=issued)


def restore_from_cookie(authenticator: stauth.Authenticate) -> None:
    """Sign back in from a valid cookie before the navigation is built, so deep links keep their page.

    The library reads and verifies the cookie; we refuse one made before the person last logged out
    (and ask the browser to drop it) before the library may use it.
    """
    if is_signed_in():
        return
    token = authenticator.cookie_controller.get_cookie()  # None, or False after a log-out in this session
    if not token:
        return
    if not cookie_accepted(token):
        st.session_state[_COOKIE_WANTED] = False  # settle_cookie asks the browser to delete it
        return
    try:
        authenticator.authentication_controller.login(token=token)
    except stauth.LoginError:  # switched off between building the credentials and now
        st.session_state[_COOKIE_WANTED] = False
        return
    _start_session(cookie_issued_at(token) or now_utc())


def _start_session(started: dt.datetime) -> None:
    """Remember when this session's sign-in began (checked against log-outs) and start the idle clock."""
    st.session_state[SESSION_STARTED] = started.timestamp()
    st.session_state[LAST_ACTIVITY] = now_utc().timestamp()
    st.session_state.pop(_SIGN_OUT_REASON, None)


def _end_session_state() -> None:
    for key in (SESSION_STARTED, LAST_ACTIVITY):
        st.session_state.pop(key, None)


def _sign_out_here(authenticator: stauth.Authenticate, reason: str | None) -> None:
    """Sign this session out without a click: the library clears its keys and stops reading the cookie;
    settle_cookie, later in this run, asks the browser to delete it (asking twice in one run would clash).
    Streamlit's identity, if this was a sign-in by the provider, is not used again in this session."""
    authenticator.authentication_controller.logout()
    st.session_state[_COOKIE_WANTED] = False
    if st.session_state.pop(_SIGNED_IN_WITH, None) == ORGANISATION:
        st.session_state[_IDENTITY_REFUSED] = ""  # the reason below says why
    _end_session_state()
    if reason:
        st.session_state[_SIGN_OUT_REASON] = reason


def _leave_identity_provider() -> None:
    """End Streamlit's identity: it deletes its cookie (a server response, so HttpOnly) and sends the browser
    to the provider's own sign-out, which comes back to the sign-in page. Nothing drawn here survives that."""
    st.session_state.pop(_SIGNED_IN_WITH, None)
    st.logout()


# --- Signing in -------------------------------------------------------------------------------------------



def _library_login(authenticator: stauth.Authenticate, username: str | None) -> bool:
    """The library's re-authentication path fills its session keys (authentication_status, username, name)."""
    try:
        authenticator.authentication_controller.login(token={"username": username})
    except stauth.LoginError:  # switched off a moment ago
        return False
    return is_signed_in()


def _hand_to_library(authenticator: stauth.Authenticate, result: SignInResult) -> bool:
    """A right password: the library's session keys, then its cookie."""
    if not _library_login(authenticator, result.username):
        return False
    authenticator.cookie_controller.set_cookie()
    _start_session(result.at)
    return True


def _identity_claims(provider: str) -> dict[str, object] | None:
    """What our provider said about the person Streamlit holds an identity for, or None if it holds none."""
    user = st.user
    if user.get("is_logged_in") is not True or user.get("provider") != provider:
        return None
    return dict(user.to_dict())


def restore_from_organisation(authenticator: stauth.Authenticate) -> None:
    """Sign in from Streamlit's identity (the provider sent the person back, or a new window opened with its
    cookie), before the navigation is built. Refused identities get their reason once per session, and are
    never mapped again in it."""
    if is_signed_in() or _IDENTITY_REFUSED in st.session_state:
        return
    provider = organisation_provider()
    claims = _identity_claims(provider) if provider else None
    if claims is None:
        return
    result = sign_in_with_organisation(database(), claims=claims)
    if result.signed_in and _library_login(authenticator, result.username):
        st.session_state[_SIGNED_IN_WITH] = ORGANISATION
        _start_session(result.at)  # the identity's issue time: what a log-out is checked against
        return
    st.session_state[_IDENTITY_REFUSED] = result.message or SWITCHED_OFF_JUST_NOW


def render_sign_in(authenticator: stauth.Authenticate) -> None:
    """The login form, with the library's labels (Username, Password, Login) and no captcha.

    Drawn here rather than by the library so that its checks (no bcrypt for unknown usernames, an attempt
    limit anyone can use to lock a member out) never run. The boxes name their purpose, so a password
    manager can fill a long passphrase.
    """
    st.title("LeDeR governance panel")
    provider = organisation_provider()
    if provider:
        st.write("Sign in with your organisation's account, or with the username and password the panel "
                 "secretariat gave you.")
    else:
        st.write("Sign in with the username and password the panel secretariat gave you.")
    notice = st.empty()
    if provider:
        _render_organisation_sign_in(provider)
    with st.form("Login"):
        st.subheader("Login")
        username = st.text_input("Username", max_chars=MAX_EMAIL_CHARS, autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password",
                                 max_chars=MAX_PASSWORD_BOX_CHARS)
        submitted = st.form_submit_button("Login")
    if submitted:
        st.session_state.pop(_SIGN_OUT_REASON, None)
        st.session_state[_SIGN_IN_PROBLEM] = _sign_in(authenticator, username, password)
    if reason := st.session_state.get(_SIGN_OUT_REASON):
        notice.info(reason, icon=":material/schedule:")
    if is_signed_in():
        # No st.rerun() here: it would discard the cookie the library has just asked the browser to
        # store. The cookie component reruns the app itself once the cookie is set.
        st.success("You are signed in. Opening your pages…", icon=":material/check_circle:")
    elif problem := st.session_state.get(_SIGN_IN_PROBLEM):
        st.error(problem, icon=":material/error:")


def _render_organisation_sign_in(provider: str) -> None:
    """The provider's button, and for an identity that was refused, why and a way to leave it."""
    refused = st.session_state.get(_IDENTITY_REFUSED) if _identity_claims(provider) else None
    if refused:
        st.error(refused, icon=":material/error:")
    if st.button(ORGANISATION_BUTTON, key="organisation_sign_in", type="primary", icon=":material/badge:"):
        st.login(provider)
    if refused is not None and st.button(LEAVE_IDENTITY_BUTTON, key="organisation_sign_out"):
        _leave_identity_provider()


def _sign_in(authenticator: stauth.Authenticate, username: str, password: str) -> str | None:
    """Check the password and, if right, sign in through the library. Returns what went wrong, if anything."""
    result = check_password(database(), username=username, password=password,
                            bcrypt_rounds=current_settings().bcrypt_rounds)
    if not result.signed_in:
        return result.message
    if not _hand_to_library(authenticator, result):
        return SWITCHED_OFF_JUST_NOW
    st.session_state[_COOKIE_WANTED] = True
    return None


# --- Every run while signed in ----------------------------------------------------------------------------


def _idle_too_long(now: dt.datetime) -> bool:
    last = st.session_state.get(LAST_ACTIVITY)
    if last is None:
        return False
    return idle_too_long(dt.datetime.fromtimestamp(float(last), dt.UTC), now, current_settings().idle_limit)


def _session_started() -> dt.datetime | None:
    started = st.session_state.get(SESSION_STARTED)
    return None if started is None else dt.datetime.fromtimestamp(float(started), dt.UTC)


def signed_in_actor(authenticator: stauth.Authenticate) -> Actor | None:
    """The actor for this run, loaded from the database. Signs the session out when it sat unused beyond
    the idle limit, when the person has logged out since it began (elsewhere, or with a copied cookie), or
    when the account was switched off."""
    if not is_signed_in():
        return None
    username, now = str(st.session_state["username"]), now_utc()
    if _idle_too_long(now):
        limit = current_settings().idle_limit
        sign_out_idle(database(), username=username, limit=limit)
        by_provider = st.session_state.get(_SIGNED_IN_WITH) == ORGANISATION
        _sign_out_here(authenticator, idle_sign_out_message(limit))
        if by_provider:  # the identity would sign straight back in at the next reload
            _leave_identity_provider()
        return None
    started = _session_started()
    person = signed_in_person(database(), username=username, session_started=started)
    actor = person.actor
    if actor is None:
        _sign_out_here(authenticator, None)
        return None
    if not person.current:
        _sign_out_here(authenticator, ENDED_ELSEWHERE_MESSAGE)
        return None
    st.session_state[LAST_ACTIVITY] = now.timestamp()
    return actor


def _end_every_session(event: dict[str, Any]) -> None:
    """The library calls this when "Log out" is pressed, before it clears the session: from now on no
    cookie made before this moment signs in, on any device."""
    if username := event.get("username"):
        log_out_everywhere(database(), username=str(username))


def render_sign_out(authenticator: stauth.Authenticate, actor: Actor, role_names: str) -> bool:
    """The sidebar's caption and "Log out" button. Returns True when the person has just logged out."""
    with st.sidebar:
        st.caption(f"Signed in as {actor.name} ({role_names}), {actor.icb_name}")
        authenticator.logout("Log out", location="sidebar", key="sign_out", callback=_end_every_session)
    if is_signed_in():
        return False
    st.session_state[_COOKIE_WANTED] = False
    _end_session_state()
    if st.session_state.get(_SIGNED_IN_WITH) == ORGANISATION:
        _leave_identity_provider()  # after the callback above ended every session, this one's copy included
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
