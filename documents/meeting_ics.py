"""A meeting as a calendar invite (.ics, RFC 5545) for members' own calendars: when, where, the online
link and a link to the app, never case detail. A change is the same UID with a higher SEQUENCE; a cancelled
meeting is METHOD:CANCEL with STATUS:CANCELLED, so calendars remove the event they already hold."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from features.meetings.calendar import DEFAULT_LENGTH, CalendarEntry
from rules.formatting import UK

PRODUCT = "-//LeDeR governance panel//Meeting invites//EN"


def _description(entry: CalendarEntry, app_url: str) -> str:
    lines = [f"Cancelled: {entry.cancelled_reason}"] if entry.cancelled and entry.cancelled_reason else []
    if entry.online_link:
        lines.append(f"Join online: {entry.online_link}")
    lines.append(f"The agenda and papers are in the panel app: {app_url}/my-meeting")
    return "\n".join(lines)


def meeting_ics(entry: CalendarEntry, *, app_url: str, now: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if entry.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("summary", ("Cancelled: " if entry.cancelled else "") + entry.title)
    if entry.start is None:  # no time set yet: the whole day
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
    else:
        start = dt.datetime.combine(entry.day, entry.start, tzinfo=UK)
        event.add("dtstart", start)
        event.add("dtend", start + DEFAULT_LENGTH)
    if entry.location:
        event.add("location", entry.location)
    if entry.online_link:
        event.add("url", entry.online_link)
    event.add("description", _description(entry, app_url))
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
