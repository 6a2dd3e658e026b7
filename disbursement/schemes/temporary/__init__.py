"""Temporary housing (midlertidige boligløsninger, the free-municipality trial of Aarhus, Høje-Taastrup and
København; SPEC 2.8, ../shared/seeds/000_a267c0cb911726df.txt "T"): a monthly temporary rent subsidy to the
landlords of temporary dwellings (T 1), how each line of it is computed (`explain`), and the trial's evaluation
(T 5), `disbursement evaluate`.

Parameters: config/schemes/temporary.toml (settings.py). Everything else the scheme owns is in this package.
"""
from pathlib import Path

from sqlmodel import Session, select

from ...arguments import iso_date
from ...engine.scheme import Command, IntakeReader, JobSpec, MonthEnds, Scheme, SupportType
from ...exports.language import LANGUAGES
from ...ledger.journals import Recipient
from .evaluation import write_evaluation
from .explain import explain_line
from .intake import NS, SCHEMA, stage_temporary
from .jobs.rent import first_day, run_temporary_rent, temporary_flags, trial_period
from .settings import NAME, TemporarySettings
from .tables import Landlord


def landlords(session: Session) -> dict[str, Recipient]:
    return {landlord.cvr: Recipient(landlord.cvr, landlord.name, "landlord", landlord.iban)
            for landlord in session.exec(select(Landlord).order_by(Landlord.cvr))}


def _evaluate_arguments(parser) -> None:
    parser.add_argument("--from", dest="start", type=iso_date, required=True)
    parser.add_argument("--to", dest="end", type=iso_date, required=True)
    parser.add_argument("--out", type=Path, required=True, help="directory the files are written into")
    parser.add_argument("--lang", choices=LANGUAGES, default="da",
                        help="language of the report and the CSV headers: da (Danish, the default) or en (English)")


def _evaluate(args, context) -> int:
    for path in write_evaluation(context.engine(), context.config, args.start, args.end, args.out, args.lang):
        print(path)
    return 0


SCHEME = Scheme(
    name=NAME,
    title="Midlertidige boliger",
    source="T 1 (Midlertidigt huslejetilskud), T 5 (Evaluering); SPEC 2.8",
    settings=TemporarySettings,
    supports=(SupportType("temporary_rent", "Midlertidigt huslejetilskud", "landlord", ("temporary_rent",)),),
    jobs=(JobSpec("temporary_rent", MonthEnds(), run_temporary_rent),),
    first_day=first_day,
    period=trial_period,
    migrations=Path(__file__).resolve().parent / "migrations",
    intake=(IntakeReader(NS, SCHEMA, stage_temporary, first=("temporary-register",)),),
    flags=temporary_flags,
    recipients=landlords,
    explain=explain_line,
    commands=(Command("evaluate", "temporary-housing trial: the evaluation figures of a period (T 5) as CSV and a "
                      "self-contained HTML report", _evaluate_arguments, _evaluate),),
)
