from django import forms

from heard.core.forms import GovukForm


class UploadForm(GovukForm):
    file = forms.FileField(
        label="File to import",
        help_text="A Heard exchange file (.json), or a filled-in template (.csv or .xlsx).",
        error_messages={"required": "Choose a file to import"},
    )
    parts = forms.FileField(
        label="Parts and findings (.csv)",
        required=False,
        help_text="Only with a CSV of cases: the parts sheet saved as CSV.",
    )
    create_missing = forms.BooleanField(
        label="Create vocabulary values, teams and localities that Heard does not have yet",
        required=False,
    )


class ExportForm(GovukForm):
    year = forms.TypedChoiceField(
        label="Reporting year",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Cases dealt with in the year (open at any time in it), or every case.",
    )
    kind = forms.ChoiceField(label="Kind of case", required=False)

    def __init__(self, *args, **kwargs):
        from heard.cases.choices import Kind
        from heard.reports.presenters import year_choices

        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Every year"), *year_choices()]
        self.fields["kind"].choices = [("", "Every kind"), *Kind.choices]
