"""Benchmark: Heard served as in production (``heard serve`` and ``heard worker`` processes)
under concurrent staff sessions over loopback HTTP.

    HEARD_DATA_DIR=/tmp/hb .venv/bin/python benchmarks/serving.py downloads
    HEARD_DATA_DIR=/tmp/hb100k .venv/bin/python benchmarks/serving.py staff --cases 100000
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/serving.py soak --minutes 10
    HEARD_DATA_DIR=/tmp/hb .venv/bin/python benchmarks/serving.py soak --minutes 10

Scenarios:

- ``downloads``: 8 sessions keep asking for report files (PDF, Word, XLSX of different reports
  and years, so each is made afresh by ``heard worker``) while 2 more open case pages; prints
  the case page's figures (the aim: p95 under 300 ms).
- ``staff``: ``--clients`` sessions (4) go round every staff page; prints each page's
  p50/p95/p99 and requests per second (the aim: every page's p95 under 150 ms).
- ``soak``: ``--sessions`` sessions (50 on PostgreSQL, 10 on SQLite) for ``--minutes``, round
  every staff page as fast as each gets answers; prints errors and each page's p50/p95/p99 and
  requests per second. Any answer but 200 (a redirect to the sign-in page included) is an error.

Builds the demo council with ``--cases`` cases the first time (in the SQLite database of
HEARD_DATA_DIR, or the database DATABASE_URL names). Everything listens on 127.0.0.1 only and
every request goes to it (checked); every loop is bounded by the duration and by
``--max-requests``, every request by a timeout. Runs ``heard worker --once`` first, so the
worker has caught up with the data as on a running service. Prints the CPU time the web
processes, the worker and the clients used besides the wall time (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import requests

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "heard-demo-password"  # noqa: S105 (the demo council's, printed by `make run`)
TIMEOUT = 60  # seconds, for any one request
SIGN_IN_LIMIT = 600  # seconds for every session to sign in, before the measured time
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("HEARD_HTTPS", "false")
    env.setdefault("HEARD_DATA_DIR", str(Path(tempfile.gettempdir()) / "heard-bench"))
    env["PYTHONPATH"] = f"{REPO}{os.pathsep}{env.get('PYTHONPATH', '')}"
    env.setdefault("LOG_LEVEL", "WARNING")
    # Many sessions sign in as the same demo users at once: no lock-outs in a benchmark.
    env.setdefault("HEARD_LOGIN_FAILURE_LIMIT", "1000")
    env.setdefault("HEARD_LOGIN_ADDRESS_LIMIT", "1000")  # at least the limit per account
    # The pages are measured, not the second factor the demo managers would be asked for.
    env.setdefault("HEARD_SECOND_FACTOR_ROLES", "")
    return env


def _heard(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "heard.cli", *args], env=_env(), cwd=REPO, check=True, **kwargs
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """``heard serve`` and ``heard worker`` processes, stopped on exit."""

    def __init__(self, processes: int | None, workers: int):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        serve = ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if processes:
            serve += ["--processes", str(processes)]
        self.children = [self._start(*serve)]
        self.children += [self._start("worker", "--poll", "0.2") for _ in range(workers)]
        #: CPU seconds each kind of process used, known once they have stopped.
        self.cpu = {"web": 0.0, "worker": 0.0}

    def _start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "heard.cli", *args],
            env=_env(),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if loopback_session().get(f"{self.base}/accounts/sign-in/", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise SystemExit("heard serve did not answer within 3 minutes")

    def __exit__(self, *exc):
        for child in self.children:
            child.terminate()
        for i, child in enumerate(self.children):
            self.cpu["web" if i == 0 else "worker"] += self._reaped(child)

    @staticmethod
    def _reaped(child: subprocess.Popen) -> float:
        """Wait for a stopped child (killing it after 40 s) and return the CPU seconds it and
        the processes it reaped (gunicorn's web processes) used."""
        deadline = time.monotonic() + 40
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                return usage.ru_utime + usage.ru_stime
            if time.monotonic() > deadline:
                child.kill()
                deadline = float("inf")
            time.sleep(0.1)


def loopback_session() -> requests.Session:
    """A client that never sends loopback requests through a proxy set in the environment."""
    session = requests.Session()
    session.trust_env = False
    return session


def sign_in(base: str, username: str) -> requests.Session:
    session = loopback_session()
    page = session.get(f"{base}/accounts/sign-in/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed = session.post(
        f"{base}/accounts/sign-in/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/sign-in/"},
        timeout=TIMEOUT,
    )
    if "/accounts/sign-in/" in signed.url:
        raise SystemExit(f"could not sign in as {username}")
    return session


def _closed_before_answering(error: requests.ConnectionError) -> bool:
    """The server closed a kept-alive connection before sending any answer, which it does when
    a web process is replaced after its number of requests (gunicorn's ``max_requests``):
    browsers and proxies send an idempotent request again on a new connection."""
    text = repr(error)
    return "RemoteDisconnected" in text or "ConnectionResetError" in text


class Results:
    def __init__(self, max_requests: int = 1_000_000):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.statuses: dict[str, int] = defaultdict(int)
        self.sent_again: dict[str, int] = defaultdict(int)
        self.sent = 0
        self.max_requests = max_requests

    def exhausted(self) -> bool:
        """The bound on requests is reached: every loop stops."""
        return self.sent >= self.max_requests

    def timed(
        self, session: requests.Session, name: str, url: str, *, follow: bool = True
    ) -> requests.Response | None:
        if urlsplit(url).hostname not in LOOPBACK:
            raise SystemExit(f"refusing to send a request off this machine: {url}")
        with self.lock:
            if self.exhausted():
                return None
            self.sent += 1
        started = time.perf_counter()
        try:
            try:
                response = session.get(url, timeout=TIMEOUT, allow_redirects=follow)
            except requests.ConnectionError as error:
                if not _closed_before_answering(error):
                    raise
                # As a browser or a proxy does: the GET again, once, on a new connection. The
                # time counts from the first try, and each one is counted and printed.
                with self.lock:
                    self.sent_again[name] += 1
                response = session.get(url, timeout=TIMEOUT, allow_redirects=follow)
        except requests.RequestException as error:
            response, status = None, type(error).__name__
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            if response is None or response.status_code != 200:
                self.errors[name] += 1
                self.statuses[str(response.status_code) if response is not None else status] += 1
            else:
                self.times[name].append(elapsed)
        return response

    def print(self, seconds: float, only: set[str] | None = None) -> None:
        # Sign-ins happen before the measured time: listed, but not in requests per second.
        total = sum(len(v) for name, v in self.times.items() if name != "sign in")
        print(f"{'page':30} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for name in sorted(set(self.times) | set(self.errors)):
            if only and name not in only:
                continue
            values = sorted(self.times.get(name, [])) or [float("nan")]
            cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
            print(
                f"{name:30} {len(self.times.get(name, [])):6} {statistics.median(values):8.1f} "
                f"{cuts[94]:8.1f} {cuts[98]:8.1f} {self.errors.get(name, 0):7}"
            )
        print(
            f"{total} requests in {seconds:.0f} s: {total / seconds:.1f} requests per second; "
            f"{sum(self.errors.values())} errors"
            + (f" ({dict(self.statuses)})" if self.statuses else "")
        )
        if self.sent_again:
            print(
                f"{sum(self.sent_again.values())} GETs sent again on a new connection after the "
                "server closed a kept-alive one without answering (a web process replaced "
                f"after HEARD_WEB_MAX_REQUESTS requests): {dict(self.sent_again)}"
            )
        if self.exhausted():
            print(f"stopped at the bound of {self.max_requests} requests")


def staff_pages(base: str, references: list[str], rng: random.Random) -> list[tuple[str, str]]:
    return [
        ("home", f"{base}/"),
        ("case list (open)", f"{base}/cases/"),
        ("tracker: overdue", f"{base}/cases/?view=overdue"),
        ("tracker: due soon", f"{base}/cases/?view=due-soon"),
        ("tracker: team and stage", f"{base}/cases/?view=all&stage=2&sort=-received"),
        ("tracker: no learning", f"{base}/cases/?view=no-learning"),
        ("case page", f"{base}/cases/{rng.choice(references)}/"),
        ("deadline calculator", f"{base}/deadlines/"),
        ("reports home", f"{base}/reports/"),
        ("editions", f"{base}/reports/editions/"),
    ]


def _references(limit: int = 2000) -> list[str]:
    code = (
        "from heard.cases.models import Case\n"
        "found = Case.objects.order_by('?').values_list('reference', flat=True)\n"
        f"print('\\n'.join(found[:{limit}]))"
    )
    out = _heard("shell", "-c", code, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if re.fullmatch(r"[A-Z]+-\d{4}-\d+", line)]


def _signed_in(base, results, deadline, username) -> requests.Session | None:
    """Sign in, counting a failed attempt as an error and trying again until the deadline."""
    while time.monotonic() < deadline and not results.exhausted():
        started = time.perf_counter()
        try:
            session = sign_in(base, username)
        except (requests.RequestException, SystemExit, AttributeError):
            with results.lock:
                results.errors["sign in"] += 1
            time.sleep(1)  # not a tight loop against a server that refuses
            continue
        with results.lock:
            results.times["sign in"].append((time.perf_counter() - started) * 1000)
        return session
    return None


def sign_in_all(base, results, usernames, deadline, at_once: int = 4) -> list:
    """Sessions for ``usernames``, signed in a few at a time before the clock starts: a
    sign-in is slow on purpose (the password hash), and 50 at once would measure only that."""
    sessions: list = [None] * len(usernames)
    gate = threading.Semaphore(at_once)

    def one(i):
        with gate:
            sessions[i] = _signed_in(base, results, deadline, usernames[i])

    run_threads([lambda i=i: one(i) for i in range(len(usernames))])
    return sessions


def _round(base, results, deadline, username, seed, pages=None):
    session = _signed_in(base, results, deadline, username)
    if session is not None:
        _browse(session, results, deadline, seed, pages)


def _browse(session, results, deadline, seed, pages):
    rng = random.Random(seed)
    while time.monotonic() < deadline and not results.exhausted():
        for name, url in pages(rng) if pages else []:
            if time.monotonic() >= deadline or results.exhausted():
                return
            # A staff page answers 200 itself: a redirect (to sign in, say) is an error.
            results.timed(session, name, url, follow=False)


def run_threads(targets) -> None:
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def scenario_staff(args, served: Served, references) -> None:
    results = Results(args.max_requests)
    users = ["manager", "officer", "officer2", "admin"]
    names = [users[i % len(users)] for i in range(args.clients)]
    began = time.monotonic()
    sessions = sign_in_all(served.base, results, names, began + SIGN_IN_LIMIT)
    signed = [session for session in sessions if session is not None]
    print(
        f"{len(signed)} of {args.clients} sessions signed in (4 at a time) in "
        f"{time.monotonic() - began:.0f} s"
    )
    deadline = time.monotonic() + args.duration

    def client(i, session):
        return lambda: _browse(
            session,
            results,
            deadline,
            i,
            lambda rng: staff_pages(served.base, references, rng),
        )

    started = time.monotonic()
    run_threads([client(i, session) for i, session in enumerate(signed)])
    print(f"{len(signed)} concurrent staff sessions for {args.duration} s:")
    results.print(time.monotonic() - started)


def scenario_soak(args, served: Served, references) -> None:
    args.clients = args.sessions
    args.duration = int(args.minutes * 60)
    scenario_staff(args, served, references)


REPORTS = ["annual", "scrutiny", "lgsco"]
FORMATS = ["pdf", "docx", "xlsx"]


def _download_urls(base: str, rng: random.Random, years: list[int]):
    """Endless report files, in an order where a repeat is rare (each is made afresh)."""
    combos = [
        (report, year, fmt, publication)
        for report in REPORTS
        for year in years
        for fmt in FORMATS
        for publication in (False, True)
    ]
    rng.shuffle(combos)
    for report, year, fmt, publication in combos:
        query = "publication=true&" if publication else ""
        if report == "annual":
            yield f"{base}/reports/annual/{year}/download/{fmt}/?{query}"
        else:
            yield f"{base}/reports/{report}/{year}/?{query}format={fmt}"


def scenario_downloads(args, served: Served, references) -> None:
    results = Results(args.max_requests)
    deadline = time.monotonic() + args.duration
    years = list(range(args.first_year, args.first_year + 5))
    made = defaultdict(int)

    def downloader(i):
        def run():
            rng = random.Random(100 + i)
            session = _signed_in(served.base, results, deadline, "manager")
            if session is None:
                return
            for url in _download_urls(served.base, rng, years):
                if time.monotonic() >= deadline:
                    return
                response = results.timed(session, "download: ask", url)
                # Follow the status page until the file is there (bounded by the deadline).
                while (
                    response is not None
                    and "attachment" not in response.headers.get("Content-Disposition", "")
                    and time.monotonic() < deadline
                ):
                    time.sleep(2)  # as the page's own Refresh header asks
                    response = results.timed(session, "download: status page", response.url)
                if response is not None and response.ok and time.monotonic() < deadline:
                    with results.lock:
                        made["files"] += 1

        return run

    def reader(i):
        return lambda: _round(
            served.base,
            results,
            deadline,
            "officer",
            i,
            lambda rng: [("case page", f"{served.base}/cases/{rng.choice(references)}/")],
        )

    started = time.monotonic()
    run_threads([downloader(i) for i in range(args.downloads)] + [reader(i) for i in range(2)])
    seconds = time.monotonic() - started
    print(
        f"{args.downloads} sessions downloading report files ({made['files']} files made) "
        f"while 2 sessions open case pages, {args.duration} s:"
    )
    results.print(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["downloads", "staff", "soak"])
    parser.add_argument("--cases", type=int, default=5000, help="Demo cases, the first time.")
    parser.add_argument("--processes", type=int, help="heard serve processes (its default).")
    parser.add_argument("--workers", type=int, default=1, help="heard worker processes.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds (downloads, staff).")
    parser.add_argument("--clients", type=int, default=4, help="Sessions (staff).")
    parser.add_argument("--downloads", type=int, default=8, help="Downloading sessions.")
    parser.add_argument("--first-year", type=int, default=2020, help="Reports' first year.")
    parser.add_argument(
        "--sessions", type=int, help="Sessions (soak): 50 on PostgreSQL, 10 on SQLite."
    )
    parser.add_argument("--minutes", type=float, default=10, help="Minutes (soak), at most 60.")
    parser.add_argument(
        "--max-requests", type=int, default=500_000, help="Stop after this many requests."
    )
    args = parser.parse_args()
    if not 0 < args.minutes <= 60 or not 0 < args.duration <= 3600:
        parser.error("a run lasts from a moment to an hour")

    _heard("migrate", "--noinput", "-v0")
    _heard("demo", "--if-empty", "--cases", str(args.cases), "--years", "6", "--seed", "2017")
    references = _references()
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    if args.sessions is None:
        args.sessions = 50 if database == "PostgreSQL" else 10
    workers = args.workers if args.scenario == "downloads" else 1
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; database: {database}; scenario: {args.scenario}"
    )
    # As on a running service, the worker has caught up with the data (the annual report made
    # ready, decision 43) before anyone is timed: otherwise the first minutes measure the pages
    # beside a worker computing four years of figures.
    _heard("worker", "--once", stdout=subprocess.DEVNULL)
    before, wall = os.times(), time.monotonic()
    with Served(args.processes, workers) as served:
        {"staff": scenario_staff, "soak": scenario_soak, "downloads": scenario_downloads}[
            args.scenario
        ](args, served, references)
    after = os.times()
    client_cpu = (after.user - before.user) + (after.system - before.system)
    print(
        f"CPU time: web processes {served.cpu['web']:.0f} s, worker {served.cpu['worker']:.0f} s, "
        f"clients {client_cpu:.0f} s, in {time.monotonic() - wall:.0f} s wall (start-up "
        "included)"
    )


if __name__ == "__main__":
    main()
