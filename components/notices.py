"""What needs you: the list on the home page (Easy Read, with pictures, for lived-experience members) and
the count under the navigation. The count is read at most once a minute per session, and again at once
after the person marks something read, so it costs the other pages almost nothing."""

from __future__ import annotations

import time

import streamlit as st

from components.context import current_preferences, database, page_called
from components.easy_read import picture_and_words
from components.feedback import run_action
from components.text import md_text
from features.notices.notices import ICONS, Notice, NoticeKind
from features.notices.use_cases import answer_meeting, mark_notices_read, my_notices, unread_count
from rules.actors import Actor
from rules.formatting import plural
from rules.vocabulary import Role

_COUNT = "_leder_notice_count"  # (count, when read)
COUNT_SECONDS = 60
PAGE_NAMES = {"circulations": "Decisions by circulation", "my-meeting": "My meeting", "actions": "Actions",
              "minutes": "Minutes", "home": "Home"}


def forget_count() -> None:
    st.session_state.pop(_COUNT, None)


def render_notice_count(actor: Actor) -> None:
    """A line under the navigation: 'What needs you: 3 new', a link to the home page's list."""
    cached = st.session_state.get(_COUNT)
    if cached is None or time.monotonic() - cached[1] > COUNT_SECONDS:
        cached = (unread_count(database(), actor=actor), time.monotonic())
        st.session_state[_COUNT] = cached
    count = cached[0]
    label = f"What needs you: {count} new" if count else "What needs you: nothing new"
    home = page_called("home")
    if home is not None:
        st.sidebar.page_link(home, label=label, icon=":material/notifications:")


def render_notices(actor: Actor) -> None:
    notices = my_notices(database(), actor=actor)
    st.session_state[_COUNT] = (sum(1 for n in notices if not n.read), time.monotonic())
    easy = Role.LIVED_EXPERIENCE_MEMBER in actor.roles
    unread = [n for n in notices if not n.read]
    st.header("What needs you", anchor=False)
    if not unread:
        st.write("Nothing new needs you. Thank you." if easy else "Nothing new needs you.")
    else:
        st.write(f"{plural(len(unread), 'thing')} need{'s' if len(unread) == 1 else ''} you.")
    for notice in unread:
        _notice(actor, notice, easy)
    if len(unread) > 1 and st.button("Mark all as read", key="notices_all_read"):
        forget_count()
        run_action(lambda: mark_notices_read(database(), actor=actor, keys=[n.key for n in unread]),
                   "All marked as read.")
    read = [n for n in notices if n.read]
    if read:
        with st.expander(f"Already read ({len(read)})"):
            for notice in read:
                st.markdown(f"- {md_text(notice.easy if easy else notice.words)}")


def _notice(actor: Actor, notice: Notice, easy: bool) -> None:
    with st.container(border=True):
        words = md_text(notice.easy if easy else notice.words)
        if easy:
            picture_and_words(ICONS[notice.kind], words, pictures=not current_preferences().fewer_things)
        else:
            st.markdown(f"{ICONS[notice.kind]} {words}")
        if notice.kind == NoticeKind.MEETING and notice.meeting_id is not None:
            _will_you_come(actor, notice.meeting_id, notice.key)
            return
        link, mark = st.columns([3, 2])
        target = page_called(notice.page)
        if target is not None:
            link.page_link(target, label=f"Go to {PAGE_NAMES.get(notice.page, notice.page)}",
                           icon=":material/arrow_forward:")
        if mark.button("Mark as read", key=f"read_{notice.key}", help=notice.words):
            forget_count()
            run_action(lambda: mark_notices_read(database(), actor=actor, keys=[notice.key]), "Marked as read.")


def _will_you_come(actor: Actor, meeting_id: int, key: str) -> None:
    coming, not_coming = st.columns(2)
    if coming.button("I will come", key=f"come_{key}", icon=":material/check:"):
        forget_count()
        run_action(lambda: answer_meeting(database(), actor=actor, meeting_id=meeting_id, coming=True),
                   "Thank you. We will see you there.")
    if not_coming.button("I cannot come (send apologies)", key=f"apologies_{key}", icon=":material/close:"):
        forget_count()
        run_action(lambda: answer_meeting(database(), actor=actor, meeting_id=meeting_id, coming=False),
                   "Your apologies are sent to the secretariat.")
