"""My reading settings: larger text, high contrast, fewer things on the page, live counts on or off."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, current_preferences
from components.feedback import explained_errors, show_confirmation
from components.preferences import preferences_form


def render() -> None:
    actor = current_actor()
    st.title("My reading settings")
    show_confirmation()
    st.write("Choose how pages look for you. Your settings are saved and follow you to any computer.")
    with explained_errors():
        preferences_form(actor, current_preferences())


if __name__ == "__main__":
    from app import main

    main()
