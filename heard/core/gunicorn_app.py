"""gunicorn run from inside ``heard serve``, configured here rather than by a config file.

Each process is a threaded (``gthread``) worker. The application is loaded in each process,
not before forking, so no database connection is ever shared between processes. Processes
are replaced after a number of requests (with jitter, so not all at once), which bounds any
slow growth in memory over months of running.
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from heard.envconfig import env_int

#: Access log: time, method, path (never the query string, which can hold a name searched
#: for), status, bytes, milliseconds. No client address.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class HeardServer(BaseApplication):
    def __init__(self, *, host: str, port: int, processes: int, threads: int):
        self.options = {
            "bind": f"{host}:{port}",
            "workers": processes,
            "worker_class": "gthread",
            "threads": threads,
            "preload_app": False,
            # A request still running after this long is stopped (a report is a job, so
            # nothing a person asks for should take near this).
            "timeout": env_int("HEARD_WEB_TIMEOUT", 60),
            "graceful_timeout": 30,
            "keepalive": 5,
            "max_requests": env_int("HEARD_WEB_MAX_REQUESTS", 2000),
            "max_requests_jitter": 200,
            "accesslog": "-" if env_int("HEARD_WEB_ACCESS_LOG", 0) else None,
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "proc_name": "heard",
            # gunicorn trusts no proxy itself: X-Forwarded-* reach Heard untouched, and
            # heard.core.middleware.TrustedProxyMiddleware believes them only from the
            # addresses in HEARD_TRUSTED_PROXIES.
            "forwarded_allow_ips": "",
            "worker_exit": _worker_exit,
        }
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from heard.wsgi import application

        return application


def _worker_exit(server, worker) -> None:
    """End a web process at once when it has finished its last request.

    gunicorn calls this in the process after its requests are done, as it is about to exit.
    Left to exit normally, the interpreter then spent about six seconds tearing down its
    objects (Django, WeasyPrint, matplotlib and everything they hold), while ``heard serve``
    waited for it to stop. Nothing is lost by skipping that: the database connections are
    closed here first, the logs flushed, and no request is in flight."""
    import logging
    import os
    import sys

    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
