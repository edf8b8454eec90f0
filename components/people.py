"""Render panel members and the role picker."""

from __future__ import annotations

import streamlit as st

from components.tables import accessible_table
from features.people.users import UserRow
from rules.roles import Role, describe_roles, role_label


def render_people_table(people: list[UserRow]) -> None:
    accessible_table(
        [
            {
                "Name": p.name,
                "Username": p.username,
                "Email": p.email,
                "Roles": describe_roles(p.roles),
                "Account": "Active" if p.is_active else "Switched off",
            }
            for p in people
        ],
        empty_message="No one is on this panel yet.",
    )


def role_picker(label: str, *, key: str, default: list[Role] | None = None) -> list[Role]:
    return st.multiselect(label, options=list(Role), default=default or [], format_func=role_label, key=key)
