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
