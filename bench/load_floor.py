"""The load floor (issue 15): what loading the benchmark's files costs at the least, to measure `load` against.

For every file, in the order `load` takes them: an lxml parse and a validation against the same XSD the intake
uses; then, in one transaction, one bulk insert per document type of the rows the files hold: the register's
dwellings, the reports' lines, the events, the loss claims' lines. No checks beyond the schema, no archive of the
original, no lookups. Afterwards it asserts that it holds the same rows as the engine's load (counts, and the sums
of months and amounts by kind), so both did the same work.
"""
import time
from pathlib import Path

from lxml import etree
from sqlalchemy import create_engine, text

from disbursement.schemes.inclusion.intake import SCHEMA

NS = "{urn:disbursement:intake:1}"
TABLES = {
    "floor_dwelling": "grant_id TEXT, department TEXT, ref TEXT, count INTEGER, area TEXT, rate TEXT, price_year INTEGER",
    "floor_report_line": "kind TEXT, grant_id TEXT, year INTEGER, department TEXT, ref TEXT, months INTEGER, "
                         "non_eligible INTEGER, vacant INTEGER",
    "floor_event": "grant_id TEXT, kind TEXT, received TEXT",
    "floor_loss_line": "municipality TEXT, year INTEGER, grant_id TEXT, dwelling TEXT, amount TEXT",
}


def _rows(root: etree._Element, rows: dict[str, list[dict]]) -> None:
    kind = etree.QName(root).localname
    if kind == "register":
        for grant in root.iter(f"{NS}grant"):
            for department in grant.iter(f"{NS}department"):
                rows["floor_dwelling"] += [dict(grant_id=grant.get("id"), department=department.get("number"),
                                                ref=d.get("ref"), count=int(d.get("count", "1")), area=d.get("area-m2"),
                                                rate=d.get("subsidy-per-m2"), price_year=int(d.get("price-year")))
                                           for d in department.iter(f"{NS}dwelling")]
    elif kind in ("estimate", "actuals"):
        grant, year = root.get("grant"), int(root.get("year"))
        for department in root.iter(f"{NS}department"):
            rows["floor_report_line"] += [dict(kind=kind, grant_id=grant, year=year, department=department.get("number"),
                                               ref=d.get("ref"), months=int(d.get("months")),
                                               non_eligible=int(d.get("non-eligible-months", "0")),
                                               vacant=int(d.get("vacant-months", "0")))
                                          for d in department.iter(f"{NS}dwelling")]
    elif kind == "events":
        rows["floor_event"] += [dict(grant_id=root.get("grant"), kind=etree.QName(e).localname,
                                     received=root.get("received")) for e in root if isinstance(e.tag, str)]
    elif kind == "loss-claim":
        rows["floor_loss_line"] += [dict(municipality=root.get("municipality"), year=int(root.get("year")),
                                         grant_id=e.get("grant"), dwelling=e.get("dwelling"), amount=e.get("amount"))
                                    for e in root.iter(f"{NS}loss")]


def load_floor(url: str, paths: list[Path]) -> dict:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    tick = time.monotonic()
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    for path in paths:
        root = etree.fromstring(path.read_bytes(), parser)
        schema.assertValid(root)
        _rows(root, rows)
    with engine.begin() as connection:
        for table, columns in TABLES.items():
            connection.execute(text(f"CREATE TABLE {table} ({columns})"))
            if rows[table]:
                names = list(rows[table][0])
                connection.execute(text(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                                        f"({', '.join(':' + n for n in names)})"), rows[table])
    seconds = time.monotonic() - tick
    _same_rows_as_the_engine(engine)
    engine.dispose()
    return {"seconds": seconds, "files": len(paths), **{table: len(r) for table, r in rows.items()}}


def _same_rows_as_the_engine(engine) -> None:
    checks = [
        ("SELECT count(*), sum(count) FROM floor_dwelling", "SELECT count(*), sum(count) FROM dwelling"),
        ("SELECT kind, count(*), sum(months), sum(non_eligible), sum(vacant) FROM floor_report_line GROUP BY kind "
         "ORDER BY kind",
         "SELECT r.kind, count(*), sum(l.months), sum(l.non_eligible_months), sum(l.vacant_months) FROM report_line l "
         "JOIN report r ON r.id = l.report_id GROUP BY r.kind ORDER BY r.kind"),
        ("SELECT kind, count(*) FROM floor_event GROUP BY kind ORDER BY kind",
         "SELECT kind, count(*) FROM grant_event GROUP BY kind ORDER BY kind"),
        ("SELECT count(*) FROM floor_loss_line", "SELECT count(*) FROM loss_line"),
    ]
    with engine.connect() as connection:
        for floor, loaded in checks:
            mine, theirs = connection.execute(text(floor)).all(), connection.execute(text(loaded)).all()
            assert [tuple(r) for r in mine] == [tuple(r) for r in theirs], (floor, mine, theirs)
