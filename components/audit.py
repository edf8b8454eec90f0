"""The audit log as a real table, filtered by a few words if the reader wants."""

from __future__ import annotations

import streamlit as st

from components.context import database
from components.tables import accessible_table
from features.audit.audit import MAX_EVENTS_SHOWN
from features.audit.use_cases import audit_log
from rules.actors import Actor
from rules.formatting import when
from rules.limits import MAX_FILTER_CHARS


def render_audit_log(actor: Actor) -> None:
    words = st.text_input("Show only lines containing", placeholder="For example: LDR-2026-0109 or anonymous",
                          max_chars=MAX_FILTER_CHARS)
    log = audit_log(database(), actor=actor, containing=words)
    shown = log.rows
    st.write(f"{len(shown)} line{'s' if len(shown) != 1 else ''} shown"
             + (f" (the latest {MAX_EVENTS_SHOWN})" if log.cut_short else "") + ".")
    accessible_table(
        [{"When": when(r.at), "Who": r.who, "What": r.action.capitalize(),
          "About": r.subject, "Details": r.description} for r in shown],
        empty_message="Nothing in the log matches.",
    )
