from django import forms

from heard.core.forms import GovukDateField, GovukForm
from heard.deadlines.models import CorporateExtensions, Region, Stage2ClockStart


class DeadlineForm(GovukForm):
    start = GovukDateField(
        label="Start date",
        label_lower="the start date",
        help_text="The day the clock starts, for example the date of receipt. It counts as day 0.",
    )
    working_days = forms.IntegerField(
        label="Working days",
        required=False,
        min_value=0,
        max_value=500,
        help_text="Leave empty if you are counting in calendar months.",
        error_messages={
            "invalid": "Working days must be a whole number, like 10",
            "min_value": "Working days must be 0 or more",
            "max_value": "Working days must be 500 or fewer",
        },
    )
    months = forms.IntegerField(
        label="Calendar months",
        required=False,
        min_value=0,
        max_value=24,
        help_text="For subject access requests: one month, extendable by two more.",
        error_messages={
            "invalid": "Months must be a whole number, like 1",
            "min_value": "Months must be 0 or more",
            "max_value": "Months must be 24 or fewer",
        },
    )

    def clean(self):
        data = super().clean()
        has_days = data.get("working_days") is not None
        has_months = data.get("months") is not None
        if not self.errors and has_days == has_months:
            raise forms.ValidationError(
                "Enter either a number of working days or a number of months"
            )
        return data


class ClosureDayForm(GovukForm):
    date = GovukDateField(label="Date the council is closed", label_lower="the date")
    description = forms.CharField(
        label="Description",
        max_length=200,
        help_text="For example, Council closed between Christmas and New Year.",
        error_messages={"required": "Enter a description of the closure"},
    )


class CalendarSettingsForm(GovukForm):
    region = forms.ChoiceField(
        label="Whose bank holidays does the council keep?",
        choices=Region.choices,
        widget=forms.RadioSelect,
    )
    stage2_clock_start = forms.ChoiceField(
        label="What starts the Stage 2 clock (children's statutory procedure)?",
        choices=Stage2ClockStart.choices,
        widget=forms.RadioSelect,
        help_text="The Regulations allow either; most councils count from the request.",
    )
    corporate_extensions = forms.ChoiceField(
        label="May corporate complaints be extended?",
        choices=CorporateExtensions.choices,
        widget=forms.RadioSelect,
        required=False,  # left unanswered: the setting stays as it is
        help_text="The Complaint Handling Code allows up to 20 working days in all at Stage 1 "
        "and 40 at Stage 2; many councils agree extensions at Stage 1.",
    )
    corporate_stage1_max = forms.IntegerField(
        label="Corporate Stage 1: most working days in all, with an extension",
        required=False, min_value=1, max_value=200,
        help_text="Only with the council's own limits. Leave empty to keep the Code's.",
        error_messages={"invalid": "Enter a whole number of working days, like 20"},
    )  # fmt: skip
    corporate_stage2_max = forms.IntegerField(
        label="Corporate Stage 2: most working days in all, with an extension",
        required=False, min_value=1, max_value=200,
        help_text="Only with the council's own limits. Leave empty to keep the Code's.",
        error_messages={"invalid": "Enter a whole number of working days, like 40"},
    )  # fmt: skip

    def clean(self):
        from django.utils import timezone

        from heard.timescales import rule_for

        data = super().clean()
        if data.get("corporate_extensions") != CorporateExtensions.OWN:
            data["corporate_stage1_max"] = data["corporate_stage2_max"] = None
            return data
        if data.get("corporate_stage1_max") is None and data.get("corporate_stage2_max") is None:
            raise forms.ValidationError(
                "Enter the most working days allowed at Stage 1, Stage 2 or both"
            )
        today = timezone.localdate()
        for number in (1, 2):
            name = f"corporate_stage{number}_max"
            normal = rule_for("corporate", number, today).respond
            if data.get(name) is not None and data[name] <= normal:
                self.add_error(
                    name,
                    f"An extension must allow more than the normal {normal} working days",
                )
        return data
