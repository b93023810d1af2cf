"""``heard serve``: serve Heard over HTTP with several processes (gunicorn, threaded workers).

Several processes, so that one slow request (a big page, a burst of clients) never holds up
the rest: each process serves ``--threads`` requests at once and the processes share the
port. Heavy work (report files, imports, exports) never runs here at all: it goes to
``heard worker``. ``--server waitress`` is the single-process server Heard used before, for
platforms without ``fork`` (docs/decisions/0019-serving-with-several-processes.md).
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from heard.envconfig import env_int


def default_processes() -> int:
    """Two per core (requests spend much of their time waiting for the database), at most 8;
    HEARD_WEB_PROCESSES overrides."""
    return env_int("HEARD_WEB_PROCESSES", min(2 * (os.cpu_count() or 1), 8))


class Command(BaseCommand):
    help = "Serve Heard over HTTP with several processes (gunicorn), or --server waitress."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="Web processes (default: two per core, at most 8; HEARD_WEB_PROCESSES).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Requests each process serves at once (default: HEARD_WEB_THREADS or 4).",
        )
        parser.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run one `heard worker` beside the server, stopped with it (`make run`).",
        )

    def handle(self, *args, host, port, processes, threads, server, with_worker, **options):
        processes = processes or default_processes()
        threads = threads or env_int("HEARD_WEB_THREADS", 4)
        if processes < 1 or threads < 1:
            raise CommandError("--processes and --threads must be at least 1.")
        self.stdout.write(f"Heard for {settings.COUNCIL_NAME} is at http://{host}:{port}/")
        self.stdout.write("Press Ctrl+C to stop.")
        worker = None
        if with_worker:
            worker = subprocess.Popen([sys.executable, "-m", "heard.cli", "worker"])  # noqa: S603
        try:
            self._serve(host, port, processes, threads, server)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _serve(self, host, port, processes, threads, server):
        if server == "waitress":
            from waitress import serve

            from heard.wsgi import application

            # Proxy headers reach Heard untouched; heard.core.middleware.TrustedProxyMiddleware
            # believes them only from HEARD_TRUSTED_PROXIES and removes them otherwise.
            serve(
                application, host=host, port=port, threads=threads * processes, ident="heard",
                clear_untrusted_proxy_headers=False,
            )  # fmt: skip
            return
        from heard.core.gunicorn_app import HeardServer

        HeardServer(host=host, port=port, processes=processes, threads=threads).run()
