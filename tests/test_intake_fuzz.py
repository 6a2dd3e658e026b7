"""Every kind of intake file, mutated byte- and element-wise (hypothesis, bounded and derandomised): `load` exits 0
or 2, one `error:` line per problem and never an internal error, and a refused file leaves every table as it was."""
import random

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import create_engine, inspect, text

from disbursement.cli import main
from tests.conftest import FIXTURES

DEMO_CONFIG = str(FIXTURES / "demo-config")
BASE = [FIXTURES / "demo" / name for name in ("register-2017.xml", "register-2018.xml", "register-2019.xml")] + [
    FIXTURES / "temporary" / "register-2021.xml"]
SAMPLES = {
    "register": FIXTURES / "demo" / "register-2018.xml",
    "estimate": FIXTURES / "demo" / "2019-11-25-estimate-2020-G2018-02.xml",
    "actuals": FIXTURES / "demo" / "2020-03-09-actuals-2019-G2017-01-corrected.xml",
    "events": FIXTURES / "demo" / "2018-09-04-events-G2018-02.xml",
    "loss-claim": FIXTURES / "demo" / "2020-05-14-loss-claim-2019-751.xml",
    "temporary-register": FIXTURES / "temporary" / "register-2022.xml",
    "tenancy-report": FIXTURES / "temporary" / "reports" / "2021-01-25-751.xml",
}
ODD_VALUES = ["", "0", "-1", "99999999999999999999", "2019-02-30", "9999-12-31", "1.005", "abc", "12345678",
              "G2017-01", "751", "=1+1", "æøå", " ", "nominal", "index", "1e9", "NaN"]


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                    for table in sorted(inspect(connection).get_table_names())}
    finally:
        engine.dispose()


def _mutate_bytes(content: bytes, draw) -> bytes:
    data = bytearray(content)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        else:
            del data[at:]
    return bytes(data)


def _mutate_elements(content: bytes, draw) -> bytes:
    root = etree.fromstring(content)
    for _ in range(draw(st.integers(1, 3))):
        elements = list(root.iter(etree.Element))
        element = elements[draw(st.integers(0, len(elements) - 1))]
        op = draw(st.sampled_from(["delete", "duplicate", "set", "drop-attribute", "text"]))
        parent = element.getparent()
        if op == "delete" and parent is not None:
            parent.remove(element)
        elif op == "duplicate" and parent is not None:
            parent.insert(parent.index(element), etree.fromstring(etree.tostring(element)))
        elif op == "set":
            names = sorted(element.attrib) or ["extra"]
            name = draw(st.sampled_from(names + ["extra"]))
            element.set(name, draw(st.sampled_from(ODD_VALUES) | st.text(max_size=12).filter(_xml_text)))
        elif op == "drop-attribute" and element.attrib:
            del element.attrib[draw(st.sampled_from(sorted(element.attrib)))]
        else:
            element.text = draw(st.sampled_from(ODD_VALUES))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _xml_text(value: str) -> bool:
    try:
        etree.Element("x").set("y", value)
        return True
    except ValueError:
        return False


@freeze_time("2024-01-10 08:00:00")
def test_mutated_files_exit_0_or_2_and_a_refused_one_changes_nothing(db_url, tmp_path, capsys):
    assert main(["--db", db_url, "--config", DEMO_CONFIG, "load", *map(str, BASE)]) == 0
    examples = int(__import__("os").environ.get("FUZZ_EXAMPLES", 40)) if db_url.startswith("sqlite") else 12

    @settings(max_examples=examples, deadline=None, derandomize=not __import__("os").environ.get("FUZZ_EXAMPLES"), database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.data())
    def mutated_load(data):
        kind = data.draw(st.sampled_from(sorted(SAMPLES)), label="kind")
        original = SAMPLES[kind].read_bytes()
        how = data.draw(st.sampled_from(["bytes", "elements"]), label="how")
        content = (_mutate_bytes if how == "bytes" else _mutate_elements)(original, data.draw)
        path = tmp_path / f"mutated-{random.Random(content).randrange(10**9)}.xml"
        path.write_bytes(content)
        before = _counts(db_url)
        capsys.readouterr()
        code = main(["--db", db_url, "--config", DEMO_CONFIG, "load", str(path)])
        err = capsys.readouterr().err
        assert code in (0, 2), (kind, how, code, err)
        assert "internal error" not in err and "Traceback" not in err, err
        if code == 2:
            assert err and all(line.startswith("error: ") for line in err.splitlines()), err
            assert _counts(db_url) == before

    mutated_load()
