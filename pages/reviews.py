"""Focused reviews of your panel, by pseudonymised reference."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import current_actor, database
from components.reviews import render_review_table
from services.reviews import list_reviews


def render() -> None:
    actor = current_actor()
    st.title("Focused reviews")
    st.write("Reviews are shown by reference number only. No one who died is named here.")
    with database().unit_of_work(read_only=True) as session:
        reviews = list_reviews(session=session, actor=actor, today=dt.date.today())
    render_review_table(reviews)


if __name__ == "__main__":
    from app import main

    main()
