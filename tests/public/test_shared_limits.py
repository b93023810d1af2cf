"""The public form's limits (submissions and uploads per address per hour) hold across every
`heard serve` process: real separate processes count against one database file.

Each process used to count in its own memory, so two processes allowed twice the limit."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

HEARD = [sys.executable, "-m", "heard.cli"]

#: Run by `heard shell -c` in each process: count each limit, then print what it now sees.
SCRIPT = """
from heard.public import services, uploads
for count, reached, times in (
    (services.count_submission, services.too_many, {submissions}),
    (uploads.count_from, uploads.too_many_from, {uploads}),
):
    for _ in range(times):
        count("{address}")
    print("refused" if reached("{address}") else "allowed", end=" ")
"""


def _environment(data) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HEARD_", "DATABASE_URL"))
    }
    env.update(
        HEARD_DATA_DIR=str(data),
        DATABASE_URL=f"sqlite:///{data}/heard.sqlite3",
        SECRET_KEY="one-key-for-every-process",
        HEARD_PUBLIC_FORM_LIMIT="10",
        HEARD_PUBLIC_UPLOAD_LIMIT="20",
    )
    return env


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    data = tmp_path_factory.mktemp("shared-limits")
    subprocess.run(
        [*HEARD, "migrate", "--noinput"], env=_environment(data), check=True, capture_output=True
    )
    return data


def _run(data, address, submissions, uploads) -> list[str]:
    script = SCRIPT.format(address=address, submissions=submissions, uploads=uploads)
    finished = subprocess.run(
        [*HEARD, "shell", "-c", script],
        env=_environment(data),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return finished.stdout.split()[-2:]  # after what `shell` itself prints


def test_two_processes_enforce_one_limit(database):
    """Limits 10 and 20: one process uses all but one of each, the next one more."""
    address = "198.51.100.10"
    assert _run(database, address, 9, 19) == ["allowed", "allowed"]
    assert _run(database, address, 1, 1) == ["refused", "refused"]
    assert _run(database, "198.51.100.11", 0, 0) == ["allowed", "allowed"]


def test_processes_counting_at_once_lose_no_count(database):
    """Two processes counting at the same moment, half the limit each: every count is kept,
    so a third process finds the limit reached exactly."""
    address = "203.0.113.7"
    with ThreadPoolExecutor(2) as pool:
        seen = list(pool.map(lambda _: _run(database, address, 5, 10), range(2)))
    assert [len(kinds) for kinds in seen] == [2, 2]  # either may have finished first
    assert _run(database, address, 0, 0) == ["refused", "refused"]


@pytest.mark.django_db
def test_the_address_is_kept_only_as_a_keyed_digest():
    from heard.core.models import RateCount
    from heard.public import services

    services.count_submission("192.0.2.44")
    (row,) = RateCount.objects.all()
    assert "192.0.2.44" not in row.key and row.count == 1
