"""People and roles: the secretariat adds panel members and changes their roles."""

from __future__ import annotations

import streamlit as st

from components.context import app_settings, current_actor, database
from components.feedback import confirm_and_rerun, explained_errors, show_confirmation
from components.people import render_people_table, role_picker
from features.people.passwords import generate_password
from features.people.use_cases import add_person, people_on_panel, set_roles
from features.people.users import UserRow
from rules.limits import MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PASSWORD_BOX_CHARS, MAX_USERNAME_CHARS

_FORM_ROUND = "people_form_round"


def _new_round(message: str) -> None:
    """Clear the forms after a save (new widget keys), then confirm."""
    st.session_state[_FORM_ROUND] = st.session_state.get(_FORM_ROUND, 0) + 1
    confirm_and_rerun(message)


def _add_person_form(round_: int) -> None:
    st.header("Add a person", anchor=False)
    with st.form(f"add_person_{round_}"):
        username = st.text_input("Username", help="Lower-case letters, digits, dots or dashes.",
                                 max_chars=MAX_USERNAME_CHARS)
        name = st.text_input("Full name", max_chars=MAX_NAME_CHARS)
        email = st.text_input("Email address", max_chars=MAX_EMAIL_CHARS)
        roles = role_picker("Roles", key=f"new_roles_{round_}")
        password = st.text_input(
            "Temporary password (leave empty to make one)", type="password", max_chars=MAX_PASSWORD_BOX_CHARS,
            help="At least 12 characters. Share it with the person privately.",
        )
        submitted = st.form_submit_button("Add this person")
    if submitted:
        chosen_password = password or generate_password()
        user = None
        with explained_errors():
            user = add_person(database(), actor=current_actor(), username=username, name=name, email=email,
                              roles=roles, password=chosen_password,
                              bcrypt_rounds=app_settings().bcrypt_rounds)
        if user is not None:  # committed: only now clear the form
            note = "" if password else f" Their temporary password is {chosen_password} (shown once)."
            _new_round(f"Added {user.name} as {user.username}.{note}")


def _change_roles_form(round_: int, people: list[UserRow]) -> None:
    st.header("Change someone's roles", anchor=False)
    if not people:
        return
    by_id = {p.id: p for p in people}
    person_id = st.selectbox("Person", options=list(by_id), format_func=lambda i: by_id[i].name,
                             key=f"role_person_{round_}")
    person = by_id[person_id]
    with st.form(f"change_roles_{round_}"):
        roles = role_picker("Roles", key=f"roles_{round_}_{person.id}", default=list(person.roles))
        submitted = st.form_submit_button("Save roles")
    if submitted:
        saved = None
        with explained_errors():
            saved = set_roles(database(), actor=current_actor(), person=person, roles=roles)
        if saved is not None:
            _new_round(f"Saved the roles of {saved.name}.")


def render() -> None:
    actor = current_actor()
    st.title("People and roles")
    show_confirmation()
    round_ = st.session_state.get(_FORM_ROUND, 0)
    with explained_errors():
        people = people_on_panel(database(), actor=actor)
        render_people_table(people)
        _add_person_form(round_)
        _change_roles_form(round_, people)


if __name__ == "__main__":
    from app import main

    main()
