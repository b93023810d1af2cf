"""A command run on a database that is not set up, or cannot be reached, says what to do
instead of printing a traceback (issue 16)."""

import os
import subprocess
import sys
import uuid

import pytest


def _heard(tmp_path, database_url, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "HEARD_"))}
    env |= {"HEARD_DATA_DIR": str(tmp_path), "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "heard.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture
def empty_database(tmp_path):
    """A database with no tables, of the kind the suite runs on."""
    suite = os.environ.get("DATABASE_URL", "")
    if not suite.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    import psycopg

    name = f"heard_empty_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(suite, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield suite.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(suite, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize(
    "command",
    [
        ["deadline", "--from", "2022-09-16", "--working-days", "10"],
        ["report", "annual", "--year", "2023", "--format", "json"],
        ["serve", "--port", "0"],
    ],
)
def test_a_command_on_a_database_not_set_up_says_to_migrate(tmp_path, empty_database, command):
    result = _heard(tmp_path, empty_database, *command)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "has not been set up yet. Run `heard migrate`" in result.stderr, result.stderr


def test_a_command_on_a_database_it_cannot_reach_says_so(tmp_path):
    # Nothing listens on port 1 of the loopback address: the connection is refused at once.
    result = _heard(tmp_path, "postgres://heard:secret-password@127.0.0.1:1/heard", "deadline",
                    "--from", "2022-09-16", "--working-days", "10")  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Heard cannot reach the database heard on 127.0.0.1:1" in result.stderr
    assert "secret-password" not in result.stderr
