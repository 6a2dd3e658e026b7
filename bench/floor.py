"""The floor: the rent-subsidy year computed with plain SQL, to measure the engine against (issue #6).

Scope: the rent subsidy of one year Y, i.e. the on-account instalments of Y's four terms and the reconciliation of
Y settled with the Q2 term of Y+1 (SPEC 2.3). One INSERT ... SELECT per job (aconto terms; settlement), writing the
resulting payment and claim rows in bulk into `floor_payment`. The arithmetic is the engine's, in integers:

    annual (øre)    = round_half_up(area_cm2 x rate_øre x index(Y)·10 / (index(price year)·10 x 100))
    department A    = round_half_up(Σ months x annual / 12)           (Σ in øre·months; months of the estimate)
    q1..q3          = round_half_up(A / 4), q4 = A - 3 q
    E               = as A, from the actuals;   D = E - (q1 + q2 + q3 + q4) = E - A
    Q2 of Y+1       = q2(Y+1) + D  ->  payment if >= 0, else a collection claim of -D

round_half_up(x / d) for x >= 0 is (x + d div 2) div d in integer division (d even here: 12, 4 and 2·100·index);
sums are cast back to BIGINT (PostgreSQL's SUM of a BIGINT is NUMERIC, whose division is not integer division).
Assumptions the synthetic data meets (disbursement/synth.py), and which the engine handles in general: one estimate
and one actuals report per grant and year (the floor still picks the latest received), every estimate received
more than a month before the first term, every grant's window covering all of Y, no lapse, no estimate for Y+1
(so the Q2 Y+1 instalment is 0). `compare_with_engine` checks the result line by line against the engine's
payments and claims: equal to the øre, or an AssertionError.
"""
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.engine import Engine

from disbursement.calendar import payment_terms
from disbursement.config import Config

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


def run_floor(engine: Engine, config: Config, year: int) -> int:
    """Compute and write the year's rent-subsidy payments and claims; the number of rows written."""
    index = {y: int(v * 10) for y, v in config.net_price.values.items()}
    assert all(Decimal(i) == v * 10 for i, v in zip(index.values(), config.net_price.values.values())), \
        "the floor assumes index values with one decimal"
    settlement = payment_terms(year + 1, config.terms)[config.reporting.reconciliation_term - 1]
    with engine.begin() as conn:
        for name in ("floor_payment", "floor_index", "floor_term"):
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
        conn.execute(text("CREATE TABLE floor_index (year INTEGER PRIMARY KEY, v10 BIGINT NOT NULL)"))
        conn.execute(text("CREATE TABLE floor_term (year INTEGER, term_no INTEGER, term_date VARCHAR(10))"))
        conn.execute(text("CREATE TABLE floor_payment (line VARCHAR(200), kind VARCHAR(10), amount BIGINT)"))
        conn.execute(text("INSERT INTO floor_index VALUES (:year, :v10)"),
                     [{"year": y, "v10": v} for y, v in index.items()])
        conn.execute(text("INSERT INTO floor_term VALUES (:year, :term_no, :term_date)"),
                     [{"year": year, "term_no": n, "term_date": d.isoformat()}
                      for n, d in enumerate(payment_terms(year, config.terms), start=1)])
        conn.execute(text(ACONTO), {"year": year, "kind": "estimate"})
        conn.execute(text(SETTLEMENT), {"year": year, "settlement": settlement.isoformat()})
        return conn.execute(text("SELECT COUNT(*) FROM floor_payment")).scalar()


def compare_with_engine(engine: Engine) -> int:
    """Floor rows = every rent-subsidy payment and claim the engine booked (nothing before the data year pays rent
    subsidy), summed per line, to the øre; the number of lines compared."""
    with engine.connect() as conn:
        floor = {(line, kind): amount for line, kind, amount in
                 conn.execute(text("SELECT line, kind, amount FROM floor_payment"))}
        booked = {}
        for table, kind in (("payment", "payment"), ("claim", "claim")):
            for line, amount in conn.execute(text(
                    f"SELECT line, SUM(amount) FROM {table} WHERE support = 'rent_subsidy' GROUP BY line")):
                if amount:
                    booked[(line, kind)] = int(amount)
    if floor != booked:
        only_floor = sorted(set(floor.items()) - set(booked.items()))[:5]
        only_engine = sorted(set(booked.items()) - set(floor.items()))[:5]
        raise AssertionError(f"floor and engine differ: floor only {only_floor}; engine only {only_engine}")
    return len(floor)
