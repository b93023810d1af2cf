from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from heard.accounts.roles import Role


class User(AbstractUser):
    """A member of staff. Members of the public never have accounts."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)
    #: The single sign-on provider's identifier for this person (its ``sub`` claim), once they
    #: have signed in through it: later sign-ins find them by this, never by a name.
    sso_subject = models.CharField(max_length=255, blank=True, default="", editable=False)

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["sso_subject"],
                condition=~models.Q(sso_subject=""),
                name="one_account_per_sso_subject",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class SignInFailure(models.Model):
    """A failed sign-in, kept a day, for throttling (heard/accounts/throttle.py)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    #: A keyed digest of the username typed, never the name itself.
    account = models.CharField(max_length=32, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
