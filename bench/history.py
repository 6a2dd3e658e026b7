"""Social support over a 15-year history (issue 15): a term's cost must not grow with the years since the hire date.

    .venv/bin/python bench/history.py --sizes 10000 100000

For every size N it loads the synthetic register and events of N dwellings (schemes/inclusion/synth.py: grants of
2017-2018, caretakers hired within five months) into a fresh SQLite database, then times the social-support job's
computation for each term of 2018 (the first full year) and of 2031 (the fourteenth): `social_support_lines`, all
the job does but booking, best of three per term, summed over the year's four terms. It prints last year / first
year (target: at most 1.3), and the same for the whole-schedule computation it replaced (every term from the grant
date recomputed at each run), for comparison. The wage index past the bench config's last year is extended by
2.9 a year (ILLUSTRATIVE, as the rest of bench/config).
"""
import argparse
import dataclasses
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disbursement.engine.banking_days import payment_terms  # noqa: E402
from disbursement.engine.registry import load_config  # noqa: E402
from disbursement.indexation import IndexTable  # noqa: E402
from disbursement.intake.load import load_file  # noqa: E402
from disbursement.schemes.inclusion.jobs import social_support as job  # noqa: E402
from disbursement.schemes.inclusion.rules import social_support as rules  # noqa: E402
from disbursement.schemes.inclusion.synth import generate  # noqa: E402
from disbursement.store.database import open_engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

CONFIG = ROOT / "bench" / "config"
LOADED_AT = datetime(2020, 7, 1, 1, 0, tzinfo=timezone.utc)  # as bench/run.py
FIRST, LAST = 2018, 2031


def _config():
    config = load_config(CONFIG)
    values = dict(config.wage.values)
    while max(values) < LAST:
        values[max(values) + 1] = values[max(values)] + Decimal("2.9")
    return dataclasses.replace(config, wage=IndexTable(config.wage.name, values))


def _year_seconds(engine, config, year: int) -> float:
    total = 0.0
    with Session(engine) as session:
        for paid_on in payment_terms(year, config.terms):
            best = None
            for _ in range(3):
                tick = time.perf_counter()
                job.social_support_lines(session, config, paid_on)
                best = min(best or 1e9, time.perf_counter() - tick)
            total += best
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/disbursement-bench-history"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    config = _config()
    for size in args.sizes:
        data = args.work / f"data-{size}"
        if not (data / ".complete").exists():
            generate(size, 1, 6, data, first_year=2019)
            (data / ".complete").write_text("")
        database = args.work / f"history-{size}.sqlite"
        database.unlink(missing_ok=True)
        engine = open_engine(f"sqlite:///{database}")
        for path in sorted(data.glob("*.xml")):
            if "register" in path.name or "events" in path.name:
                load_file(engine, path.name, path.read_bytes(), config, LOADED_AT)
        times = {}
        for label, term in (("term", rules.social_support_term),
                            ("schedule", lambda *a: rules.social_support_schedule(*a)[-1])):
            job.social_support_term = term  # the job's one call: this function, or the whole schedule
            times[label] = (_year_seconds(engine, config, FIRST), _year_seconds(engine, config, LAST))
        job.social_support_term = rules.social_support_term
        engine.dispose()
        for label, (first, last) in times.items():
            print(f"N={size} {label:<8}: {FIRST} {first:.3f} s, {LAST} {last:.3f} s, {LAST}/{FIRST} = "
                  f"{last / first:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
