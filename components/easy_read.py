"""Easy Read layouts: a picture on the left and words on the right, the same icon for the same meaning
everywhere, big buttons labelled in words, and choices with their words as the accessible label."""

from __future__ import annotations

import streamlit as st

from components.context import database
from components.feedback import run_action
from components.text import md_text
from features.reviews.comments import CommentRow
from features.reviews.use_cases import say_what_i_think
from rules.actors import Actor
from rules.labels import FEELING_LABELS, FEELING_MEANINGS, Feeling
from rules.limits import MAX_NAME_CHARS, MAX_REASON_CHARS


def picture_and_words(icon: str, words: str, *, pictures: bool = True) -> None:
    """One idea: an icon (hidden from screen readers by Streamlit) and the words beside it."""
    if not pictures:
        st.markdown(words)
        return
    picture, text = st.columns([1, 6], vertical_alignment="center")
    picture.markdown(icon)  # not a heading: an icon-only heading would be empty to a screen reader
    text.markdown(words)


def feeling_form(actor: Actor, review_id: int, reference: str, mine: CommentRow | None, *, key: str) -> None:
    """Choose I agree / I am not sure / I am worried, say why if you like, and say if someone helped."""
    options = list(Feeling)
    current = options.index(mine.feeling) if mine and mine.feeling else None
    with st.form(key, enter_to_submit=False):
        # Words only: an icon inside a choice is read aloud by its name ("warning icon I am worried").
        feeling = st.radio(f"What do you think about review {reference}?", options=options, index=current,
                           format_func=FEELING_LABELS.__getitem__, captions=[FEELING_MEANINGS[f] for f in options])
        body = st.text_area("Say why, in your own words (you do not have to)", value=mine.body if mine else "",
                            max_chars=MAX_REASON_CHARS)
        helped = st.checkbox("Someone helped me", value=bool(mine and mine.supported_by))
        helper = st.text_input("The name of the person who helped you",
                               value=(mine.supported_by or "") if mine else "",
                               max_chars=MAX_NAME_CHARS)
        label = "Change what I said" if mine else "Send what I think"
        if st.form_submit_button(label, type="primary", icon=":material/send:", width="stretch"):
            if feeling is None and not body.strip():
                st.error("Choose one: I agree, I am not sure, or I am worried. Or write what you think.")
                return
            if helped and not helper.strip():
                st.error("Write the name of the person who helped you.")
                return
            run_action(lambda: say_what_i_think(database(), actor=actor, review_id=review_id, mine=mine, body=body,
                                                feeling=feeling, supported_by=helper if helped else None),
                       "Thank you. We have saved what you think.", check={"What you think": body})



def said_so_far(mine: CommentRow) -> str:
    parts = [f"**You said:** {mine.feeling_label}." if mine.feeling_label else "**You said:**"]
    if mine.body:
        parts.append(md_text(mine.body))
    if mine.supported_by:
        parts.append(f"({md_text(mine.supported_by)} helped you.)")
    return " ".join(parts)
