"""The command line: `salesoffice [options] [command]`. With no command the window opens (ui/ supplies it).

This module only reads the arguments, calls the core and says what happened. Every expected failure
(a DomainError) is one translated line on stderr and exit code 1; wrong arguments exit 2; anything else
is a bug: its traceback goes to the log file and the user gets one line saying where.

Each command imports the core it needs when it runs: `--help` and a mistyped argument answer at once,
without loading SQLAlchemy, and no command loads the report libraries it does not use.
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app import i18n, logs, paths
from app.errors import DomainError, ValidationError, file_problem
from app.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

OpenWindow = Callable[..., int]
Screenshots = Callable[[str, str], object]


def main(argv: list[str] | None = None, *, open_window: OpenWindow | None = None,
         screenshots: Screenshots | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _choose_language(argv)
    log_path = logs.setup_logging()
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage or the help
        return int(e.code or 0)
    if args.language:
        i18n.set_language(args.language)
    target = args.db or paths.default_database()
    try:
        if args.command is None:
            return _window(target, args, open_window)
        if args.command == "screenshots":
            return _screenshots(target, args, screenshots)
        return args.run(target, args)
    except DomainError as e:
        print(str(e), file=sys.stderr)
        return 1
    except OSError as e:  # the file system's refusal (a name too long, a full disk): said, and logged
        log.warning("file system refused: salesoffice %s", logs.hide_passwords(" ".join(argv)), exc_info=True)
        print(str(file_problem(e)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected error running: salesoffice %s", " ".join(argv))
        if log_path is None:
            print(_("An unexpected error happened, and the log folder cannot be written."), file=sys.stderr)
        else:
            print(_("An unexpected error happened; the details are in %s") % log_path, file=sys.stderr)
        return 1


def _choose_language(argv: list[str]) -> None:
    """--language must be known before the help texts are written, so it is read ahead of the rest."""
    ahead = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    ahead.add_argument("--language")
    try:
        known, _rest = ahead.parse_known_args(argv)
    except argparse.ArgumentError:
        return  # the full parser reports it
    if known.language in i18n.LANGUAGES:
        i18n.set_language(known.language)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salesoffice", description=_("The sales office desk. Without a command, the window opens."))
    parser.add_argument("--db", metavar=_("PATH_OR_URL"),
                        help=_("the database: a SQLite file or a postgresql:// URL "
                               "(default: $SALESOFFICE_DB, else a file in the user's data folder)"))
    parser.add_argument("--quit-after-first-paint", action="store_true",
                        help=_("open the window, and quit once it has been drawn (for timing the start)"))
    parser.add_argument("--quit-when-ready", action="store_true",
                        help=_("open the window, and quit once its tabs show their data (for timing the start)"))
    parser.add_argument("--language", choices=sorted(i18n.LANGUAGES), help=_("the language of the program"))
    parser.add_argument("--kiosk", action="store_true",
                        help=_("open the window as the front-desk kiosk: full screen, phones masked"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    demo = commands.add_parser("demo", help=_("fill a new, empty database with a demo office"))
    demo.add_argument("--visitors", type=int, default=5000, help=_("how many visits (default %(default)s)"))
    demo.add_argument("--days", type=int, default=180,
                      help=_("over how many days up to today (default %(default)s)"))
    demo.add_argument("--seed", type=int, default=1,
                      help=_("the same seed makes the same office (default %(default)s)"))
    demo.set_defaults(run=_demo)

    db = commands.add_parser("db", help=_("create, upgrade or check the database"))
    db_commands = db.add_subparsers(dest="db_command", metavar=_("ACTION"), required=True)
    upgrade = db_commands.add_parser("upgrade", help=_("create the database, or bring it to this version "
                                                       "(backing it up first)"))
    upgrade.add_argument("--no-backup", action="store_true",
                         help=_("upgrade without the copy made first (of a SQLite file: beside it; of a PostgreSQL "
                                "database: a pg_dump archive in the data folder, which needs pg_dump)"))
    upgrade.set_defaults(run=_db_upgrade)
    db_commands.add_parser("check", help=_("check the file, the schema version and the audit log")
                           ).set_defaults(run=_db_check)
    copy = db_commands.add_parser("copy", help=_("copy every table of this database into a new, empty one "
                                                 "(a station's file into the office's PostgreSQL server)"))
    copy.add_argument("--to", required=True, metavar=_("URL"),
                      help=_("the new database: a postgresql+psycopg:// URL or a SQLite file"))
    copy.set_defaults(run=_db_copy)

    backup = commands.add_parser("backup", help=_("copy the database to a file, safely while it is in use"))
    backup.add_argument("--out", required=True, metavar=_("FILE"), help=_("the backup file to write"))
    backup.set_defaults(run=_backup)

    restore = commands.add_parser("restore", help=_("replace the data with a backup's, after checking it"))
    restore.add_argument("file", metavar=_("FILE"), help=_("the backup file to restore"))
    restore.set_defaults(run=_restore)

    export = commands.add_parser("export", help=_("write a register to a CSV or XLSX file"))
    export_what = export.add_subparsers(dest="what", required=True, metavar=_("REGISTER"))
    visits_out = export_what.add_parser("visits", help=_("visits and calls, in the import's columns (VIS-5)"))
    visits_out.add_argument("--out", required=True, metavar=_("FILE"), help=_("a .csv or .xlsx file to write"))
    visits_out.add_argument("--from", dest="since", type=_day, metavar=_("DATE"), help=_("first day, e.g. 2026-11-01"))
    visits_out.add_argument("--to", dest="until", type=_day, metavar=_("DATE"), help=_("last day, included"))
    visits_out.add_argument("--reason", required=True, help=_("why it is exported: kept in the audit log"))
    visits_out.add_argument("--overwrite", action="store_true", help=_("replace the file when it exists"))
    visits_out.set_defaults(run=_export_visits)
    imports = commands.add_parser("import", help=_("add the rows of a register: CSV, XLSX, XLS or ODS"))
    import_what = imports.add_subparsers(dest="what", required=True, metavar=_("REGISTER"))
    visits_in = import_what.add_parser("visits", help=_("visits and calls: an exported register, or an office's own "
                                                        "with its title rows and column words (VIS-6)"))
    visits_in.add_argument("file", metavar=_("FILE"), help=_("a .csv (UTF-8 or GB18030), .xlsx, .xls or .ods file"))
    visits_in.add_argument("--skip-invalid", action="store_true",
                           help=_("write the good rows even when some are refused (default: all or nothing)"))
    visits_in.add_argument("--rejects", metavar=_("FILE"), help=_("with --skip-invalid: the refused rows, as CSV"))
    visits_in.add_argument("--create-consultants", action="store_true",
                           help=_("make an account for each consultant the file names but the office lacks"))
    visits_in.set_defaults(run=_import_visits)
    items_in = import_what.add_parser("items", help=_("a model apartment's item list (物品清单): an office's own, with "
                                                      "its title rows and column words (SHW-1)"))
    items_in.add_argument("file", metavar=_("FILE"), help=_("a .csv (UTF-8 or GB18030), .xlsx, .xls or .ods file"))
    items_in.add_argument("--apartment", required=True, metavar=_("NAME"),
                          help=_("the model apartment, made when there is none of this name"))
    items_in.set_defaults(run=_import_items)

    printing = commands.add_parser("print", help=_("print a sheet to a PDF file"))
    print_what = printing.add_subparsers(dest="sheet", required=True, metavar=_("SHEET"))
    checklist = print_what.add_parser("checklist", help=_("the day's checklist of each model apartment (SHW-8)"))
    checklist.add_argument("--date", required=True, type=_day, metavar=_("DATE"), help=_("the day, e.g. 2026-11-23"))
    checklist.add_argument("--apartment", metavar=_("NAME"), help=_("only this model apartment (default: all)"))
    checklist.add_argument("--out", required=True, metavar=_("FILE"), help=_("the .pdf file to write"))
    checklist.add_argument("--overwrite", action="store_true", help=_("replace the file when it exists"))
    checklist.add_argument("--filled", action="store_true",
                           help=_("the completed record: answers, times, who, late and missed checks, incidents, "
                                  "signatures"))
    checklist.set_defaults(run=_print_checklist)
    for what, helptext in (("incident", _("an incident's form with its signature boxes (SHW-4)")),
                           ("slip", _("a release slip with its QR code (SHW-6)")),
                           ("handover", _("a shift handover's record (SHW-7)"))):
        form = print_what.add_parser(what, help=helptext)
        form.add_argument("number", type=_number, metavar=_("NUMBER"), help=_("its number, e.g. 12"))
        form.add_argument("--out", required=True, metavar=_("FILE"), help=_("the .pdf file to write"))
        form.add_argument("--overwrite", action="store_true", help=_("replace the file when it exists"))
        form.set_defaults(run=_print_form, form=what)

    shots = commands.add_parser("screenshots", help=_("save pictures of the window's screens"))
    shots.add_argument("--out", required=True, metavar=_("FOLDER"), help=_("the folder for the pictures"))
    return parser


def _window(target: str, args: argparse.Namespace, open_window: OpenWindow | None) -> int:
    if open_window is None:
        print(_("The window is not available here; start the program with the salesoffice command."),
              file=sys.stderr)
        return 2
    return int(open_window(target, quit_after_first_paint=args.quit_after_first_paint,
                           quit_when_ready=args.quit_when_ready, language=args.language, kiosk=args.kiosk))


def _screenshots(target: str, args: argparse.Namespace, screenshots: Screenshots | None) -> int:
    if screenshots is None:
        print(_("Screenshots need the window; start the program with the salesoffice command."), file=sys.stderr)
        return 2
    from pathlib import Path

    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise ValidationError(_("--out: %s is a file; give a folder for the pictures.") % args.out)
    result = screenshots(_existing(target), args.out)  # a mistyped --db never leaves a new, empty database
    return result if isinstance(result, int) else 0


@contextmanager
def _opened(target: str) -> Iterator[Engine]:
    """The database's engine for one command, its connections closed after."""
    from app.database.engine import make_engine  # SQLAlchemy is heavy: not loaded for --help

    engine = make_engine(target)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _ready(target: str) -> Iterator[Engine]:
    """An existing database at this program's schema, for a command that works on its data."""
    from app.database import schema

    with _opened(_existing(target)) as engine:
        schema.require_current(engine)
        yield engine


def _existing(target: str) -> str:
    """Checking or copying a database must not create an empty one where there was none, nor write the first page
    of a database into an empty file."""
    from app.database.engine import sqlite_path, to_url
    from app.errors import DatabaseProblem, NotFound

    path = sqlite_path(to_url(target))
    if path is not None and not path.is_file():
        raise NotFound(_("There is no database at %s.") % path)
    if path is not None and path.stat().st_size == 0:
        raise DatabaseProblem(_("%s is an empty file, not a database.") % path)
    return target


def _demo(target: str, args: argparse.Namespace) -> int:
    from app.demo import office, vocab

    with _opened(target) as engine:
        made = office.create(engine, visitors=args.visitors, days=args.days, seed=args.seed,
                             progress=lambda step: print(step, file=sys.stderr, flush=True))
    print(_("Demo office ready in %(seconds).1f s: %(staff)d staff, %(customers)d customers, %(visits)d visits, "
            "%(calls)d calls, %(follow_ups)d follow-ups.")
          % {"seconds": made.seconds, "staff": made.staff, "customers": made.customers, "visits": made.visits,
             "calls": made.calls, "follow_ups": made.follow_ups})
    print(_("Every account's PIN is %(pin)s; the window opens signed in as the receptionist %(name)s.")
          % {"pin": vocab.PIN, "name": made.signed_in_as})
    return 0


def _db_upgrade(target: str, args: argparse.Namespace) -> int:
    from app.database import schema

    with _opened(target) as engine:
        before = schema.ensure_supported(engine)
        copy = schema.upgrade(engine, backup=not args.no_backup)
        head = schema.head_revision()
    if before is None:
        print(_("Created a new database (schema %s).") % head)
    elif before == head:
        print(_("The database is already up to date (schema %s).") % head)
    else:
        print(_("Upgraded the database from schema %(old)s to %(new)s.") % {"old": before, "new": head})
    if copy is not None:
        print(_("A copy of the database as it was is kept in %s") % copy)
    return 0


def _day(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date such as 2026-11-23: %s") % text) from None


def _uow(engine: Engine):  # type: ignore[no-untyped-def]
    from app.database.engine import session_factory
    from app.database.uow import UnitOfWork

    return UnitOfWork(session_factory(engine))


def _export_visits(target: str, args: argparse.Namespace) -> int:
    from app.services.visitors import register_io
    from app.services.visitors.visitor_logs import LogQuery

    with _ready(target) as engine:
        try:
            done = register_io.export_logs(None, _uow(engine), LogQuery(since=args.since, until=args.until),
                                           path=args.out, reason=args.reason, overwrite=args.overwrite)
        except ValidationError as e:
            option = {"since": "--from", "until": "--to", "path": "--out", "reason": "--reason"}.get(e.field or "")
            if option is None:
                raise
            raise ValidationError(f"{option}: {e}", field=e.field) from None
    print(_("Exported %(rows)d rows to %(file)s.") % {"rows": done.rows, "file": done.path})
    return 0


def _import_visits(target: str, args: argparse.Namespace) -> int:
    from app.services.visitors import register_io

    if args.rejects and not args.skip_invalid:
        print(_("--rejects goes with --skip-invalid."), file=sys.stderr)
        return 2
    with _ready(target) as engine, _percent(_("Importing… %d%%")) as progress:
        done = register_io.import_logs(None, _uow(engine), path=args.file, all_or_nothing=not args.skip_invalid,
                                       create_consultants=args.create_consultants, progress=progress)
    for rejected in done.rejected:
        print(_("Row %(row)d: %(reason)s") % {"row": rejected.row, "reason": rejected.reason}, file=sys.stderr)
    if done.skipped:
        shown = next((s for s in reversed(done.skipped) if s.text), done.skipped[-1])  # a footer says more
        print(_("Skipped %(n)d blank or footer rows (e.g. row %(row)d: %(text)s).")
              % {"n": len(done.skipped), "row": shown.row, "text": shown.text or "—"}, file=sys.stderr)
    if args.rejects and done.rejected:
        from app.files import register_file

        _write_rejects(args.rejects, register_file.inspect(args.file).headers, done.rejected)
    if done.rejected and not args.skip_invalid:
        print(_("Nothing was imported: %d rows are refused (see above).") % len(done.rejected), file=sys.stderr)
        return 1
    print(_("Imported %(visits)d visits and %(calls)d calls (%(new)d new customers); %(refused)d rows refused.")
          % {"visits": done.visits, "calls": done.calls, "new": done.new_customers, "refused": len(done.rejected)})
    if done.new_consultants:
        print(_("Accounts made for consultants the office lacked, each waiting for a manager to set a PIN: %s")
              % "、".join(done.new_consultants))
    return 0


def _import_items(target: str, args: argparse.Namespace) -> int:
    from app.services.showroom import item_import

    with _ready(target) as engine:
        try:
            done = item_import.import_items(None, _uow(engine), apartment_name=args.apartment, path=args.file)
        except ValidationError as e:
            if e.field != "name":  # the file's own problems name the file, its row and its column
                raise
            raise ValidationError(f"--apartment: {e}", field=e.field) from None
    print(done.summary())
    return 0


@contextmanager
def _percent(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """How far a long command is, on one line of a terminal (Ctrl+C stops it); nothing when output is a file."""
    if not sys.stderr.isatty():
        yield None
        return
    shown = []

    def show(done: int, total: int) -> None:
        shown.append(done)
        print("\r" + label % (100 * done // max(total, 1)), end="", file=sys.stderr, flush=True)

    try:
        yield show
    finally:
        if shown:
            print(file=sys.stderr)


def _write_rejects(path: str, headers: list[str], rejected) -> None:  # type: ignore[no-untyped-def]
    """The refused rows with their number and reason, then their cells under the file's own header: once
    corrected (and the first two columns deleted) the file imports again."""
    import csv

    from app.errors import ValidationError, file_reason
    from app.files.register_file import risky

    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([_("row"), _("reason"), *headers])
            writer.writerows([r.row, r.reason, *("'" + c if risky(c) else c for c in r.cells)] for r in rejected)
    except OSError as e:
        raise ValidationError(_("Cannot write %(file)s: %(reason)s") % {"file": path, "reason": file_reason(e)}) from e


def _print_checklist(target: str, args: argparse.Namespace) -> int:
    from app.services.showroom import sheets

    with _ready(target) as engine:
        try:
            written = sheets.print_checklist(None, _uow(engine), day=args.date, apartment=args.apartment,
                                             out=args.out, overwrite=args.overwrite, filled=args.filled)
        except DomainError as e:
            option = {"date": "--date", "out": "--out", "apartment": "--apartment"}.get(e.field or "")
            if option is None:
                raise
            raise type(e)(f"{option}: {e}", field=e.field) from None
    print(_("The checklist is in %s.") % written)
    return 0


def _number(text: str) -> int:
    """A record's number as people write it (12, No. 12 is 12); anything else is refused by argparse."""
    from app import validation

    typed = validation.ascii_digits(text).strip()
    if not typed.isdigit() or not 0 < int(typed) < 10**9:
        raise argparse.ArgumentTypeError(_("%s is not a number such as 12.") % text[:20])
    return int(typed)


def _print_form(target: str, args: argparse.Namespace) -> int:
    from app.services.showroom import sheets

    printer = {"incident": sheets.print_incident, "slip": sheets.print_slip, "handover": sheets.print_handover}
    with _ready(target) as engine:
        try:
            written = printer[args.form](None, _uow(engine), number=args.number, out=args.out,
                                         overwrite=args.overwrite)
        except DomainError as e:
            if e.field != "out":
                raise
            raise type(e)(f"--out: {e}", field=e.field) from None
    print(_("The form is in %s.") % written)
    return 0


def _db_check(target: str, args: argparse.Namespace) -> int:
    from app.database import audit_key, schema

    with _opened(_existing(target)) as engine:
        report = schema.check(engine, station=True)  # and against the head this station saw before
    if report.ok:
        print(_("OK: schema %(revision)s, %(entries)d audit log entries, their chain unbroken.")
              % {"revision": report.revision, "entries": report.audit_entries})
        if report.key_id:
            print(_("The log is sealed with the audit key %(id)s (%(file)s); keep a copy of that file apart from "
                    "the backups.") % {"id": report.key_id, "file": audit_key.key_file()})
        return 0
    print(_("The database has problems:"))
    for problem in report.problems:
        print(f"- {problem}")
    return 1


def _db_copy(target: str, args: argparse.Namespace) -> int:
    from app.database.copy import copy_database

    with _opened(_existing(target)) as source, _opened(args.to) as destination:
        done = copy_database(source, destination, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(_("Copied %(rows)d rows of %(tables)d tables (schema %(revision)s), ids kept; the counts match and "
            "the audit chain of %(entries)d entries is unbroken.")
          % {"rows": sum(done.rows.values()), "tables": len(done.rows), "revision": done.revision,
             "entries": done.audit_entries})
    print(_("Point every station at the new database: salesoffice --db URL, or SALESOFFICE_DB=URL."))
    return 0


def _backup(target: str, args: argparse.Namespace) -> int:
    from app.database import backup

    with _opened(target) as engine:
        out = backup.backup(None, engine, args.out)
    print(_("Backup saved to %s") % out)
    return 0


def _restore(target: str, args: argparse.Namespace) -> int:
    from app.database import backup

    with _opened(target) as engine:
        done = backup.restore(None, engine, args.file)
    print(_("Restored the data of %s.") % done.source)
    if done.head is not None:
        print(_("Its audit log ends at entry %(id)d (%(hash)s…); the restore is logged after it.")
              % {"id": done.head[0], "hash": done.head[1][:12]})
    if not done.sealed:
        print(_("The backup was made by an earlier version, whose audit log was not yet sealed with the office's key: "
                "its log was checked for breaks, and is sealed now."))
    if done.upgraded:
        print(_("It was brought from schema %s to this version.") % done.revision)
    if done.safety_copy is not None:
        print(_("The data as it was before is kept in %s") % done.safety_copy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
