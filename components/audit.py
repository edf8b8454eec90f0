"""The audit log as a real table, filtered by a few words if the reader wants."""

from __future__ import annotations

import streamlit as st

from components.context import database
from components.tables import accessible_table
from features.audit.audit import MAX_EVENTS_SHOWN, audit_trail
from rules.actors import Actor
from rules.formatting import when
from rules.limits import MAX_FILTER_CHARS


def render_audit_log(actor: Actor) -> None:
    with database().unit_of_work(read_only=True) as session:
        rows = audit_trail(session=session, actor=actor)
    words = st.text_input("Show only lines containing", placeholder="For example: LDR-2026-0109 or anonymous",
                          max_chars=MAX_FILTER_CHARS)
    needle = words.strip().lower()
    shown = [r for r in rows if not needle or needle in f"{r.who} {r.action} {r.subject} {r.description}".lower()]
    st.write(f"{len(shown)} line{'s' if len(shown) != 1 else ''} shown"
             + (f" (the latest {MAX_EVENTS_SHOWN})" if len(rows) == MAX_EVENTS_SHOWN else "") + ".")
    accessible_table(
        [{"When": when(r.at), "Who": r.who, "What": r.action.capitalize(),
          "About": r.subject, "Details": r.description} for r in shown],
        empty_message="Nothing in the log matches.",
    )
