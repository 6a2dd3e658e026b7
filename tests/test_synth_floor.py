"""The synthetic national-scale data (disbursement/synth.py) loads through the real intake, and the benchmark's
bulk-SQL floor (bench/floor.py) computes the engine's rent-subsidy payments to the øre, on both databases."""
import sys
from datetime import date, datetime, timezone

from disbursement.engine.registry import load_config
from disbursement.intake.load import load_file
from disbursement.engine.runner import backfill, nightly
from disbursement.store.database import open_engine
from disbursement.schemes.inclusion.synth import generate

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from floor import compare_with_engine, run_floor  # noqa: E402

CONFIG = ROOT / "bench" / "config"
LOADED = datetime(2020, 7, 1, 1, 0, tzinfo=timezone.utc)


def test_synth_is_deterministic(tmp_path):
    a, b = generate(700, 2, 3, tmp_path / "a"), generate(700, 2, 3, tmp_path / "b")
    generate(700, 2, 4, tmp_path / "c")  # another seed: other data
    assert a == b and a.dwellings == 700 and a.grants >= 3
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes() for n in names)
    assert any((tmp_path / "c" / n).exists() and (tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes()
               for n in names)


def test_floor_equals_engine_to_the_ore(db_url, tmp_path):
    data = tmp_path / "data"
    generate(600, 1, 6, data)
    config = load_config(CONFIG)
    engine = open_engine(db_url)
    for name in sorted(p.name for p in data.iterdir()):
        assert not load_file(engine, name, (data / name).read_bytes(), config, LOADED).already_loaded
    clock = lambda: datetime(2020, 7, 1, 2, 0, tzinfo=timezone.utc)  # noqa: E731
    nightly(engine, config, date(2018, 12, 31), clock)
    backfill(engine, config, date(2019, 1, 1), date(2020, 6, 30), clock, allow_old=True)
    assert nightly(engine, config, date(2020, 6, 30), clock) == []  # everything ran, nothing is stale
    rows = run_floor(engine, config, 2019)
    assert rows > 0 and compare_with_engine(engine) == rows
