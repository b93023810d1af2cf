import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from heard import envconfig


def test_it_rejects_a_misspelt_boolean(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        envconfig.env_bool("DEBUG", False)


def test_it_reads_secrets_from_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert envconfig.env("SECRET_KEY") == "from-a-file"


def test_it_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("HEARD_SESSION_IDLE_MINUTES", "half an hour")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envconfig.env_int("HEARD_SESSION_IDLE_MINUTES", 30)


def _heard(args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "HEARD_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
        )
    }
    env.update({"HEARD_DATA_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "-m", "heard.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = _heard(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "SECRET_KEY": "a-production-secret-that-is-long-and-random-" + "x" * 30,
            "ALLOWED_HOSTS": "complaints.example.gov.uk",
            "DEBUG": "false",
            "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3"),
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_the_embedded_database_uses_write_ahead_logging(tmp_path):
    result = _heard(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        ],
        {},
        tmp_path,
    )
    assert result.stdout.strip() == "wal", result.stderr


def test_dates_and_time_zone_are_british():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.DATE_INPUT_FORMATS[0] == "%d/%m/%Y"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"HEARD_OIDC_CLIENT_ID": "heard"}, "Single sign-on needs HEARD_OIDC_CLIENT_SECRET"),
        (
            {"HEARD_OIDC_CLIENT_ID": "heard", "HEARD_OIDC_GROUP_ROLES": "staff=boss"},
            "HEARD_OIDC_GROUP_ROLES: 'staff=boss' is not group=role",
        ),
        ({"HEARD_SECOND_FACTOR_ROLES": "administrater"}, "not administrater"),
        ({"HEARD_LOCAL_SIGN_IN": "false"}, "nobody could sign in"),
    ],
)
def test_sign_in_settings_that_cannot_work_stop_heard_starting(tmp_path, settings, message):
    result = _heard(["check"], settings, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
