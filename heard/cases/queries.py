"""Named query helpers for lists and trackers, kept to a fixed number of queries."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from heard.cases.models import Case, Stage

CURRENT_STAGE_FIELDS = {
    "stage_number": "number",
    "stage_acknowledgement_due": "acknowledgement_due",
    "stage_response_due": "response_due",
    "stage_responded_on": "responded_on",
    "stage_suspended": "suspended",
}


def current_stage_values() -> dict:
    """Subqueries giving each case's latest stage's values, for one bulk UPDATE."""
    latest = Stage.objects.filter(case=OuterRef("pk")).order_by("-number")
    values = {
        field: Subquery(latest.values(source)[:1]) for field, source in CURRENT_STAGE_FIELDS.items()
    }
    values["stage_suspended"] = Coalesce(values["stage_suspended"], Value(False))
    return values


def list_queryset(user):
    return Case.objects.visible_to(user).select_related("service_area", "allocated_to", "channel")
