"""Entry script and router: sign-in first, then a navigation built from the signed-in user's roles.

Files in pages/ only define render functions; this script hands them to st.Page. If Streamlit's old
multipage mode serves a pages/ file directly, that file calls main() here, so sign-in still comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from components import auth
from components.context import CONFIGURATION_PROBLEMS, freeze_imported_objects, set_actor, set_pages
from components.feedback import explained_errors
from components.notices import render_notice_count
from components.preferences import load_and_apply_preferences
from components.ready import mark_run_finished
from pages import (
    accessibility,
    actions,
    audit,
    circulations,
    em_lead,
    home,
    import_reviews,
    insight,
    interests,
    meeting_room,
    meetings,
    minutes,
    my_meeting,
    panel_settings,
    people,
    reading,
    reviews,
)
from rules.actors import Actor
from rules.permissions import Permission, allows
from rules.roles import describe_roles


@dataclass(frozen=True)
class PageSpec:
    render: Callable[[], None]
    title: str
    url_path: str
    icon: str
    permission: Permission


PAGES: tuple[PageSpec, ...] = (
    PageSpec(home.render, "Home", "home", ":material/home:", Permission.VIEW_HOME),
    PageSpec(my_meeting.render, "My meeting", "my-meeting", ":material/record_voice_over:", Permission.COMMENT),
    PageSpec(meeting_room.render, "Meeting room", "meeting", ":material/meeting_room:", Permission.VIEW_MEETINGS),
    PageSpec(meetings.render, "Meetings", "meetings", ":material/event:", Permission.VIEW_MEETINGS),
    PageSpec(circulations.render, "Decisions by circulation", "circulations", ":material/forward_to_inbox:",
             Permission.VIEW_MEETINGS),
    PageSpec(minutes.render, "Minutes", "minutes", ":material/article:", Permission.VIEW_MEETINGS),
    PageSpec(reviews.render, "Focused reviews", "reviews", ":material/description:", Permission.VIEW_REVIEWS),
    PageSpec(actions.render, "Actions", "actions", ":material/task_alt:", Permission.VIEW_ACTIONS),
    PageSpec(import_reviews.render, "Import reviews", "import", ":material/upload_file:", Permission.IMPORT_REVIEWS),
    PageSpec(insight.render, "Insight", "insight", ":material/insights:", Permission.VIEW_REVIEWS),
    PageSpec(interests.render, "Register of interests", "interests", ":material/fact_check:",
             Permission.VIEW_MEETINGS),
    PageSpec(people.render, "People and roles", "people", ":material/group:", Permission.MANAGE_USERS),
    PageSpec(panel_settings.render, "Panel settings", "settings", ":material/tune:", Permission.MANAGE_SETTINGS),
    PageSpec(em_lead.render, "Ethnic minority lead", "em-lead", ":material/diversity_3:", Permission.VIEW_EM_LEAD),
    PageSpec(audit.render, "Audit log", "audit", ":material/history:", Permission.VIEW_AUDIT),
    PageSpec(reading.render, "My reading settings", "reading", ":material/text_increase:", Permission.VIEW_HOME),
    PageSpec(accessibility.render, "Accessibility", "accessibility", ":material/accessibility_new:",
             Permission.VIEW_HOME),
)


def pages_for(actor: Actor) -> list[st.Page]:
    """The pages this person's roles allow, in the menu. Other addresses are hidden pages that say the page
    is not available, rather than Streamlit's "Page not found" pop-up; their content never runs."""
    return [
        st.Page(spec.render, title=spec.title, url_path=spec.url_path, icon=spec.icon,
                default=spec.url_path == "home")
        if allows(actor, spec.permission)
        else st.Page(render_not_available, title="Not available", url_path=spec.url_path, visibility="hidden")
        for spec in PAGES
    ]


def sign_in_pages(render_sign_in: Callable[[], None]) -> list[st.Page]:
    """For a stranger every address shows the sign-in form; after signing in the same address opens."""
    return [
        st.Page(render_sign_in, title="Sign in", url_path="sign-in", default=True),
        *(st.Page(render_sign_in, title="Sign in", url_path=spec.url_path, visibility="hidden") for spec in PAGES),
    ]


def render_not_available() -> None:
    st.title("Not available")
    st.write("This page is not part of your role on the panel. Use the menu to go to your pages, "
             "or ask the secretariat if you think you need it.")


def main() -> None:
    st.set_page_config(layout="wide", initial_sidebar_state="auto")  # collapsed on phones
    run_app()
    mark_run_finished()  # last, on every path that finishes (a rerun or st.stop() skips it, as it should)


def run_app() -> None:
    """Sign-in, then the person's pages; returns early for a configuration problem or after Log out."""
    freeze_imported_objects()  # the imports above are done; see docs/performance.md
    try:
        authenticator = auth.build_authenticator()
    except (auth.SignInNotConfigured, *CONFIGURATION_PROBLEMS) as error:
        st.title("The panel app cannot start")
        st.write("Please tell whoever looks after this app for your ICB. What they need to fix:")
        st.error(str(error))
        st.navigation([st.Page(lambda: None, title="Not configured", url_path="not-configured")]).run()
        return
    auth.restore_from_cookie(authenticator)
    auth.restore_from_organisation(authenticator)  # only when secrets.toml sets up the ICB's provider
    actor = auth.signed_in_actor(authenticator)
    auth.settle_cookie(authenticator)
    set_actor(actor)
    if actor is None:
        st.navigation(sign_in_pages(lambda: auth.render_sign_in(authenticator)), position="hidden").run()
        return
    pages = pages_for(actor)
    set_pages({spec.url_path: page for spec, page in zip(PAGES, pages, strict=True) if allows(actor, spec.permission)})
    navigation = st.navigation(pages, expanded=True)  # every page listed, no "View more"
    with explained_errors():
        render_notice_count(actor)  # under the menu, above the sign-out caption
    # The button sits after st.navigation so its widget id belongs to the page and a first click counts.
    if auth.render_sign_out(authenticator, actor, describe_roles(actor.roles)):
        set_actor(None)
        # No st.rerun(): it would drop the library's request to delete the cookie. That request's
        # component reruns the app itself once the browser has deleted it, which shows the sign-in form.
        st.info("You have logged out.", icon=":material/logout:")
        return
    with explained_errors():
        load_and_apply_preferences(actor)
        navigation.run()


if __name__ == "__main__":
    main()
