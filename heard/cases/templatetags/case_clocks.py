"""``{% clocks_panel case calendar stages as panel %}``: the case page's Deadlines panel, from
``heard.cases.clock_presenters`` (kept apart from the case page's own presenter). The calendar
and stages the case page has already read are used when given, not read again."""

from django import template

from heard.cases.clock_presenters import clocks_panel as present

register = template.Library()


@register.simple_tag
def clocks_panel(case, calendar=None, stages=None):
    # A page with no stages gives an empty list: known, not to be read again.
    given = stages if isinstance(stages, list | tuple) else None
    return present(case, calendar=calendar or None, stages=given)
