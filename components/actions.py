"""Actions: the SMART builder (five letters checked after each edit, said in words and icons), the tracker
table (overdue in words, never by colour alone), updates and new dates, and the export buttons."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import database
from components.feedback import run_action
from components.tables import accessible_table
from documents.action_log import actions_csv, actions_xlsx
from features.actions.actions import ActionFilter, ActionRow, ActionStatus
from features.actions.use_cases import (
    agree_action,
    builder_choices,
    check_draft,
    move_due_date,
    tracker_rows,
    update_action,
)
from rules.actors import Actor
from rules.formatting import short_date
from rules.labels import ACTION_STATUS_LABELS
from rules.limits import MAX_ACTION_CHARS, MAX_NAME_CHARS, MAX_REASON_CHARS
from rules.permissions import Permission, allows
from rules.smart import ActionDraft, SmartResult


def render_action_table(actions: list[ActionRow]) -> None:
    accessible_table(
        [
            {
                "Review": a.review_reference,
                "Action": a.description,
                "Owner": a.owner,
                "Due": short_date(a.due_on),
                "Status": a.status_in_words,
            }
            for a in actions
        ],
        empty_message="There are no actions here.",
    )


def render_smart_letters(result: SmartResult) -> None:
    st.markdown("\n".join(
        f"- {':material/check_circle:' if r.passed else ':material/edit:'} **{r.letter}, {r.name}:** "
        f"{'passes' if r.passed else 'fix me'}. {r.reason}"
        for r in result.letters
    ))


def action_builder(actor: Actor, review_id: int, reference: str, *, key: str) -> None:
    """Not a form: the SMART letters are checked again after each edit (not on a timer)."""
    round_key = f"{key}_round"
    k = f"{key}_{st.session_state.get(round_key, 0)}"
    choices = builder_choices(database(), actor=actor, review_id=review_id)
    findings, priorities = choices.findings, choices.priorities
    st.markdown(f"**Agree a SMART action for {reference}**")
    description = st.text_area("What will be done (start with a verb, say who it is for)", key=f"{k}_what",
                               max_chars=MAX_ACTION_CHARS)
    finding = st.selectbox("The learning or concern it answers", options=list(findings), index=None,
                           format_func=findings.__getitem__, placeholder="Choose one", key=f"{k}_finding")
    owner = st.text_input("Owner (a named person or role; they may be outside the panel)", key=f"{k}_owner",
                          max_chars=MAX_NAME_CHARS)
    organisation = st.text_input("Owner's organisation", max_chars=MAX_NAME_CHARS, key=f"{k}_org")
    agreed = st.radio("Has the owner agreed?", options=["Yes", "Not yet"], index=1, horizontal=True,
                      key=f"{k}_agreed") == "Yes"
    measure = st.text_area("How will we know it is done? (a number, a percentage or the evidence)",
                           max_chars=MAX_ACTION_CHARS,
                           key=f"{k}_measure")
    due = st.date_input("Due date", value=None, format="DD/MM/YYYY", key=f"{k}_due")
    priority = st.selectbox("ICB strategic priority (optional)", options=list(priorities), index=None,
                            format_func=priorities.__getitem__, placeholder="None", key=f"{k}_priority")
    data = ActionDraft(description=description, measure=measure, owner_name=owner,
                       owner_organisation=organisation, owner_agreed=agreed, finding_id=finding,
                       due_on=due, priority_id=priority)
    result = check_draft(database(), actor=actor, data=data)
    render_smart_letters(result)
    save, draft = st.columns(2)
    if save.button("Save the action", type="primary", key=f"{k}_save", disabled=not result.passed):
        run_action(lambda: _save(actor, review_id, data, False, round_key), "The action is saved.",
                   check=_texts(data))
    if draft.button("Save as a draft", key=f"{k}_draft"):
        run_action(lambda: _save(actor, review_id, data, True, round_key),
                   "Saved as a draft. Make it SMART before it goes on the tracker as agreed.", check=_texts(data))


def _texts(data: ActionDraft) -> dict[str, str]:
    """The action's free text, for the personal-data warning after a save."""
    return {"What will be done": data.description, "How we will know it is done": data.measure,
            "Owner": data.owner_name}


def _save(actor: Actor, review_id: int, data: ActionDraft, as_draft: bool, round_key: str) -> None:
    agree_action(database(), actor=actor, review_id=review_id, data=data, as_draft=as_draft)
    st.session_state[round_key] = st.session_state.get(round_key, 0) + 1  # a fresh, empty builder


def export_buttons(actor: Actor, wanted: ActionFilter) -> None:
    """Every action the filters match, on every page. The files are made when someone clicks, not on every
    run of the page: building the Excel file took a third of each rerun (docs/performance.md)."""
    csv, excel = st.columns(2)
    today = dt.date.today()

    def matching() -> list[ActionRow]:
        return tracker_rows(database(), actor=actor, wanted=wanted)

    csv.download_button("Download as CSV", data=lambda: actions_csv(matching(), actor=actor),
                        file_name=f"action-log-{today.isoformat()}.csv", mime="text/csv",
                        icon=":material/download:", on_click="ignore")
    excel.download_button("Download as Excel", data=lambda: actions_xlsx(matching(), actor=actor),
                          file_name=f"action-log-{today.isoformat()}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:", on_click="ignore")


def action_update_forms(actor: Actor, rows: list[ActionRow], *, key: str) -> None:
    """A dated note or a new status; for the panel, a new date with a reason. History below."""
    by_id = {r.id: r for r in rows}
    if not by_id:
        return
    action_id = st.selectbox("Action to update", options=list(by_id), index=None, key=f"{key}_which",
                             format_func=lambda i: f"{by_id[i].review_reference}: {by_id[i].description[:80]}",
                             placeholder="Choose an action")
    if action_id is None:
        return
    row = by_id[action_id]
    if row.history:
        st.markdown("**History**\n" + "\n".join(f"- {line}" for line in row.history))
    with st.form(f"{key}_update_{action_id}", enter_to_submit=False):
        statuses = list(ActionStatus)
        status = st.selectbox("Status", options=statuses, index=statuses.index(row.status),
                              format_func=ACTION_STATUS_LABELS.__getitem__)
        note = st.text_area("Note (what happened)", max_chars=MAX_REASON_CHARS)
        evidence = st.text_area("Evidence that it is done (needed to mark it completed)", value=row.evidence,
                                max_chars=MAX_ACTION_CHARS)
        if st.form_submit_button("Save the update"):
            run_action(lambda: update_action(database(), actor=actor, row=row, status=status, note=note,
                                             evidence=evidence), "The update is saved.",
                       check={"The note": note, "The evidence": evidence})
    if allows(actor, Permission.RUN_MEETING) and row.status != ActionStatus.CLOSED:
        with st.form(f"{key}_date_{action_id}", enter_to_submit=False):
            new_date = st.date_input("New due date", value=None, format="DD/MM/YYYY")
            reason = st.text_input("Why the date is changing", max_chars=MAX_REASON_CHARS)
            if st.form_submit_button("Agree the new date"):
                if new_date is None:
                    st.error("Choose the new due date.")
                else:
                    run_action(lambda: move_due_date(database(), actor=actor, row=row, new_due_on=new_date,
                                                     reason=reason), "The new date is agreed.",
                               check={"The reason": reason})
