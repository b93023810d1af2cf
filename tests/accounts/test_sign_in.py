import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_shows_the_users_work(client):
    UserFactory(username="tom", first_name="Tom", role="officer")
    response = client.post(
        reverse("accounts:sign-in"), {"username": "tom", "password": "correct-horse-battery"}
    )
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


def test_it_locks_out_after_repeated_failures(client):
    UserFactory(username="tom")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:sign-in"), {"username": "tom", "password": "wrong"})
    # Even the right password is refused while locked out.
    response = client.post(
        reverse("accounts:sign-in"), {"username": "tom", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_ends_after_thirty_idle_minutes_but_not_while_in_use(client):
    user = UserFactory(username="tom")
    home = reverse("core:home")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        client.force_login(user)
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get(home).status_code == 200
        clock.shift(datetime.timedelta(minutes=25))  # 50 minutes since sign-in, 25 idle
        assert client.get(home).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_passwords_are_validated():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password123")
    validate_password("a long and unusual passphrase")


def test_sign_out_needs_a_post_and_ends_the_session(client):
    user = UserFactory(username="tom")
    client.force_login(user)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("core:home")).status_code == 302
