"""Streamlit specifics that keep one person's data and typed text where they belong: no traceback shown to
users, no user-specific cache, and no typed text through unsafe HTML."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_FILES = [ROOT / "app.py", *sorted((ROOT / "components").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
# The st.html calls: the reading-preference CSS, built from fixed rules; the ready marker, a run number and a
# fixed word; and the plain table, whose every header and cell is escaped (tested below).
HTML_ALLOWED = {"components/preferences.py", "components/ready.py", "components/tables.py"}
# The one cache holds the database engine per URL: nothing about the person signed in.
CACHE_ALLOWED = {"components/context.py": {"_database_for"}}


def _calls(path: Path) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]


def _name(node: ast.AST) -> str:
    return ast.unparse(node)


def test_users_never_see_a_traceback() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_no_typed_text_goes_through_unsafe_html() -> None:
    for path in UI_FILES:
        relative = path.relative_to(ROOT).as_posix()
        for call in _calls(path):
            unsafe = [k for k in call.keywords if k.arg == "unsafe_allow_html"]
            assert not unsafe, f"{relative}: unsafe_allow_html in {_name(call)[:80]}"
            if _name(call.func) == "st.html":
                assert relative in HTML_ALLOWED, f"{relative}: st.html outside the allowed files"


def test_plain_tables_escape_what_was_typed() -> None:
    from components.tables import plain_table_html

    written = plain_table_html([{"<b>Theme</b>": "<script>alert(1)</script>", "Count": 3}])
    assert "<script>" not in written and "<b>" not in written
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in written and "&lt;b&gt;Theme&lt;/b&gt;" in written
    assert '<td class="number">3</td>' in written


def test_caches_hold_nothing_about_the_person() -> None:
    for path in UI_FILES:
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            cached = [d for d in node.decorator_list if "cache_data" in _name(d) or "cache_resource" in _name(d)]
            if cached:
                assert node.name in CACHE_ALLOWED.get(relative, set()), f"{relative}: {node.name} is cached"
                arguments = {a.arg for a in node.args.args}
                assert not arguments & {"actor", "user", "username", "user_id"}, f"{relative}: {node.name}"


def test_every_text_box_has_a_length_limit() -> None:
    """A box without max_chars takes any length (100,000 characters reached SQLite as a LIKE pattern); each
    box's limit comes from rules/limits.py, so the form and the service's own check agree."""
    unbounded = []
    for path in UI_FILES:
        relative = path.relative_to(ROOT).as_posix()
        for call in _calls(path):
            if _name(call.func) not in {"st.text_input", "st.text_area"}:
                continue
            limit = next((k.value for k in call.keywords if k.arg == "max_chars"), None)
            if limit is None or not _name(limit).startswith("MAX_"):
                unbounded.append(f"{relative}:{call.lineno} {_name(call)[:70]}")
    assert unbounded == []
