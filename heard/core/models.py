from django.db import models


class RateCount(models.Model):
    """How many times one address did one limited thing in the current window
    (heard/core/ratelimit.py). Shared by every `heard serve` process through the database."""

    #: A keyed digest of the limit's name and the address, never the address itself.
    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    #: The window ends an hour after the last counted event, as the cache entry it replaces did.
    expires_at = models.DateTimeField(db_index=True)
