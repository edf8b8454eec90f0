"""Where an export is written: one check for backups, action logs and minutes, so each bad path gets the
same clear message before any work is done."""

from __future__ import annotations

from pathlib import Path

from rules.errors import Invalid


def check_output_file(out: Path, *, suffixes: tuple[str, ...] = (), example: str) -> None:
    """Refuse a folder, a file type we do not write, or a folder that does not exist, in words."""
    if out.exists() and out.is_dir():
        raise Invalid(f"{out} is a folder; give a file name such as {example}.")
    if suffixes and out.suffix.lower() not in suffixes:
        raise Invalid(f"{out.name}: the file must end in {' or '.join(suffixes)}.")
    if not out.parent.exists():
        raise Invalid(f"The folder {out.parent} does not exist.")
