"""Actions agreed by your panel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.actions import render_action_table
from components.context import current_actor, database
from services.actions import list_actions


def render() -> None:
    actor = current_actor()
    st.title("Actions")
    with database().unit_of_work(read_only=True) as session:
        actions = list_actions(session=session, actor=actor, today=dt.date.today())
    render_action_table(actions)


if __name__ == "__main__":
    from app import main

    main()
