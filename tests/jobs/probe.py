"""A task for tests/jobs/test_two_workers.py: notes which process ran it, once per run."""

import os
import time

from django_tasks import task


@task()
def note_run(number: int) -> None:
    line = f"{number} {os.getpid()}\n".encode()
    fd = os.open(os.environ["HEARD_PROBE_FILE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)  # one small append: whole lines, however many processes write
    finally:
        os.close(fd)
    time.sleep(0.03)  # long enough for the other worker to look for work meanwhile
