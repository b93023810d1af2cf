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
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts.models import User
from heard.accounts.roles import Role
from heard.audit.models import AuditEvent, SecurityEvent
from tests.factories import PASSWORD, UserFactory
from tests.second_factor import code_for

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "heard-tests", "a-client-secret-for-tests-only"
CALLBACK = "http://testserver/accounts/single-sign-on/callback/"
MANAGERS, CASEWORKERS = "grp-complaints-managers", "grp-complaints-officers"
USERS = {
    "maria": {
        "password": "maria-password",
        "amr": ["pwd", "mfa"],  # the provider asked her for a second factor
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
    # Managers whose provider sign-in was a password only (amr "pwd"), or said nothing.
    "rhona": {
        "password": "rhona-password",
        "amr": ["pwd"],
        "claims": {"preferred_username": "rhona", "groups": [MANAGERS]},
    },
    "nora": {
        "password": "nora-password",
        "claims": {"preferred_username": "nora", "groups": [MANAGERS]},
    },
    # Managers whose provider checked a named second factor rather than saying "mfa".
    **{
        f"key-{method}": {
            "password": "key-password",
            "amr": ["pwd", method],
            "claims": {"preferred_username": f"key-{method}", "groups": [MANAGERS]},
        }
        for method in ("otp", "hwk", "swk", "fido", "sms", "pop")
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
    # In, to a manager's pages, with no code of Heard's asked: the provider's ID token says
    # it checked a second factor (amr "mfa").
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("deadlines:settings")).status_code == 200
    signed_in = AuditEvent.objects.get(action="account.signed_in")
    assert signed_in.user == user and signed_in.note == (
        "Single sign-on (Test Council account); the provider checked a second factor"
    )
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
    refused = client.post(reverse("accounts:sign-in"), {"username": "tom", "password": PASSWORD})
    assert refused.status_code == 405 and "_auth_user_id" not in client.session
    # Nor through the admin's sign-in form.
    client.post("/admin/login/", {"username": "tom", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "login", ["key-otp", "key-hwk", "key-swk", "key-fido", "key-sms", "key-pop"]
)
def test_a_second_factor_the_provider_names_is_accepted(client, sso, login):
    _callback(client, _to_provider_and_back(client, login, "key-password"))
    assert client.get(reverse("cases:list")).status_code == 200


@pytest.mark.parametrize("login", ["rhona", "nora"])
def test_a_manager_the_provider_did_not_ask_for_a_second_factor_sets_up_heards(client, sso, login):
    """amr "pwd" only, or no amr: no page until Heard's own second factor is set up, as for
    a local account without one; the page says why, and the code then lets them in."""
    response = _callback(client, _to_provider_and_back(client, login, f"{login}-password"))
    assert response.status_code == 302
    for url in (reverse("cases:list"), reverse("deadlines:settings"), "/admin/"):
        held = client.get(url)
        assert held.status_code == 302 and held["Location"].startswith(
            reverse("accounts:second-factor-set-up")
        ), url
    page = client.get(reverse("accounts:second-factor-set-up")).content.decode()
    assert "did not tell Heard that it checked a second step" in page
    assert "ask a Heard administrator" in page
    user = User.objects.get(username=login)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = client.post(reverse("accounts:second-factor-set-up"), {"code": code_for(device)})
    assert shown.status_code == 200 and "Save your recovery codes" in shown.content.decode()
    assert client.get(reverse("cases:list")).status_code == 200
    notes = [e.note for e in AuditEvent.objects.filter(action="account.signed_in").order_by("id")]
    assert notes == ["Single sign-on (Test Council account); a code still to enter"]


def test_a_manager_with_heards_app_enters_its_code_after_a_password_only_sign_on(client, sso):
    user = UserFactory(username="rhona", role=Role.MANAGER)
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    _callback(client, _to_provider_and_back(client, "rhona", "rhona-password"))
    held = client.get(reverse("cases:list"))
    assert held["Location"].startswith(reverse("accounts:second-factor") + "?")
    page = client.get(held["Location"]).content.decode()
    assert "did not tell Heard that it checked a second step" in page
    assert client.post(reverse("accounts:second-factor"), {"code": code_for(device)}).status_code
    assert client.get(reverse("cases:list")).status_code == 200
    notes = [e.note for e in AuditEvent.objects.filter(action="account.signed_in").order_by("id")]
    assert notes[-1] == "Single sign-on and code"


def test_the_provider_can_be_trusted_for_the_second_factor_regardless(client, sso, settings):
    """For a provider enforcing MFA that does not send amr (Entra ID with Conditional
    Access): HEARD_OIDC_TRUST_PROVIDER_MFA."""
    settings.HEARD_OIDC_TRUST_PROVIDER_MFA = True
    _callback(client, _to_provider_and_back(client, "rhona", "rhona-password"))
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("deadlines:settings")).status_code == 200


def test_an_officer_is_not_asked_whatever_the_provider_says(client, sso):
    """olu's ID token carries no amr; an officer's role needs no second factor."""
    _callback(client, _to_provider_and_back(client, "olu", "olu-password"))
    assert client.get(reverse("cases:list")).status_code == 200
