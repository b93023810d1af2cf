"""`heard serve` as run in production: several processes on one loopback port, answering
pages and /healthz, stopping cleanly on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def test_it_serves_with_several_processes_and_stops_cleanly(tmp_path):
    # Heard as a council runs it: its own settings, not whatever earlier tests left in the
    # environment (tests/exchange/council_snapshot.py sets ALLOWED_HOSTS=testserver for its
    # own processes, which made this server answer 400 to 127.0.0.1 in a full run).
    left_out = {"DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(PYTHONPATH=str(REPO), HEARD_DATA_DIR=str(tmp_path), HEARD_HTTPS="false")
    heard = [sys.executable, "-m", "heard.cli"]
    subprocess.run([*heard, "migrate", "-v0"], env=env, cwd=REPO, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*heard, "serve", "--host", "127.0.0.1", "--port", str(port), "--processes", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # A loopback request never goes through a proxy the environment may set for the registries.
    client = requests.Session()
    client.trust_env = False
    try:
        answered = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and answered is None:
            try:
                answered = client.get(f"http://127.0.0.1:{port}/accounts/sign-in/", timeout=5)
            except requests.ConnectionError:
                time.sleep(0.5)
        assert answered is not None and answered.status_code == 200
        assert len(_children(server.pid)) == 2
        health = client.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert health.status_code == 503 and health.json()["checks"]["database"]["ok"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert server.returncode == 0, server.stderr.read()
