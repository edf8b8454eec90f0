"""Command line for operators: the same services as the app, no UI.

Every failure ends with one plain line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from db.migrate import upgrade_to_head
from db.models import Icb, Meeting, Panel
from db.session import Database, DatabaseUnreachable
from documents.action_log import write_actions
from documents.easy_read_docx import easy_read_docx
from documents.meeting_pack_docx import papers_docx
from documents.minutes_docx import minutes_docx
from documents.output_files import check_output_file
from documents.report_docx import report_csv, report_docx
from features.actions.actions import list_actions
from features.audit.audit import verify_audit_chain
from features.circulation.use_cases import close_due
from features.insight.use_cases import annual_report_pack
from features.mail.use_cases import send_digest_and_due
from features.meetings.meetings import list_all_meetings_for_operator
from features.meetings.use_cases import circulate_papers
from features.minutes.easy_read import build_easy_read_minutes
from features.minutes.workflow import minutes_for_export
from features.people.passwords import generate_password, validate_password
from features.people.users import create_user_in_panel
from features.reviews.use_cases import check_import_file, import_review_file
from operations.backup import restore_backup, write_backup, write_native_backup
from operations.demo import DEMO_USERNAMES, database_is_empty, seed_demo
from operations.national_demo import seed_national
from rules.actors import Actor
from rules.errors import DomainError, Invalid, NotFound
from rules.formatting import long_date, plural
from rules.review_import import problem_line, summary_sentence
from rules.roles import parse_role
from rules.vocabulary import Role
from settings import DEMO_PASSWORD, SettingsError, checked_database_url, current_settings

DEMO_PASSWORD_ENV = DEMO_PASSWORD


class CliError(Exception):
    """Raised for problems the operator can fix; printed as one line."""


MAX_ID = 2**31 - 1  # the largest id either database stores


def record_id(text: str) -> int:
    """An id typed on the command line: a whole number the database can hold, said in words if not."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an id; ids are whole numbers such as 2") from None
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text} is not an id; ids are whole numbers from 1 up")
    return value


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"error: {message} (see: python manage.py --help)\n")
        raise SystemExit(2)


def cmd_check_settings(_args: argparse.Namespace, db: Database) -> str:
    """open_database has checked every setting and connected; say what is in force, secrets left out."""
    settings = current_settings()
    mail = (f"email through {settings.mail.host}:{settings.mail.port} from {settings.mail.sender}"
            if settings.mail else "email off")
    return (f"Settings are good. Database: {db.url} (it answers). Idle sign-out after {settings.idle_minutes} "
            f"minutes, bcrypt cost {settings.bcrypt_rounds}, port {settings.port}, {mail}.")


def cmd_send_mail(args: argparse.Namespace, db: Database) -> str:
    """Run once a day with --digest (cron, a scheduled task), or at any time to send what is waiting."""
    settings = current_settings()
    if settings.mail is None:
        raise CliError("email is off: set LEDER_SMTP_HOST and LEDER_SMTP_FROM first (README, Email)")
    queued, delivery = send_digest_and_due(db, mail=settings.mail, app_url=settings.app_address, digest=args.digest)
    digest = f"Queued {queued} daily digest{'s' if queued != 1 else ''}. " if args.digest else ""
    return digest + delivery.in_words


def cmd_close_circulations(_args: argparse.Namespace, db: Database) -> str:
    """Run on a schedule (every 15 minutes, say): close every circulation whose deadline has come, on every
    panel, so the chair is told to record the decision even if nobody opens the page."""
    with db.unit_of_work(read_only=True) as session:
        operators = [_operator(session, panel_id) for panel_id in session.scalars(select(Panel.id).order_by(Panel.id))]
    closed = sum(close_due(db, actor=operator) for operator in operators)
    if closed == 0:
        return "Nothing to close: no decision by circulation is open past its deadline."
    return f"Closed {plural(closed, 'decision by circulation', 'decisions by circulation')} at the deadline."


def cmd_init_db(_args: argparse.Namespace, db: Database) -> str:
    upgrade_to_head(db.engine.url.render_as_string(hide_password=False))
    return f"Database is up to date ({db.url})."


def _demo_password() -> tuple[str, bool]:
    given = current_settings().demo_password
    if given:
        try:
            validate_password(given)
        except Invalid as error:
            raise CliError(f"{DEMO_PASSWORD_ENV} is not usable: {error}") from error
        return given, False
    return generate_password(), True


def cmd_seed_demo(args: argparse.Namespace, db: Database) -> str:
    with db.unit_of_work(read_only=True) as session:
        empty = database_is_empty(session=session)
    if not empty:
        if args.if_empty:
            return "The database already has data; demo data was not added."
        raise CliError("The database already has data; seed-demo only fills an empty database.")
    password, generated = _demo_password()
    with db.unit_of_work() as session:
        if args.scale == "national":
            national = seed_national(session=session, password=password, today=dt.date.today(), seed=args.seed,
                                     bcrypt_rounds=current_settings().bcrypt_rounds)
            lines = [national.line()]
        else:
            report = seed_demo(session=session, password=password, today=dt.date.today(),
                               bcrypt_rounds=current_settings().bcrypt_rounds)
            lines = [f"Added fictional demo data: {len(report.usernames)} accounts, {report.reviews} reviews, "
                     f"{report.meetings} meetings, {report.actions} actions."]
    lines.append(f"Demo accounts: {', '.join(DEMO_USERNAMES)}.")
    if generated:
        lines.append(f"Their password (shown once; set {DEMO_PASSWORD_ENV} to choose it): {password}")
    else:
        lines.append(f"Their password is the value of {DEMO_PASSWORD_ENV}.")
    return "\n".join(lines)


def _panel_id_for(session: Session, icb_code: str | None) -> int:
    query = select(Panel.id, Icb.code).join(Icb, Icb.id == Panel.icb_id)
    panels = list(session.execute(query).all())
    if icb_code:
        matches = [pid for pid, code in panels if code.lower() == icb_code.lower()]
        if not matches:
            raise NotFound(f"No ICB has the code '{icb_code}'.")
        return matches[0]
    if len(panels) == 1:
        return panels[0][0]
    if not panels:
        raise NotFound("There is no ICB yet: run seed-demo, or add one first.")
    codes = ", ".join(code for _, code in panels)
    raise Invalid(f"There are several ICBs; choose one with --icb ({codes}).")


def cmd_create_user(args: argparse.Namespace, db: Database) -> str:
    roles = [parse_role(part) for value in args.role for part in value.split(",") if part.strip()]
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        generated = False
    else:
        password, generated = generate_password(), True
    with db.unit_of_work() as session:
        panel_id = _panel_id_for(session, args.icb)
        user = create_user_in_panel(
            session=session, panel_id=panel_id, username=args.username, name=args.name,
            email=args.email, roles=roles, password=password, bcrypt_rounds=current_settings().bcrypt_rounds,
        )
    message = f"Created user '{user.username}' with roles: {', '.join(r.value for r in user.roles)}."
    if generated:
        message += f"\nTheir password (shown once): {password}"
    return message


def cmd_list_meetings(args: argparse.Namespace, db: Database) -> str:
    with db.unit_of_work(read_only=True) as session:
        meetings = list_all_meetings_for_operator(session=session)
    if args.json:
        return json.dumps(
            [
                {"id": m.id, "date": m.date.isoformat(), "title": m.title,
                 "status": m.status.value, "icb": m.icb_code}
                for m in meetings
            ],
            indent=2,
        )
    if not meetings:
        return "No meetings yet."
    return "\n".join(f"{m.id:>5}  {m.date:%Y-%m-%d}  {m.status.value:<18} {m.icb_code:<8} {m.title}"
                     for m in meetings)


def cmd_backup(args: argparse.Namespace, db: Database) -> str:
    if args.native:
        size = write_native_backup(engine=db.engine, out=Path(args.out))
        return f"Wrote the {db.engine.dialect.name} database's own backup to {args.out} ({size} bytes)."
    with db.unit_of_work(read_only=True) as session:
        report = write_backup(session=session, out=Path(args.out))
    return f"Backed up {report.rows} rows from {report.tables} tables to {report.path} ({report.bytes} bytes)."


def cmd_restore(args: argparse.Namespace, db: Database) -> str:
    with db.unit_of_work() as session:
        report = restore_backup(session=session, source=Path(args.source))
    return f"Restored {report.rows} rows in {report.tables} tables from {report.path}."


def cmd_verify_audit(args: argparse.Namespace, db: Database) -> str:
    with db.unit_of_work(read_only=True) as session:
        result = verify_audit_chain(session, expected_hash=args.expect_hash)
    if not result.intact:
        raise CliError(result.problem)
    message = f"The audit log is intact: {plural(result.checked, 'entry', 'entries')} checked."
    if result.latest_hash:
        message += (f"\nLatest entry: {result.latest_entry_id}, hash {result.latest_hash}. Note it somewhere "
                    "else; `verify-audit --expect-hash HASH` later checks the log still holds it.")
    return message


def _operator(session: Session, panel_id: int) -> Actor:
    """Whoever runs manage.py has the server's own access: they read a panel as its secretariat would."""
    panel = session.get_one(Panel, panel_id)
    return Actor(user_id=0, username="operator", name="Operator", panel_id=panel.id, panel_name=panel.name,
                 icb_id=panel.icb_id, icb_name=panel.icb.name, roles=frozenset({Role.SECRETARIAT}))


def cmd_export_actions(args: argparse.Namespace, db: Database) -> str:
    with db.unit_of_work(read_only=True) as session:
        panel_id = _panel_id_for(session, args.icb)
        operator = _operator(session, panel_id)
        rows = list_actions(session=session, actor=operator, today=dt.date.today())
    size = write_actions(rows, Path(args.out), actor=operator)
    return f"Wrote {len(rows)} actions to {args.out} ({size} bytes)."


def cmd_import_reviews(args: argparse.Namespace, db: Database) -> str:
    """Check (--dry-run) or import a review platform export. Problems are listed one a line; an import of a
    file with problems fails with one line, unless --only-clean leaves those rows out."""
    path = Path(args.file)
    data = path.read_bytes()
    with db.unit_of_work(read_only=True) as session:
        operator = _operator(session, _panel_id_for(session, args.icb))
    preview = check_import_file(db, actor=operator, file_name=path.name, data=data)
    check = preview.check
    if args.dry_run:
        lines = [*check.notes, *(problem_line(p) for p in check.problems), summary_sentence(check)]
        if check.problems:
            raise CliError("\n".join(lines[:-1]) + "\n" + lines[-1] + " Nothing was imported (dry run).")
        return "\n".join(lines) + " Nothing was imported (dry run)."
    if check.problems and not args.only_clean:
        first = problem_line(check.problems[0])
        raise CliError(f"{summary_sentence(check)} Nothing was imported. First: {first}. "
                       "See them all with --dry-run, or add --only-clean.")
    result = import_review_file(db, actor=operator, file_name=path.name, data=data, only_clean=args.only_clean,
                                fingerprint=preview.fingerprint, progress=lambda _f, _w: None)
    return f"{result.sentence()} ({operator.icb_name})"


def report_year(text: str) -> int:
    """A year typed on the command line, said in words if it is not one."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year; give one such as 2026") from None


def cmd_export_report(args: argparse.Namespace, db: Database) -> str:
    out = Path(args.out)
    check_output_file(out, suffixes=(".docx",), example="annual-report.docx")
    with db.unit_of_work(read_only=True) as session:
        operator = _operator(session, _panel_id_for(session, args.icb))
    report = annual_report_pack(db, actor=operator, year=args.year, calendar=args.calendar)
    payload = report_docx(report)
    out.write_bytes(payload)
    lines = [f"Wrote the annual report for {report.figures.period.label} ({operator.icb_name}) to {out} "
             f"({len(payload)} bytes, {plural(len(report.charts), 'chart')})."]
    if args.csv:
        figures_file = out.with_suffix(".csv")
        figures_csv = report_csv(report)
        figures_file.write_bytes(figures_csv)
        lines.append(f"Wrote its {len(report.figure_rows)} figures to {figures_file} ({len(figures_csv)} bytes).")
    if report.left_out:
        lines.append(f"{plural(report.left_out, 'passage')} left out by the personal-data check; each is marked in the "
                     "report. Check them in the app.")
    return "\n".join(lines)


def _meeting_and_operator(session: Session, meeting_id: int) -> tuple[Meeting, Actor]:
    """The meeting asked for on the command line, and the operator reading its panel; said in words if none."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"There is no meeting with id {meeting_id}. See `manage.py list-meetings`.")
    return meeting, _operator(session, meeting.panel_id)


def cmd_export_minutes(args: argparse.Namespace, db: Database) -> str:
    out = Path(args.out)
    check_output_file(out, suffixes=(".docx",), example="minutes.docx")
    with db.unit_of_work(read_only=True) as session:
        meeting, operator = _meeting_and_operator(session, args.meeting)
        today = dt.date.today()
        if args.easy_read:
            payload = easy_read_docx(build_easy_read_minutes(session=session, actor=operator, meeting_id=meeting.id,
                                                             today=today))
        else:
            payload = minutes_docx(minutes_for_export(session=session, actor=operator, meeting_id=meeting.id,
                                                      today=today))
    out.write_bytes(payload)
    kind = "Easy Read minutes" if args.easy_read else "minutes"
    return f"Wrote the {kind} of meeting {args.meeting} to {out} ({len(payload)} bytes)."


def cmd_export_pack(args: argparse.Namespace, db: Database) -> str:
    """The papers for a meeting that has not started; writing them marks them as circulated (audit log)."""
    out = Path(args.out)
    check_output_file(out, suffixes=(".docx",), example="meeting-pack.docx")
    with db.unit_of_work(read_only=True) as session:
        _meeting, operator = _meeting_and_operator(session, args.meeting)
    papers = circulate_papers(db, actor=operator, meeting_id=args.meeting)
    payload = papers_docx(papers, easy_read=args.easy_read)
    out.write_bytes(payload)
    kind = "Easy Read pack" if args.easy_read else "meeting pack"
    return (f"Wrote the {kind} of meeting {args.meeting} to {out} ({len(payload)} bytes); papers marked as "
            f"circulated on {long_date(papers.circulated_on)}.")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="manage.py", description="LeDeR governance panel: operator commands.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    sub.add_parser("check-settings", help="check every setting and that the database answers").set_defaults(
        handler=cmd_check_settings)
    mail = sub.add_parser("send-mail", help="send the email waiting in the outbox (with --digest: today's digests)")
    mail.add_argument("--digest", action="store_true", help="first queue each person's daily digest of notices")
    mail.set_defaults(handler=cmd_send_mail)
    sub.add_parser("close-circulations", help="close each decision by circulation whose deadline has come "
                   "(run it on a schedule)").set_defaults(handler=cmd_close_circulations)
    sub.add_parser("init-db", help="create or upgrade the schema (safe to run again)").set_defaults(
        handler=cmd_init_db)

    seed = sub.add_parser("seed-demo", help="fill an empty database with fictional demo data")
    seed.add_argument("--scale", choices=["small", "national"], default="small",
                      help="small: one demo ICB to try the app; national: 42 ICBs and five years, to measure it")
    seed.add_argument("--seed", type=int, default=2026, help="the national data's random seed (same seed, same data)")
    seed.add_argument("--if-empty", action="store_true", help="do nothing, successfully, if data exists")
    seed.set_defaults(handler=cmd_seed_demo)

    create = sub.add_parser("create-user", help="add a person and their roles")
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, action="append",
                        help="a role such as chair or lived_experience_member; repeat for several")
    create.add_argument("--icb", help="the ICB code, needed when there are several")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    create.set_defaults(handler=cmd_create_user)

    meetings = sub.add_parser("list-meetings", help="list meetings")
    meetings.add_argument("--json", action="store_true")
    meetings.set_defaults(handler=cmd_list_meetings)

    backup = sub.add_parser("backup", help="write every table to a JSON file")
    backup.add_argument("--out", required=True)
    backup.add_argument("--native", action="store_true",
                        help="the database's own format instead (SQLite file or pg_dump); restore takes JSON only")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="fill an empty, migrated database from a backup file")
    restore.add_argument("--from", dest="source", required=True, metavar="FILE", help="a file written by backup")
    restore.set_defaults(handler=cmd_restore)

    verify = sub.add_parser("verify-audit", help="check the audit log's hash chain; report the first broken link")
    verify.add_argument("--expect-hash", metavar="HASH",
                        help="a latest hash noted earlier, which must still be in the log")
    verify.set_defaults(handler=cmd_verify_audit)

    export = sub.add_parser("export-actions", help="write the action log to a .csv or .xlsx file")
    export.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    export.add_argument("--icb", help="the ICB code, needed when there are several")
    export.set_defaults(handler=cmd_export_actions)

    minutes = sub.add_parser("export-minutes", help="write a meeting's minutes as a Word document")
    minutes.add_argument("--meeting", required=True, type=record_id, help="the meeting id (see list-meetings)")
    minutes.add_argument("--out", required=True, help="FILE.docx")
    minutes.add_argument("--easy-read", action="store_true",
                         help="write the Easy Read summary: what the panel decided and what happens next")
    minutes.set_defaults(handler=cmd_export_minutes)

    imports = sub.add_parser("import-reviews", help="import focused reviews from the review platform's CSV or "
                                                    "Excel export (docs/import.md)")
    imports.add_argument("file", help="FILE.csv or FILE.xlsx")
    imports.add_argument("--dry-run", action="store_true", help="check every row and list the problems; write nothing")
    imports.add_argument("--only-clean", action="store_true", help="import the rows without problems only")
    imports.add_argument("--icb", help="the ICB code, needed when there are several")
    imports.set_defaults(handler=cmd_import_reviews)

    pack = sub.add_parser("export-pack", help="write the papers for a meeting that has not started as a Word "
                                              "document, and mark them as circulated")
    pack.add_argument("--meeting", required=True, type=record_id, help="the meeting id (see list-meetings)")
    pack.add_argument("--out", required=True, help="FILE.docx")
    pack.add_argument("--easy-read", action="store_true",
                      help="write the Easy Read pack for lived-experience members instead")
    pack.set_defaults(handler=cmd_export_pack)

    report = sub.add_parser("export-report", help="write the ICB's annual report pack (figures, charts, themes, "
                                                  "good practice, action plan) as a Word document")
    report.add_argument("--year", required=True, type=report_year,
                        help="the financial year by the year it starts in (2026 is April 2026 to March 2027)")
    report.add_argument("--calendar", action="store_true", help="the calendar year (January to December) instead")
    report.add_argument("--out", required=True, help="FILE.docx")
    report.add_argument("--csv", action="store_true", help="also write the same figures to FILE.csv beside it")
    report.add_argument("--icb", help="the ICB code, needed when there are several")
    report.set_defaults(handler=cmd_export_report)
    return parser


def open_database(url: str | None) -> Database:
    """Every setting checked (settings.py), then one connection to the database, before any command runs."""
    settings = current_settings()
    return Database.open_checked(checked_database_url(url, name="The database address") if url
                                 else settings.database_url)


def run(argv: Sequence[str] | None = None, *, url: str | None = None) -> int:
    """Run one command; returns the exit code. In-process so tests need no subprocess."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace, Database], str] = args.handler
    try:
        db = open_database(url)
    except (SettingsError, DatabaseUnreachable) as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    try:
        print(handler(args, db))
        return 0
    except (DomainError, CliError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    except (OperationalError, ProgrammingError) as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        sys.stderr.write(f"error: database problem at {db.url}: {reason} (has `manage.py init-db` run?)\n")
        return 1
    except OSError as error:
        sys.stderr.write(f"error: {error.strerror or error}: {error.filename or ''}\n".replace(": \n", "\n"))
        return 1
    except Exception as error:
        logging.getLogger("leder").debug("unexpected", exc_info=True)
        sys.stderr.write(f"error: unexpected {type(error).__name__}: {error}\n")
        return 1
    finally:
        db.dispose()


if __name__ == "__main__":
    raise SystemExit(run())
