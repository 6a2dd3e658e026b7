"""Least privilege on the real PostgreSQL server with real roles (issue 17): only `migrate`, run by the schema's
owner, changes the schema; the runtime role runs the nightly and cannot rewrite history; operators act under roles
of their own, and the four-eyes rule compares them. PostgreSQL only: SQLite has no roles."""
import uuid
from contextlib import contextmanager

import pytest
from alembic import command
from freezegun import freeze_time
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from disbursement.store import database
from tests.conftest import PG_SERVER, pg_schema_url
from tests.helpers import W1_CONFIG, cli, rows
from tests.test_payment_runs import W1 as W1_UP_TO_2018, output
from tests.test_w1_cli import W1

HEAD = "0008_bank_answer"
# What the runtime role may not do to the money tables, whatever it is asked.
FORBIDDEN = ("UPDATE {t} SET id = id", "DELETE FROM {t}", "TRUNCATE {t}", "ALTER TABLE {t} DISABLE TRIGGER USER",
             "ALTER TABLE {t} DISABLE TRIGGER ALL", "DROP TRIGGER {t}_append_only ON {t}", "DROP TABLE {t}",
             "ALTER TABLE {t} OWNER TO CURRENT_USER")


@contextmanager
def roles(*names: str):
    """Login roles of these names (with a random suffix), dropped afterwards with everything they own or were
    granted."""
    with pg_schema_url():  # skips (fails in CI) when no server answers
        pass
    suffix = uuid.uuid4().hex[:8]
    made = {name: f"disb_{name}_{suffix}" for name in names}
    admin = create_engine(PG_SERVER)
    with admin.begin() as connection:
        for role in made.values():
            connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    try:
        yield made
    finally:
        with admin.begin() as connection:
            for role in made.values():
                connection.execute(text(f"DROP OWNED BY {role} CASCADE"))
            for role in made.values():
                connection.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def url_as(role: str, schema: str) -> str:
    server = make_url(PG_SERVER).set(username=role).render_as_string(hide_password=False)
    return f"{server}?options=-csearch_path%3D{schema}"


def owned_schema(owner: str) -> str:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with create_engine(PG_SERVER).begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {owner}"))
    return schema


def refused(url: str, statement: str) -> str:
    """The SQLSTATE with which the database refuses `statement` ('' if it does not)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
        return ""
    except DBAPIError as exc:
        return exc.orig.sqlstate
    finally:
        engine.dispose()


def test_the_runtime_role_runs_the_nightly_and_cannot_rewrite_history(capsys):
    with roles("owner", "runtime", "alice", "bob") as role:
        schema = owned_schema(role["owner"])
        owner, runtime = url_as(role["owner"], schema), url_as(role["runtime"], schema)
        # before `migrate` nothing starts; a command that only reads says the schema is empty
        code, _, err = output(capsys, runtime, "load", *W1, config=W1_CONFIG)
        assert code == 2 and err == (f"error: the schema of {make_url(runtime).render_as_string()} is at no revision "
                                     f"(empty), this release needs {HEAD}: run `disbursement migrate` as the "
                                     "schema's owner\n")
        # the runtime role cannot make the schema; its owner can, once
        code, _, err = output(capsys, runtime, "migrate", config=W1_CONFIG)
        assert code == 2 and err.startswith(f"error: {role['runtime']} may not change the schema of ")
        assert output(capsys, owner, "migrate", config=W1_CONFIG)[:2] == (
            0, f"migrate: upgraded the schema from no revision (empty) to {HEAD}\n")
        assert output(capsys, owner, "migrate", "--check", config=W1_CONFIG)[:2] == (
            0, "migrate: the schema is at this release's revisions; nothing to do\n")
        assert output(capsys, runtime, "grant-roles", "--runtime", role["runtime"], config=W1_CONFIG)[0] == 2
        code, out, _ = output(capsys, owner, "grant-roles", "--runtime", role["runtime"], "--operator", role["alice"],
                              "--operator", role["bob"], config=W1_CONFIG)
        assert code == 0 and (f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema} TO {role['runtime']}, "
                              f"{role['alice']}, {role['bob']};") in out

        with freeze_time("2019-07-01 08:00:00"):
            assert cli(runtime, "load", *W1) == 0
            assert cli(runtime, "nightly") == 0
            assert cli(runtime, "nightly") == 0
        assert rows(runtime, "SELECT count(*) FROM payment")[0][0] == 14
        for table in ("posting", "payment", "journal", "claim", "decision", "bank_answer", "payment_run_action"):
            for statement in FORBIDDEN:
                assert refused(runtime, statement.format(t=table)) == "42501", statement.format(t=table)
        # the runtime role cannot create a table of its own, nor pretend the schema is newer
        assert refused(runtime, "CREATE TABLE mine (id int)") == "42501"
        assert refused(runtime, "INSERT INTO alembic_version VALUES ('9999_fake')") == "42501"


def test_operators_act_under_their_own_roles_and_the_four_eyes_compare_them(capsys, monkeypatch, tmp_path):
    with roles("owner", "runtime", "alice", "bob") as role:
        schema = owned_schema(role["owner"])
        assert cli(url_as(role["owner"], schema), "migrate") == 0
        assert cli(url_as(role["owner"], schema), "grant-roles", "--runtime", role["runtime"], "--operator",
                   role["alice"], "--operator", role["bob"]) == 0
        alice, bob = url_as(role["alice"], schema), url_as(role["bob"], schema)
        run = "aconto/2018-03-28/1"
        with freeze_time("2018-04-03 10:00:00"):
            assert cli(url_as(role["runtime"], schema), "load", *W1_UP_TO_2018) == 0
            assert cli(url_as(role["runtime"], schema), "nightly") == 0
            assert cli(alice, "payment-runs") == 0  # operators may do what the nightly does
            monkeypatch.setenv("LOGNAME", "alice")
            assert cli(alice, "approve", run) == 0
            # another OS login under the same database role is not another person
            monkeypatch.setenv("LOGNAME", "bob")
            code, _, err = output(capsys, alice, "release", run, "--outbox", str(tmp_path), config=W1_CONFIG)
            assert code == 2 and err == (f"error: payment run {run} was approved under the database role "
                                         f"{role['alice']}: another operator releases it, logged in as a role of "
                                         "their own (four eyes)\n")
            assert cli(bob, "release", run, "--outbox", str(tmp_path)) == 0
        assert rows(bob, "SELECT a.action, a.operator, a.database_user FROM payment_run_action a JOIN payment_run r "
                         f"ON r.id = a.run_id WHERE r.key = '{run}' ORDER BY a.id") == [
            ("approved", "alice", role["alice"]), ("released", "bob", role["bob"])]
        # an operator role cannot rewrite history either
        assert refused(bob, "DELETE FROM payment_run_action") == "42501"


def test_a_schema_behind_the_code_is_refused_until_its_owner_migrates(capsys):
    with roles("owner") as role:
        schema = owned_schema(role["owner"])
        owner = url_as(role["owner"], schema)
        engine = create_engine(owner)
        cfg = database._alembic_config(database.SCHEMES)
        with engine.begin() as connection:  # the schema as the release before this one left it
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0007_payment_run")
        engine.dispose()
        code, _, err = output(capsys, owner, "status", config=W1_CONFIG)
        assert code == 2 and err == (f"error: the schema of {make_url(owner).render_as_string()} is at "
                                     f"0007_payment_run, this release needs {HEAD}: run `disbursement migrate` as "
                                     "the schema's owner\n")
        assert output(capsys, owner, "migrate", "--check", config=W1_CONFIG)[:2] == (
            1, f"migrate --check: the schema is behind: 0007_payment_run to {HEAD} would be applied\n")
        assert rows(owner, "SELECT version_num FROM alembic_version") == [("0007_payment_run",)]
        assert output(capsys, owner, "migrate", config=W1_CONFIG)[:2] == (
            0, f"migrate: upgraded the schema from 0007_payment_run to {HEAD}\n")
        assert cli(owner, "status") == 0


def test_sqlite_has_no_roles_and_migrates_itself(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    code, _, err = output(capsys, url, "grant-roles", "--runtime", "nightly", config=W1_CONFIG)
    assert code == 2 and err == ("error: grant-roles is for PostgreSQL: SQLite has no roles (it is the single-user "
                                 "embedded default)\n")
    assert not (tmp_path / "x.sqlite").exists()  # nothing created by a refused command
    assert cli(url, "load", W1_UP_TO_2018[0]) == 0  # the embedded default makes and migrates its schema itself
    assert output(capsys, url, "migrate", "--check", config=W1_CONFIG)[:2] == (
        0, "migrate: the schema is at this release's revisions; nothing to do\n")
