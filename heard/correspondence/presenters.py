"""What pages outside the correspondence app show of it."""

from django.urls import reverse

from heard.correspondence.models import Correspondence


def inbox_summary() -> dict:
    """The dashboard's count of e-mails that arrived with no reference Heard knows."""
    waiting = Correspondence.objects.filter(case__isnull=True, direction="in").count()
    return {"count": waiting, "url": reverse("correspondence:inbox")}
