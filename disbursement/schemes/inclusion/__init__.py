"""Inclusion housing (inklusionsboliger, VEJ 9305 of 21/03/2017, "V"; SPEC 2): rent subsidy on account and its
reconciliation, social support, conversion grants and refunds of municipal losses, paid to housing organisations
and municipalities and booked on the accounts of V 11.

Parameters: config/schemes/inclusion.toml (settings.py). Everything else the scheme owns is in this package:
rules/ (pure), intake/, tables.py, jobs/, flags.py, statement.py (and statement_formats.py), synth.py and
migrations/.
"""
from pathlib import Path

from sqlmodel import Session, select

from ...engine.errors import UsageError
from ...engine.scheme import Command, IntakeReader, JobSpec, OnReceipt, PaymentTerms, Scheme, SupportType, Yearly
from ...exports.language import LANGUAGES
from .flags import decision_lines, first_grant_date, inclusion_flags
from .intake import NS, SCHEMA, stage
from .jobs.aconto import run_aconto
from .explain import explain_line
from .jobs.estimates import run_estimates
from .jobs.lump_sums import run_lump_sums
from .jobs.reconciliation import run_reconciliation
from .jobs.refunds import run_refunds
from .jobs.social_support import run_social_support
from .jobs.staleness import stale_runs
from .settings import NAME, InclusionSettings
from .statement import read_statement
from .statement_formats import FORMATS, RENDERERS
from .synth import generate
from .tables import Decision, Department, GrantEvent

LUMP_SUM_EVENTS = ("works-started", "conversion-accounts")


def receipt_days(session: Session) -> set:
    """The days the reports the lump sums act on arrived (V 2.5.1: start of works, conversion accounts), the days
    decisions on grants arrived (a changed or stopped conversion grant, a lapse waived, a transfer), and the days a
    changed conversion amount takes effect."""
    events = set(session.exec(select(GrantEvent.received).where(GrantEvent.kind.in_(LUMP_SUM_EVENTS)).distinct()))
    decided = set(session.exec(select(Decision.received).where(Decision.grant_id.is_not(None)).distinct()))
    return events | decided | set(session.exec(select(Decision.effective).where(
        Decision.kind == "grant-change", Decision.conversion_amount.is_not(None)).distinct()))


def departments(session: Session) -> dict[int, tuple[str, str]]:
    return {d.id: (d.number, d.name) for d in session.exec(select(Department))}


def _statement_arguments(parser) -> None:
    parser.add_argument("--recipient", required=True, metavar="CVR", help="the housing organisation's CVR number")
    parser.add_argument("--year", type=int, required=True, help="the year of the rent subsidy's terms")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="text",
                        help="text (100 columns, to stdout unless --out), csv (one row per department and a total "
                             "row per grant, Danish conventions) or html (one printable page); default: text")
    parser.add_argument("--out", type=Path, metavar="FILE", help="the file to write (required for csv and html)")
    parser.add_argument("--lang", choices=LANGUAGES, default="da", help="language of the labels (default: da)")


def _statement(args, context) -> int:
    if args.fmt != "text" and args.out is None:
        raise UsageError(f"statement: --format {args.fmt} writes a file: give --out FILE")
    st = read_statement(context.engine(), context.config, args.recipient, args.year)
    content = RENDERERS[args.fmt](st, args.lang)
    if args.out is None:
        print(content, end="")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    print(args.out)
    return 0


def _synth_arguments(parser) -> None:
    parser.add_argument("--dwellings", type=int, required=True, help="number of dwellings (count=1 each)")
    parser.add_argument("--years", type=int, default=1, help="report years, from 2019 (default: 1)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--out", type=Path, required=True, help="directory for the XML files")


def _synth(args, context) -> int:
    summary = generate(args.dwellings, args.years, args.seed, args.out)
    print(f"synth: {summary.grants} grants, {summary.departments} departments, {summary.dwellings} dwellings, "
          f"{summary.files} files in {args.out}")
    return 0


SCHEME = Scheme(
    name=NAME,
    title="Inklusionsboliger",
    source="VEJ 9305 of 21/03/2017 (V); SPEC 2",
    settings=InclusionSettings,
    supports=(
        SupportType("rent_subsidy", "Huslejetilskud", "department", ("estimates", "aconto", "reconciliation")),
        SupportType("social_support", "Tilskud til sociale støttefunktioner", "organisation", ("social_support",)),
        SupportType("conversion_grant", "Tilskud til ombygning og indretning", "department", ("lump_sums",)),
        SupportType("loss_refund", "Refusion af kommunale tab ved fraflytning", "municipality", ("refunds",)),
    ),
    # Same-day order: inputs first (estimates, actuals, claims, reports of works), then what pays from them.
    jobs=(
        JobSpec("estimates", Yearly(lambda s: s.reporting.estimate_due, "reporting.estimate_due"), run_estimates),
        JobSpec("reconciliation", Yearly(lambda s: s.reporting.actuals_due, "reporting.actuals_due"),
                run_reconciliation, reads=("aconto",)),  # what the year's terms booked
        JobSpec("refunds", Yearly(lambda s: s.refunds.claims_due, "refunds.claims_due"), run_refunds),
        JobSpec("lump_sums", OnReceipt(receipt_days), run_lump_sums),
        JobSpec("aconto", PaymentTerms(), run_aconto, reads=("reconciliation",)),  # the settlement term settles it
        JobSpec("social_support", PaymentTerms(), run_social_support),
    ),
    first_day=first_grant_date,
    migrations=Path(__file__).resolve().parent / "migrations",
    intake=(IntakeReader(NS, SCHEMA, stage, first=("register",)),),
    flags=inclusion_flags,
    decisions=decision_lines,
    stale_runs=stale_runs,
    departments=departments,
    commands=(
        Command("statement", "one recipient's grants in one year: on account, entitlement, difference, Q2 offset, "
                "paid and claimed, as text, CSV or HTML, in Danish or English",
                _statement_arguments, _statement),
        Command("synth", "write a deterministic synthetic register and reports (benchmarks: bench/)",
                _synth_arguments, _synth),
    ),
    explain=explain_line,
)
