"""``heard backup`` and ``heard restore`` (issue 16): a backup taken, data changed (rows and
documents), the backup restored, and everything is as it was when the backup was taken: every
table, password hashes and tokens included, and every document. On the suite's database kind:
SQLite's online backup API, or pg_dump and pg_restore on a scratch PostgreSQL database."""

import pytest

from tests.exchange.scratch import Databases, archive_contents, heard, run, suite_postgresql

CHANGE = """
import datetime
from pathlib import Path
from django.conf import settings
from heard.cases.models import Case
from heard.deadlines.models import ClosureDay
ClosureDay.objects.create(date=datetime.date(2027, 1, 4), description="Added after the backup")
Case.objects.filter(pk=Case.objects.order_by("pk")[0].pk).update(summary="Changed after")
stored = sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
stored[0].unlink()
(Path(settings.MEDIA_ROOT) / "stray.txt").write_text("added after the backup")
"""


@pytest.fixture
def databases(tmp_path):
    found = Databases(tmp_path)
    yield found
    found.drop()


def test_restoring_a_backup_gives_back_everything_as_it_was(databases, tmp_path):
    server = suite_postgresql()
    live = databases.postgresql(server, "live") if server else databases.sqlite("live")
    heard(live, "demo", "--cases", "40", "--seed", "16", "--today", "2026-11-20")
    run(live, "-m", "tests.exchange.council_snapshot", "setup")  # a document, editions …
    everything = ("export", "--all", "--with-credentials", "-o")
    heard(live, *everything, str(tmp_path / "before.zip"))
    said = heard(live, "backup", "-o", str(tmp_path / "backup.tar"))
    assert "1 document(s)" in said

    heard(live, "shell", "-c", CHANGE)
    heard(live, *everything, str(tmp_path / "changed.zip"))
    before = archive_contents(tmp_path / "before.zip")
    changed = archive_contents(tmp_path / "changed.zip")
    assert changed != before, "the change is there to be undone"

    said = heard(live, "restore", str(tmp_path / "backup.tar"), "--no-input")
    assert "What was there before is backed up in" in said
    heard(live, *everything, str(tmp_path / "after.zip"))
    after = archive_contents(tmp_path / "after.zip")
    assert after.keys() == before.keys()
    for name, content in before.items():
        assert after[name] == content, f"{name} is not as it was"
    documents = sorted((tmp_path / "live" / "documents").rglob("*"))
    assert not any(p.name == "stray.txt" for p in documents)

    # What the restore replaced was kept: restoring that gives the changed data back.
    safety = sorted((tmp_path / "live" / "backups").glob("before-restore-*.tar"))
    assert len(safety) == 1
    heard(live, "restore", str(safety[0]), "--no-input")
    heard(live, *everything, str(tmp_path / "again.zip"))
    assert archive_contents(tmp_path / "again.zip") == changed


def test_a_file_that_is_not_a_backup_is_refused_plainly(databases, tmp_path):
    live = databases.sqlite("live")
    other = tmp_path / "not-a-backup.tar"
    other.write_bytes(b"not a tar file")
    result = heard_failing(live, "restore", str(other), "--no-input")
    assert "is not a Heard backup" in result


def heard_failing(env, *args) -> str:
    import subprocess
    import sys

    from tests.exchange.scratch import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "heard.cli", *args], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    return result.stderr
