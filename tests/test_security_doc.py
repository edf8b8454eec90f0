"""docs/security.md shows the permission matrix the code enforces, made from it."""

from __future__ import annotations

from pathlib import Path

from rules.permissions import matrix_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "security.md"


def test_the_documented_matrix_is_the_enforced_one() -> None:
    text = DOC.read_text()
    documented = text.split("<!-- matrix:start -->\n", 1)[1].split("\n<!-- matrix:end -->", 1)[0]
    assert documented == matrix_markdown()
