"""Forms for people: their details, who is named on a case, merging, contact arrangements."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from heard.cases.forms import staff_choice, terms
from heard.core.forms import GovukDateField, GovukForm
from heard.people.models import Persistence

NEW = "new"


class PersonForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    date_of_birth = GovukDateField(
        label="Date of birth", label_lower="the date of birth", required=False,
        help_text="For example, 27 3 2010",
    )  # fmt: skip
    email = forms.EmailField(
        label="E-mail address", required=False,
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.com"
        },
    )  # fmt: skip
    phone = forms.CharField(label="Telephone", max_length=50, required=False)
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    representative_type = terms(
        "representative_type", label="Representative",
        help_text="Only for someone who acts for others: an MP, councillor, advocate or solicitor.",
    )  # fmt: skip
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    constituency = forms.CharField(label="Constituency or ward", max_length=200, required=False)

    def __init__(self, *args, person=None, **kwargs):
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": person.name, "date_of_birth": person.date_of_birth,
                    "email": person.email, "phone": person.phone, "address": person.address,
                    "representative_type": person.representative_type,
                    "organisation": person.organisation, "constituency": person.constituency,
                },
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the person's name"

    def clean_date_of_birth(self):
        day = self.cleaned_data["date_of_birth"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date of birth must be today or in the past")
        return day

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ChoosePersonForm(GovukForm):
    """For each role named on a case: one of the suggested people, or someone new."""

    def __init__(self, *args, choices_by_role: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for role, (label, choices, initial) in choices_by_role.items():
            self.fields[role] = forms.ChoiceField(
                label=label, choices=choices, widget=forms.RadioSelect, initial=initial,
                error_messages={"required": f"Choose who the {label.lower()} is"},
            )  # fmt: skip


class MergeForm(GovukForm):
    reason = forms.CharField(
        label="Why are these the same person?", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why these are the same person"},
    )  # fmt: skip


class ArrangementForm(GovukForm):
    level = forms.ChoiceField(
        label="Decision", choices=Persistence.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether they are persistent or unreasonably persistent"
        },
    )  # fmt: skip
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The behaviour, with dates, as the Ombudsman's guidance asks.",
        error_messages={"required": "Enter the reason for the decision"},
    )  # fmt: skip
    single_point_of_contact = staff_choice(
        label="Single point of contact", required=False, empty_label="Nobody named"
    )
    channels = forms.CharField(
        label="How they may contact the council", max_length=300,
        help_text="For example, “E-mail to the single point of contact only”.",
        error_messages={"required": "Enter how they may contact the council"},
    )  # fmt: skip
    frequency = forms.CharField(
        label="How often", max_length=300, required=False,
        help_text="For example, “One telephone call a week, on Tuesdays”.",
    )  # fmt: skip
    review_on = GovukDateField(label="Review date", label_lower="the review date")

    def clean_review_on(self):
        day = self.cleaned_data["review_on"]
        if day and day <= timezone.localdate():
            raise forms.ValidationError("The review date must be in the future")
        return day


class ReviewArrangementForm(GovukForm):
    next_review_on = GovukDateField(label="Next review date", label_lower="the next review date")
    note = forms.CharField(
        label="Why the arrangement is still needed", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the arrangement is still needed"},
    )  # fmt: skip

    def clean_next_review_on(self):
        day = self.cleaned_data["next_review_on"]
        if day and day <= timezone.localdate():
            raise forms.ValidationError("The next review date must be in the future")
        return day


class EndArrangementForm(GovukForm):
    reason = forms.CharField(
        label="Why the arrangement ends", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the arrangement ends"},
    )  # fmt: skip
