"""Heard draws every select in Python (heard.core.forms.SelectTemplate) because Django's
template per option was the largest part of a case list's time. The markup must stay exactly
Django's: every list, value, label, group and attribute, for any text a council might type."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.core.forms import GovukFormRenderer
from heard.taxonomy.models import ServiceArea

DJANGO = TemplatesSetting()  # Django's own select.html and select_option.html
HEARD = GovukFormRenderer()

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
choice = st.tuples(text, text)
group = st.tuples(text.filter(bool), st.lists(choice, max_size=4))
attributes = st.dictionaries(
    st.sampled_from(["class", "id", "aria-describedby", "disabled", "required", "data-x"]),
    st.one_of(st.booleans(), text),
    max_size=4,
)


def _both(widget, name, value, attrs=None):
    return (
        widget.render(name, value, attrs=attrs, renderer=DJANGO),
        widget.render(name, value, attrs=attrs, renderer=HEARD),
    )


@settings(max_examples=200, deadline=None)
@given(
    choices=st.lists(st.one_of(choice, group), max_size=6),
    value=st.one_of(st.none(), text),
    attrs=attributes,
    name=text.filter(bool),
    multiple=st.booleans(),
)
def test_a_select_is_drawn_exactly_as_django_draws_it(choices, value, attrs, name, multiple):
    widget = (forms.SelectMultiple if multiple else forms.Select)(choices=choices)
    django_html, heard_html = _both(widget, name, [value] if multiple else value, attrs)
    assert heard_html == django_html


def test_safe_labels_and_the_yes_no_list_are_drawn_as_django_draws_them():
    widget = forms.Select(choices=[("a", mark_safe("<b>bold</b>")), ("b", "<i>typed</i>")])
    assert len(set(_both(widget, "x", "a"))) == 1
    assert len(set(_both(forms.NullBooleanSelect(), "answer", True))) == 1


@pytest.mark.django_db
def test_a_list_of_records_with_one_chosen_is_drawn_as_django_draws_it():
    areas = [ServiceArea.objects.create(name=f"Team <{i}> & co", code=f"T{i}") for i in range(3)]
    field = forms.ModelChoiceField(ServiceArea.objects.order_by("name"), required=False)
    django_html, heard_html = _both(field.widget, "team", areas[1].pk, {"class": "govuk-select"})
    assert heard_html == django_html
    assert "selected" in heard_html and "&lt;1&gt; &amp; co" in heard_html
