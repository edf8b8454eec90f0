"""Benchmarks for `make bench`: each scenario builds its own throwaway database, times what a person waits
for, writes a JSON result to bench/results/ and refreshes its table in docs/performance.md.

They are kept out of `make test` because timings depend on the machine; the budgets say what "fast
enough" means for a panel, and the results files keep the trend across commits.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
PERFORMANCE_DOC = PROJECT_ROOT / "docs" / "performance.md"


class BenchError(Exception):
    """Something stopped the benchmark; str(error) is the one line printed for whoever ran it."""


def one_line(error: BaseException) -> str:
    """The first line of an error's message (SQLAlchemy's run to several), or its type if it has none."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


@dataclass(frozen=True)
class Figures:
    """Milliseconds over the timed runs. p95 is the nearest-rank 95th percentile: with 20 runs it is the
    19th fastest, so one stray slow run shows in the max but does not fail the budget."""

    runs: int
    median: float
    p95: float
    max: float
    min: float
    samples: tuple[float, ...]

    @classmethod
    def of(cls, samples_ms: list[float]) -> Figures:
        if not samples_ms:
            raise BenchError("no timed runs: give --runs 1 or more")
        ordered = sorted(samples_ms)
        rank = max(1, math.ceil(0.95 * len(ordered)))
        return cls(runs=len(ordered), median=round(statistics.median(ordered), 2), p95=round(ordered[rank - 1], 2),
                   max=round(ordered[-1], 2), min=round(ordered[0], 2),
                   samples=tuple(round(s, 2) for s in samples_ms))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def machine() -> dict[str, Any]:
    """Enough to tell two machines apart in the trend table, and nothing that names a person or a path."""
    return {"platform": platform.platform(), "cpu_count": os.cpu_count(),
            "python": platform.python_version(), "implementation": platform.python_implementation()}


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", "--no-optional-locks", *args], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_commit() -> str | None:
    """The short commit, with '-dirty' when tracked files have changed since it, so a result measured on
    uncommitted work is not mistaken for the commit itself. Read-only: --no-optional-locks never writes
    the index, so a benchmark does not get in the way of someone using git at the same time."""
    commit = _git("rev-parse", "--short", "HEAD")
    if commit is None:
        return None
    changed = _git("status", "--porcelain", "--untracked-files=no")
    return f"{commit}-dirty" if changed else commit


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def write_result(name: str, when: dt.datetime, payload: dict[str, Any]) -> Path:
    """bench/results/<UTC timestamp>-<name>.json; the timestamp sorts by name as well as by date."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{when:%Y%m%dT%H%M%SZ}-{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_results(name: str) -> list[dict[str, Any]]:
    """Every saved result of one benchmark, oldest first. A file that cannot be read is named and skipped,
    so one bad file never stops the table being written."""
    results = []
    for path in sorted(RESULTS_DIR.glob(f"*-{name}.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"bench: skipped {relative(path)} in the trend table: {one_line(error)}", file=sys.stderr)
            continue
        if isinstance(data, dict) and isinstance(data.get("date"), str):
            results.append(data)
    return sorted(results, key=lambda r: r["date"])


def relative(path: Path) -> str:
    """A path as the project sees it (bench/results/…), never the machine's absolute path."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def _markers(section: str) -> tuple[str, str]:
    return f"<!-- bench:{section}:start -->", f"<!-- bench:{section}:end -->"


def update_doc_section(section: str, generated: str, template: str) -> Path:
    """Replace only what sits between the section's two markers in docs/performance.md, so what people
    write around the tables stays. A missing file (or missing markers) is written from the template, which
    must hold the markers."""
    start, end = _markers(section)
    text = PERFORMANCE_DOC.read_text(encoding="utf-8") if PERFORMANCE_DOC.exists() else ""
    if start not in text or end not in text:
        text = (text.rstrip() + "\n\n" + template.lstrip()) if text.strip() else template
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    PERFORMANCE_DOC.parent.mkdir(parents=True, exist_ok=True)
    PERFORMANCE_DOC.write_text(f"{before}{start}\n{generated.strip()}\n{end}{after}", encoding="utf-8")
    return PERFORMANCE_DOC


def markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)
