from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from heard.accounts.roles import Role


class User(AbstractUser):
    """A member of staff. Members of the public never have accounts."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class SignInFailure(models.Model):
    """A failed sign-in, kept a day, for throttling (heard/accounts/throttle.py)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    #: A keyed digest of the username typed, never the name itself.
    account = models.CharField(max_length=32, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
