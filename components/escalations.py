"""The escalation log on the Actions page: the log as a table, and for the panel, forms to escalate and to
record the coordinator's response."""

from __future__ import annotations

import streamlit as st

from components.context import database
from components.feedback import run_action
from components.tables import accessible_table
from features.reviews.escalations import (
    REGIONAL_COORDINATOR,
    STATUS_WORDS,
    EscalationRow,
    EscalationStatus,
)
from features.reviews.use_cases import escalate_concern, escalations, respond_to_escalation
from rules.actors import Actor
from rules.formatting import short_date
from rules.limits import MAX_NAME_CHARS, MAX_REASON_CHARS
from rules.permissions import Permission, allows


def render_escalations(actor: Actor, references: dict[int, str]) -> None:
    st.header("Escalation log", anchor=False)
    rows = escalations(database(), actor=actor)
    accessible_table([{"Date": short_date(r.escalated_on), "Review": r.review_reference or "None",
                       "What": r.what, "To": r.to_whom, "Status": r.status_label, "Response": r.response or "None yet"}
                      for r in rows], empty_message="Nothing has been escalated.")
    if not allows(actor, Permission.RUN_MEETING):
        return
    with st.expander("Escalate a concern or an action"), st.form("escalate", enter_to_submit=False):
        review_id = st.selectbox("Review (optional)", options=list(references), index=None,
                                 format_func=references.__getitem__, placeholder="No review")
        what = st.text_area("What is escalated, and why", max_chars=MAX_REASON_CHARS)
        to_whom = st.text_input("To", max_chars=MAX_NAME_CHARS, value=REGIONAL_COORDINATOR)
        if st.form_submit_button("Escalate"):
            run_action(lambda: escalate_concern(database(), actor=actor, review_id=review_id, what=what,
                                                to_whom=to_whom), "Escalated. It is on the log.",
                       check={"What is escalated": what})
    if rows:
        _response_form(actor, rows)


def _response_form(actor: Actor, rows: list[EscalationRow]) -> None:
    by_id = {r.id: r for r in rows}
    with st.expander("Record a response"), st.form("escalation_response", enter_to_submit=False):
        chosen = st.selectbox("Escalation", options=list(by_id), index=None, placeholder="Choose one",
                              format_func=lambda i: f"{short_date(by_id[i].escalated_on)}: {by_id[i].what[:70]}")
        response = st.text_area("The coordinator's response", max_chars=MAX_REASON_CHARS)
        status = st.selectbox("Status", options=list(EscalationStatus), index=1, format_func=STATUS_WORDS.__getitem__)
        if st.form_submit_button("Save the response"):
            if chosen is None:
                st.error("Choose the escalation the response is about.")
                return
            run_action(lambda: respond_to_escalation(database(), actor=actor, row=by_id[chosen], response=response,
                                                     status=status), "The response is saved.",
                       check={"The response": response})
