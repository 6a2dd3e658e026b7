"""Exported ledger and payment files (SPEC 1, 5): csv, saft, pain001, beancount.

Each format is a pure function from one `YearLedger` (plain sorted values read from the store) to file names and
bytes; nothing reads the clock, so identical state gives byte-identical files. Before anything is written the
ledger is checked (ledger/invariants.py) and every payment's recipient account is validated; a problem stops the
export with one line per problem. Formats, conventions and schemas: docs/exports.md.
"""
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from ..config import Config, load_ledger_settings
from ..ledger.errors import LedgerBroken, require_fiscal_year
from ..ledger.invariants import check_ledger
from . import ledger_beancount, ledger_csv, pain001, saft
from .year import YearLedger, load_year_ledger

WRITERS = {"csv": ledger_csv.files, "saft": saft.files, "pain001": pain001.files, "beancount": ledger_beancount.files}
FORMATS = tuple(WRITERS)


def render(ledger: YearLedger, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """File name -> content for the formats asked for; raises before returning anything if one format fails."""
    files: dict[str, bytes] = {}
    for name in formats:
        files.update(WRITERS[name](ledger))
    return dict(sorted(files.items()))


@dataclass(frozen=True)
class Exported:
    paths: list[Path]
    journals: int  # booked in the year: none means files with headers and zero totals only


def export_year(engine: Engine, config: Config, year: int, formats: tuple[str, ...], out: Path) -> Exported:
    """Check the ledger, render the files of `year`, then write them into `out` (created if missing)."""
    require_fiscal_year(year)
    settings = load_ledger_settings(config.directory)
    with Session(engine) as session:
        ledger = load_year_ledger(session, config, settings, year)
        problems = check_ledger(session, config, ledger.chart)
    if problems:
        raise LedgerBroken("the ledger does not pass its checks; nothing exported:\n"
                           + "\n".join(str(p) for p in problems))
    files = render(ledger, formats)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        path.write_bytes(content)
        written.append(path)
    return Exported(written, len(ledger.journals))
