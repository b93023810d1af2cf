"""Moving a whole council between databases loses nothing (issue 18).

The demo council is built in one database, exported with ``heard export --all``, imported into
a fresh database of the other kind and back again, each a separate ``heard`` process as an IT
team would run it. In the PostgreSQL layer of the suite the move is SQLite → PostgreSQL →
SQLite, on a scratch database of the suite's server; in the SQLite layer it is SQLite →
SQLite → SQLite. Every report (as the API gives it), every case's API record, every table of
the archive and every user's sign-in and role must come out the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.apps import apps

from heard.exchange import council

ROOT = Path(__file__).resolve().parents[2]
DEMO = ["demo", "--cases", "150", "--seed", "18", "--today", "2026-11-20"]


def _env(database_url: str, data_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HEARD_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "heard.settings_test",
        "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(ROOT),
    }


def _run(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def _heard(env: dict, *args: str) -> str:
    return _run(env, "-m", "heard.cli", *args)


class _Databases:
    """Fresh, migrated databases: copies of one migrated SQLite file, and scratch databases on
    the suite's PostgreSQL server."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pristine = tmp / "migrated.sqlite3"
        self.scratch: list[str] = []

    def sqlite(self, name: str) -> dict:
        data = self.tmp / name
        data.mkdir()
        env = _env(f"sqlite:///{data / 'heard.sqlite3'}", data)
        if not self.pristine.exists():
            _heard(env, "migrate", "-v0")
            shutil.copy(data / "heard.sqlite3", self.pristine)
        else:
            shutil.copy(self.pristine, data / "heard.sqlite3")
        return env

    def postgresql(self, server_url: str, name: str) -> dict:
        import psycopg

        database = f"heard_move_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        self.scratch.append(database)
        self.server_url = server_url
        data = self.tmp / name
        data.mkdir()
        env = _env(server_url.rsplit("/", 1)[0] + f"/{database}", data)
        _heard(env, "migrate", "-v0")
        return env

    def drop(self) -> None:
        if not self.scratch:
            return
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            for database in self.scratch:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _tables(path: Path) -> dict:
    """Every table's rows (as values: PostgreSQL keeps JSON objects' keys in its own order)
    and every document's bytes."""
    with zipfile.ZipFile(path) as archive:
        return {
            name: [json.loads(line) for line in archive.read(name).splitlines()]
            if name.startswith("tables/")
            else archive.read(name)
            for name in archive.namelist()
            if name != "manifest.json"
        }


def _snapshot(env: dict, out: Path) -> dict:
    _run(env, "-m", "tests.exchange.council_snapshot", "snapshot", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def databases(tmp_path):
    found = _Databases(tmp_path)
    yield found
    found.drop()


def test_a_council_moves_to_another_database_and_back_unchanged(databases, tmp_path):
    suite_url = os.environ.get("DATABASE_URL", "")
    on_postgresql = suite_url.startswith(("postgres://", "postgresql://"))

    first = databases.sqlite("first")
    _heard(first, *DEMO)
    _run(first, "-m", "tests.exchange.council_snapshot", "setup")
    said = _heard(first, "export", "--all", "-o", str(tmp_path / "first.zip"))
    assert "1 document(s)" in said
    before = _snapshot(first, tmp_path / "first.json")

    second = (
        databases.postgresql(suite_url, "second") if on_postgresql else databases.sqlite("second")
    )
    said = _heard(second, "import", str(tmp_path / "first.zip"))  # no flags needed
    assert "Passwords did not travel" in said
    _heard(second, "export", "--all", "-o", str(tmp_path / "second.zip"))
    moved = _snapshot(second, tmp_path / "second.json")

    third = databases.sqlite("third")
    _heard(third, "import", str(tmp_path / "second.zip"))
    _heard(third, "export", "--all", "-o", str(tmp_path / "third.zip"))
    back = _snapshot(third, tmp_path / "third.json")

    assert before["cases"] and before["reports"] and before["users"]
    assert before["reports"]["editions"], "the published edition is among the reports compared"
    for after in (moved, back):
        assert after["reports"].keys() == before["reports"].keys()
        for path, report in before["reports"].items():
            assert after["reports"][path] == report, path
        assert after["cases"].keys() == before["cases"].keys()
        for reference, record in before["cases"].items():
            assert after["cases"][reference] == record, reference
        assert after["users"] == before["users"]
    assert all(user["signed_in"] and user["role"] for user in before["users"].values())

    first_tables = _tables(tmp_path / "first.zip")
    for other in ("second.zip", "third.zip"):
        other_tables = _tables(tmp_path / other)
        assert other_tables.keys() == first_tables.keys()
        for name, content in first_tables.items():
            assert other_tables[name] == content, f"{name} differs after the move ({other})"
    assert any(name.startswith("documents/") for name in first_tables)


def test_every_installed_model_is_carried_or_says_why_not():
    """A model another app adds travels by itself; this fails when it cannot (a field of a
    kind the archive does not know, a link to a table left behind)."""
    assert council.problems() == []
    installed = {council.label(m) for m in apps.get_models(include_auto_created=True)}
    carried = {council.label(m) for m in council.carried_models(credentials=True)}
    for name in installed - carried:
        assert name in council.NOT_CARRIED, f"{name} is neither carried nor said not to be"
    assert carried >= {
        "cases.case",
        "cases.document",
        "accounts.user",
        "deadlines.closureday",
        "deadlines.calendarsettings",
        "taxonomy.term",
        "taxonomy.servicearea",
        "reports.contextfigure",
        "reports.edition",
        "reports.savedtable",
        "audit.auditevent",
    }
