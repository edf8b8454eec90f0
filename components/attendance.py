"""Attendance: a read-only list grouped by capacity, and the chair's form to record it in one save."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from features.meetings.attendance import AttendanceRow, Capacity
from rules.labels import ATTENDANCE_LABELS, AttendanceStatus

NOT_RECORDED = "Not recorded yet"
AttendanceChanges = dict[int, tuple[AttendanceStatus, int | None]]


def render_attendance_lists(rows: Sequence[AttendanceRow]) -> None:
    """Voting members present, apologies and absences, deputies, then people who never count."""
    def names(filter_: Callable[[AttendanceRow], bool]) -> str:
        chosen = [f"{r.name} ({r.role_names})" for r in rows if filter_(r)]
        return "; ".join(chosen) if chosen else "None"

    voting = Capacity.VOTING_MEMBER
    st.markdown(
        f"**Voting members present:** {names(lambda r: r.capacity == voting and r.present)}  \n"
        f"**Deputies:** "
        f"{'; '.join(f'{r.name} for {r.deputy_for_name}' for r in rows if r.deputy_for_name) or 'None'}  \n"
        f"**Apologies:** {names(lambda r: r.status == AttendanceStatus.APOLOGIES)}  \n"
        f"**Absent or not recorded:** "
        f"{names(lambda r: r.capacity == voting and r.status in (None, AttendanceStatus.ABSENT))}  \n"
        f"**In attendance (do not count to quorum):** "
        f"{names(lambda r: r.capacity == Capacity.IN_ATTENDANCE and r.present)}  \n"
        f"**Observers (do not count to quorum):** {names(lambda r: r.capacity == Capacity.OBSERVER and r.present)}"
    )


def attendance_form(rows: Sequence[AttendanceRow], *, key: str) -> AttendanceChanges | None:
    """One select per person, and a deputy choice for voting members' stand-ins. Returns changes on save.

    Options avoid None ("" is "not recorded yet", 0 is "no one") so every option has a visible label.
    """
    statuses: list[str] = ["", *AttendanceStatus]
    voting = [r for r in rows if r.capacity == Capacity.VOTING_MEMBER]
    deputy_options: list[int] = [0, *(r.user_id for r in voting)]
    names = {r.user_id: r.name for r in rows}
    changes: AttendanceChanges = {}
    with st.form(key):
        for row in rows:
            left, right = st.columns([3, 2])
            status = left.selectbox(
                f"{row.name} ({row.role_names})", options=statuses, index=statuses.index(row.status or ""),
                format_func=lambda s: ATTENDANCE_LABELS[AttendanceStatus(s)] if s else NOT_RECORDED,
                key=f"{key}_s_{row.user_id}",
            )
            deputy_for = right.selectbox(
                f"{row.name} is deputising for", options=deputy_options,
                index=deputy_options.index(row.deputy_for_user_id or 0) if (row.deputy_for_user_id or 0)
                in deputy_options else 0,
                format_func=lambda i: names[i] if i else "No one", key=f"{key}_d_{row.user_id}",
            )
            chosen = (AttendanceStatus(status), deputy_for or None) if status else None
            if chosen is not None and chosen != (row.status, row.deputy_for_user_id):
                changes[row.user_id] = chosen
        submitted = st.form_submit_button("Save attendance")
    return changes if submitted else None
