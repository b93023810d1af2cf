"""Named query helpers for lists and trackers, kept to a fixed number of queries."""

from django.db.models import OuterRef, Subquery

from heard.cases.models import Case, Stage


def with_current_stage(queryset):
    """Annotate each case with its latest stage's number and due dates (one query in all)."""
    latest = Stage.objects.filter(case=OuterRef("pk")).order_by("-number")
    return queryset.annotate(
        stage_number=Subquery(latest.values("number")[:1]),
        stage_response_due=Subquery(latest.values("response_due")[:1]),
        stage_acknowledgement_due=Subquery(latest.values("acknowledgement_due")[:1]),
        stage_responded_on=Subquery(latest.values("responded_on")[:1]),
    )


def list_queryset(user):
    return with_current_stage(
        Case.objects.visible_to(user).select_related("service_area", "allocated_to", "channel")
    )
