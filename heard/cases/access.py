"""The one way a view reaches a case: through the user's scope."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from heard.cases.models import Case


def access_case(user, reference: str, *, for_update: bool = False) -> Case:
    """The case with this reference if the user may see it; 404 otherwise (so that a user
    cannot learn that a case they may not see exists)."""
    if "\x00" in reference:  # no reference has one, and PostgreSQL refuses it in a query
        raise Http404
    queryset = Case.objects.visible_to(user).select_related(
        "channel", "complainant_role", "service_area__parent__parent", "locality", "allocated_to"
    )
    return get_object_or_404(queryset, reference=reference)
