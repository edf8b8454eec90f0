"""Turn errors into words next to the control; unexpected errors get a reference, never a traceback."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress

import streamlit as st

from rules.errors import DomainError
from rules.pii import personal_data_warnings

log = logging.getLogger("leder")


@contextmanager
def explained_errors() -> Iterator[None]:
    """Show a DomainError's own message; log anything else with an id and show a friendly line."""
    try:
        yield
    except DomainError as error:
        st.error(str(error), icon=":material/error:")
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("unexpected error, reference %s", reference)
        st.error(
            f"Something went wrong and nothing was saved. Please try again, or tell the "
            f"secretariat the reference {reference}.",
            icon=":material/error:",
        )


_FLASH = "_leder_flash"
_CALLBACK_ERROR = "_leder_callback_error"
_FLASH_WARNINGS = "_leder_flash_warnings"


def confirm_and_rerun(message: str, warnings: list[str] | None = None, *, only_this_part: bool = False) -> None:
    """After a save: keep the confirmation for the next run, then rerun so every widget shows fresh data.

    `only_this_part` reruns just the fragment the save came from (a vote form), which is what keeps fifty
    members voting at once fast; in a full run, where Streamlit refuses a fragment rerun, the page reruns.
    """
    st.session_state[_FLASH] = message
    st.session_state[_FLASH_WARNINGS] = warnings or []
    if only_this_part:
        with suppress(st.errors.StreamlitAPIException):  # raised in a full run
            st.rerun(scope="fragment")
    st.rerun()


def show_confirmation() -> None:
    """Show the last save's confirmation once; st.success is announced to screen readers (role=status).
    A personal-data warning follows it, in words, so the writer can check what they saved."""
    if message := st.session_state.pop(_FLASH, None):
        st.success(message, icon=":material/check_circle:")
    if warnings := st.session_state.pop(_FLASH_WARNINGS, None):
        st.warning("Please check what you saved. It may identify someone: " + " ".join(warnings)
                   + " If it does, change it now.", icon=":material/warning:")


def run_action(action: Callable[[], object], success_message: str,
               check: Mapping[str, str] | None = None, *, only_this_part: bool = False) -> None:
    """Run one user action in its own unit of work; on success confirm and rerun, on failure explain.
    `check` names the free-text fields saved ({label: text}) for the personal-data warning;
    `only_this_part` reruns just the calling fragment (see confirm_and_rerun)."""
    done = False
    with explained_errors():
        action()
        done = True
    if done:
        confirm_and_rerun(success_message, personal_data_warnings(check or {}), only_this_part=only_this_part)


def run_in_callback(action: Callable[[], object], success_message: str,
                    check: Mapping[str, str] | None = None) -> None:
    """run_action for a button's on_click callback, which Streamlit runs before the (fragment's) run: the
    saved data is then drawn fresh by that one run, with no second rerun. Messages wait in session state:
    the confirmation for show_confirmation, a refusal for show_callback_error next to the control."""
    try:
        action()
    except DomainError as error:
        st.session_state[_CALLBACK_ERROR] = str(error)
        return
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("unexpected error, reference %s", reference)
        st.session_state[_CALLBACK_ERROR] = (f"Something went wrong and nothing was saved. Please try again, or "
                                             f"tell the secretariat the reference {reference}.")
        return
    st.session_state[_FLASH] = success_message
    st.session_state[_FLASH_WARNINGS] = personal_data_warnings(check or {})


def refuse_in_callback(message: str) -> None:
    """A callback's check failed before anything was tried: say so next to the control."""
    st.session_state[_CALLBACK_ERROR] = message


def show_callback_error() -> None:
    if message := st.session_state.pop(_CALLBACK_ERROR, None):
        st.error(message, icon=":material/error:")
