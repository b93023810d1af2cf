"""Two real `heard worker` processes at once on one database (PostgreSQL when DATABASE_URL
names one, else SQLite): every job runs once and every e-mail is sent once.

The workers are separate processes with their own connections, so this test does not use the
test database (whose transaction they could not see): it makes a database of its own, on the
same PostgreSQL server or as a SQLite file, migrates it and fills it through `heard shell`.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
JOBS = 80
EMAILS = 80
DEADLINE = 180  # seconds: the whole test is bounded


@contextlib.contextmanager
def _own_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    name = f"heard_workers_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(tmp_path, database_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        PYTHONPATH=str(REPO),
        HEARD_DATA_DIR=str(tmp_path / "data"),
        HEARD_HTTPS="false",
        HEARD_PROBE_FILE=str(tmp_path / "runs.txt"),
        LOG_LEVEL="WARNING",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _heard(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "heard.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


FILL = f"""
from django.utils import timezone
from heard.notifications.models import OutboxMessage
from tests.jobs.probe import note_run
for number in range({JOBS}):
    note_run.enqueue(number)
for number in range({EMAILS}):
    OutboxMessage.objects.create(
        to="officer@council.example", subject=f"Message {{number}}", body="Hello",
        next_attempt_at=timezone.now(),
    )
"""

CHECK = """
from django_tasks_db.models import DBTaskResult
from heard.notifications.models import OutboxMessage
tasks = list(DBTaskResult.objects.values_list("status", "worker_ids"))
print("tasks", sum(s == "SUCCESSFUL" for s, _ in tasks), max(len(w) for _, w in tasks))
sent = OutboxMessage.objects.filter(status="sent")
print("sent", sent.count(), sent.filter(attempts=1).count())
"""


def _subjects(mail_dir: Path) -> Counter:
    found = Counter()
    for path in mail_dir.glob("*") if mail_dir.exists() else []:
        found.update(re.findall(r"^Subject: (Message \d+)$", path.read_text(), re.M))
    return found


def test_two_workers_take_every_job_and_every_email_exactly_once(tmp_path):
    started = time.monotonic()
    with _own_database() as database_url:
        env = _env(tmp_path, database_url)
        _heard(env, "migrate", "--noinput")
        _heard(env, "shell", "-c", FILL)
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "heard.cli", "worker", "--interval", "1", "--poll", "0.05"],
                env=env,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        runs_file, mail_dir = tmp_path / "runs.txt", tmp_path / "data" / "mail"
        try:
            while time.monotonic() - started < DEADLINE:
                runs = runs_file.read_text().splitlines() if runs_file.exists() else []
                if len(runs) >= JOBS and sum(_subjects(mail_dir).values()) >= EMAILS:
                    break
                assert all(worker.poll() is None for worker in workers), "a worker stopped"
                time.sleep(0.5)
            time.sleep(2)  # anything taken twice would show up now
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
        errors = "".join(worker.stderr.read() for worker in workers)
        output = _heard(env, "shell", "-c", CHECK).stdout.splitlines()
        checked = [line for line in output if line.startswith(("tasks ", "sent "))]

    runs = [line.split() for line in runs_file.read_text().splitlines()]
    assert sorted(int(number) for number, _ in runs) == list(range(JOBS)), errors
    assert len({pid for _, pid in runs}) == 2, "both workers took jobs"
    assert _subjects(mail_dir) == Counter({f"Message {n}": 1 for n in range(EMAILS)})
    assert checked[0] == f"tasks {JOBS} 1"  # every task done, each by one worker
    assert checked[1] == f"sent {EMAILS} {EMAILS}"  # every e-mail sent at the first attempt
    assert "Traceback" not in errors, errors
