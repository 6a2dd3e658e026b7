"""The department sums the database makes (jobs/amounts.py) with the rule's own integer arithmetic
(rules.rent_subsidy `annual_ore_sql`, `eligible_months_sql`) agree with the pure rule to the øre, on SQLite and
PostgreSQL, for random dwellings and for dwellings built to land on an exact half øre (issue 15)."""
import random
from decimal import Decimal
from fractions import Fraction

from freezegun import freeze_time
from sqlalchemy import Column, Integer, MetaData, Numeric, Table, create_engine, insert, text

from disbursement.indexation import IndexTable
from disbursement.schemes.inclusion.jobs import amounts
from disbursement.schemes.inclusion.rules.rent_subsidy import (
    DwellingGroup, annual_ore_sql, annual_subsidy, eligible_months, eligible_months_sql, fits, months_amount,
    months_amount_of_ore,
)
from tests.helpers import cli, rows
from tests.test_w1_cli import W1

D = Decimal
YEAR = 2020
INDEX = IndexTable("net price index", {2015: D("98.7"), 2016: D("100.3"), 2017: D("101.4"), YEAR: D("106.6")})


def _half_ore_dwelling(rnd: random.Random, price_year: int) -> tuple[Decimal, Decimal]:
    """An area and a rate (two decimals each) whose indexed annual subsidy is exactly k + ½ øre: with B the price
    year's index x 10, area = B x a / 100 and rate = 25 x r / 100 for odd a and r give area x rate x 106.6 / (B / 10)
    = a x r x 533 / 2 øre, half an odd number."""
    a, r = rnd.randrange(1, 16, 2), rnd.randrange(41, 1201, 2)
    return D(int(INDEX.value(price_year) * 10) * a).scaleb(-2), D(25 * r).scaleb(-2)


def test_the_database_sums_as_the_rule_does_to_the_ore(db_url):
    rnd = random.Random(1515)
    dwellings = []
    for n in range(3000):
        price_year = rnd.choice([2015, 2016, 2017])
        built = _half_ore_dwelling(rnd, price_year) if n % 3 == 0 else None
        area, rate = built or (D(rnd.randint(100, 20000)).scaleb(-2), D(rnd.randint(100, 30000)).scaleb(-2))
        dwellings.append(dict(id=n, department=n % 7, area=area, rate=rate, price_year=price_year,
                              months=rnd.randint(0, 40), count=rnd.randint(1, 3)))
    exact = [Fraction(d["area"]) * Fraction(d["rate"]) * Fraction(INDEX.value(YEAR)) * 200
             / Fraction(INDEX.value(d["price_year"])) for d in dwellings]  # annual subsidies in half øre
    assert sum(1 for e in exact if e.denominator == 1 and e.numerator % 2) >= 100  # exact half øre cases
    engine = create_engine(db_url)
    table = Table("amount_probe", MetaData(), Column("id", Integer, primary_key=True), Column("department", Integer),
                  Column("area", Numeric(10, 2)), Column("rate", Numeric(10, 2)), Column("price_year", Integer),
                  Column("months", Integer), Column("count", Integer))
    try:
        table.create(engine)
        with engine.begin() as connection:
            connection.execute(insert(table), dwellings)
        assert fits(max(d["area"] for d in dwellings), max(d["rate"] for d in dwellings), YEAR, INDEX,
                    [2015, 2016, 2017])
        annual, params = annual_ore_sql("area", "rate", "price_year", YEAR, INDEX, [2015, 2016, 2017])
        for window in (12, 7, 1):
            months = eligible_months_sql("months", "count", "window")
            with engine.connect() as connection:
                per_line = dict(connection.execute(text(f"SELECT id, {annual} FROM amount_probe"), params).all())
                sums = dict(connection.execute(text(
                    f"SELECT department, SUM({months} * {annual}) FROM amount_probe GROUP BY department"),
                    {**params, "window": window}).all())
            by_department: dict[int, list] = {}
            for d in dwellings:
                rule = annual_subsidy(DwellingGroup("x", d["count"], d["area"], d["rate"], d["price_year"]), YEAR, INDEX)
                assert D(per_line[d["id"]]).scaleb(-2) == rule, d
                by_department.setdefault(d["department"], []).append(
                    (rule, eligible_months(d["months"], d["count"], window)))
            assert {dept: months_amount_of_ore(int(total)) for dept, total in sums.items()} == \
                {dept: months_amount(lines) for dept, lines in by_department.items()}
    finally:
        table.drop(engine, checkfirst=True)
        engine.dispose()


def test_values_beyond_64_bit_arithmetic_are_summed_by_the_pure_rule(db_url, monkeypatch):
    """A register the database's arithmetic could not hold (fits() False) gets the same amounts from the rule, line
    by line; W1's reports summed both ways give the same department amounts and the re-runs book nothing."""
    assert fits(D("99999999.99"), D("99999999.99"), YEAR, INDEX, [2015]) is False
    with freeze_time("2019-07-01 08:00:00"):
        assert cli(db_url, "load", *W1) == 0
        assert cli(db_url, "nightly") == 0
    in_database = rows(db_url, "SELECT report_id, department_id, amount FROM report_amount ORDER BY 1, 2")
    journals = rows(db_url, "SELECT count(*) FROM journal")
    monkeypatch.setattr(amounts, "AMOUNT_RULES", "rent-amount/line-by-line")  # a new key: nothing kept is read
    monkeypatch.setattr(amounts, "fits", lambda *args: False)
    with freeze_time("2019-07-01 09:00:00"):
        for job, day in (("aconto", "2018-03-28"), ("reconciliation", "2019-02-15"), ("aconto", "2019-06-28")):
            assert cli(db_url, "run", job, "--date", day, "--allow-old") == 0
    by_rule = rows(db_url, "SELECT report_id, department_id, amount FROM report_amount ORDER BY 1, 2")
    assert len(by_rule) == 2 * len(in_database) and sorted(set(by_rule)) == in_database
    assert rows(db_url, "SELECT count(*) FROM journal") == journals
