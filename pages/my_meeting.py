"""My meeting: the next meeting in Easy Read, for members, with each review's Easy Read summary, a place to
say what you think, and the vote when the chair opens it."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, current_preferences, database
from components.easy_read import feeling_form, picture_and_words, said_so_far
from components.feedback import explained_errors, show_confirmation
from components.text import md_text
from components.vote_panel import render_member_vote
from features.meetings.my_meeting import MyMeeting, MyReview
from features.meetings.use_cases import my_next_meeting
from features.voting.use_cases import vote_choices
from rules.actors import Actor
from rules.permissions import Permission, allows


def _about(meeting: MyMeeting, pictures: bool) -> None:
    st.header("The next meeting", anchor=False)
    picture_and_words(":material/event:", f"**When:** {meeting.when}.", pictures=pictures)
    if meeting.place:
        picture_and_words(":material/location_on:", f"**Where:** {md_text(meeting.place)}.", pictures=pictures)
    if meeting.online_link:
        picture_and_words(":material/videocam:", f"**Online:** [join the meeting online]({meeting.online_link})",
                          pictures=pictures)
    for helper in meeting.helpers:
        picture_and_words(":material/support_agent:",
                          f"**Ask for help:** {md_text(helper.name)}, email {md_text(helper.email)}",
                          pictures=pictures)
    st.subheader("What we ask you to do", anchor=False)
    st.markdown("1. Read about each review.\n2. Tell us what you think before the meeting.\n"
                "3. At the meeting, vote when the chair opens the vote.")


def _reviews(actor: Actor, meeting: MyMeeting, pictures: bool) -> None:
    """Each review's button, and the chosen review opened right below it, so the next Tab goes into it."""
    st.header("Reviews at this meeting", anchor=False)
    chosen = st.session_state.get("my_review")
    for review in meeting.reviews:
        if st.button(f"Read about review {review.reference}", key=f"open_{review.review_id}",
                     icon=":material/menu_book:", width="stretch"):
            chosen = st.session_state["my_review"] = review.review_id
        st.write(review.next_step)
        if review.review_id == chosen:
            _review(actor, review, pictures)


def _review(actor: Actor, review: MyReview, pictures: bool) -> None:
    st.subheader(f"Review {review.reference}: about this review", anchor=False)
    if review.easy_read_summary:
        st.markdown(md_text(review.easy_read_summary))
    else:
        st.write("The Easy Read summary is not ready yet. Please ask for help.")
    if review.vote_is_open and review.poll is not None:
        st.subheader(f"Review {review.reference}: vote", anchor=False)
        st.info("The vote is open now.", icon=":material/how_to_vote:")
        options = vote_choices(database(), actor=actor)
        render_member_vote(actor, review.item_id, options)
    st.subheader(f"Review {review.reference}: what do you think?", anchor=False)
    if review.my_comment is not None:
        picture_and_words(":material/chat:", said_so_far(review.my_comment), pictures=pictures)
    if review.poll is None and allows(actor, Permission.COMMENT):
        feeling_form(actor, review.review_id, review.reference, review.my_comment, key=f"feel_{review.review_id}")
    elif review.poll is not None:
        st.write("The vote has opened, so what you said can no longer be changed. The panel has seen it.")


def render() -> None:
    actor = current_actor()
    st.title("My meeting")
    show_confirmation()
    pictures = not current_preferences().fewer_things
    with explained_errors():
        meeting = my_next_meeting(database(), actor=actor)
        if meeting is None:
            st.write("There is no meeting coming up yet. The secretariat will tell you when there is one.")
            return
        _about(meeting, pictures)
        _reviews(actor, meeting, pictures)


if __name__ == "__main__":
    from app import main

    main()
