"""Recovery codes for the second factor, from the user's side: shown once when the app is set
up, each lets the person past the code prompt once in place of the app's code, a new set makes
the old one useless, and no code ever reaches the database in the clear, the audit trail or a
log."""

import logging
import re
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts import recovery_codes
from heard.accounts.roles import Role
from heard.audit.models import AuditEvent
from tests.factories import UserFactory, sign_in
from tests.retention.helpers import database_text
from tests.second_factor import code_for

pytestmark = pytest.mark.django_db


def _codes_on(response) -> list[str]:
    return re.findall(r'class="heard-recovery-code">([a-z0-9-]+)<', response.content.decode())


def _set_up(client, username="mo", role=Role.MANAGER):
    """Sign in for the first time and set up the app; returns (user, device, codes shown)."""
    user = UserFactory(username=username, role=role)
    sign_in(client, username)
    client.get(reverse("accounts:second-factor-set-up"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = client.post(
        reverse("accounts:second-factor-set-up"), {"code": code_for(device), "next": "/cases/"}
    )
    assert shown.status_code == 200
    assert "Save your recovery codes" in shown.content.decode()
    assert 'href="/cases/"' in shown.content.decode()  # then on to where they were going
    return user, device, _codes_on(shown)


def _again(username="mo") -> Client:
    """A new browser, signed in with the password, at the code prompt."""
    browser = Client()
    sign_in(browser, username)
    assert browser.get(reverse("cases:list"))["Location"].startswith(
        reverse("accounts:second-factor")
    )
    return browser


def _enter(browser, code):
    return browser.post(reverse("accounts:second-factor"), {"code": code, "next": "/cases/"})


def _notes(action, user) -> list[str]:
    entries = AuditEvent.objects.filter(action=action, object_id=str(user.pk)).order_by("id")
    return [entry.note for entry in entries]


def test_setting_up_the_app_shows_codes_once_and_each_lets_the_person_in_once(client):
    user, _, codes = _set_up(client)
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    # Shown once: the page about them says how many are left, never what they are.
    page = client.get(reverse("accounts:second-factor-recovery-codes")).content.decode()
    assert "You have 10 unused recovery codes" in page
    assert not any(code in page for code in codes)

    browser = _again()
    used = _enter(browser, codes[3])
    assert used.status_code == 302 and used["Location"] == "/cases/"
    landing = browser.get("/cases/")
    assert landing.status_code == 200
    assert "You have 9 left" in landing.content.decode()

    # Another works, typed in capitals with a space instead of the hyphen.
    assert _enter(_again(), codes[7].upper().replace("-", " ")).status_code == 302
    # The same code never works again.
    browser = _again()
    refused = _enter(browser, codes[3])
    assert refused.status_code == 403
    assert "or a recovery code you have not used" in refused.content.decode()
    assert browser.get(reverse("cases:list")).status_code == 302

    assert _notes("account.signed_in", user).count("Password and recovery code") == 2
    assert sorted(_notes("account.recovery_code_used", user)) == ["8 codes left", "9 codes left"]
    assert _notes("account.second_factor_failed", user) == ["A recovery code"]


def test_a_new_set_makes_the_old_set_useless(client):
    user, _, first = _set_up(client)
    page = client.post(reverse("accounts:second-factor-recovery-codes"))
    second = _codes_on(page)
    assert "Your earlier recovery codes no longer work" in page.content.decode()
    assert len(second) == 10 and not set(first) & set(second)

    assert _enter(_again(), first[0]).status_code == 403
    # (after the throttle's short wait for the wrong one)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5), tick=False):
        assert _enter(_again(), second[0]).status_code == 302
    issued = _notes("account.recovery_codes_issued", user)
    assert issued == ["10 codes", "10 codes; the earlier set (10 unused) no longer works"]


def test_a_session_let_in_by_a_recovery_code_can_get_a_new_set_and_stays_in(client):
    _, _, codes = _set_up(client)
    browser = _again()
    _enter(browser, codes[0])
    new = _codes_on(browser.post(reverse("accounts:second-factor-recovery-codes")))
    assert len(new) == 10
    assert browser.get(reverse("cases:list")).status_code == 200


def test_no_code_is_kept_in_the_clear_nor_written_to_the_trail_or_a_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    _, _, first = _set_up(client)
    second = _codes_on(client.post(reverse("accounts:second-factor-recovery-codes")))
    _enter(_again(), second[0])
    _enter(_again(), first[1])  # an old one: refused
    codes = [*first, *second]
    forms = {form for code in codes for form in (code, code.replace("-", ""))}
    everything = database_text()
    found = {form for form in forms for values in everything.values() for v in values if form in v}
    assert found == set()
    assert not any(form in caplog.text for form in forms)
    assert StaticToken.objects.count() == 9  # what is kept is a digest of each unused code


def test_wrong_recovery_codes_are_throttled(client):
    _, _, codes = _set_up(client)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5), tick=False):
        browser = _again()
        for wrong in ("aaaaa-aaaaa", "bbbbb-bbbbb", "ccccc-ccccc"):
            assert _enter(browser, wrong).status_code == 403
        # Even a right one is not checked until the wait is over.
        assert _enter(browser, codes[0]).status_code == 403
        assert browser.get(reverse("cases:list")).status_code == 302
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=10), tick=False):
        assert _enter(browser, codes[0]).status_code == 302


def test_an_administrators_reset_removes_the_recovery_codes(client, client_for):
    user, _, codes = _set_up(client)
    client_for("administrator").post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
    )
    assert not StaticToken.objects.filter(device__user=user).exists()
    browser = Client()
    sign_in(browser, "mo")
    # Sent to set up a new app; the old codes are no way round that.
    assert browser.get(reverse("cases:list"))["Location"].startswith(
        reverse("accounts:second-factor-set-up")
    )
    assert _enter(browser, codes[0])["Location"].startswith(
        reverse("accounts:second-factor-set-up")
    )
    assert browser.get(reverse("cases:list")).status_code == 302


def test_someone_without_an_app_is_told_to_set_one_up_and_gets_no_codes(client_for):
    client = client_for("officer")
    page = client.get(reverse("accounts:second-factor-recovery-codes")).content.decode()
    assert "Set up an authenticator app" in page
    response = client.post(reverse("accounts:second-factor-recovery-codes"))
    assert _codes_on(response) == [] and not StaticToken.objects.exists()


def test_the_code_prompt_says_what_it_takes(client):
    user = UserFactory(username="mo", role=Role.MANAGER)
    TOTPDevice.objects.create(user=user, confirmed=True)
    sign_in(client, "mo")
    page = client.post(reverse("accounts:second-factor"), {"code": "abcde-1"}).content.decode()
    assert "or a recovery code as 10 letters and numbers, like abcde-23456" in page
    assert "enter one of your recovery codes instead" in page


# serialized_rollback, as every other test that commits: the test after it finds the vocabularies
# and content types as migrations left them, loaded once (not made again by a flush's
# post_migrate, which makes the next such test's reload collide with them).
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL (the SQLite test database is in memory)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_browsers_racing_with_one_code_let_only_one_in():
    """Four sign-ins at the prompt post the same code at the same moment: one gets in.
    PostgreSQL only: the suite's SQLite database is in memory, where a second writer is refused
    ("table is locked") rather than made to wait, so there is no race to lose."""
    user = UserFactory(username="mo", role=Role.MANAGER)
    TOTPDevice.objects.create(user=user, confirmed=True)
    code = recovery_codes.issue(user)[0]
    browsers = [_again() for _ in range(4)]
    start = threading.Barrier(len(browsers))
    answers = []

    def post(browser):
        try:
            start.wait(timeout=30)
            answers.append(_enter(browser, code).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [302, 403, 403, 403]
    assert [b.get(reverse("cases:list")).status_code for b in browsers].count(200) == 1
    assert recovery_codes.remaining(user) == 9
