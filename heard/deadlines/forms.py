from django import forms

from heard.core.forms import GovukDateField, GovukForm
from heard.deadlines.models import Region, Stage2ClockStart


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
