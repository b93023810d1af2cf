"""One form per page of the online form, in plain words."""

from django import forms

from heard.core.forms import GovukForm
from heard.taxonomy.models import ServiceArea

KINDS = [
    ("complaint", "Complain about something that went wrong"),
    ("compliment", "Say thank you, or tell us what went well"),
    ("comment", "Tell us something, or make a suggestion"),
]
WHO = [
    ("child", "I am a child or young person"),
    ("parent", "I am a parent or carer"),
    ("foster-carer", "I am a foster carer"),
    ("care-leaver", "I am a care leaver"),
    ("other", "Someone else"),
]
YES_NO_NOT_SURE = [("yes", "Yes"), ("no", "No"), ("not-sure", "I'm not sure")]
CONTACT_BY = [
    ("email", "By e-mail"),
    ("phone", "By phone"),
    ("anonymous", "I do not want to give my details"),
]


class WhatForm(GovukForm):
    kind = forms.ChoiceField(
        label="What do you want to tell us?", choices=KINDS, widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to tell us"},
    )  # fmt: skip


class WhoForm(GovukForm):
    who = forms.ChoiceField(
        label="Who are you?", choices=WHO, widget=forms.RadioSelect,
        error_messages={"required": "Select who you are"},
    )  # fmt: skip


class AdvocateForm(GovukForm):
    advocate = forms.ChoiceField(
        label="Would you like an advocate to help you?",
        choices=YES_NO_NOT_SURE,
        widget=forms.RadioSelect,
        help_text="An advocate is someone who is on your side. They do not work for us. They "
        "can help you say what you want to say, and it is free.",
        error_messages={"required": "Select yes, no or I'm not sure"},
    )


class BehalfForm(GovukForm):
    on_behalf = forms.ChoiceField(
        label="Are you telling us about a child or young person?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    child_name = forms.CharField(
        label="The child or young person's name", max_length=200, required=False
    )
    child_agrees = forms.ChoiceField(
        label="Do they know and agree that you are telling us?",
        choices=YES_NO_NOT_SURE,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("on_behalf") == "yes":
            if not data.get("child_name"):
                self.add_error("child_name", "Enter the child or young person's name")
            if not data.get("child_agrees"):
                self.add_error("child_agrees", "Select whether they agree")
        return data


class AboutForm(GovukForm):
    team = forms.ModelChoiceField(
        label="Which service or team is it about? (optional)",
        queryset=ServiceArea.objects.order_by("name"),
        required=False,
        empty_label="I don't know",
    )
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="Tell us in your own words. You can use up to 5,000 characters.",
        error_messages={
            "required": "Tell us what happened",
            "max_length": "What happened must be 5,000 characters or fewer",
        },
    )
    put_right = forms.CharField(
        label="What would put it right? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "What would put it right must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, kind: str = "complaint", **kwargs):
        super().__init__(*args, **kwargs)
        if kind != "complaint":
            del self.fields["put_right"]
            self.fields["what_happened"].label = "What would you like to tell us?"
            self.fields["what_happened"].error_messages["required"] = "Tell us what you want to say"


class DocumentForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="A photo (JPEG or PNG), a PDF, a Word document or a text file, up to 10 MB.",
    )


class ContactForm(GovukForm):
    contact_by = forms.ChoiceField(
        label="How should we contact you?", choices=CONTACT_BY, widget=forms.RadioSelect,
        help_text="If you do not give your details we can still look into what you tell us, "
        "but we cannot tell you what we found or ask you anything.",
        error_messages={"required": "Select how we should contact you"},
    )  # fmt: skip
    name = forms.CharField(label="Your name", max_length=200, required=False)
    email = forms.EmailField(
        label="Your e-mail address", required=False,
        error_messages={"invalid": "Enter an e-mail address like name@example.com"},
    )  # fmt: skip
    phone = forms.CharField(label="Your phone number", max_length=30, required=False)

    def clean(self):
        data = super().clean()
        how = data.get("contact_by")
        if how in {"email", "phone"} and not data.get("name"):
            self.add_error("name", "Enter your name")
        if how == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your e-mail address")
        if how == "phone" and not data.get("phone"):
            self.add_error("phone", "Enter your phone number")
        return data
