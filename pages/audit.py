"""The audit log: every vote opened and closed, each vote cast (without the choice in anonymous votes),
each decision and every amendment to a signed-off review. Read-only: nothing here can change it."""

from __future__ import annotations

import streamlit as st

from components.audit import render_audit_log
from components.context import current_actor
from components.feedback import explained_errors


def render() -> None:
    actor = current_actor()
    st.title("Audit log")
    st.write("Lines are only ever added to this log. Nobody, the secretariat included, can change or remove "
             "them. The newest are first.")
    with explained_errors():
        render_audit_log(actor)


if __name__ == "__main__":
    from app import main

    main()
