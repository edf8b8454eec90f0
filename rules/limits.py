"""How long typed text may be: one number for each kind of text, kept here so that the form box
(`max_chars`) and the service check (`clean_text` or `check_length`) agree. A direct call, the command line
or a doctored request is refused in words too, before the text reaches the database, where 100,000
characters in a LIKE pattern make SQLite fail and too long a value for a String(n) column makes PostgreSQL
fail. The numbers follow those columns (String(200) for a name, String(100) for a theme).
"""

from __future__ import annotations

from rules.errors import Invalid

MAX_WORD_CHARS = 100  # a theme, a word to avoid, the protective marking, a type of setting
MAX_LABEL_CHARS = 100  # a vote answer's words
MAX_NAME_CHARS = 200  # a name: an owner, an organisation, a helper, a recipient, a priority, a place
MAX_FILTER_CHARS = 200  # "contains" filters: the owner or organisation on the tracker, the audit log
MAX_MEANING_CHARS = 300  # what a vote answer means, the plain words for a word to avoid
MAX_LINK_CHARS = 500  # an online meeting link
MAX_FINDING_CHARS = 500  # a finding: a sentence or two
MAX_INTEREST_CHARS = 500  # a declared interest
MAX_ACTION_CHARS = 1_000  # what an action will do, how it is measured, the evidence that it is done
MAX_REASON_CHARS = 2_000  # reasons, notes, views, responses, what is escalated
MAX_COMMENT_CHARS = 2_000  # a comment on a review or on the draft minutes
MAX_SUMMARY_CHARS = 4_000  # a review's plain summary and its Easy Read summary
MAX_NARRATIVE_CHARS = 10_000  # the minute for one agenda item
MAX_REFERENCE_CHARS = 32  # a review reference (LDR-2026-0147; its pattern is checked too)
MAX_USERNAME_CHARS = 64  # a username (its pattern is checked too)
MAX_EMAIL_CHARS = 254  # an email address, the longest the standard allows
MAX_PASSWORD_BOX_CHARS = 256  # a password box: room beyond bcrypt's 72 bytes, so a longer one is explained, not cut


def check_length(text: str, *, what: str, limit: int) -> str:
    """Refuse text over its kind's limit, in words ("The owner filter is too long: at most 200 characters.").
    Returns the text, so that a caller can check and use it in one step."""
    if len(text) > limit:
        raise Invalid(f"{what} is too long: at most {limit:,} characters.")
    return text
