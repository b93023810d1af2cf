"""Forms for restricting a case, recording an approval step and the approval settings."""

from __future__ import annotations

from django import forms

from heard.accounts.models import User
from heard.accounts.roles import CASE_READER_ROLES
from heard.core.forms import GovukForm


def _people(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=_choosable(), widget=forms.CheckboxSelectMultiple, **kwargs
    )


def _choosable(also=()):
    """Active people who can read cases, and whoever is already chosen (someone who has since
    left or changed role stays chosen when the form is saved unchanged)."""
    from django.db.models import Q

    return User.objects.filter(
        Q(role__in=CASE_READER_ROLES, is_active=True) | Q(pk__in=[p.pk for p in also])
    ).order_by("first_name", "last_name", "username")


class RestrictForm(GovukForm):
    lift = forms.BooleanField(label="Lift the restriction", required=False)
    people = _people(
        label="Who may see this case",
        required=False,
        help_text="You are always one of them. Include whoever the case is allocated to and "
        "whoever answers its stages.",
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, restricted: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not restricted:
            del self.fields["lift"]
        self.fields["people"].queryset = _choosable(self.initial.get("people") or ())


class ApprovalForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approved", "Approve the response"), ("returned", "Send it back")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the response or send it back"},
    )
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed when you send it back: say what needs to change.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "returned" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs to change before it can be approved")
        return data


class ApprovalRuleForm(GovukForm):
    team_check = forms.BooleanField(
        label="The complaints team checks the response before it is sent", required=False
    )
    sign_off = forms.BooleanField(
        label="A senior manager signs the response off before it is sent", required=False
    )
    signers = _people(label="Senior managers who may sign off", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signers"].queryset = _choosable(self.initial.get("signers") or ())

    def clean(self):
        data = super().clean()
        if data.get("sign_off") and not data.get("signers"):
            self.add_error("signers", "Choose at least one senior manager who may sign off")
        return data
