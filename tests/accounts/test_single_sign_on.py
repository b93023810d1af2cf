"""Single sign-on against a real OpenID Connect provider: node `oidc-provider`, started on a
free loopback port by the fixture below (tests/accounts/oidc/provider.mjs). The whole redirect
flow runs: Heard's start page, the provider's sign-in form (driven with `requests`), the
provider's redirect back with a code, Heard's callback, which fetches the token, checks its
signature against the provider's keys, the state and the nonce, and reads the userinfo."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.urls import reverse

from heard.accounts.models import User
from heard.accounts.roles import Role
from heard.audit.models import AuditEvent, SecurityEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "heard-tests", "a-client-secret-for-tests-only"
CALLBACK = "http://testserver/accounts/single-sign-on/callback/"
MANAGERS, CASEWORKERS = "grp-complaints-managers", "grp-complaints-officers"
USERS = {
    "maria": {
        "password": "maria-password",
        "claims": {
            "preferred_username": "maria.jones",
            "given_name": "Maria",
            "family_name": "Jones",
            "email": "maria.jones@example.gov.uk",
            "groups": ["grp-all-staff", MANAGERS],
        },
    },
    "olu": {
        "password": "olu-password",
        "claims": {"preferred_username": "olu", "groups": [CASEWORKERS]},
    },
    "visitor": {
        "password": "visitor-password",
        "claims": {"preferred_username": "visitor", "groups": ["grp-all-staff"]},
    },
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def provider():
    """The provider's issuer address, while it runs."""
    module = ROOT / "assets" / "node_modules" / "oidc-provider"
    assert shutil.which("node"), "node is needed for the single sign-on tests"
    assert module.exists(), "run `npm ci --prefix assets` (scripts/test.sh does)"
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PROVIDER_MODULE": str(module),
        "PORT": str(port),
        "OIDC_CLIENT": json.dumps(
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [CALLBACK]}
        ),
        "OIDC_USERS": json.dumps(USERS),
    }
    server = subprocess.Popen(  # noqa: S603
        ["node", str(ROOT / "tests" / "accounts" / "oidc" / "provider.mjs")],  # noqa: S607
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        issuer = f"http://127.0.0.1:{port}"
        for _ in range(300):  # at most 30 seconds
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
                break
            if server.poll() is not None:
                raise AssertionError("the OIDC provider stopped: " + server.stderr.read())
            time.sleep(0.1)
        else:
            raise AssertionError("the OIDC provider did not start")
        yield issuer
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def sso(settings, provider, monkeypatch):
    """Heard set up for the provider, as docs/operations.md says, from its discovery page."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    found = _session().get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    settings.HEARD_OIDC = True
    settings.HEARD_OIDC_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.HEARD_OIDC_ISSUER = found["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = found["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
    settings.HEARD_OIDC_PROVIDER_NAME = "Test Council account"
    settings.HEARD_OIDC_GROUP_ROLES = {MANAGERS: "manager", CASEWORKERS: "officer"}
    return provider


def _session() -> requests.Session:
    """The person's browser at the provider (loopback: never through a proxy)."""
    session = requests.Session()
    session.trust_env = False
    return session


def _to_provider_and_back(client, login, password, *, next_url=""):
    """Start at Heard, sign in at the provider; returns the callback query Heard is sent."""
    start = reverse("accounts:oidc-start") + (
        f"?{urlencode({'next': next_url})}" if next_url else ""
    )
    response = client.get(start)
    assert response.status_code == 302
    browser = _session()
    answer = browser.get(response["Location"], allow_redirects=False, timeout=10)
    for _ in range(10):
        location = answer.headers.get("Location", "")
        if location.startswith(CALLBACK):
            return urlsplit(location).query
        if "/interaction/" in answer.url and answer.request.method == "GET" and not location:
            uid = answer.url.rstrip("/").split("/")[-1]
            base = answer.url.split("/interaction/")[0]
            answer = browser.post(
                f"{base}/interaction/{uid}/login",
                data={"login": login, "password": password},
                allow_redirects=False,
                timeout=10,
            )
            continue
        assert location, f"the provider stopped at {answer.url}: {answer.status_code}"
        url = location if location.startswith("http") else answer.url.split("/", 3)[:3]
        if isinstance(url, list):
            url = "/".join(url) + location
        answer = browser.get(url, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the person back to Heard")


def _callback(client, query):
    return client.get(reverse("accounts:oidc-callback") + "?" + query)


def test_the_sign_in_page_offers_the_provider(client, sso):
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert "Sign in with Test Council account" in page
    assert reverse("accounts:oidc-start") in page


def test_a_manager_in_the_mapped_group_signs_in_as_a_complaints_manager(client, sso):
    query = _to_provider_and_back(client, "maria", "maria-password", next_url="/cases/")
    response = _callback(client, query)
    assert response.status_code == 302 and response["Location"] == "/cases/"
    user = User.objects.get(username="maria.jones")
    assert user.role == Role.MANAGER
    assert (user.first_name, user.email) == ("Maria", "maria.jones@example.gov.uk")
    assert not user.has_usable_password()
    # In, to a manager's pages, with no second factor asked: the provider is responsible.
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("deadlines:settings")).status_code == 200
    signed_in = AuditEvent.objects.get(action="account.signed_in")
    assert signed_in.user == user and "Test Council account" in signed_in.note
    assert AuditEvent.objects.filter(action="account.created_by_sso").count() == 1


def test_the_next_sign_in_finds_the_same_person_and_follows_their_groups(client, sso, settings):
    _callback(client, _to_provider_and_back(client, "olu", "olu-password"))
    client.post(reverse("accounts:sign-out"))
    # Their group now gives a wider role: it changes at the next sign-in, audited.
    settings.HEARD_OIDC_GROUP_ROLES = {CASEWORKERS: "administrator"}
    _callback(client, _to_provider_and_back(client, "olu", "olu-password"))
    (user,) = User.objects.filter(username="olu")
    assert user.role == Role.ADMINISTRATOR and user.sso_subject == "olu"
    assert AuditEvent.objects.filter(action="account.sso_role_changed").count() == 1
    assert AuditEvent.objects.filter(action="account.signed_in").count() == 2


def test_an_existing_local_account_is_linked_by_its_username(client, sso):
    existing = UserFactory(username="olu", role=Role.VIEWER)
    _callback(client, _to_provider_and_back(client, "olu", "olu-password"))
    existing.refresh_from_db()
    assert existing.sso_subject == "olu" and existing.role == Role.OFFICER
    assert User.objects.count() == 1


def test_someone_in_no_mapped_group_is_refused_with_a_clear_page(client, sso):
    response = _callback(client, _to_provider_and_back(client, "visitor", "visitor-password"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "you are not in any of the groups that give a role in Heard" in page
    assert not User.objects.filter(username="visitor").exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("cases:list")).status_code == 302
    assert SecurityEvent.objects.filter(kind="sign_in.sso_no_role").exists()
    assert not AuditEvent.objects.filter(action="account.signed_in").exists()


def test_a_callback_with_a_tampered_state_is_refused(client, sso):
    query = parse_qs(_to_provider_and_back(client, "maria", "maria-password"))
    query["state"] = ["not-the-state-heard-sent"]
    response = _callback(client, urlencode(query, doseq=True))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_a_code_meant_for_another_browser_is_refused(client, sso):
    """The callback carries the state of someone else's sign-in (and so their nonce): the
    attacker's browser has no such state in its session."""
    from django.test import Client

    victim = Client()
    query = _to_provider_and_back(victim, "maria", "maria-password")
    response = _callback(client, query)
    assert response.status_code in (302, 403)
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_a_token_with_another_nonce_is_refused(client, sso):
    """The state is right but the session's nonce is not the one the ID token carries."""
    query = _to_provider_and_back(client, "maria", "maria-password")
    session = client.session
    state = parse_qs(query)["state"][0]
    session["oidc_states"][state]["nonce"] = "another-nonce"
    session.save()
    response = _callback(client, query)
    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_token_for_another_issuer_is_refused(client, sso, settings):
    settings.HEARD_OIDC_ISSUER = "https://login.example.org/another-tenant/v2.0"
    response = _callback(client, _to_provider_and_back(client, "maria", "maria-password"))
    assert response.status_code in (400, 403)
    assert not User.objects.exists()


def test_local_passwords_can_be_switched_off(client, sso, settings):
    settings.HEARD_LOCAL_SIGN_IN = False
    UserFactory(username="tom")
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert "Sign in with Test Council account" in page and 'name="password"' not in page
    refused = client.post(
        reverse("accounts:sign-in"), {"username": "tom", "password": "correct-horse-battery"}
    )
    assert refused.status_code == 405 and "_auth_user_id" not in client.session
    # Nor through the admin's sign-in form.
    client.post("/admin/login/", {"username": "tom", "password": "correct-horse-battery"})
    assert "_auth_user_id" not in client.session
