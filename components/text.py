"""Text that people typed, made safe to place inside Streamlit markdown.

Markdown would turn a comment into links (including javascript: and data: addresses), headings, colour
directives, icons or LaTeX. Escaping every ASCII punctuation mark shows the text exactly as it was typed;
HTML is never allowed through (Streamlit escapes it unless unsafe_allow_html is set, which we never do).
"""

from __future__ import annotations

import re

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md_text(text: str) -> str:
    """`text` as literal words in markdown: every ASCII punctuation character backslash-escaped."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
