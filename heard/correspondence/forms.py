from django import forms

from heard.core.forms import GovukDateField, GovukForm
from heard.correspondence.models import Template


class ChooseTemplateForm(GovukForm):
    template = forms.ModelChoiceField(
        label="Template",
        queryset=Template.objects.filter(active=True),
        empty_label=None,
        error_messages={"required": "Choose a template"},
    )


class EmailForm(GovukForm):
    to = forms.EmailField(
        label="To",
        error_messages={
            "required": "Enter the e-mail address to send it to",
            "invalid": "Enter an e-mail address like name@example.com",
        },
    )
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter a subject"}
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=50000,
        error_messages={"required": "Write the message"},
    )


class LetterForm(GovukForm):
    subject = forms.CharField(
        label="What the letter is about (for the case record)",
        max_length=200,
        error_messages={"required": "Say what the letter is about"},
    )
    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 22}),
        max_length=50000,
        error_messages={"required": "Write the letter"},
    )


class UploadEmailForm(GovukForm):
    file = forms.FileField(
        label="E-mail file",
        help_text="An e-mail saved as .eml, or an Outlook message (.msg), up to 20 MB.",
        error_messages={"required": "Choose an e-mail file"},
    )


class FileOnCaseForm(GovukForm):
    reference = forms.CharField(
        label="Case reference", max_length=30, error_messages={"required": "Enter a reference"}
    )


class ContactForm(GovukForm):
    """A call, meeting or visit for the contact log, or a case note."""

    channel = forms.ChoiceField(
        label="What was it?",
        choices=[
            ("phone", "Phone call"),
            ("meeting", "Meeting"),
            ("visit", "Visit"),
            ("email", "E-mail (sent or received outside Heard)"),
            ("letter", "Letter (sent or received outside Heard)"),
            ("note", "Case note"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what it was"},
    )
    direction = forms.ChoiceField(
        label="Who contacted whom?",
        choices=[
            ("in", "They contacted us"),
            ("out", "We contacted them"),
            ("none", "Not a contact (a case note)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who contacted whom"},
    )
    on = GovukDateField(label="Date", label_lower="the date")
    correspondent = forms.CharField(label="With whom", max_length=300, required=False)
    subject = forms.CharField(label="Subject (optional)", max_length=300, required=False)
    body = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        error_messages={"required": "Write a summary"},
    )

    def clean(self):
        data = super().clean()
        note = data.get("channel") == "note"
        if note and data.get("direction") not in (None, "none"):
            self.add_error("direction", "A case note is not a contact: select Not a contact")
        if not note and data.get("direction") == "none":
            self.add_error("direction", "Select who contacted whom")
        return data
