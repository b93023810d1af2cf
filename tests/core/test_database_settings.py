"""Database connection settings, read from the environment in a fresh process each."""

import json
import os
import subprocess
import sys

import pytest

SHOW = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def _settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "HEARD_"))}
    result = subprocess.run(
        [sys.executable, "-m", "heard.cli", "shell", "-c", SHOW],
        env={**clean, "HEARD_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://heard@127.0.0.1:5432/heard"}, [60, True]),
        ({}, [60, True]),  # the embedded SQLite file
        ({"DATABASE_CONN_MAX_AGE": "300"}, [300, True]),
    ],
)
def test_it_keeps_connections_for_a_minute_unless_told(tmp_path, env, expected):
    result = _settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == expected


def test_it_refuses_a_connection_age_it_cannot_use(tmp_path):
    result = _settings(tmp_path, DATABASE_CONN_MAX_AGE="-1")
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE must be" in result.stderr
