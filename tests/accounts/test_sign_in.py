import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_shows_the_users_work(client):
    UserFactory(username="tom", first_name="Tom", role="officer")
    response = client.post(reverse("accounts:sign-in"), {"username": "tom", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert "Hello, Tom" in home.content.decode()


def test_it_explains_a_wrong_password_in_an_error_summary(client):
    UserFactory(username="tom")
    response = client.post(reverse("accounts:sign-in"), {"username": "tom", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page


def test_it_names_each_missing_field(client):
    response = client.post(reverse("accounts:sign-in"), {"username": "", "password": ""})
    page = response.content.decode()
    assert 'href="#id_username"' in page and "Enter your username" in page
    assert 'href="#id_password"' in page and "Enter your password" in page


def _try(client, username, password="wrong", address="192.0.2.10"):  # noqa: S107
    return client.post(
        reverse("accounts:sign-in"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_it_locks_an_account_after_repeated_failures(client):
    UserFactory(username="tom")
    for _ in range(settings.HEARD_LOGIN_FAILURE_LIMIT):
        assert _try(client, "tom").status_code == 200
    # Even the right password is refused while locked out.
    response = _try(client, "tom", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_on_the_account_from_every_address(client):
    UserFactory(username="tom")
    for number in range(settings.HEARD_LOGIN_FAILURE_LIMIT):
        _try(client, "TOM", address=f"198.51.100.{number}")  # any case, any address
    assert _try(client, "tom", PASSWORD, "203.0.113.1").status_code == 429


def test_one_persons_failures_do_not_lock_out_a_colleague_at_the_same_address(client):
    UserFactory(username="tom")
    UserFactory(username="amira")
    council = "192.0.2.10"
    for _ in range(settings.HEARD_LOGIN_FAILURE_LIMIT):
        _try(client, "tom", address=council)
    assert _try(client, "tom", PASSWORD, council).status_code == 429
    response = _try(client, "amira", PASSWORD, council)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_many_failures_from_one_address_throttle_that_address_only(client, settings):
    settings.HEARD_LOGIN_ADDRESS_LIMIT = 8
    UserFactory(username="amira")
    for number in range(8):  # a guesser trying many accounts, each fewer than 5 times
        _try(client, f"someone{number % 4}", address="198.51.100.66")
    assert _try(client, "amira", PASSWORD, "198.51.100.66").status_code == 429
    assert _try(client, "amira", PASSWORD, "192.0.2.10").status_code == 302


def test_a_lock_ends_after_the_cool_off_and_success_clears_it(client):
    UserFactory(username="tom")
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start) as clock:
        for _ in range(settings.HEARD_LOGIN_FAILURE_LIMIT):
            _try(client, "tom")
        assert _try(client, "tom", PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(minutes=settings.HEARD_LOGIN_COOLOFF_MINUTES + 1))
        assert _try(client, "tom", PASSWORD).status_code == 302
    from heard.accounts.models import SignInFailure

    assert not SignInFailure.objects.exists()


def test_the_admin_sign_in_is_throttled_too(client):
    UserFactory(username="root", is_staff=True, is_superuser=True, role="administrator")
    for _ in range(settings.HEARD_LOGIN_FAILURE_LIMIT):
        _try(client, "root")
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_failures_keep_no_username_and_lockouts_reach_the_security_log(client):
    from heard.accounts.models import SignInFailure
    from heard.audit.models import SecurityEvent

    for _ in range(settings.HEARD_LOGIN_FAILURE_LIMIT + 1):
        _try(client, "my-secret-password-typed-as-a-name")
    stored = " ".join(str(v) for row in SignInFailure.objects.values_list() for v in row)
    assert "secret" not in stored
    assert SecurityEvent.objects.get().kind == "sign_in.account_refused"


def test_a_session_ends_after_thirty_idle_minutes_but_not_while_in_use(client):
    user = UserFactory(username="tom")
    home = reverse("core:home")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        client.force_login(user)
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get(home).status_code == 200
        clock.shift(datetime.timedelta(minutes=25))  # 50 minutes since sign-in, 25 idle
        assert client.get(home).status_code == 200
        # Used again within the minute (not written), then idle: still not ended before 30
        # idle minutes from the last use.
        clock.shift(datetime.timedelta(seconds=50))
        assert client.get(home).status_code == 200
        clock.shift(datetime.timedelta(minutes=29, seconds=59))
        assert client.get(home).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def _session_writes(captured) -> int:
    return sum(
        q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"] for q in captured
    )


def test_pages_read_within_a_minute_write_the_session_once(client):
    """A page is a read: writing the session on each one made every page a database write."""
    client.force_login(UserFactory(username="tom"))
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        with CaptureQueriesContext(connection) as first:
            assert client.get(reverse("core:home")).status_code == 200
        with CaptureQueriesContext(connection) as then:
            for _ in range(4):
                clock.shift(datetime.timedelta(seconds=10))
                assert client.get(reverse("cases:list")).status_code == 200
        clock.shift(datetime.timedelta(seconds=30))  # a minute since the last write
        with CaptureQueriesContext(connection) as later:
            assert client.get(reverse("core:home")).status_code == 200
    assert (_session_writes(first), _session_writes(then), _session_writes(later)) == (1, 0, 1)


def test_the_public_pages_never_create_or_write_a_session(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/tell-us/").status_code == 200
    assert _session_writes(captured) == 0
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_passwords_are_validated():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password123")
    validate_password("a long and unusual passphrase")


@pytest.mark.parametrize(
    "password", ["Jordan-Smith-2026!!", "smith.jordan.1984", "JORDANSMITH", "xx-jordan-xx-1234"]
)
def test_passwords_built_on_the_username_are_refused(password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = UserFactory.build(username="jordan.smith", first_name="", last_name="")
    with pytest.raises(ValidationError, match="does not contain your username"):
        validate_password(password, user)
    validate_password("a long and unusual passphrase", user)


def test_the_admin_refuses_a_password_built_on_the_username(client, personas):
    client.force_login(personas["administrator"])
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "jordan.smith", "password1": "Jordan.Smith.2026", "usable_password": "true",
         "password2": "Jordan.Smith.2026", "role": "officer"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "does not contain your username" in response.content.decode()


def test_sign_out_needs_a_post_and_ends_the_session(client):
    user = UserFactory(username="tom")
    client.force_login(user)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("core:home")).status_code == 302
