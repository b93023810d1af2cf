"""Forms for the retention schedule, legal holds, the review list and subject access exports."""

from __future__ import annotations

from django import forms

from heard.cases.choices import Finding, Kind, Procedure
from heard.core.forms import GovukForm


class RuleForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of case",
        choices=[("", "Choose a kind of case"), *Kind.choices],
        error_messages={"required": "Choose the kind of case"},
    )
    procedure = forms.ChoiceField(
        label="Procedure", choices=[("", "Any procedure"), *Procedure.choices], required=False
    )
    outcome = forms.ChoiceField(
        label="Final outcome", choices=[("", "Any outcome"), *Finding.choices], required=False
    )
    years = forms.IntegerField(
        label="Years after the case is closed",
        min_value=1,
        max_value=150,
        error_messages={
            "required": "Enter the number of years after closure",
            "invalid": "Enter the number of years as a whole number, like 6",
            "min_value": "Enter a number of years from 1 to 150",
            "max_value": "Enter a number of years from 1 to 150",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        help_text="Why this period, for example the council's records policy.",
        error_messages={"max_length": "The note must be 300 characters or fewer"},
    )


class HoldForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )


class ApproveForm(GovukForm):
    """The reviews chosen on the review page (their ids)."""

    reviews = forms.TypedMultipleChoiceField(
        label="Cases to anonymise",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one case to anonymise",
            "invalid_choice": "Choose only cases listed as due for review",
        },
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].choices = list(choices)
