"""A real `heard serve` behind a TLS proxy: X-Forwarded-Proto and X-Forwarded-For are believed
from the configured proxy's address and from no other.

The server listens on 127.0.0.1; the "proxy" connects from 127.0.0.2 and a visitor from
127.0.0.3 (every 127.x address is the loopback interface on Linux). Which address Heard
believed is read from its security log, where an API call without a token is counted by
address.
"""

import contextlib
import http.client
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

PROXY, VISITOR = "127.0.0.2", "127.0.0.3"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(data, https: bool) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "HEARD_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_"))
    }
    env.update(
        HEARD_DATA_DIR=str(data),
        DATABASE_URL=f"sqlite:///{data}/heard.sqlite3",
        HEARD_TRUSTED_PROXIES=PROXY,
        HEARD_HTTPS="true" if https else "false",
        ALLOWED_HOSTS="127.0.0.1",
    )
    return env


HEARD = [sys.executable, "-m", "heard.cli"]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One migrated database, copied for each server."""
    data = tmp_path_factory.mktemp("migrated")
    env = _environment(data, https=False)
    subprocess.run([*HEARD, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    return data / "heard.sqlite3"


@contextlib.contextmanager
def _served(data, https: bool, database):
    env = _environment(data, https)
    shutil.copy(database, data / "heard.sqlite3")
    heard = HEARD
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [*heard, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(200):  # at most 20 seconds
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("heard serve did not start: " + server.stderr.read1().decode())
        yield port
    finally:
        server.terminate()
        # gunicorn lets requests in flight finish (its graceful timeout is 30 s); on a busy
        # machine its processes took more than 10 s to stop.
        server.wait(timeout=45)


def _get(port, path, source, headers):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def https_server(tmp_path_factory, migrated):
    with _served(tmp_path_factory.mktemp("https"), https=True, database=migrated) as port:
        yield port


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory, migrated):
    data = tmp_path_factory.mktemp("plain")
    with _served(data, https=False, database=migrated) as port:
        yield port, data


def test_https_from_the_proxy_is_believed_so_redirects_do_not_loop(https_server):
    status, _ = _get(https_server, "/health/", PROXY, {"X-Forwarded-Proto": "https"})
    assert status == 200


def test_without_the_header_even_the_proxy_is_sent_to_https(https_server):
    status, location = _get(https_server, "/health/", PROXY, {})
    assert status == 301 and location == "https://127.0.0.1/health/"


def test_https_claimed_by_anyone_else_is_not_believed(https_server):
    status, location = _get(https_server, "/health/", VISITOR, {"X-Forwarded-Proto": "https"})
    assert status == 301 and location.startswith("https://")


def _addresses(data) -> set[str]:
    with contextlib.closing(sqlite3.connect(data / "heard.sqlite3")) as db:
        rows = db.execute("SELECT address FROM audit_securityevent").fetchall()
    return {address for (address,) in rows}


def test_the_client_address_is_taken_from_the_proxy_only(plain_server):
    port, data = plain_server
    # Through the proxy: the client it names (anything further left could be made up).
    _get(port, "/api/v1/cases", PROXY, {"X-Forwarded-For": "10.9.9.9, 198.51.100.7"})
    # Straight from a visitor claiming another address: the visitor's own address.
    _get(port, "/api/v1/cases", VISITOR, {"X-Forwarded-For": "203.0.113.9"})
    assert _addresses(data) == {"198.51.100.7", VISITOR}
