"""Notices: what needs each person now, worded for them, marked read per person."""
