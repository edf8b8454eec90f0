"""Benchmark: 5,000 reviews import from the review platform's export in under 10 s (issue 23).

Each run starts from a fresh, migrated database with the demo seeded, on SQLite and on PostgreSQL, and
imports one fictional CSV of 5,000 reviews (three findings and two themes each) through the same use cases
the Import reviews page calls: the check the preview shows, then the import, which reads and checks the
file again inside its transaction and writes every review with its line in the audit log. A second import
of the same file (nothing changes) is timed too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from typing import Any

from bench import (
    BenchError,
    Figures,
    git_commit,
    load_results,
    machine,
    markdown_table,
    relative,
    update_doc_section,
    utc_now,
    write_result,
)
from bench.databases import throwaway
from db.session import Database
from features.people.actors import load_actor
from features.reviews.use_cases import check_import_file, import_review_file
from operations.demo import seed_demo
from rules.review_import import COLUMNS

NAME = "import"
BUDGET_MS = 10_000.0
ROWS = 5_000
BACKENDS = ("sqlite", "postgresql")
THEMES = ("Sepsis", "Epilepsy", "Constipation", "STOMP", "Annual health checks", "Reasonable adjustments")
SETTINGS = ("Supported living", "Family home", "Residential care home", "Hospital", "Nursing home")
DOC_TEMPLATE = """
## Importing 5,000 reviews

Budget (issue 23): a review platform export of 5,000 reviews, each with three findings and two themes,
is checked and imported in under 10 s, on SQLite and on PostgreSQL, judged on the slowest run. Each run is
a fresh database with the demo: the check the preview shows, then the import (which checks the file again
inside its transaction and writes every review and its line in the audit log), then the same file again,
which changes nothing. `.venv/bin/python -m bench --only import`.

<!-- bench:import:start -->
<!-- bench:import:end -->
"""


def export_file(rows: int = ROWS, *, today: dt.date) -> bytes:
    """A fictional export: references LDR-YYYY-NNNN from 5000 up, none of them a demo review."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([spec.heading for spec in COLUMNS])
    for n in range(rows):
        notified = today - dt.timedelta(days=30 + n % 300)
        writer.writerow([
            f"LDR-2025-{n:04d}", notified.strftime("%d/%m/%Y"), "reviewer@example.org", "yes" if n % 7 == 0 else "no",
            ("25-34", "35-44", "45-54", "55-64")[n % 4], SETTINGS[n % len(SETTINGS)],
            f"Fictional benchmark review {n}. Signs of illness were noticed late because the person could not "
            "say they felt unwell.",
            f"The eating and drinking plan was not shared with the day service ({n}).\n"
            "Staff were not trained to spot the signs of aspiration.",
            "Support staff knew the person well and asked for help early.",
            "The assessment was not repeated after weight loss.",
            f"{THEMES[n % len(THEMES)]}; {THEMES[(n + 1) % len(THEMES)]}",
        ])
    return buffer.getvalue().encode("utf-8")


def _once(backend: str, data: bytes, today: dt.date) -> dict[str, float]:
    with throwaway(backend) as url:
        db = Database.from_url(url)
        try:
            with db.unit_of_work() as session:
                seed_demo(session=session, password="bench-password-not-used", today=today, bcrypt_rounds=4)
            with db.unit_of_work(read_only=True) as session:
                admin = load_actor(session=session, username="admin")
            started = time.perf_counter()
            preview = check_import_file(db, actor=admin, file_name="quarter.csv", data=data)
            checked = time.perf_counter()
            if not preview.check.is_clean:
                raise BenchError(f"the benchmark file has problems: {preview.check.problems[0].message}")
            steps: list[float] = []
            result = import_review_file(db, actor=admin, file_name="quarter.csv", data=data, only_clean=False,
                                        fingerprint=preview.fingerprint,
                                        progress=lambda fraction, _words: steps.append(fraction))
            imported = time.perf_counter()
            if result.new != ROWS:
                raise BenchError(f"expected {ROWS} new reviews, the import made {result.new}")
            again = import_review_file(db, actor=admin, file_name="quarter.csv", data=data, only_clean=False,
                                       fingerprint=None, progress=lambda _f, _w: None)
            reimported = time.perf_counter()
            if again.unchanged != ROWS:
                raise BenchError(f"a second import changed something: {again.sentence()}")
        finally:
            db.dispose()
    return {"check": (checked - started) * 1000, "import": (imported - checked) * 1000,
            "check_and_import": (imported - started) * 1000, "reimport": (reimported - imported) * 1000,
            "progress_steps": float(len(steps))}


def run(*, runs: int = 3) -> bool:
    when, today = utc_now(), dt.date.today()
    data = export_file(today=today)
    timings: dict[str, dict[str, Figures]] = {}
    steps = 0.0
    for backend in BACKENDS:
        samples = [_once(backend, data, today) for _ in range(runs)]
        steps = samples[-1]["progress_steps"]
        timings[backend] = {key: Figures.of([s[key] for s in samples])
                            for key in ("check", "import", "check_and_import", "reimport")}
    worst = max(timings[b]["check_and_import"].max for b in BACKENDS)
    met = worst < BUDGET_MS
    payload: dict[str, Any] = {
        "benchmark": NAME, "claim": f"{ROWS:,} reviews import in under {BUDGET_MS / 1000:g} s",
        "date": when.isoformat().replace("+00:00", "Z"), "commit": git_commit(), "machine": machine(),
        "runs": runs, "rows": ROWS, "file_bytes": len(data), "budget_ms": BUDGET_MS,
        "budget_judged_on": "the slowest check + import of any run on either backend", "budget_met": met,
        "progress_updates": steps,
        "timings_ms": {b: {k: f.to_json() for k, f in t.items()} for b, t in timings.items()},
    }
    path = write_result(NAME, when, payload)
    doc = update_doc_section(NAME, trend_table(load_results(NAME)), DOC_TEMPLATE)
    for backend in BACKENDS:
        t = timings[backend]
        print(f"Import of {ROWS:,} reviews ({len(data) / 1024:.0f} KB) on {backend}, {runs} runs, max ms: "
              f"check {t['check'].max:.0f}, import {t['import'].max:.0f}, both {t['check_and_import'].max:.0f}, "
              f"again (unchanged) {t['reimport'].max:.0f}")
    print(f"Budget {BUDGET_MS / 1000:g} s on the slowest: {worst / 1000:.1f} s: {'PASS' if met else 'FAIL'}")
    print(f"Saved {relative(path)}; trend table in {relative(doc)}.")
    return met


def trend_table(results: list[dict[str, Any]]) -> str:
    rows = []
    for result in results[-10:]:
        t = result["timings_ms"]
        rows.append((result["date"][:16].replace("T", " "), (result.get("commit") or "")[:7],
                     *(f"{t[b]['check_and_import']['max'] / 1000:.1f} s" for b in BACKENDS),
                     *(f"{t[b]['reimport']['max'] / 1000:.1f} s" for b in BACKENDS),
                     "PASS" if result["budget_met"] else "FAIL"))
    return markdown_table(("When (UTC)", "Commit", "SQLite: check + import", "PostgreSQL: check + import",
                           "SQLite: again", "PostgreSQL: again", "Budget 10 s"), rows)
