"""``{% people_panel case user %}``: the people linked to a case, with a warning for anyone
under a contact arrangement (persistent complainants). One include on the case page."""

from django import template
from django.utils import timezone

from heard.accounts import roles
from heard.people.presenters import case_people

register = template.Library()


@register.inclusion_tag("people/case_panel.html")
def people_panel(case, user, links=None):
    """``links``: the case's people (``case_people``), when the page has read them."""
    return {
        "case": case,
        "links": case_people(case) if links is None else links,
        "can_choose": roles.can_run_casework(user),
        "today": timezone.localdate(),
    }
