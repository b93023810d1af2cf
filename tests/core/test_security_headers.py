"""Every page, as every role that may see it, and the admin: a Content Security Policy that
refuses inline script and style, no-store caching, a Permissions-Policy; and no page whose own
markup breaks that policy (inline script, event-handler attributes, inline style)."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from heard.core.middleware import CONTENT_SECURITY_POLICY, DOWNLOAD_POLICY
from tests.core.test_access_matrix import EXPECTED, PUBLIC, PUBLIC_ARGS, url_args  # noqa: F401

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a Content Security Policy without 'unsafe-inline' would refuse."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if "style" in attrs:
            self.found.append(f"<{tag} style=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            executable = attrs.get("type") in (None, "", "module", "text/javascript")
            self._in_script = executable and not attrs.get("src")
        if tag in {"a", "form", "iframe"}:
            for name in ("href", "action", "src"):
                if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                    self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}…")


def _check(response, url):
    assert response["Content-Security-Policy"] in (CONTENT_SECURITY_POLICY, DOWNLOAD_POLICY), url
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"], url
    assert "camera=()" in response["Permissions-Policy"], url
    if response.get("Content-Type", "").startswith("text/html"):
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], f"{url}: {parser.found}"
    if "attachment" in response.get("Content-Disposition", ""):
        assert response["Content-Security-Policy"] == DOWNLOAD_POLICY


def _allowed_role(name):
    roles, _ = EXPECTED[name]
    return "manager" if "manager" in roles else sorted(roles)[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_staff_page_has_the_headers(client, personas, url_args, name):  # noqa: F811
    client.force_login(personas[_allowed_role(name)])
    url = reverse(name, kwargs=url_args.get(name, {}))
    _check(client.get(url), url)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_page_has_the_headers(client, name):
    url = reverse(name, kwargs=PUBLIC_ARGS.get(name, {}))
    _check(client.get(url), url)


def test_error_pages_and_downloads_have_the_headers(client, personas, url_args):  # noqa: F811
    _check(client.get("/no-such-page/"), "404")
    client.force_login(personas["manager"])
    for name in ("reports:annual-download", "cases:document"):
        url = reverse(name, kwargs=url_args[name])
        response = client.get(url)
        assert response.status_code == 200
        _check(response, url)
    export = client.get(reverse("cases:list") + "?format=xlsx")
    _check(export, "tracker export")


def test_the_api_and_its_docs_have_the_headers(client):
    for url in ("/api/v1/docs", "/api/v1/openapi.json", "/api/v1/cases"):
        _check(client.get(url), url)


def test_every_admin_page_has_the_headers(client, personas, url_args):  # noqa: F811
    client.force_login(personas["administrator"])
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        _check(response, url)


def test_the_sign_in_page_runs_no_inline_script(client):
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert '<script src="/static/heard/js-enabled.js"></script>' in page
