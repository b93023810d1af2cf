from django.contrib.auth.models import AbstractUser
from django.db import models

from heard.accounts.roles import Role


class User(AbstractUser):
    """A member of staff. Members of the public never have accounts."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
