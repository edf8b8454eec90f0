"""Turn errors into words next to the control; unexpected errors get a reference, never a traceback."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from services.errors import DomainError

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
