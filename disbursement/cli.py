"""Command line: parse arguments, call one library function, map errors to exit codes (SPEC 5).

Exit codes: 0 success; 1 a job failed (earlier jobs' work kept); 2 bad input or usage; 3 another run holds the lock.
"""
import argparse
import logging
import os
import shutil
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from . import clock
from .arguments import iso_date, time_of_day
from .config import ConfigError, load_ledger_settings
from .engine.calendar import jobs_in_year
from .engine.errors import UsageError
from .engine.registry import SCHEMES, load_config
from .engine.runner import JobFailed, RunIncomplete, backfill, nightly, run_job
from .engine.explain import as_json, explain, render
from .engine.status import sections, status
from .engine.status_page import status_page
from .exports import FORMATS, export_year, payment_runs
from .exports.payment_advice import write_advices
from .indexation import MissingIndexValue
from .intake.errors import RejectedFile
from .intake.load import load_file, read_file, register_first
from .ledger.closing import close_year
from .ledger.errors import LedgerBroken, LedgerInputError
from .ledger.journals import load_recipients
from .ledger.trial_balance import trial_balance_report
from .scheduler import DEFAULT_AT, DEFAULT_MISFIRE_GRACE, DEFAULT_RETRY_AFTER, SchedulerSettings, run_scheduler
from .store.database import DatabaseUnavailable, database_url, migrate, open_engine
from .store.roles import grant_roles
from .store.lock import LockHeld

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
JOB_NAMES = [job.name for scheme in SCHEMES for job in scheme.jobs]
DRY_RUN_HELP = ("compute everything and print, per job and recipient, what would be paid and claimed; change "
                "nothing in the database")
READ_ONLY = ("status", "export", "trial-balance", "payment-advice", "explain")  # never create a database (nor do the schemes' commands)
SCHEME_COMMANDS = {command.name: command for scheme in SCHEMES for command in scheme.commands}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="disbursement",
        description="Compute, pay, reconcile and book the state subsidies for inclusion housing (VEJ 9305/2017) and "
                    "the temporary-housing trial.",
        epilog="Exit codes: 0 ok, 1 a job failed (or `migrate --check`: the schema is behind), 2 bad input or usage, "
               "3 another run holds the lock.",
    )
    parser.add_argument("--db", help="SQLAlchemy URL (default: $DISBURSEMENT_DB or sqlite:///disbursement.sqlite)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    parser.add_argument("--config", type=Path, help="config directory overriding the shipped config/ file by file "
                        "(default: $DISBURSEMENT_CONFIG or the shipped config/)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("load", help="validate and load register, report and decision files and the bank's answers, each all or nothing")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")

    p = sub.add_parser("nightly", help="run every due job not yet run, up to DATE, in calendar order")
    p.add_argument("--as-of", type=iso_date, help="run jobs due up to this date (default: today)")
    p.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)

    p = sub.add_parser("run", help="(re-)run one job for one date; books only differences")
    p.add_argument("job", choices=JOB_NAMES)
    p.add_argument("--date", type=iso_date, required=True)
    p.add_argument("--allow-old", action="store_true", help="allow a date more than 12 months back")
    p.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)

    p = sub.add_parser("backfill", help="replay every due job in a date range in calendar order")
    p.add_argument("--from", dest="start", type=iso_date, required=True)
    p.add_argument("--to", dest="end", type=iso_date, required=True)
    p.add_argument("--allow-old", action="store_true", help="allow dates more than 12 months back")
    p.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)

    p = sub.add_parser("calendar", help="list a year's job dates, each with its scheme")
    p.add_argument("year", type=int)

    p = sub.add_parser("status", help="flags, jobs not run or to run again, decisions, payment runs waiting, open claims")
    p.add_argument("--as-of", type=iso_date, help="default: today")
    p.add_argument("--html", type=Path, metavar="FILE", help="write the same as one self-contained HTML page to FILE "
                   "(no scripts, no network) instead of printing it")

    p = sub.add_parser("export", help="ledger and payment files of one fiscal year")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", dest="fmt", choices=[*FORMATS, "all"], required=True)
    p.add_argument("--out", type=Path, required=True, help="directory the files are written into")

    p = sub.add_parser("payment-runs", help="make the file of every journal with payments that has none yet, then "
                       "list the payment runs and who approved and released them")
    p.add_argument("--as-of", type=iso_date, help="the day the files are made (default: today); no requested "
                   "execution date is before the next banking day")
    for name, help_text in (("approve", "approve a payment run (its file's SHA-256 is recorded with your login)"),
                            ("release", "release an approved payment run into the outbox (another operator than the "
                                        "one who approved it)")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("run", metavar="RUN", help="the run's key, e.g. aconto/2019-06-28/1 (`payment-runs` lists them)")
        p.add_argument("--as", dest="operator", metavar="NAME",
                       help="act as NAME instead of the OS login (only where engine.toml [operations] "
                            "operator_override allows it)")
        if name == "release":
            p.add_argument("--outbox", type=Path, required=True, help="directory the bank's transfer picks files from")

    p = sub.add_parser("migrate", help="bring the database schema to this release (on PostgreSQL the only command "
                       "that changes it: run it as the schema's owner, in the deploy)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 when the schema is behind")

    p = sub.add_parser("grant-roles", help="PostgreSQL: grant the runtime role and the operators' roles what they may "
                       "do in the schema (run as its owner, after `migrate`; docs/operations.md)")
    p.add_argument("--runtime", required=True, metavar="ROLE", help="the role `nightly` and the scheduler log in as")
    p.add_argument("--operator", action="append", default=[], metavar="ROLE",
                   help="an operator's own login role, granted what the runtime role has (repeat for each operator)")

    p = sub.add_parser("explain", help="why a line, payment or claim amounts to what it does, step by step, and what "
                       "became of its money")
    p.add_argument("key", metavar="KEY", help="a line key (rent/2019-06-28/G1/12), a payment or claim key (…#1) or an "
                   "EndToEndId (INKL…)")
    p.add_argument("--json", action="store_true", help="the same as one JSON document")

    p = sub.add_parser("payment-advice", help="each recipient's payment advice for a payment run: what is paid, per "
                       "grant and department, on which account and note, and why (HTML and CSV)")
    p.add_argument("run", metavar="RUN", help="the run's key, e.g. aconto/2019-06-28/1 (`payment-runs` lists them)")
    p.add_argument("--out", type=Path, required=True, help="directory for the files (one HTML and one CSV a recipient)")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of the labels (default: da)")

    p = sub.add_parser("close-year", help="close a fiscal year: nothing is booked in it again")
    p.add_argument("year", type=int)
    p.add_argument("--as-of", type=iso_date, help="the closing date (default: today)")

    p = sub.add_parser("trial-balance", help="opening, debit, credit and closing per account for one year")
    p.add_argument("--year", type=int, required=True)

    p = sub.add_parser("scheduler", help="long-running process that runs `nightly` every day (APScheduler; "
                       "stop with SIGTERM)")
    p.add_argument("--at", type=time_of_day, default=DEFAULT_AT, help="time of day of the nightly run (default: 02:00)")
    p.add_argument("--timezone", help="time zone of --at, e.g. Europe/Copenhagen (default: the machine's)")
    p.add_argument("--misfire-grace-time", type=int, metavar="SECONDS",
                   default=int(DEFAULT_MISFIRE_GRACE.total_seconds()),
                   help="a run missed while the process was down is still made if it is back within this long "
                        "(default: 43200, 12 hours); later ones are skipped, and the next run catches up")
    p.add_argument("--retry-after", type=int, metavar="MINUTES", default=int(DEFAULT_RETRY_AFTER.total_seconds() // 60),
                   help="retry a run that found the lock taken or could not start after this long (default: 15)")

    p = sub.add_parser("demo", help="fresh SQLite database + shipped fixtures + backfill + status + the payment loop + exports")
    p.add_argument("--out", type=Path, default=Path("demo"), help="directory for the demo database (default: ./demo)")

    for command in SCHEME_COMMANDS.values():  # each scheme's own (engine/scheme.py `Command`)
        command.arguments(sub.add_parser(command.name, help=command.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return _run(args)
    except BrokenPipeError:
        # the reader went away (`disbursement calendar 2027 | head -1`): what it wanted was written; stay quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a fault of ours, not of the input: one line, the traceback only with --debug
        if args.debug:
            raise
        print(f"error: internal error: {type(exc).__name__}: {_first_line(exc)} (run again with --debug for the "
              "traceback, and report it)", file=sys.stderr)
        return 1


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0]


def _run(args) -> int:
    """Map what a user can cause to one line on stderr and its exit code."""
    try:
        return _dispatch(args)
    except (RejectedFile, UsageError, ConfigError, MissingIndexValue, LedgerInputError, DatabaseUnavailable) as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    except LedgerBroken as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    except RunIncomplete as exc:
        print(f"{args.command}: {len(exc.outcomes)} job(s) run, {len(exc.failures)} failed", file=sys.stderr)
        for failure in exc.failures:
            print(f"error: job failed: {failure}", file=sys.stderr)
        if exc.held:
            print(f"error: {exc.held_summary()}", file=sys.stderr)
        return 1
    except JobFailed as exc:
        print(f"error: job failed: {exc}", file=sys.stderr)
        return 1
    except LockHeld as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        raise
    except OSError as exc:  # an output directory that cannot be written, a file that cannot be read
        print(f"error: {exc.filename or ''}{': ' if exc.filename else ''}{exc.strerror or exc}", file=sys.stderr)
        return 2


class _Context:
    """What a scheme's command gets: the config, and the database opened only when the command asks for it."""

    def __init__(self, args, config):
        self.args, self.config = args, config

    def engine(self):
        return open_engine(database_url(self.args.db), create=False)


def _dispatch(args) -> int:
    config = load_config(args.config or os.environ.get("DISBURSEMENT_CONFIG"))
    if args.command == "calendar":
        for due in jobs_in_year(args.year, config):
            print(f"{due.date}  {due.scheme:<10} {due.job}")
        return 0
    if args.command == "demo":
        return _demo(args.out)
    if args.command in SCHEME_COMMANDS:
        return SCHEME_COMMANDS[args.command].run(args, _Context(args, config))
    if args.command == "migrate":
        return _migrate(args)
    if args.command == "grant-roles":
        for statement in grant_roles(database_url(args.db), args.runtime, args.operator):
            print(f"{statement};")
        return 0
    engine = open_engine(database_url(args.db), create=args.command not in READ_ONLY)
    if args.command == "load":
        return _load(engine, args.files, config)
    if args.command == "nightly":
        outcomes = nightly(engine, config, args.as_of or clock.now().date(), clock.now, args.dry_run)
        _print_runs("nightly", outcomes, args.dry_run, engine, config)
        return 0
    if args.command == "run":
        outcomes = run_job(engine, config, args.job, args.date, clock.now, args.allow_old, args.dry_run)
        if args.dry_run:
            _print_runs("run", outcomes, True, engine, config)
        else:
            print(f"{outcomes[0].job} {outcomes[0].date}: {outcomes[0].report.summary()}")
        return 0
    if args.command == "backfill":
        outcomes = backfill(engine, config, args.start, args.end, clock.now, args.allow_old, args.dry_run)
        _print_runs("backfill", outcomes, args.dry_run, engine, config)
        return 0
    if args.command == "scheduler":
        config_dir = args.config or os.environ.get("DISBURSEMENT_CONFIG")
        return run_scheduler(SchedulerSettings(
            engine, str(config_dir) if config_dir else None, args.at, args.timezone,
            timedelta(seconds=args.misfire_grace_time), timedelta(minutes=args.retry_after)))
    if args.command == "status":
        st = status(engine, config, args.as_of or clock.now().date())
        if args.html is None:
            _print_status(st)
            return 0
        args.html.write_text(status_page(st), encoding="utf-8")
        print(f"status as of {st.as_of}: {args.html}")
        return 0
    if args.command == "payment-runs":
        for run in payment_runs.generate(engine, config, _as_of(args.as_of, clock.now())):
            print(f"generated {run.key}: {run.file_name}, {run.transactions} payment(s), {run.total:,.2f}, "
                  f"sha256 {run.sha256}")
        with Session(engine) as session:
            for state in payment_runs.run_states(session):
                approved = f"approved by {state.approved[0]} {state.approved[1]:%Y-%m-%d %H:%M}" if state.approved \
                    else "not approved"
                released = f"released by {state.released[0]} {state.released[1]:%Y-%m-%d %H:%M}" if state.released \
                    else "not released"
                print(f"{state.key}  {state.transactions:>4} payment(s) {state.total:>16,.2f}  {approved}; {released}")
        return 0
    if args.command == "explain":
        explanation = explain(engine, config, args.key)
        print(as_json(explanation) if args.json else render(explanation))
        return 0
    if args.command == "payment-advice":
        payer = load_ledger_settings(config.directory).payer.name
        for path in write_advices(engine, config, args.run, payer, args.out, args.lang):
            print(path)
        return 0
    if args.command == "approve":
        payment_runs.approve(engine, config, args.run, payment_runs.operator(args.operator, config), clock.now())
        print(f"{args.run}: approved")
        return 0
    if args.command == "release":
        path = payment_runs.release(engine, config, args.run, payment_runs.operator(args.operator, config), args.outbox,
                                    clock.now())
        print(f"{args.run}: released, {path}")
        return 0
    if args.command == "export":
        exported = export_year(engine, config, args.year, FORMATS if args.fmt == "all" else (args.fmt,), args.out)
        for path in exported.paths:
            print(path)
        if not exported.journals:
            print(f"warning: nothing is booked in fiscal year {args.year}: the files hold headers and zero totals "
                  "only", file=sys.stderr)
        return 0
    if args.command == "close-year":
        closed = close_year(engine, config, load_ledger_settings(config.directory), args.year,
                            args.as_of or clock.now().date())
        print(f"fiscal year {closed.year} {'was already' if closed.already_closed else 'is now'} closed "
              f"(on {closed.closed_on}: {closed.journals} journal(s), debits {closed.total_debit:,.2f})")
        return 0
    if args.command == "trial-balance":
        print(trial_balance_report(engine, config, args.year))
        return 0
    raise UsageError(f"unknown command {args.command}")


def _load(engine, files: list[Path], config) -> int:
    """Each file in its own transaction; every problem of every file is reported (up to the configured number per
    file, then their count) before exiting 2."""
    failed = False
    for path in register_first(files, config):
        try:
            outcome = load_file(engine, str(path), read_file(path, config), config, clock.now())
        except RejectedFile as exc:
            shown = config.intake.max_problems_shown
            for problem in exc.problems[:shown]:
                print(f"error: {problem}", file=sys.stderr)
            if len(exc.problems) > shown:
                print(f"error: {path}: {len(exc.problems) - shown:,} more problems not shown", file=sys.stderr)
            failed = True
            continue
        verb = "already loaded as" if outcome.already_loaded else "loaded as"
        print(f"{path}: {outcome.doc_type} {verb} file #{outcome.file_id}")
    return 2 if failed else 0


def _as_of(day, now):
    """`now` on the day given (default today), never a day ahead: the CLI refuses dates after today."""
    if day is None:
        return now
    if day > now.date():
        raise UsageError(f"--as-of {day} is in the future (today is {now.date()})")
    return now.replace(year=day.year, month=day.month, day=day.day)


def _print_runs(command: str, outcomes: list, dry_run: bool, engine, config) -> None:
    """After a run, how many jobs ran; after a dry run, per job and recipient what they would have booked."""
    if not dry_run:
        print(f"{command}: {len(outcomes)} job(s) run")
        return
    with Session(engine) as session:
        recipients = load_recipients(session, config)
    for outcome in outcomes:
        amounts = ", ".join(f"{name} {amount:,.2f}" for name, amount in outcome.report.amounts.items())
        changed = sum(value for name, value in outcome.report.counts.items() if name.startswith("lines_booked"))
        print(f"{outcome.job} {outcome.date}: {amounts}; would book {changed} line(s) differing from what is booked")
        for recipient, (paid, claimed) in (outcome.by_recipient or {}).items():
            name = recipients[recipient].name if recipient in recipients else recipient
            print(f"  {recipient} {name}: pay {paid:,.2f}, claim {claimed:,.2f}")
    print(f"{command} --dry-run: {len(outcomes)} job(s) computed; nothing was written")


def _print_status(st) -> None:
    print(f"status as of {st.as_of}")
    for section in sections(st):
        if section.shown:
            print(f"{section.heading}:")
            for line in section.lines:
                print(f"  {line}")


def _demo(out: Path) -> int:
    """Fresh SQLite databases in OUT with the shipped fixtures (fixtures/demo.toml): inclusion housing replayed up to
    the demo date, then the temporary-housing trial; status, the ledger and payment files of every year, recipients'
    statements, and the trial's evaluation."""
    import tomllib

    plan = tomllib.loads((FIXTURES / "demo.toml").read_text(encoding="utf-8"))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    temporary = plan["temporary"]
    parts = [
        (out / "demo.sqlite", ["--config", str(FIXTURES / plan["config"])], plan, out / "exports",
         [["statement", "--recipient", cvr, "--year", str(year), "--format", fmt, "--out",
           str(out / "statements" / f"statement-{cvr}-{year}.{fmt}")]
          for cvr, year in plan["statements"] for fmt in ("html", "csv")]),
        (out / "temporary.sqlite", [], temporary, out / "temporary-exports",
         [["evaluate", "--from", temporary["from"], "--to", temporary["as_of"], "--out", str(out / "evaluation")]]),
    ]
    for database, config_args, part, exports, extra in parts:
        code = _demo_part(f"sqlite:///{database}", config_args, part, exports, extra)
        if code:
            return code
    return 0


def _migrate(args) -> int:
    """`migrate`: 0 when the schema is (now) current; with --check, 1 when it is behind."""
    change = migrate(database_url(args.db), check=args.check)
    if change is None:
        print("migrate: the schema is at this release's revisions; nothing to do")
    elif args.check:
        print(f"migrate --check: the schema is behind: {change} would be applied")
        return 1
    else:
        print(f"migrate: upgraded the schema from {change}")
    return 0


def _payment_loop(payments: dict, outbox: Path) -> list[list[str]]:
    """The demo's payment runs (fixtures/demo.toml [payments]): made, approved by one operator and released by
    another, the bank's answers loaded (the debits settle the payable), a rejected payment paid again and its run
    released, the later answers; the trial balance after each load shows what is still owed."""
    approver, releaser = payments["operators"]

    def approved_and_released(runs: list[str]) -> list[list[str]]:
        return [step for run in runs for step in (["approve", run, "--as", approver],
                                                  ["release", run, "--outbox", str(outbox), "--as", releaser],
                                                  ["payment-advice", run, "--out", str(outbox.parent / "advice")])]

    job, day = payments["reissue"]
    return ([["payment-runs", "--as-of", payments["made_on"]], *approved_and_released(payments["runs"]),
             ["load", *sorted(str(path) for path in FIXTURES.glob(payments["answers"]))],
             ["status", "--as-of", payments["reissued_on"]],
             ["trial-balance", "--year", payments["reissued_on"][:4]],
             ["run", job, "--date", day, "--allow-old"],
             ["payment-runs", "--as-of", payments["reissued_on"]], *approved_and_released(payments["reissued_runs"]),
             ["load", *sorted(str(path) for path in FIXTURES.glob(payments["later_answers"]))],
             ["status", "--as-of", payments["as_of"]],
             ["trial-balance", "--year", payments["as_of"][:4]]])


def _demo_part(db: str, config_args: list[str], part: dict, exports: Path, extra: list[list[str]]) -> int:
    files = sorted(str(path) for path in FIXTURES.glob(part["files"]))
    start, as_of = part["from"], part["as_of"]
    page = exports.parent / f"{Path(db.split('///')[-1]).stem}-status.html"
    steps = [["load", *files], ["backfill", "--from", start, "--to", as_of, "--allow-old"], ["status", "--as-of", as_of],
             ["status", "--as-of", as_of, "--html", str(page)]]
    if "payments" in part:
        steps += _payment_loop(part["payments"], exports.parent / "outbox")
    steps += [["export", "--year", str(year), "--format", "all", "--out", str(exports)]
              for year in range(int(start[:4]), int(as_of[:4]) + 1)]
    for step in steps + extra:
        shown = ["load", f"fixtures/{part['files']}", f"({len(files)} files)"] if step is steps[0] else step
        print(f"$ disbursement --db {db} {' '.join(config_args + shown)}", flush=True)
        code = main(["--db", db, *config_args, *step])
        if code:
            return code
    return 0

if __name__ == "__main__":
    sys.exit(main())
