"""One form per page of the online form, in plain words."""

from django import forms
from django.conf import settings

from heard.core.forms import GovukForm
from heard.public.models import AgeBand, CareStatus, ContactVia
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
    ("representative", "I am an MP, councillor, advocate or solicitor writing for someone"),
    ("other", "Someone else"),
]
REPRESENTATIVE_TYPES = [
    ("mp", "MP"),
    ("councillor", "Councillor"),
    ("advocate", "Advocate"),
    ("solicitor", "Solicitor"),
]
YES_NO_NOT_SURE = [("yes", "Yes"), ("no", "No"), ("not-sure", "I'm not sure")]
CONTACT_BY = [
    ("email", "By e-mail"),
    ("phone", "By phone"),
    ("anonymous", "I do not want to give my details"),
]
CHILD_CONTACT_BY = [
    ("email", "Contact me by e-mail"),
    ("phone", "Contact me by phone"),
    (ContactVia.ADVOCATE, "Contact me through my advocate"),
    (ContactVia.TRUSTED_ADULT, "Contact me through a carer or another adult I trust"),
    ("anonymous", "Do not contact me"),
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


class AgeForm(GovukForm):
    age = forms.ChoiceField(
        label="How old are you?", choices=AgeBand.choices, widget=forms.RadioSelect,
        help_text="We ask so that we can help you in the right way.",
        error_messages={"required": "Select how old you are, or I'd rather not say"},
    )  # fmt: skip


class CareForm(GovukForm):
    care = forms.ChoiceField(
        label="Do you live in care, or did you use to?",
        choices=CareStatus.choices,
        widget=forms.RadioSelect,
        help_text="Living in care means living with foster carers, in a children's home or "
        "somewhere else the council arranged for you.",
        error_messages={"required": "Select one answer, or I'd rather not say"},
    )


class ReferralForm(GovukForm):
    referral = forms.ChoiceField(
        label="Can we ask an advocate to contact you?",
        choices=[("yes", "Yes, pass on my name and how to contact me"), ("no", "No, not yet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )


class RepresentativeForm(GovukForm):
    representative_type = forms.ChoiceField(
        label="What is your role?", choices=REPRESENTATIVE_TYPES, widget=forms.RadioSelect,
        error_messages={"required": "Select your role"},
    )  # fmt: skip
    organisation = forms.CharField(
        label="Your constituency or organisation",
        max_length=200,
        error_messages={"required": "Enter your constituency or organisation"},
    )
    person_name = forms.CharField(
        label="The name of the person you are writing for",
        max_length=200,
        error_messages={"required": "Enter the name of the person you are writing for"},
    )
    consent = forms.BooleanField(
        label="They have agreed that I can act for them and that the council can share "
        "information about their case with me",
        error_messages={"required": "Confirm that the person has agreed that you act for them"},
    )
    consent_how = forms.CharField(
        label="How did they agree? (optional)",
        max_length=500,
        required=False,
        help_text="For example: by e-mail on 3 March, or a signed form you can send us.",
    )


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


class PublicTeamChoice(forms.ModelChoiceField):
    """Teams under the names the public knows them by, never the council's internal names."""

    def label_from_instance(self, obj):
        return obj.public_name


def public_teams():
    return ServiceArea.objects.filter(active=True).exclude(public_name="").order_by("public_name")


class AboutForm(GovukForm):
    team = PublicTeamChoice(
        label="Which service is it about? (optional)",
        queryset=public_teams(),
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
        if not self.fields["team"].queryset.exists():
            del self.fields["team"]  # the council has not named its services for the public
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
    """How to reach the person. A child can also be reached through their advocate or an
    adult they trust; a representative is always reached directly."""

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
    helper_name = forms.CharField(
        label="Your advocate's or trusted adult's name",
        max_length=200,
        required=False,
        help_text="Only if you want us to contact you through them.",
    )
    helper_relationship = forms.CharField(
        label="Who are they to you? (for example, my foster carer)", max_length=200,
        required=False,
    )  # fmt: skip
    helper_email = forms.EmailField(
        label="Their e-mail address", required=False,
        error_messages={"invalid": "Enter their e-mail address like name@example.com"},
    )  # fmt: skip
    helper_phone = forms.CharField(label="Their phone number", max_length=30, required=False)

    def __init__(self, *args, route: str = "adult", **kwargs):
        super().__init__(*args, **kwargs)
        self.route = route
        if route == "child":
            self.fields["contact_by"].choices = CHILD_CONTACT_BY
            self.fields["contact_by"].help_text = (
                "You can ask us to talk to you, or to someone who helps you. If you do not "
                "want us to contact you, we will still read what you told us."
            )
        else:
            for name in ("helper_name", "helper_relationship", "helper_email", "helper_phone"):
                del self.fields[name]
        if route == "representative":
            self.fields["contact_by"].choices = CONTACT_BY[:2]
            self.fields["contact_by"].help_text = "We will reply to you, as their representative."

    def clean(self):
        data = super().clean()
        how = data.get("contact_by")
        if how in {"email", "phone", ContactVia.ADVOCATE, ContactVia.TRUSTED_ADULT} and not (
            data.get("name")
        ):
            self.add_error("name", "Enter your name")
        if how == "email" and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your e-mail address")
        if how == "phone" and not data.get("phone"):
            self.add_error("phone", "Enter your phone number")
        if how in {ContactVia.ADVOCATE, ContactVia.TRUSTED_ADULT}:
            who = "your advocate" if how == ContactVia.ADVOCATE else "the adult you trust"
            if not data.get("helper_name"):
                self.add_error("helper_name", f"Enter the name of {who}")
            if how == ContactVia.TRUSTED_ADULT and not data.get("helper_relationship"):
                self.add_error("helper_relationship", "Tell us who they are to you")
            if (
                not data.get("helper_email")
                and not data.get("helper_phone")
                and "helper_email" not in self.errors
            ):
                self.add_error("helper_email", f"Enter an e-mail address or phone number for {who}")
        return data


def advocacy_provider() -> str:
    """The advocacy service children are referred to, or "" where the council has none set."""
    if settings.HEARD_ADVOCACY_PROVIDER_EMAIL:
        return settings.HEARD_ADVOCACY_PROVIDER_NAME or "our advocacy service"
    return ""
