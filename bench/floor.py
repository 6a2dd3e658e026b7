"""The floor: the rent-subsidy year and the social support of the same terms computed with plain SQL, to measure
the engine against (issue #6).

Scope: the rent subsidy of one year Y, i.e. the on-account instalments of Y's four terms and the reconciliation of
Y settled with the Q2 term of Y+1 (SPEC 2.3); and the social support (SPEC 2.4) of every term from Y's first up to
that settlement term, the terms the benchmark's backfill pays (2019-01-01 .. 2020-06-30). One INSERT ... SELECT per
job (aconto terms; settlement; social support), writing the resulting payment and claim rows in bulk into
`floor_payment`. The rent arithmetic is the engine's, in integers:

    annual (øre)    = round_half_up(area_cm2 x rate_øre x index(Y)·10 / (index(price year)·10 x 100))
    department A    = round_half_up(Σ months x annual / 12)           (Σ in øre·months; months of the estimate)
    q1..q3          = round_half_up(A / 4), q4 = A - 3 q
    E               = as A, from the actuals;   D = E - (q1 + q2 + q3 + q4) = E - A
    Q2 of Y+1       = q2(Y+1) + D  ->  payment if >= 0, else a collection claim of -D

round_half_up(x / d) for x >= 0 is (x + d div 2) div d in integer division (d even here: 12, 4 and 2·100·index);
sums are cast back to BIGINT (PostgreSQL's SUM of a BIGINT is NUMERIC, whose division is not integer division).
Assumptions the synthetic data meets (disbursement/schemes/inclusion/synth.py), and which the engine handles in general: one estimate
and one actuals report per grant and year (the floor still picks the latest received), every estimate received
more than a month before the first term, every grant's window covering all of Y, no lapse, no estimate for Y+1
(so the Q2 Y+1 instalment is 0).

Social support: term k of a year pays that year's quarter k. With W the wage index ·10 (one decimal, as above):

    annual_year (øre) = round_half_up(social_support_annual x W(year) / W(price year))
    q1..q3            = round_half_up(annual_year / 4), q4 = annual_year - 3 q    (the term's quarter, in full)

with round_half_up as above (an odd W(price year) leaves no exact halves, so d div 2 still rounds half up). The
engine's factor W(Y) / W(price year) is a 28-digit Decimal: exact for the bench's price year (2017 = 100.0).

Assumptions for social support, which the synthetic data meets and the engine handles in general (arrears, true-ups,
pro rata days, lapse, repayments: schemes/inclusion/rules/social_support.py): every grant with social support was granted and its
caretaker hired on or before the first day of Y, the hire reported (`caretaker-hired` event received) on or before
the last term of Y-1 (the engine pays a hire reported later as arrears at the next term), within the hire deadline
and with no deadline extension, the 15-year window from the hire date covering the last quarter paid, no conversion
amount (so no works deadline), no support accounts. So no quarter in the range is pro rata, nothing is in arrears
or trued up, no grant lapses and nothing is offset: each term pays exactly its quarter's instalment. `run_floor`
checks this in the database and raises rather than compute something else (one row per event read; timed with the
floor).

`compare_with_engine` checks the result line by line against the engine's payments and claims (rent subsidy: all
of them; social support: those dated within the floor's terms): equal to the øre, or an AssertionError.
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, bindparam, text
from sqlalchemy.engine import Connection, Engine

from disbursement.engine.banking_days import payment_terms
from disbursement.config import Config
from disbursement.schemes.inclusion.settings import settings_of
from disbursement.schemes.inclusion.rules.deadlines import months_after
from disbursement.indexation import IndexTable
from disbursement.schemes.inclusion.rules.social_support import Quarter

RATES = """
  SELECT w.id AS dwelling_id, w.department_id,
         (CAST(ROUND(w.area_m2 * 100) AS BIGINT) * CAST(ROUND(w.subsidy_per_m2 * 100) AS BIGINT) * iy.v10
          + ip.v10 * 50) / (ip.v10 * 100) AS annual_ore
  FROM dwelling w
  JOIN floor_index ip ON ip.year = w.price_year
  JOIN floor_index iy ON iy.year = :year
"""

IN_FORCE = """
  SELECT r.id FROM report r
  WHERE r.kind = :kind AND r.year = :year AND NOT EXISTS (
    SELECT 1 FROM report r2 WHERE r2.grant_id = r.grant_id AND r2.kind = r.kind AND r2.year = r.year
      AND (r2.received > r.received OR (r2.received = r.received AND r2.id > r.id)))
"""

AMOUNTS = f"""
  SELECT rates.department_id, (CAST(SUM(rl.months * rates.annual_ore) AS BIGINT) + 6) / 12 AS amount
  FROM report_line rl JOIN ({RATES}) rates ON rates.dwelling_id = rl.dwelling_id
  WHERE rl.report_id IN ({IN_FORCE})
  GROUP BY rates.department_id
"""

ACONTO = f"""
  INSERT INTO floor_payment (line, kind, amount)
  SELECT 'rent/' || t.term_date || '/' || d.grant_id || '/' || d.number, 'payment',
         CASE WHEN t.term_no = 4 THEN a.amount - 3 * ((a.amount + 2) / 4) ELSE (a.amount + 2) / 4 END
  FROM department d
  JOIN ({AMOUNTS}) a ON a.department_id = d.id
  CROSS JOIN floor_term t
  WHERE t.year = :year
    AND CASE WHEN t.term_no = 4 THEN a.amount - 3 * ((a.amount + 2) / 4) ELSE (a.amount + 2) / 4 END > 0
"""

SETTLEMENT = f"""
  INSERT INTO floor_payment (line, kind, amount)
  SELECT 'rent/' || :settlement || '/' || d.grant_id || '/' || d.number,
         CASE WHEN COALESCE(e.amount, 0) - COALESCE(a.amount, 0) >= 0 THEN 'payment' ELSE 'claim' END,
         ABS(COALESCE(e.amount, 0) - COALESCE(a.amount, 0))
  FROM department d
  JOIN ({AMOUNTS.replace(':kind', "'actuals'")}) e ON e.department_id = d.id
  LEFT JOIN ({AMOUNTS.replace(':kind', "'estimate'")}) a ON a.department_id = d.id
  WHERE COALESCE(e.amount, 0) - COALESCE(a.amount, 0) <> 0
"""


SOCIAL = """
  INSERT INTO floor_payment (line, kind, amount)
  SELECT 'social/' || s.term_date || '/' || s.grant_id, 'payment',
         CASE WHEN s.term_no = 4 THEN s.annual - 3 * ((s.annual + 2) / 4) ELSE (s.annual + 2) / 4 END
  FROM (SELECT g.id AS grant_id, t.term_no, t.term_date,
               (g.social_support_annual * wy.v10 + wp.v10 / 2) / wp.v10 AS annual
        FROM subsidy_grant g
        JOIN floor_wage wp ON wp.year = g.social_support_price_year
        CROSS JOIN floor_term t
        JOIN floor_wage wy ON wy.year = t.year
        WHERE g.social_support_annual > 0) s
  WHERE CASE WHEN s.term_no = 4 THEN s.annual - 3 * ((s.annual + 2) / 4) ELSE (s.annual + 2) / 4 END > 0
"""

SOCIAL_FACTS = text("""
  SELECT g.id, g.grant_date, g.hire_deadline, g.duration_years, COALESCE(g.conversion_amount, 0), e.kind, e.on_date,
         e.received
  FROM subsidy_grant g
  LEFT JOIN grant_event e ON e.grant_id = g.id AND e.received <= :last
    AND e.kind IN ('caretaker-hired', 'deadline-extension', 'support-accounts')
  WHERE g.social_support_annual > 0
""").bindparams(bindparam("last", type_=Date))


def _tenths(index: IndexTable) -> dict[int, int]:
    """The index values x 10 as integers; the floor's integer arithmetic needs values with one decimal."""
    tenths = {y: int(v * 10) for y, v in index.values.items()}
    assert all(Decimal(t) == index.values[y] * 10 for y, t in tenths.items()), \
        f"the floor assumes {index.name} values with one decimal"
    return tenths


def _check_social_assumptions(conn: Connection, config: Config, year: int, terms: list[tuple[int, int, date]]):
    """Raise unless every term in `terms` pays each social-support grant exactly its quarter's full instalment (the
    module docstring's assumptions): else the floor would silently compute something other than the engine."""
    first = Quarter(year, 1).start
    last_quarter = Quarter(terms[-1][0], terms[-1][1]).end
    reported_by = payment_terms(year - 1, config.terms)[-1]
    as_date = lambda v: None if v is None else date.fromisoformat(str(v))  # SQLite returns dates as text
    grants, hired, broken = set(), set(), set()
    for grant, granted, deadline, years, conversion, kind, on, received in conn.execute(
            SOCIAL_FACTS, {"last": terms[-1][2]}):
        grants.add(grant)
        granted, deadline, on, received = map(as_date, (granted, deadline, on, received))
        deadline = deadline or months_after(granted, settings_of(config).deadlines.start_months)
        if conversion or granted > first or (kind is not None and not (
                kind == "caretaker-hired" and received <= reported_by and on <= first and on <= deadline
                and months_after(on, 12 * years) > last_quarter)):
            broken.add(grant)
        elif kind is not None:
            hired.add(grant)
    broken |= grants - hired  # no hire reported in time
    if broken:
        raise AssertionError(f"{len(broken)} social-support grant(s) break the floor's assumptions (late, pro rata, "
                             f"lapsing, extended, converting or with accounts), e.g. {sorted(broken)[:5]}")


def run_floor(engine: Engine, config: Config, year: int) -> int:
    """Compute and write the year's rent-subsidy payments and claims and the social support of the terms from Y's
    first up to the settlement term of Y+1; the number of rows written."""
    index, wage = _tenths(config.net_price), _tenths(config.wage)
    settlement = payment_terms(year + 1, config.terms)[settings_of(config).reporting.reconciliation_term - 1]
    terms = [(y, n, d) for y in (year, year + 1) for n, d in enumerate(payment_terms(y, config.terms), start=1)
             if d <= settlement]
    with engine.begin() as conn:
        _check_social_assumptions(conn, config, year, terms)
        for name in ("floor_payment", "floor_index", "floor_wage", "floor_term"):
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
        conn.execute(text("CREATE TABLE floor_index (year INTEGER PRIMARY KEY, v10 BIGINT NOT NULL)"))
        conn.execute(text("CREATE TABLE floor_wage (year INTEGER PRIMARY KEY, v10 BIGINT NOT NULL)"))
        conn.execute(text("CREATE TABLE floor_term (year INTEGER, term_no INTEGER, term_date VARCHAR(10))"))
        conn.execute(text("CREATE TABLE floor_payment (line VARCHAR(200), kind VARCHAR(10), amount BIGINT)"))
        for table, values in (("floor_index", index), ("floor_wage", wage)):
            conn.execute(text(f"INSERT INTO {table} VALUES (:year, :v10)"),
                         [{"year": y, "v10": v} for y, v in values.items()])
        conn.execute(text("INSERT INTO floor_term VALUES (:year, :term_no, :term_date)"),
                     [{"year": y, "term_no": n, "term_date": d.isoformat()} for y, n, d in terms])
        conn.execute(text(ACONTO), {"year": year, "kind": "estimate"})  # floor_term rows of Y only
        conn.execute(text(SETTLEMENT), {"year": year, "settlement": settlement.isoformat()})
        conn.execute(text(SOCIAL))
        return conn.execute(text("SELECT COUNT(*) FROM floor_payment")).scalar()


def compare_with_engine(engine: Engine) -> int:
    """Floor rows = every rent-subsidy payment and claim the engine booked (nothing before the data year pays rent
    subsidy) and every social-support one dated within the floor's terms (earlier terms were paid by the prelude),
    summed per line, to the øre; the number of lines compared."""
    with engine.connect() as conn:
        floor = {(line, kind): amount for line, kind, amount in
                 conn.execute(text("SELECT line, kind, amount FROM floor_payment"))}
        first, last = (date.fromisoformat(d) for d in
                       conn.execute(text("SELECT MIN(term_date), MAX(term_date) FROM floor_term")).one())
        booked = {}
        for table, kind, dated in (("payment", "payment", "value_date"), ("claim", "claim", "due_date")):
            query = text(f"SELECT line, SUM(amount) FROM {table} WHERE support = 'rent_subsidy' OR "
                         f"(support = 'social_support' AND {dated} BETWEEN :first AND :last) GROUP BY line")
            dates = (bindparam("first", first, type_=Date), bindparam("last", last, type_=Date))
            for line, amount in conn.execute(query.bindparams(*dates)):
                if amount:
                    booked[(line, kind)] = int(amount)
    if floor != booked:
        only_floor = sorted(set(floor.items()) - set(booked.items()))[:5]
        only_engine = sorted(set(booked.items()) - set(floor.items()))[:5]
        raise AssertionError(f"floor and engine differ: floor only {only_floor}; engine only {only_engine}")
    return len(floor)
