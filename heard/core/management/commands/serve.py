"""``heard serve``: run Heard with the waitress WSGI server (no separate web server needed)."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Heard over HTTP with waitress."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from heard.wsgi import application

        self.stdout.write(f"Heard for {settings.COUNCIL_NAME} is at http://{host}:{port}/")
        self.stdout.write("Press Ctrl+C to stop.")
        # Proxy headers reach Heard untouched; heard.core.middleware.TrustedProxyMiddleware
        # believes them only from HEARD_TRUSTED_PROXIES and removes them otherwise.
        serve(
            application, host=host, port=port, threads=threads, ident="heard",
            clear_untrusted_proxy_headers=False,
        )  # fmt: skip
