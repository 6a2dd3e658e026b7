"""`disbursement evaluate`: compute the report once, render every file, then write them (identical state gives
byte-identical files)."""
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine

from ....config import Config
from .csv_files import csv_files
from .html_report import html_report
from .report import build_report

EVALUATION_FILES = ("evaluation.html", "evaluation-figures.csv", "evaluation-tenancies.csv",
                    "evaluation-destinations.csv", "evaluation-education-work.csv", "evaluation-areas.csv",
                    "evaluation-sites.csv", "evaluation-business-case.csv")


def write_evaluation(engine: Engine, config: Config, start: date, end: date, out: Path, lang: str = "da") -> list[Path]:
    """Compute the report, render every file in `lang` (da or en), then write them into `out` (created if missing)."""
    report = build_report(engine, config, start, end)
    files = {**csv_files(report, lang), "evaluation.html": html_report(report, lang).encode("utf-8")}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EVALUATION_FILES:
        path = out / name
        path.write_bytes(files[name])
        written.append(path)
    return written
