"""Accessibility statement: what we do, what we know does not work yet, and how to report a problem.
NHS bodies must publish one (Public Sector Bodies Accessibility Regulations 2018)."""

from __future__ import annotations

import streamlit as st

STATEMENT = """
This app is for everyone on the LeDeR governance panel, including members with a learning disability,
autistic members, and people who use a screen reader, a keyboard only, or a supporter.

We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. We check every page for
every role with the axe-core tool in a real browser, and we test voting and commenting with a keyboard only.

What you can do:

- Read each review in Easy Read, and say what you think with **I agree**, **I am not sure** or **I am worried**.
- Vote with a supporter, or tell the chair or secretariat your vote.
- Make text larger, use high contrast, hide pictures, and keep pages still, in **My reading settings**.
- Use the app with a keyboard only: Tab, Shift and Tab, Enter, Space and the arrow keys.

What does not work well yet:

- The page language is set to English ("en"), not British English ("en-GB"). The tool we build with does
  not let us change it yet.
- Some tables are wide. On a small screen you may need to scroll sideways to read them.

If something does not work for you, tell the secretariat. Say which page, and what happened. We will reply
within 5 working days.
"""


def render() -> None:
    st.title("Accessibility")
    st.markdown(STATEMENT)


if __name__ == "__main__":
    from app import main

    main()
