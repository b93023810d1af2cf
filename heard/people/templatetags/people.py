"""``{% people_panel case user %}``: the people linked to a case, with a warning for anyone
under a contact arrangement (persistent complainants). One include on the case page."""

from django import template
from django.utils import timezone

from heard.accounts import roles
from heard.people.presenters import arrangement_warnings, case_people

register = template.Library()


@register.inclusion_tag("people/case_panel.html")
def people_panel(case, user, links=None, warnings=None):
    """``links`` and ``warnings``: the case's people (``case_people``) and the warnings of
    their contact arrangements (``arrangement_warnings``), when the page has read them."""
    if links is None:
        links = case_people(case)
        warnings = arrangement_warnings(links)
    return {
        "case": case,
        "links": links,
        "warnings": warnings,
        "can_choose": roles.can_run_casework(user),
        "today": timezone.localdate(),
    }
