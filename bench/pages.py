"""Every page as every role, through the real server: the small demo against national-scale data, both
against a floor page, plus the server's memory per extra session.

Three `streamlit run` servers run side by side — the app on the demo database, the app on the national
database, the floor page — and each measurement goes round them in turn (demo, national, floor, demo, …),
so a slow moment of the machine lands on all three alike and the ratios stay fair. A measurement is a
rerun of the open page, which is what every click costs: Streamlit runs the whole page script again.

Budgets (issue 10): each page's p95 on the national data ≤ 1.5 × the same page on the demo data and
≤ 2 × the floor page's p95; ≤ 30 MB of server memory per extra signed-in session.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from bench import (
    PROJECT_ROOT,
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
from bench.client import ClientError, StreamlitSession, sign_in_to_app
from bench.databases import throwaway_sqlite
from bench.server import StreamlitServer, free_port, refuse_busy_ports, running

NAME = "pages"
PASSWORD = "bench-demo-password-2026"
COOKIE_KEY = "bench-cookie-key-" + "x" * 32
ROLES = ("chair", "admin", "member", "lived", "emlead", "reviewer", "observer")
NATIONAL_RATIO = 1.5
FLOOR_RATIO = 2.0
MEMORY_BUDGET_MB = 30.0
EXTRA_SESSIONS = 20
SEED_BUDGET_S = 300.0
MINUTES_BUDGET_MS = 1000.0
MINUTES_BUTTON = "Prepare the minutes as a Word document"
FLOOR_SCRIPT = "bench/apps/floor.py"


def _environment(url: str) -> dict[str, str]:
    return {"DATABASE_URL": url, "LEDER_COOKIE_KEY": COOKIE_KEY, "LEDER_DEMO_PASSWORD": PASSWORD}


def seed(url: str, scale: str) -> float:
    """`manage.py seed-demo --scale S` into a migrated database, as a person would; the seconds it took."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", "seed-demo", "--scale", scale], cwd=PROJECT_ROOT,
                          env={**os.environ, **_environment(url)}, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise BenchError(f"seed-demo --scale {scale} failed: {lines[-1] if lines else done.returncode}")
    return time.perf_counter() - started


def sign_in(url: str, username: str) -> StreamlitSession:
    try:
        return sign_in_to_app(url, username, PASSWORD)
    except ClientError as error:
        raise BenchError(str(error)) from error


def _checked(result: Any, where: str) -> float:
    if result.errors:
        raise BenchError(f"{where} showed an error: {result.errors[0][:200]}")
    if not result.status.startswith("FINISHED"):
        raise BenchError(f"{where} did not finish: {result.status}")
    return float(result.elapsed_ms)


@dataclass
class PageFigures:
    role: str
    page: str
    title: str
    demo: Figures
    national: Figures
    floor: Figures

    @property
    def national_vs_demo(self) -> float:
        return self.national.p95 / self.demo.p95

    @property
    def national_vs_floor(self) -> float:
        return self.national.p95 / self.floor.p95

    @property
    def met(self) -> bool:
        return self.national_vs_demo <= NATIONAL_RATIO and self.national_vs_floor <= FLOOR_RATIO

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role, "page": self.page, "title": self.title, "demo_ms": self.demo.to_json(),
                "national_ms": self.national.to_json(), "floor_ms": self.floor.to_json(),
                "national_vs_demo": round(self.national_vs_demo, 2),
                "national_vs_floor": round(self.national_vs_floor, 2), "met": self.met}


def measure_role(role: str, demo_url: str, national_url: str, floor: StreamlitSession, runs: int,
                 only_pages: tuple[str, ...] = ()) -> list[PageFigures]:
    """Every page in the role's menu, round-robin across the two app servers and the floor."""
    demo, national = sign_in(demo_url, role), sign_in(national_url, role)
    try:
        if set(demo.menu) != set(national.menu):
            raise BenchError(f"{role} has different menus on the demo and national data")
        figures = []
        for page, title in demo.menu.items():
            if only_pages and page not in only_pages:
                continue
            samples: dict[str, list[float]] = {"demo": [], "national": [], "floor": []}
            _checked(demo.open_page(page), f"{title} as {role} (demo)")
            _checked(national.open_page(page), f"{title} as {role} (national)")
            for _ in range(runs):
                samples["demo"].append(_checked(demo.rerun(), f"{title} as {role} (demo)"))
                samples["national"].append(_checked(national.rerun(), f"{title} as {role} (national)"))
                samples["floor"].append(_checked(floor.rerun(), "the floor page"))
            figures.append(PageFigures(role, page or "home", title, Figures.of(samples["demo"]),
                                       Figures.of(samples["national"]), Figures.of(samples["floor"])))
        return figures
    finally:
        demo.close()
        national.close()


@dataclass
class ActionFigures:
    """A main action done through the page, as a person would click it, on both databases."""

    name: str
    demo: Figures
    national: Figures
    demo_rows: int  # action rows in the document: what it has to write, which national history makes longer
    national_rows: int

    @property
    def national_vs_demo(self) -> float:
        return self.national.p95 / self.demo.p95

    @property
    def met(self) -> bool:
        """The issue's budget for the minutes: under a second. National ÷ demo is reported beside the rows
        written, not judged: a panel with five years of history has more overdue actions to bring back."""
        return self.national.p95 <= MINUTES_BUDGET_MS

    def to_json(self) -> dict[str, Any]:
        return {"action": self.name, "demo_ms": self.demo.to_json(), "national_ms": self.national.to_json(),
                "demo_action_rows": self.demo_rows, "national_action_rows": self.national_rows,
                "national_vs_demo": round(self.national_vs_demo, 2), "met": self.met}


def minutes_action_rows(database_url: str) -> int:
    """The action rows (every table row) in the minutes the Minutes page offers the chair first: the newest
    meeting that has minutes. Read through the services, as the page does."""
    from bench.minutes import count_minutes
    from components.minutes import meetings_with_minutes
    from db.session import Database
    from features.meetings.meetings import list_meetings
    from features.minutes.workflow import minutes_for_export
    from features.people.actors import load_actor

    db = Database.from_url(database_url)
    try:
        with db.unit_of_work(read_only=True) as session:
            chair = load_actor(session=session, username="chair")
            first = meetings_with_minutes(list_meetings(session=session, actor=chair))[0]
            minutes = minutes_for_export(session=session, actor=chair, meeting_id=first.id, today=dt.date.today())
    finally:
        db.engine.dispose()
    return count_minutes(minutes)["all_action_rows"]


def measure_minutes_export(demo: tuple[str, str], national: tuple[str, str], runs: int) -> ActionFigures:
    """The chair presses "Prepare the minutes as a Word document" on the Minutes page (its first meeting):
    the minutes are built from the record and written as Word in that run. Each pair is (server, database)."""
    (demo_url, demo_db), (national_url, national_db) = demo, national
    sessions = [sign_in(demo_url, "chair"), sign_in(national_url, "chair")]
    samples: list[list[float]] = [[], []]
    try:
        for session in sessions:
            _checked(session.open_page("minutes"), "the Minutes page")
        for _ in range(runs):
            for n, session in enumerate(sessions):
                samples[n].append(_checked(session.click(MINUTES_BUTTON), "preparing the minutes"))
    finally:
        for session in sessions:
            session.close()
    return ActionFigures("Export the minutes (Word), chair", Figures.of(samples[0]), Figures.of(samples[1]),
                         minutes_action_rows(demo_db), minutes_action_rows(national_db))


def memory_per_session(server: StreamlitServer, extra: int = EXTRA_SESSIONS) -> dict[str, float]:
    """Resident memory before and after `extra` more members sign in and open the meeting room, per session.
    Each session stays connected (a browser tab left open) while the memory is read."""
    warm = sign_in(server.url, "member")
    warm.open_page("meeting")
    time.sleep(0.5)
    before = server.rss_mb()
    sessions = []
    try:
        for _ in range(extra):
            session = sign_in(server.url, "member")
            _checked(session.open_page("meeting"), "the meeting room (memory)")
            sessions.append(session)
        time.sleep(0.5)
        after = server.rss_mb()
    finally:
        for session in [warm, *sessions]:
            session.close()
    return {"sessions": extra, "before_mb": round(before, 1), "after_mb": round(after, 1),
            "per_session_mb": round((after - before) / extra, 2)}


def run(*, runs: int = 40, only_roles: tuple[str, ...] = ROLES, only_pages: tuple[str, ...] = ()) -> bool:
    when = utc_now()
    seconds: dict[str, float] = {}
    demo = StreamlitServer("app.py", free_port(), name="app (demo data)")
    national = StreamlitServer("app.py", free_port(), name="app (national data)")
    floor_server = StreamlitServer(FLOOR_SCRIPT, free_port(), name="floor page")
    refuse_busy_ports(demo, national, floor_server)  # before minutes of seeding, not after
    with ExitStack() as stack:
        demo_url = stack.enter_context(throwaway_sqlite("demo"))
        national_url = stack.enter_context(throwaway_sqlite("national"))
        print("bench pages: seeding the demo and the national databases…", flush=True)
        seconds["demo_seed"] = seed(demo_url, "small")
        seconds["national_seed"] = seed(national_url, "national")
        demo.env, national.env = _environment(demo_url), _environment(national_url)
        stack.enter_context(running(demo, national, floor_server))
        floor = stack.enter_context(StreamlitSession(floor_server.url, timeout=60).connect())
        _checked(floor.open_page(""), "the floor page")
        pages: list[PageFigures] = []
        try:
            for role in only_roles:
                print(f"bench pages: {role}…", flush=True)
                pages += measure_role(role, demo.url, national.url, floor, runs, only_pages)
            print("bench pages: exporting the minutes…", flush=True)
            actions = [measure_minutes_export((demo.url, demo_url), (national.url, national_url), runs)]
            memory = memory_per_session(national)
        except ClientError as error:
            raise BenchError(str(error)) from error
    payload = _payload(when, runs, seconds, pages, memory, actions)
    path = write_result(NAME, when, payload)
    doc = update_doc_section(NAME, doc_section(payload, load_results(NAME)), DOC_TEMPLATE)
    print(summary(payload))
    print(f"Saved {relative(path)}; table in {relative(doc)}.")
    return bool(payload["budget_met"])


def _payload(when: dt.datetime, runs: int, seconds: dict[str, float], pages: list[PageFigures],
             memory: dict[str, float], actions: list[ActionFigures]) -> dict[str, Any]:
    floor_p95 = statistics.median(p.floor.p95 for p in pages) if pages else 0.0
    missed = [f"{p.title} as {p.role}" for p in pages if not p.met] + [a.name for a in actions if not a.met]
    memory_met = memory["per_session_mb"] <= MEMORY_BUDGET_MB
    seed_met = seconds["national_seed"] <= SEED_BUDGET_S
    return {
        "benchmark": NAME,
        "claim": (f"every page's p95 on national data is at most {NATIONAL_RATIO}x the demo's and {FLOOR_RATIO}x "
                  f"the floor page's; at most {MEMORY_BUDGET_MB:g} MB per extra session; the national seed "
                  f"in under {SEED_BUDGET_S / 60:g} minutes"),
        "date": when.isoformat().replace("+00:00", "Z"), "commit": git_commit(), "machine": machine(),
        "runs": runs, "seed_seconds": {k: round(v, 1) for k, v in seconds.items()},
        "floor_p95_ms": round(floor_p95, 1), "pages": [p.to_json() for p in pages], "memory": memory,
        "actions": [a.to_json() for a in actions],
        "missed": missed, "budget_met": not missed and memory_met and seed_met,
        "budgets": {"national_vs_demo": NATIONAL_RATIO, "national_vs_floor": FLOOR_RATIO,
                    "memory_per_session_mb": MEMORY_BUDGET_MB, "national_seed_s": SEED_BUDGET_S},
    }


def summary(payload: dict[str, Any]) -> str:
    lines = [f"Pages: {payload['runs']} reruns each, p95 in ms (floor p95 {payload['floor_p95_ms']} ms)",
             f"  {'role':9}{'page':24}{'demo':>8}{'national':>10}{'floor':>8}{'n/d':>6}{'n/f':>6}"]
    for p in payload["pages"]:
        lines.append(f"  {p['role']:9}{p['title'][:23]:24}{p['demo_ms']['p95']:8.1f}{p['national_ms']['p95']:10.1f}"
                     f"{p['floor_ms']['p95']:8.1f}{p['national_vs_demo']:6.2f}{p['national_vs_floor']:6.2f}"
                     + ("" if p["met"] else "  OVER"))
    for a in payload.get("actions", []):
        lines.append(f"  {a['action']}: demo p95 {a['demo_ms']['p95']:.0f} ms, national p95 "
                     f"{a['national_ms']['p95']:.0f} ms ({a['national_vs_demo']:.2f}x; action rows "
                     f"{a['demo_action_rows']} and {a['national_action_rows']})"
                     + ("" if a["met"] else "  OVER"))
    memory = payload["memory"]
    lines.append(f"  memory: {memory['per_session_mb']} MB per extra session ({memory['sessions']} sessions, "
                 f"{memory['before_mb']} → {memory['after_mb']} MB)")
    lines.append(f"  national seed: {payload['seed_seconds']['national_seed']} s")
    lines.append("  budgets: " + ("PASS" if payload["budget_met"] else "FAIL: " + ", ".join(payload["missed"])))
    return "\n".join(lines)


DOC_TEMPLATE = """
## Every page, every role: demo data against national data

`make bench` (or `python -m bench --only pages`) seeds a small demo database and a national one
(`manage.py seed-demo --scale national`), starts the app on each and the floor page beside them, signs in
as each role through Streamlit's own websocket protocol (bench/client.py) and reruns every page in the
role's menu, going round the three servers in turn. Budgets: p95 on national data ≤ 1.5 × the demo's and
≤ 2 × the floor page's; ≤ 30 MB of server memory per extra signed-in session; the national seed in under
5 minutes. The chair also prepares the minutes as Word on each database through the page: under 1 s at p95.

<!-- bench:pages:start -->
<!-- bench:pages:end -->
"""


def doc_section(latest: dict[str, Any], history: list[dict[str, Any]]) -> str:
    rows = [(p["role"], p["title"], f"{p['demo_ms']['p95']:.0f}", f"{p['national_ms']['p95']:.0f}",
             f"{p['floor_ms']['p95']:.0f}", f"{p['national_vs_demo']:.2f}", f"{p['national_vs_floor']:.2f}",
             "met" if p["met"] else "**missed**") for p in latest["pages"]]
    table = markdown_table(("Role", "Page", "Demo p95 ms", "National p95 ms", "Floor p95 ms", "National ÷ demo",
                            "National ÷ floor", "Budget"), rows)
    memory = latest["memory"]
    if latest.get("actions"):
        table += ("\n\nActions through the page (budget: the minutes written in under 1 s at p95; national ÷ demo "
                  "is shown beside the rows each document has to write):\n\n")
        table += markdown_table(("Action", "Demo p95 ms", "National p95 ms", "National ÷ demo", "Action rows, demo",
                                 "Action rows, national", "Budget"), [
            (a["action"], f"{a['demo_ms']['p95']:.0f}", f"{a['national_ms']['p95']:.0f}",
             f"{a['national_vs_demo']:.2f}", str(a.get("demo_action_rows", "–")),
             str(a.get("national_action_rows", "–")), "met" if a["met"] else "**missed**")
            for a in latest["actions"]])
    trend = markdown_table(
        ("Date (UTC)", "Commit", "Pages", "Worst national ÷ demo", "Worst national ÷ floor", "MB per session",
         "National seed s", "Budgets"),
        [(r["date"][:16].replace("T", " "), str(r.get("commit")), str(len(r["pages"])),
          f"{max((p['national_vs_demo'] for p in r['pages']), default=0):.2f}",
          f"{max((p['national_vs_floor'] for p in r['pages']), default=0):.2f}",
          f"{r['memory']['per_session_mb']:.1f}", f"{r['seed_seconds']['national_seed']:.0f}",
          "met" if r["budget_met"] else "missed") for r in history])
    machine_line = latest["machine"]
    return (f"Latest: {latest['date']}, commit {latest['commit']}, {machine_line['cpu_count']} cores, Python "
            f"{machine_line['python']}, {latest['runs']} reruns per page. Memory: {memory['per_session_mb']} MB per "
            f"extra session ({memory['sessions']} sessions, {memory['before_mb']} → {memory['after_mb']} MB). "
            f"National seed {latest['seed_seconds']['national_seed']} s.\n\n{table}\n\nTrend:\n\n{trend}\n")
