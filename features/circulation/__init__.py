"""Decisions by circulation: the chair sends reviews to members, who vote by a deadline, between meetings."""
