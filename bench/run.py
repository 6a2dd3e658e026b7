"""National-scale benchmark (issue #6): load, backfill, no-op nightly and peak memory, against a bulk-SQL floor.

    .venv/bin/python bench/run.py --sizes 10000 100000 1000000 --databases sqlite postgresql

For every size N (dwelling-years: N dwellings x 1 year, synthetic, schemes/inclusion/synth.py) and database it
1. generates the data once (cached in --work), creates a fresh database,
2. `load`: loads every file through the real intake (load_file, registers first, then by name); `load_floor`: the
   same files parsed, validated against the same XSD and bulk-inserted once per document type in one transaction
   (bench/load_floor.py), then checked to hold the same rows,
3. `prelude` (untimed in the ratios): nightly up to 2018-12-31, so the years before the data year are done,
4. `backfill`: every job due 2019-01-01 .. 2020-06-30 (the rent-subsidy year 2019: its four terms, the 2020
   reconciliation and the Q2 2020 settlement, plus the social support, estimates and refunds jobs of those dates),
5. `nightly`: a no-op nightly as of 2020-06-30 (everything has run, nothing is stale),
6. `floor`: the same rent-subsidy year and the social support of the same terms with plain SQL (one INSERT ...
   SELECT per job: aconto terms, settlement, social support), then asserts that the floor's payments and claims
   equal the engine's to the øre, line by line.
Each phase runs in its own process; peak memory is that process's max RSS (the database server's is not counted).
Results: one JSON line per (N, database, phase) in --work/results.jsonl and a table on stdout.
"""
import argparse
import json
import logging
import os
import re
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "bench" / "config"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
LOADED_AT = datetime(2020, 7, 1, 1, 0, tzinfo=timezone.utc)
RUN_CLOCK = datetime(2020, 7, 1, 2, 0, tzinfo=timezone.utc)
YEAR = 2019
BACKFILL = (date(YEAR, 1, 1), date(YEAR + 1, 6, 30))
FLOOR_JOBS = ("aconto", "reconciliation", "social_support")  # the engine's jobs whose bookings bench/floor.py redoes


def _clock():
    return RUN_CLOCK


def _peak_mib() -> float:
    """The phase process's own peak resident memory: VmHWM, which exec starts afresh (ru_maxrss keeps the peak of
    the parent that forked it: every phase reported the data generator's 262 MiB at 1M)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the closest there is


# ---------------------------------------------------------------- phases (each in its own process)

def phase_load(url: str, data: Path) -> dict:
    from disbursement.engine.registry import load_config
    from disbursement.intake.load import load_file
    from disbursement.store.database import migrate, open_engine

    config = load_config(CONFIG)
    migrate(url)  # a new database: on PostgreSQL only `migrate` makes its schema
    engine = open_engine(url)
    names = sorted(p.name for p in data.iterdir() if p.suffix == ".xml")  # 0000-register-* sort first
    tick = time.monotonic()
    for name in names:
        load_file(engine, name, (data / name).read_bytes(), config, LOADED_AT)
    return {"seconds": time.monotonic() - tick, "files": len(names)}


def phase_load_floor(url: str, data: Path) -> dict:
    from load_floor import load_floor

    return load_floor(url, [data / name for name in sorted(p.name for p in data.iterdir() if p.suffix == ".xml")])


class _JobSeconds(logging.Handler):
    """Sum the runner's `seconds=` per job from its log lines."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.by_job: dict[str, float] = {}

    def emit(self, record):
        text = record.getMessage()
        job, seconds = re.search(r"job=(\S+)", text), re.search(r"seconds=([0-9.]+)", text)
        if job and seconds and "outcome=" in text:
            self.by_job[job.group(1)] = self.by_job.get(job.group(1), 0.0) + float(seconds.group(1))


def _engine_and_config(url):
    from disbursement.engine.registry import load_config
    from disbursement.store.database import open_engine

    return open_engine(url), load_config(CONFIG)


def phase_prelude(url: str, data: Path) -> dict:
    from disbursement.engine.runner import nightly

    engine, config = _engine_and_config(url)
    tick = time.monotonic()
    runs = nightly(engine, config, date(YEAR - 1, 12, 31), _clock)
    return {"seconds": time.monotonic() - tick, "jobs": len(runs)}


def phase_backfill(url: str, data: Path) -> dict:
    from disbursement.engine.runner import backfill

    engine, config = _engine_and_config(url)
    handler = _JobSeconds()
    logging.getLogger("disbursement").addHandler(handler)
    logging.getLogger("disbursement").setLevel(logging.INFO)
    tick = time.monotonic()
    runs = backfill(engine, config, *BACKFILL, _clock, allow_old=True)
    return {"seconds": time.monotonic() - tick, "jobs": len(runs),
            "by_job": {job: round(s, 3) for job, s in sorted(handler.by_job.items())}}


def phase_nightly(url: str, data: Path) -> dict:
    from disbursement.engine.runner import nightly

    engine, config = _engine_and_config(url)
    nightly(engine, config, BACKFILL[1], _clock)  # warm: connection pool, config; must also be a no-op
    tick = time.monotonic()
    runs = nightly(engine, config, BACKFILL[1], _clock)
    seconds = time.monotonic() - tick
    if runs:
        raise AssertionError(f"the nightly after the backfill ran {len(runs)} job(s): not a no-op")
    return {"seconds": seconds, "jobs": len(runs)}


def phase_floor(url: str, data: Path) -> dict:
    from floor import compare_with_engine, run_floor  # bench/floor.py

    engine, config = _engine_and_config(url)
    tick = time.monotonic()
    rows = run_floor(engine, config, YEAR)
    seconds = time.monotonic() - tick
    checked = compare_with_engine(engine)
    return {"seconds": seconds, "rows": rows, "lines_checked": checked}


PHASES = {"load": phase_load, "load_floor": phase_load_floor, "prelude": phase_prelude, "backfill": phase_backfill, "nightly": phase_nightly,
          "floor": phase_floor}


# ---------------------------------------------------------------- orchestration

def _fresh_database(database: str, size: int, work: Path) -> str:
    if database == "sqlite":
        path = work / f"bench-{size}.sqlite"
        for stale in (path, Path(f"{path}.lock"), Path(f"{path}-journal")):
            stale.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = f"bench_{size}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return PG + name


def _data(size: int, seed: int, work: Path) -> Path:
    from disbursement.schemes.inclusion.synth import generate

    out = work / f"data-{size}-seed{seed}"
    if not (out / ".complete").exists():
        summary = generate(size, 1, seed, out, first_year=YEAR)
        (out / ".complete").write_text(json.dumps(summary.__dict__))
    return out


def _run_phase(phase: str, url: str, data: Path) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--url", url, "--data", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--work", type=Path, default=Path("/tmp/disbursement-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases afterwards")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        result = PHASES[args.phase](args.url, args.data)
        result["peak_mib"] = round(_peak_mib(), 1)
        print(json.dumps(result))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    results = args.work / "results.jsonl"
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}; results: {results}", flush=True)
    for size in args.sizes:
        tick = time.monotonic()
        data = _data(size, args.seed, args.work)
        print(f"N={size}: data generated in {time.monotonic() - tick:.1f} s ({data})", flush=True)
        for database in args.databases:
            url = _fresh_database(database, size, args.work)
            row = {"n": size, "database": database, "cores": os.cpu_count()}
            for phase in ("load", "load_floor", "prelude", "backfill", "nightly", "floor"):
                row[phase] = _run_phase(phase, url, data)
                print(f"N={size} {database} {phase}: {json.dumps(row[phase])}", flush=True)
            row["ratio_backfill_floor"] = row["backfill"]["seconds"] / row["floor"]["seconds"]
            row["ratio_load_floor"] = row["load"]["seconds"] / row["load_floor"]["seconds"]
            # the engine's jobs that the floor's scope covers (estimates and refunds are not in it)
            covered = sum(row["backfill"]["by_job"].get(job, 0.0) for job in FLOOR_JOBS)
            row["ratio_floor_jobs"] = covered / row["floor"]["seconds"]
            with results.open("a") as handle:
                handle.write(json.dumps(row) + "\n")
            print(f"N={size} {database}: load/load floor = {row['ratio_load_floor']:.1f}, "
                  f"backfill/floor = {row['ratio_backfill_floor']:.1f}, "
                  f"({'+'.join(FLOOR_JOBS)})/floor = {row['ratio_floor_jobs']:.1f}", flush=True)
            if not args.keep:
                _drop(database, size, args.work)
    return 0


def _drop(database: str, size: int, work: Path) -> None:
    if database == "sqlite":
        (work / f"bench-{size}.sqlite").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS bench_{size}")


if __name__ == "__main__":
    sys.exit(main())
