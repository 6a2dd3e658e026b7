"""The engine and its schemes (engine/scheme.py): the registry in code, config as parameters only, jobs due only
where a scheme has data, and a third scheme registered from test code alone."""
import shutil
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from freezegun import freeze_time
from sqlmodel import Session

from disbursement.config import SHIPPED, ConfigError, Kroner, Parameters, read_config
from disbursement.engine.booking import Line, book_lines
from disbursement.engine.calendar import jobs_in_year
from disbursement.engine.registry import SCHEMES, check_schemes, load_config
from disbursement.engine.result import JobReport
from disbursement.engine.runner import nightly
from disbursement.engine.scheme import JobSpec, MonthEnds, Scheme, SupportType, Yearly
from disbursement.engine.status import status
from disbursement.intake.load import load_file
from disbursement.ledger.chart import Chart
from disbursement.ledger.invariants import check_ledger
from disbursement.config import load_ledger_settings
from disbursement.schemes import inclusion, temporary
from disbursement.store.database import open_engine
from tests.conftest import FIXTURES
from tests.helpers import cli, kroner, rows

CONFIG = load_config()


def test_registry_lists_both_schemes_and_their_jobs_in_same_day_order():
    assert [scheme.name for scheme in SCHEMES] == ["inclusion", "temporary"]
    assert [job.name for job in inclusion.SCHEME.jobs] == [
        "estimates", "reconciliation", "refunds", "lump_sums", "aconto", "social_support"]
    assert [(s.name, s.recipient) for s in inclusion.SCHEME.supports] == [
        ("rent_subsidy", "department"), ("social_support", "organisation"), ("conversion_grant", "department"),
        ("loss_refund", "municipality")]
    assert [(s.name, s.recipient) for s in temporary.SCHEME.supports] == [("temporary_rent", "landlord")]


def test_yearly_jobs_fall_on_their_settings_and_term_jobs_on_the_four_terms():
    due = [(j.date, j.scheme, j.job) for j in jobs_in_year(2019, CONFIG)]
    assert (date(2019, 12, 1), "inclusion", "estimates") in due  # reporting.estimate_due
    assert (date(2019, 2, 15), "inclusion", "reconciliation") in due  # reporting.actuals_due
    assert (date(2019, 5, 15), "inclusion", "refunds") in due  # refunds.claims_due
    assert [d for d, _, job in due if job == "aconto"] == [
        date(2019, 3, 29), date(2019, 6, 28), date(2019, 9, 30), date(2019, 12, 30)]


def test_every_support_type_has_accounts_and_temporary_rent_is_booked_on_5150():
    for scheme in CONFIG.schemes:
        for support in scheme.supports:
            assert support.name in CONFIG.accounts.supports
    assert CONFIG.support("temporary_rent").recipient == "landlord"
    assert CONFIG.accounts.of("temporary_rent").expense == "5150"
    assert CONFIG.accounts.of("temporary_rent").recipient_account is None
    assert CONFIG.accounts.of("rent_subsidy").note("index") == "104.4"
    assert CONFIG.accounts.of("social_support").note() == "pkt. 26"


def test_temporary_rent_runs_on_the_last_banking_day_of_each_month_of_the_trial_period():
    days = [j.date for j in jobs_in_year(2021, CONFIG) if j.job == "temporary_rent"]
    # 30 April 2021 was Great Prayer Day; 31 December is a bank closing day (30 and 31 July 2021: Friday, Saturday)
    assert days == [date(2021, 1, 29), date(2021, 2, 26), date(2021, 3, 31), date(2021, 4, 29), date(2021, 5, 31),
                    date(2021, 6, 30), date(2021, 7, 30), date(2021, 8, 31), date(2021, 9, 30), date(2021, 10, 29),
                    date(2021, 11, 30), date(2021, 12, 30)]
    assert not [j for j in jobs_in_year(2020, CONFIG) if j.job == "temporary_rent"]  # before period_from


def test_calendar_names_the_scheme_of_each_job(capsys):
    assert cli("sqlite://", "calendar", "2021") == 0
    lines = capsys.readouterr().out.splitlines()
    assert "2021-01-29  temporary  temporary_rent" in lines
    assert "2021-03-31  inclusion  aconto" in lines


@freeze_time("2022-02-01 08:00:00")
def test_an_inclusion_only_database_lists_no_temporary_job(db_url):
    assert cli(db_url, "load", *sorted(str(p) for p in (FIXTURES / "w1").glob("*.xml"))) == 0
    engine = open_engine(db_url)
    not_run = status(engine, load_config(FIXTURES / "w1" / "config"), date(2022, 1, 31)).jobs_not_run
    assert "aconto 2021-12-30" in not_run
    assert not [line for line in not_run if line.startswith("temporary_rent")]


# --- config: parameters only, every problem one line naming file and key ---

def test_config_problems_name_file_and_key_one_line_each(tmp_path):
    (tmp_path / "schemes").mkdir()
    shipped = (SHIPPED / "schemes" / "inclusion.toml").read_text(encoding="utf-8")
    (tmp_path / "schemes" / "inclusion.toml").write_text(
        shipped.replace('reserve_per_cohort = "500000.00"', 'reserve_per_cohort = "-5"')
               .replace('repayment = "offset"', 'repayment = "later"'), encoding="utf-8")
    (tmp_path / "engine.toml").write_text((SHIPPED / "engine.toml").read_text() + "surprise = 1\n")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    lines = str(error.value).splitlines()
    assert f"{tmp_path / 'engine.toml'}: intake.surprise: Extra inputs are not permitted" in lines
    assert any(line.startswith(f"{tmp_path / 'schemes' / 'inclusion.toml'}: social_support.repayment: Input should "
                               "be 'offset' or 'collect'") for line in lines)
    assert f"{tmp_path / 'schemes' / 'inclusion.toml'}: refunds.reserve_per_cohort: -5 must be kroner >= 0 with at " \
           "most two decimals" in lines
    assert len(lines) == 3


def test_a_scheme_toml_of_the_earlier_release_is_refused_not_ignored(tmp_path):
    (tmp_path / "scheme.toml").write_text("[refunds]\nreserve_per_cohort = \"1.00\"\n")
    with pytest.raises(ConfigError, match=r"scheme.toml: this release reads no scheme.toml; its settings are now in "
                                          r"engine.toml"):
        load_config(tmp_path)


def test_a_support_type_without_accounts_and_accounts_of_nobody_are_refused(tmp_path):
    youth = _youth_scheme()
    _youth_config(tmp_path, accounts=False)
    with pytest.raises(ConfigError, match=r"accounts.toml: support.youth_grant: missing: the accounts of support "
                                          r"type 'youth_grant' \(paid by scheme 'youth'\)"):
        read_config(tmp_path, (*SCHEMES, youth))
    _youth_config(tmp_path, accounts=True)
    with pytest.raises(ConfigError, match="support.youth_grant: no registered scheme pays support type 'youth_grant'"):
        read_config(tmp_path, SCHEMES)


def test_the_registry_refuses_a_job_name_twice_and_an_unknown_recipient_kind():
    twin = Scheme(name="twin", title="", source="", settings=Parameters, supports=(), first_day=_no_day,
                  jobs=(JobSpec("aconto", MonthEnds(), _pay_youth_grant),))
    with pytest.raises(ValueError, match="job 'aconto' is already registered by another scheme"):
        check_schemes((*SCHEMES, twin))
    odd = Scheme(name="odd", title="", source="", settings=Parameters, jobs=(), first_day=_no_day,
                 supports=(SupportType("odd", "", "tenant", ()),))
    with pytest.raises(ValueError, match="recipient 'tenant' is not one of"):
        check_schemes((*SCHEMES, odd))


# --- a third scheme: one package (here: this test module) and one config file ---

class YouthSettings(Parameters):
    start: date
    amount: Kroner
    recipient: str


def _no_day(session, config):
    return None


def _pay_youth_grant(session: Session, config, on: date, job_run_id: int) -> JobReport:
    """One yearly grant to one organisation of the register: what a scheme's job does, in a few lines."""
    settings = config.settings_of("youth")
    accounts = config.accounts.of("youth_grant")
    line = Line(key=f"youth/{on.year}/{settings.recipient}", support="youth_grant", grant_id=None,
                department_id=None, recipient_cvr=settings.recipient, value_date=on, claim_due=on,
                expense_account=accounts.expense, recipient_account=accounts.recipient_account,
                recipient_note=accounts.note(), recipient_book=accounts.recipient_book,
                components={"grant": settings.amount})
    booked = book_lines(session, "youth_grant", on, job_run_id, [line], config, description="youth grant")
    return JobReport(counts={"lines_booked": booked.lines_changed}, amounts={"paid": booked.paid},
                     inputs=[line.fingerprint_input()])


def _youth_scheme() -> Scheme:
    return Scheme(
        name="youth", title="Youth housing grant", source="a test", settings=YouthSettings,
        supports=(SupportType("youth_grant", "Youth grant", "organisation", ("youth_grant",)),),
        jobs=(JobSpec("youth_grant", Yearly(lambda s: (3, 1), "1 March"), _pay_youth_grant),),
        first_day=lambda session, config: config.settings_of("youth").start,
    )


def _youth_config(directory, accounts: bool) -> None:
    shutil.copytree(FIXTURES / "w1" / "config", directory, dirs_exist_ok=True)
    (directory / "schemes").mkdir(exist_ok=True)
    (directory / "schemes" / "youth.toml").write_text(
        'start = 2019-01-01\namount = "1000.00"\nrecipient = "12345678"\n')
    extra = '\n[support.youth_grant]\nexpense = "5150"\n' if accounts else ""
    (directory / "accounts.toml").write_text((SHIPPED / "accounts.toml").read_text(encoding="utf-8") + extra,
                                             encoding="utf-8")


@freeze_time("2020-03-02 08:00:00")
def test_a_third_scheme_is_one_package_and_one_config_file(db_url, tmp_path):
    schemes = check_schemes((*SCHEMES, _youth_scheme()))
    _youth_config(tmp_path, accounts=True)
    config = read_config(tmp_path, schemes)
    assert (date(2020, 3, 1), "youth", "youth_grant") in {(j.date, j.scheme, j.job) for j in jobs_in_year(2020, config)}

    engine = open_engine(db_url, schemes)
    register = FIXTURES / "w1" / "register.xml"
    load_file(engine, str(register), register.read_bytes(), config, datetime(2020, 3, 2, tzinfo=timezone.utc))
    outcomes = nightly(engine, config, date(2020, 3, 2), lambda: datetime(2020, 3, 2, 8, tzinfo=timezone.utc))
    assert [(o.job, o.date) for o in outcomes if o.job == "youth_grant"] == [
        ("youth_grant", date(2019, 3, 1)), ("youth_grant", date(2020, 3, 1))]
    assert [(key, str(day), kroner(amount)) for key, day, amount in rows(
        db_url, "SELECT key, value_date, amount FROM payment WHERE support = 'youth_grant' ORDER BY key")] == [
        ("youth/2019/12345678#1", "2019-03-01", Decimal("1000.00")),
        ("youth/2020/12345678#1", "2020-03-01", Decimal("1000.00"))]
    # booked on its own expense account against the bank, and the ledger holds together
    assert rows(db_url, "SELECT account, sum(amount) FROM posting WHERE line LIKE 'youth/%' GROUP BY account "
                        "ORDER BY account") == [("5150", 200000), ("5850", -200000)]
    with Session(engine) as session:
        assert check_ledger(session, config, Chart.of(load_ledger_settings(), config.accounts)) == []
