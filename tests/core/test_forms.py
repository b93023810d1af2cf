"""The GOV.UK form mechanism: markup and specific error messages."""

import datetime

from django import forms

from heard.core.forms import GovukDateField, GovukForm


class ExampleForm(GovukForm):
    received = GovukDateField(
        label="Date received", label_lower="the date the complaint was received"
    )
    summary = forms.CharField(label="What happened", widget=forms.Textarea, help_text="In brief")
    channel = forms.ChoiceField(
        label="How it arrived",
        choices=[("email", "E-mail"), ("phone", "Telephone")],
        widget=forms.RadioSelect,
    )


def test_it_asks_for_a_missing_date_in_plain_words():
    form = ExampleForm({"summary": "x", "channel": "email"})
    assert form.errors["received"] == ["Enter the date the complaint was received"]


def test_it_names_the_missing_part_of_a_date():
    form = ExampleForm(
        {
            "received_0": "3",
            "received_1": "",
            "received_2": "2024",
            "summary": "x",
            "channel": "email",
        }
    )
    assert form.errors["received"] == ["The date the complaint was received must include a month"]


def test_it_refuses_an_impossible_date():
    form = ExampleForm(
        {
            "received_0": "31",
            "received_1": "2",
            "received_2": "2024",
            "summary": "x",
            "channel": "email",
        }
    )
    assert form.errors["received"] == ["The date the complaint was received must be a real date"]


def test_it_accepts_a_real_date():
    form = ExampleForm(
        {
            "received_0": "29",
            "received_1": "2",
            "received_2": "2024",
            "summary": "x",
            "channel": "email",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["received"] == datetime.date(2024, 2, 29)


def test_it_renders_govuk_markup_with_an_error_summary_linking_to_each_field():
    form = ExampleForm({})
    html = str(form)
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_received_0"' in html
    assert 'href="#id_summary"' in html
    assert 'href="#id_channel_0"' in html
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert 'aria-describedby="id_summary-hint id_summary-error"' in html
    assert 'class="govuk-radios__input"' in html
    assert "govuk-date-input__input" in html
    assert "maxlength" not in html
