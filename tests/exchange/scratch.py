"""Separate, fresh Heard databases for tests that move data between them, each used by its own
``heard`` processes as an IT team would: copies of one migrated SQLite file, and scratch
databases on the suite's PostgreSQL server (dropped afterwards)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def environment(database_url: str, data_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HEARD_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "heard.settings_test",
        "ALLOWED_HOSTS": "testserver",
        "PYTHONPATH": str(ROOT),
    }


def run(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def heard(env: dict, *args: str) -> str:
    return run(env, "-m", "heard.cli", *args)


class Databases:
    """Fresh, migrated databases: copies of one migrated SQLite file, and scratch databases on
    the suite's PostgreSQL server."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.pristine = tmp / "migrated.sqlite3"
        self.scratch: list[str] = []

    def sqlite(self, name: str) -> dict:
        data = self.tmp / name
        data.mkdir()
        env = environment(f"sqlite:///{data / 'heard.sqlite3'}", data)
        if not self.pristine.exists():
            heard(env, "migrate", "-v0")
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
        env = environment(server_url.rsplit("/", 1)[0] + f"/{database}", data)
        heard(env, "migrate", "-v0")
        return env

    def drop(self) -> None:
        if not self.scratch:
            return
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            for database in self.scratch:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def suite_postgresql() -> str | None:
    """The suite's PostgreSQL server, when the suite runs on one."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def archive_contents(path: Path) -> dict:
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
