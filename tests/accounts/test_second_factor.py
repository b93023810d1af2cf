"""The second factor (TOTP) for local accounts, with real codes computed as an authenticator
app computes them: administrators and complaints managers need it by default
(HEARD_SECOND_FACTOR_ROLES); without it they reach nothing; a wrong code is refused; an
administrator's reset is the way back for someone who lost their phone."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts.roles import Role
from heard.audit.models import AuditEvent
from tests.core.test_access_matrix import EXPECTED
from tests.core.test_access_matrix import url_args as url_args  # a fixture
from tests.factories import UserFactory, sign_in
from tests.second_factor import code_for, wrong_code_for

pytestmark = pytest.mark.django_db


def _staff_urls(url_args):
    for name in sorted(EXPECTED):
        if not name.startswith("accounts:"):
            yield reverse(name, kwargs=url_args.get(name, {}))


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGER])
def test_without_the_second_factor_no_staff_page_is_reached(client, role, url_args):
    """After the password alone, every staff URL, the admin and the API docs send the person
    to set up (or enter) the code, and none shows its page."""
    UserFactory(username="pat", role=role, is_staff=True, is_superuser=role == "administrator")
    assert sign_in(client, "pat").status_code == 302
    urls = [*_staff_urls(url_args), "/admin/", "/admin/accounts/user/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:second-factor-set-up")), url
    # Enrolled but not yet verified in this session: sent to enter the code instead.
    TOTPDevice.objects.create(user=UserFactory._meta.model.objects.get(username="pat"))
    TOTPDevice.objects.update(confirmed=True)
    response = client.get(reverse("cases:list"))
    assert response["Location"].startswith(reverse("accounts:second-factor"))


def test_an_officer_needs_no_second_factor_by_default(client):
    UserFactory(username="olu", role=Role.OFFICER)
    sign_in(client, "olu")
    assert client.get(reverse("cases:list")).status_code == 200


def test_the_roles_that_need_it_are_a_setting(client, settings):
    settings.HEARD_SECOND_FACTOR_ROLES = ["officer"]
    UserFactory(username="olu", role=Role.OFFICER)
    UserFactory(username="mo", role=Role.MANAGER)
    sign_in(client, "olu")
    assert client.get(reverse("cases:list")).status_code == 302
    client.post(reverse("accounts:sign-out"))
    sign_in(client, "mo")
    assert client.get(reverse("cases:list")).status_code == 200


def _secret_on_page(page: str) -> str:
    return re.search(r'class="heard-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def test_an_administrator_sets_up_the_app_then_signs_in_with_its_codes(client):
    user = UserFactory(username="ada", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    sign_in(client, "ada")
    page = client.get(reverse("accounts:second-factor-set-up"), {"next": "/cases/"})
    text = page.content.decode()
    assert "<svg" in text  # the QR code
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from base64 import b32encode

    assert _secret_on_page(text) == b32encode(device.bin_key).decode().rstrip("=")
    # A wrong code sets nothing up.
    refused = client.post(
        reverse("accounts:second-factor-set-up"), {"code": wrong_code_for(device), "next": "/"}
    )
    assert refused.status_code == 403 and "That code is not right" in refused.content.decode()
    assert client.get(reverse("cases:list")).status_code == 302
    # The code the app shows (after the throttle's short wait for the wrong one): set up, in.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5), tick=False):
        done = client.post(
            reverse("accounts:second-factor-set-up"),
            {"code": code_for(device), "next": "/cases/"},
        )
    # Set up: the recovery codes are shown once (tests/accounts/test_recovery_codes.py),
    # then on to where they were going.
    assert done.status_code == 200 and 'href="/cases/"' in done.content.decode()
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(action="account.second_factor_set_up").count() == 1

    # Next sign-in (a minute later, so the app shows a new code): the code is asked for.
    client.post(reverse("accounts:sign-out"))
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=1), tick=False):
        device.refresh_from_db()
        sign_in(client, "ada")
        assert client.get(reverse("cases:list"))["Location"].startswith(
            reverse("accounts:second-factor")
        )
        # Knowing the password is not enough to replace the app with another.
        client.get(reverse("accounts:second-factor-set-up"))
        assert TOTPDevice.objects.filter(user=user).count() == 1
        wrong = client.post(reverse("accounts:second-factor"), {"code": wrong_code_for(device)})
        assert wrong.status_code == 403
        assert client.get(reverse("cases:list")).status_code == 302
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2), tick=False):
        # (after the throttle's wait for the one wrong code)
        right = client.post(reverse("accounts:second-factor"), {"code": code_for(device)})
        assert right.status_code == 302
        assert client.get(reverse("cases:list")).status_code == 200
    notes = [e.note for e in AuditEvent.objects.filter(action="account.signed_in").order_by("id")]
    assert notes == [
        "Password; a code still to enter",
        "Password; a code still to enter",
        "Password and code",
    ]
    assert AuditEvent.objects.filter(action="account.second_factor_failed").count() == 1


def test_a_code_is_checked_as_digits_with_a_specific_message(client):
    user = UserFactory(username="mo", role=Role.MANAGER)
    TOTPDevice.objects.create(user=user, confirmed=True)
    sign_in(client, "mo")
    page = client.post(reverse("accounts:second-factor"), {"code": "abc"}).content.decode()
    assert "Enter the code as 6 digits, like 123456" in page
    page = client.post(reverse("accounts:second-factor"), {"code": ""}).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in page


def test_a_used_code_cannot_be_used_again(client):
    user = UserFactory(username="mo", role=Role.MANAGER)
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    with time_machine.travel(timezone.now(), tick=False):
        code = code_for(device)
        sign_in(client, "mo")
        assert client.post(reverse("accounts:second-factor"), {"code": code}).status_code == 302
        client.post(reverse("accounts:sign-out"))
        sign_in(client, "mo")
        assert client.post(reverse("accounts:second-factor"), {"code": code}).status_code == 403


def test_repeated_wrong_codes_are_throttled(client):
    """After a wrong code, even the right one is not checked until the wait is over."""
    user = UserFactory(username="mo", role=Role.MANAGER)
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    with time_machine.travel(timezone.now(), tick=False):
        sign_in(client, "mo")
        for _ in range(3):
            client.post(reverse("accounts:second-factor"), {"code": wrong_code_for(device)})
        right = client.post(reverse("accounts:second-factor"), {"code": code_for(device)})
        assert right.status_code == 403
        assert client.get(reverse("cases:list")).status_code == 302


def test_someone_who_chose_a_second_factor_is_asked_for_it(client):
    user = UserFactory(username="olu", role=Role.OFFICER)
    TOTPDevice.objects.create(user=user, confirmed=True)
    sign_in(client, "olu")
    assert client.get(reverse("cases:list"))["Location"].startswith(
        reverse("accounts:second-factor")
    )


def test_an_administrator_resets_a_lost_device_and_it_is_audited(client, client_for):
    user = UserFactory(username="mo", role=Role.MANAGER)
    TOTPDevice.objects.create(user=user, confirmed=True)
    admin_client = client_for("administrator")
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = AuditEvent.objects.get(action="admin.second_factor_reset")
    assert entry.user.username == "administrator" and entry.object_id == str(user.pk)
    # At the next sign-in they set up a new app.
    from django.test import Client

    own = Client()
    sign_in(own, "mo")
    assert own.get(reverse("cases:list"))["Location"].startswith(
        reverse("accounts:second-factor-set-up")
    )


def test_force_login_in_the_suite_stands_for_a_fullsign_in(client_for):
    """The suite's personas (force_login) are verified sessions: see tests/conftest.py."""
    assert client_for("administrator").get(reverse("cases:list")).status_code == 200
    assert client_for("manager").get(reverse("cases:list")).status_code == 200
