"""The house rules about layers, checked on the source so a slip fails the build."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SQL_CALL = re.compile(r"session\.(execute|scalars?|add|delete|commit)\(|(?<![\w.])select\(|(?<![\w.])text\(\"")


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


LAYERS_BELOW_UI = ["rules", "features", "documents", "operations", "db"]
# What each layer may import from the project, besides itself: the arrows point down only.
ALLOWED_ARROWS: dict[str, set[str]] = {
    "rules": set(),
    "db": {"rules", "settings"},
    "features": {"rules", "db"},  # settings are passed in (the bcrypt cost, the idle limit), never read here
    "documents": {"rules", "features"},
    "operations": {"rules", "db", "features", "documents", "settings"},
    "components": {"rules", "db", "features", "documents", "settings"},
    "pages": {"rules", "features", "components", "app"},  # app only in the __main__ hand-over below
}
PROJECT_PACKAGES = {"rules", "db", "features", "documents", "operations", "components", "pages", "settings", "app",
                    "manage"}


def _top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("folder", LAYERS_BELOW_UI)
def test_no_streamlit_below_components(folder: str) -> None:
    offenders = [p.relative_to(ROOT) for p in python_files(folder)
                 if any(m == "streamlit" or m.startswith("streamlit.") for m in imported_modules(p))]
    assert offenders == []


@pytest.mark.parametrize("folder", sorted(ALLOWED_ARROWS))
def test_imports_only_point_down(folder: str) -> None:
    """pages -> components -> features -> rules/db; documents and operations beside the features."""
    allowed = ALLOWED_ARROWS[folder] | {folder}
    offenders = sorted({f"{p.relative_to(ROOT)} imports {m}" for p in python_files(folder)
                        if "migrations" not in p.parts
                        for m in imported_modules(p) if _top(m) in PROJECT_PACKAGES and _top(m) not in allowed})
    assert offenders == []


def test_rules_are_pure() -> None:
    """A rule is plain Python: no database, no ORM, no UI, so it is tested without any of them."""
    offenders = [f"{p.relative_to(ROOT)} imports {m}" for p in python_files("rules") for m in imported_modules(p)
                 if _top(m) in {"sqlalchemy", "streamlit", "pandas", "docx", "openpyxl"}]
    assert offenders == []


def test_a_use_case_owns_its_unit_of_work() -> None:
    """Pages and components call one use case per intent; only the use cases open a unit of work."""
    opening = re.compile(r"\.unit_of_work\(|session_scope\(|sessionmaker\(")
    offenders = [p.relative_to(ROOT) for folder in ("pages", "components") for p in python_files(folder)
                 if opening.search(p.read_text())]
    assert offenders == [] and (ROOT / "app.py").read_text().count("unit_of_work(") == 0


@pytest.mark.parametrize("folder", ["pages", "components"])
def test_pages_and_components_never_touch_sql_or_models(folder: str) -> None:
    offenders = []
    for path in python_files(folder):
        modules = imported_modules(path)
        if any(m.startswith("sqlalchemy") or m == "db.models" for m in modules):
            offenders.append(path.relative_to(ROOT))
        if SQL_CALL.search(path.read_text()):
            offenders.append(path.relative_to(ROOT))
    assert offenders == []


def test_pages_import_no_database_module() -> None:
    offenders = [p.relative_to(ROOT) for p in python_files("pages")
                 if any(m == "db" or m.startswith("db.") for m in imported_modules(p))]
    assert offenders == []


def _is_main_guard(node: ast.stmt) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


@pytest.mark.parametrize("path", [p for p in python_files("pages") if p.name != "__init__.py"],
                         ids=lambda p: p.name)
def test_page_files_only_define_functions_and_hand_over_to_app(path: Path) -> None:
    """Streamlit's old multipage mode may run a pages/ file directly: it must do nothing but call app.main."""
    tree = ast.parse(path.read_text())
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.Assign, ast.AnnAssign)
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    guards = [n for n in body if _is_main_guard(n)]
    assert len(guards) == 1, "each page ends with: if __name__ == '__main__': from app import main; main()"
    assert "main()" in ast.unparse(guards[0]) and "from app import main" in ast.unparse(guards[0])
    assert all(isinstance(n, allowed) or _is_main_guard(n) for n in body)
    assert any(isinstance(n, ast.FunctionDef) and n.name == "render" for n in body)
