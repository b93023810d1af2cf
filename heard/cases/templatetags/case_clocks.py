"""``{% clocks_panel case as panel %}``: the case page's Deadlines panel, from
``heard.cases.clock_presenters`` (kept apart from the case page's own presenter)."""

from django import template

from heard.cases.clock_presenters import clocks_panel as present

register = template.Library()


@register.simple_tag
def clocks_panel(case):
    return present(case)
