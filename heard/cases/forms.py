"""Forms for logging a case and for each action on it. Every action form carries the case's
version, so that a save based on an out-of-date page is refused, never applied."""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone

from heard.accounts.models import User
from heard.accounts.roles import CASE_READER_ROLES
from heard.cases.choices import (
    EQUALITY_QUESTIONS,
    Consent,
    Finding,
    Kind,
    Procedure,
    RequestType,
    Resolution,
)
from heard.cases.labels import label
from heard.cases.models import Case
from heard.cases.postcodes import MESSAGE as POSTCODE_MESSAGE
from heard.cases.postcodes import normalise_or_none
from heard.cases.staff_field import StaffComplainedAboutField, case_text
from heard.core.forms import GovukDateField, GovukForm, GovukModelForm
from heard.taxonomy.models import Locality, ServiceArea, Term

YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]
TRIAGE_PROCEDURES = [
    (Procedure.CHILDRENS_STATUTORY, Procedure.CHILDRENS_STATUTORY.label),
    (Procedure.CORPORATE, Procedure.CORPORATE.label),
    (Procedure.ADULT_SOCIAL_CARE, Procedure.ADULT_SOCIAL_CARE.label),
]


def terms(vocabulary: str, **kwargs) -> forms.ModelChoiceField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("empty_label", "Choose")
    return forms.ModelChoiceField(queryset=Term.objects.of(vocabulary), **kwargs)


def staff_choice(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=CASE_READER_ROLES, is_active=True).order_by(
            "first_name", "last_name"
        ),
        **kwargs,
    )


def _tristate(value: str):
    return {"yes": True, "no": False}.get(value)


class LogCaseForm(GovukForm):
    kind = forms.ChoiceField(label="What is it?", choices=Kind.choices, widget=forms.RadioSelect)
    received_on = GovukDateField(label="Date received", label_lower="the date it was received")
    channel = terms("channel", label="How it arrived", required=True)
    complainant_name = forms.CharField(
        label="Name of the person", max_length=200, required=False,
        help_text="Leave empty if they did not give one.",
    )  # fmt: skip
    complainant_email = forms.EmailField(label="E-mail address", required=False)
    complainant_phone = forms.CharField(label="Telephone", max_length=50, required=False)
    complainant_address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # No length limit here: "Enter a real postcode" says more than "at most 10 characters".
    complainant_postcode = forms.CharField(label="Postcode", required=False)
    complainant_role = terms("complainant_role", label="Who they are")
    complainant_under_18 = forms.ChoiceField(
        label="Are they under 18?", choices=YES_NO_UNKNOWN, required=False
    )
    complainant_looked_after = forms.ChoiceField(
        label="Are they a looked-after child?", choices=YES_NO_UNKNOWN, required=False
    )
    child_name = forms.CharField(label="On behalf of (child)", max_length=200, required=False)
    representative_type = terms("representative_type", label="Representative")
    representative_name = forms.CharField(
        label="Representative's name", max_length=200, required=False
    )
    child_consent = forms.ChoiceField(
        label="The child's agreement", choices=Consent.choices, initial=Consent.NOT_NEEDED,
        required=False,
    )  # fmt: skip
    advocate_offered = forms.ChoiceField(
        label="Was an advocate offered?", choices=YES_NO_UNKNOWN, required=False
    )
    advocate_accepted = forms.ChoiceField(
        label="Was the advocate accepted?", choices=YES_NO_UNKNOWN, required=False
    )
    service_area = forms.ModelChoiceField(
        label="Directorate, service or team",
        queryset=ServiceArea.objects.order_by("name"),
        required=False,
        empty_label="Choose",
    )
    categories = forms.ModelMultipleChoiceField(
        label="Focus of the complaint",
        queryset=Term.objects.of("category"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff_named = forms.CharField(label="Staff named (compliments)", max_length=300, required=False)
    compliment_source = terms("compliment_source", label="Who paid the compliment")
    quote = forms.CharField(
        label="Quote (compliments)", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    quote_publishable = forms.BooleanField(
        label="The person agreed the quote may be published", required=False
    )
    linked_reference = forms.CharField(
        label="Related case reference",
        required=False,
        max_length=30,
        help_text="For an Ombudsman case, the complaint it is about.",
    )
    locality = forms.ModelChoiceField(
        label="Locality", queryset=Locality.objects.all(), required=False, empty_label="Choose"
    )
    summary = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    parts = forms.CharField(
        label="Points complained about",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One point per line. Each gets its own finding.",
    )
    desired_outcome = forms.CharField(
        label="What would put it right", widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )  # fmt: skip
    staff_complained_about = StaffComplainedAboutField()
    procedure = forms.ChoiceField(
        label="Procedure",
        choices=[("", "Decide later (triage)")] + TRIAGE_PROCEDURES,
        required=False,
        help_text="For complaints only.",
    )
    request_type = forms.ChoiceField(
        label="Kind of information request",
        choices=[("", "Choose")] + RequestType.choices,
        required=False,
    )
    enquiry_source = terms("enquiry_source", label="Enquiry from")
    lgsco_reference = forms.CharField(label="Ombudsman reference", max_length=50, required=False)
    lgsco_enquiry_type = terms("lgsco_enquiry_type", label="Ombudsman enquiry type")
    lgsco_reply_due = GovukDateField(
        label="Reply due to the Ombudsman by", label_lower="the date the reply is due",
        required=False,
    )  # fmt: skip
    disclosure_requester = terms("disclosure_requester", label="Disclosure requested by")
    allocated_to = staff_choice(label="Allocate to", required=False, empty_label="Nobody yet")
    log_anyway = forms.BooleanField(label="This is a different case: log it anyway", required=False)

    def __init__(self, *args, user=None, kind: str | None = None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.user = user  # a linked case is looked for among the cases they may see
        #: The kind, when this is the short form for one kind (``SHORT_FORMS``).
        self.kind = kind
        if kind is not None:
            wanted = (*SHORT_FORMS[kind], "log_anyway")
            self.fields = {name: self.fields[name] for name in wanted}
            for name, text in SHORT_LABELS.get(kind, {}).items():
                self.fields[name].label = text

    def clean_complainant_postcode(self):
        value = self.cleaned_data.get("complainant_postcode", "")
        normalised = normalise_or_none(value)
        if normalised is None:
            raise forms.ValidationError(POSTCODE_MESSAGE)
        return normalised

    def clean(self):
        data = super().clean()
        if self.kind is not None:
            data["kind"] = self.kind
        kind = data.get("kind")
        received = data.get("received_on")
        if received and received > timezone.localdate():
            self.add_error("received_on", "The date it was received must be today or in the past")
        if kind == Kind.INFORMATION_REQUEST and not data.get("request_type"):
            self.add_error("request_type", "Choose the kind of information request")
        if kind == Kind.COMPLAINT and not (data.get("summary") or data.get("parts")):
            self.add_error("summary", "Enter what happened")
        reference = (data.get("linked_reference") or "").strip().upper()
        data["linked_case"] = None
        if reference:
            cases = Case.objects.visible_to(self.user) if self.user else Case.objects.all()
            data["linked_case"] = cases.filter(reference=reference).first()
            if data["linked_case"] is None:
                self.add_error("linked_reference", f"There is no case {reference}")
        if kind == Kind.OMBUDSMAN and not reference:
            self.add_error("linked_reference", "Enter the reference of the complaint it is about")
        return data

    def case_fields(self) -> dict:
        data = dict(self.cleaned_data)
        parts = [line.strip() for line in data.pop("parts", "").splitlines() if line.strip()]
        data.pop("log_anyway", None)
        data.pop("linked_reference", None)
        if "staff_complained_about" in data:
            users, names = data.pop("staff_complained_about")
            data["staff_complained_about"] = users
            data["staff_complained_about_names"] = names
        for name in (
            "complainant_under_18", "complainant_looked_after", "advocate_offered",
            "advocate_accepted",
        ):  # fmt: skip
            data[name] = _tristate(data.get(name, ""))
        data["child_consent"] = data.get("child_consent") or Consent.NOT_NEEDED
        if data.get("kind") != Kind.COMPLAINT:
            data["procedure"] = ""
        for name in ("categories", "staff_complained_about"):
            if name in data and not data[name]:
                del data[name]
        return {**data, "parts": [{"summary": p, "category": None} for p in parts]}


#: The short form for each kind of case: only what that kind needs when it arrives, in the
#: order it is usually said on the telephone. Everything else is on "Change details".
SHORT_FORMS = {
    Kind.COMPLAINT: (
        "received_on", "channel", "complainant_name", "complainant_phone", "complainant_email",
        "complainant_address", "complainant_postcode", "child_name", "summary", "parts",
        "desired_outcome", "staff_complained_about", "service_area", "procedure",
        "allocated_to",
    ),
    Kind.COMPLIMENT: (
        "received_on", "channel", "complainant_name", "compliment_source", "staff_named",
        "summary", "quote", "quote_publishable", "service_area",
    ),
    Kind.COMMENT: (
        "received_on", "channel", "complainant_name", "complainant_phone", "complainant_email",
        "summary", "service_area",
    ),
    Kind.REPRESENTATION: (
        "received_on", "channel", "enquiry_source", "representative_name", "complainant_name",
        "summary", "service_area", "allocated_to",
    ),
    Kind.OMBUDSMAN: (
        "received_on", "channel", "linked_reference", "lgsco_reference", "lgsco_enquiry_type",
        "lgsco_reply_due", "summary",
    ),
    Kind.INFORMATION_REQUEST: (
        "received_on", "request_type", "channel", "disclosure_requester", "complainant_name",
        "complainant_email", "complainant_address", "complainant_postcode", "summary",
        "allocated_to",
    ),
}  # fmt: skip

#: Labels said differently on one kind's short form.
SHORT_LABELS = {
    Kind.COMPLIMENT: {"staff_named": "Staff named", "quote": "Quote", "summary": "What it says"},
    Kind.REPRESENTATION: {
        "representative_name": "MP or councillor", "complainant_name": "On behalf of (constituent)",
        "summary": "What they ask",
    },
    Kind.OMBUDSMAN: {"summary": "What the Ombudsman is looking at"},
    Kind.INFORMATION_REQUEST: {"complainant_name": "Name of the requester",
                               "summary": "What they ask for"},
    Kind.COMMENT: {"summary": "What they said"},
}  # fmt: skip


class ChooseKindForm(GovukForm):
    """The first screen of logging a case: what kind is it?"""

    kind = forms.ChoiceField(
        label="What kind of case is it?", choices=Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of case it is"},
    )  # fmt: skip


class ActionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TriageForm(ActionForm):
    procedure = forms.ChoiceField(
        label="Which procedure applies?", choices=TRIAGE_PROCEDURES, widget=forms.RadioSelect,
        error_messages={"required": "Choose the procedure"},
    )  # fmt: skip
    start_at_stage = forms.TypedChoiceField(
        label="Start at", choices=[(1, "Stage 1"), (2, "Stage 2")], coerce=int, initial=1,
        widget=forms.RadioSelect,
    )  # fmt: skip
    reason = forms.CharField(
        label="Reason for the decision", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the decision"},
    )  # fmt: skip


class AllocateForm(ActionForm):
    to = staff_choice(label="Allocate to", error_messages={"required": "Choose who to allocate to"})


class AcknowledgeForm(ActionForm):
    on = GovukDateField(label="Date acknowledged", label_lower="the date it was acknowledged")


class ExtendForm(ActionForm):
    extended_to = forms.IntegerField(
        label="New timescale, in all",
        min_value=1,
        help_text="For example 20 working days in place of 10 (calendar months for subject "
        "access requests).",
        error_messages={"required": "Enter the new timescale"},
    )
    agreed_on = GovukDateField(label="Date agreed", label_lower="the date it was agreed")
    agreed_with_complainant = forms.BooleanField(
        label="Agreed with the complainant", required=False, initial=True
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the extension"},
    )  # fmt: skip


class SuspendForm(ActionForm):
    reason = terms(
        "suspension_reason", label="Why the clock stops", required=True,
        error_messages={"required": "Choose why the clock stops"},
    )  # fmt: skip
    started_on = GovukDateField(label="Date the clock stops", label_lower="the date it stops")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ResumeForm(ActionForm):
    ended_on = GovukDateField(label="Date the clock restarts", label_lower="the date it restarts")


class RespondForm(ActionForm):
    responded_on = GovukDateField(label="Date of the response", label_lower="the response date")
    late_reason = terms("late_reason", label="If late, why")
    late_reason_detail = forms.CharField(
        label="More about the delay", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    outcome_override = forms.ChoiceField(
        label="Outcome of the stage",
        choices=[("", "As the findings show")] + Finding.choices,
        required=False,
    )
    override_reason = forms.CharField(
        label="Reason for changing the outcome",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    remedy_apology = forms.BooleanField(label="An apology was given", required=False)
    remedy_financial = forms.DecimalField(
        label="Financial remedy (£)", required=False, min_value=0, decimal_places=2
    )
    remedy_action = forms.CharField(
        label="Action to put things right", widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = list(parts)
        fields = {}
        for part in self.parts:
            fields[f"part_{part.pk}"] = forms.ChoiceField(
                label=f"Part {part.number}: {part.summary}",
                choices=Finding.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a finding for part {part.number}"},
            )
        # Findings first, in part order, then the rest of the form.
        self.fields = {"version": self.fields.pop("version"), **fields, **self.fields}

    def findings(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"part_{p.pk}"] for p in self.parts}


class EscalateForm(ActionForm):
    requested_on = GovukDateField(
        label="Date the next stage was asked for", label_lower="the date it was asked for"
    )
    late_request_reason = forms.CharField(
        label="If it was asked for after the window, why it is accepted", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The children's statutory procedure allows 20 working days from the last "
        "response; a later request needs a reason.",
    )  # fmt: skip


class CloseForm(ActionForm):
    resolution = forms.ChoiceField(
        label="How did it end?", choices=Resolution.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose how the case ended"},
    )  # fmt: skip
    on = GovukDateField(label="Date closed", label_lower="the date it closed")
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class WithdrawForm(ActionForm):
    on = GovukDateField(label="Date withdrawn", label_lower="the date it was withdrawn")
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )  # fmt: skip


class BecomeComplaintForm(ActionForm):
    received_on = GovukDateField(
        label="Date the complaint was made", label_lower="the date the complaint was made"
    )


class ReopenForm(ActionForm):
    reason = forms.CharField(
        label="Reason for reopening", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for reopening"},
    )  # fmt: skip


class StageDetailsForm(ActionForm):
    responder = staff_choice(label="Responder", required=False, empty_label="Not yet")
    statement_agreed_on = GovukDateField(
        label="Statement of complaint agreed", label_lower="the date it was agreed",
        required=False,
    )  # fmt: skip
    investigating_officer = forms.CharField(
        label="Investigating Officer", max_length=200, required=False
    )
    investigating_officer_external = forms.BooleanField(
        label="The Investigating Officer is external", required=False
    )
    investigating_officer_fee = forms.DecimalField(
        label="Investigating Officer's fee (£)", required=False, min_value=0, decimal_places=2
    )
    independent_person = forms.CharField(label="Independent Person", max_length=200, required=False)
    independent_person_fee = forms.DecimalField(
        label="Independent Person's fee (£)", required=False, min_value=0, decimal_places=2
    )
    report_received_on = GovukDateField(
        label="Investigating Officer's report received", label_lower="the date it was received",
        required=False,
    )  # fmt: skip
    panel_on = GovukDateField(label="Panel date", label_lower="the panel date", required=False)
    panel_members = forms.CharField(
        label="Panel members", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    panel_recommendations = forms.CharField(
        label="Panel recommendations", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    adjudication_on = GovukDateField(
        label="Date of the council's adjudication", label_lower="the adjudication date",
        required=False,
    )  # fmt: skip
    adjudication = forms.CharField(
        label="The council's adjudication", widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )  # fmt: skip

    #: Which fields each stage shows.
    BY_STAGE = {
        1: ("responder",),
        2: (
            "responder", "statement_agreed_on", "investigating_officer",
            "investigating_officer_external", "investigating_officer_fee", "independent_person",
            "independent_person_fee", "report_received_on", "adjudication_on", "adjudication",
        ),
        3: (
            "responder", "panel_on", "panel_members", "panel_recommendations",
            "report_received_on", "adjudication",
        ),
    }  # fmt: skip
    #: At Stage 3 the council's response to the panel is the stage's response, so its date is
    #: the response date (decision 0028); a separate date recorded before is kept, not asked.
    KEPT_WHEN_RECORDED = {3: ("adjudication_on",)}

    def __init__(self, *args, stage=None, **kwargs):
        if stage is not None:
            initial = kwargs.setdefault("initial", {})
            for name in self.BY_STAGE.get(stage.number, ()):
                initial.setdefault(name, getattr(stage, name))
        super().__init__(*args, **kwargs)
        if stage is not None and stage.responder_id:
            field = self.fields["responder"]
            field.queryset = _with_current(field.queryset, User.objects.all(), [stage.responder])
        number = stage.number if stage else 1
        keep = {"version", *self.BY_STAGE.get(number, ())}
        for name in self.KEPT_WHEN_RECORDED.get(number, ()):
            if stage is not None and getattr(stage, name):
                keep.add(name)
                self.initial.setdefault(name, getattr(stage, name))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if stage is not None and stage.number == 3:
            self.fields["report_received_on"].label = "Panel's report received"
            self.fields[
                "adjudication"
            ].label = "The council's response to the panel's recommendations"
            self.fields["adjudication"].help_text = (
                "What the council decided on each recommendation. Record the date it was sent "
                "as the Stage 3 response: it is due 15 working days after the panel's report."
            )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}


class TriStateSelect(forms.NullBooleanSelect):
    """Yes, No or Not known, for the answers a case may not have yet (under 18, looked after,
    advocate offered …). Django's own select renders True as "true" and reads it back, so an
    answer survives a save unchanged."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Not known"), ("true", "Yes"), ("false", "No")]


def _govuk_formfield(field, **kwargs):
    """Form fields for the details form, labelled from ``heard.cases.labels``: GOV.UK date
    boxes for dates, a Yes / No / Not known select for answers that may be unknown."""
    name = label(field.name)
    if isinstance(field, models.DateField):
        return GovukDateField(label=name, label_lower=name.lower(), required=not field.blank)
    if isinstance(field, models.BooleanField) and field.null:
        return forms.NullBooleanField(label=name, required=False, widget=TriStateSelect)
    formfield = field.formfield(**kwargs)
    if formfield is not None:
        formfield.label = name
    return formfield


def _with_current(queryset, model_field_queryset, current):
    """Active choices plus whatever the record holds now, even if it has since been switched
    off: a save must never quietly drop a recorded value because its term was retired."""
    pks = [obj.pk for obj in current if obj is not None]
    if not pks:
        return queryset
    return model_field_queryset.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=pks))


EQUALITY_FIELDS = tuple(name for name, _question, _answers in EQUALITY_QUESTIONS)

#: What "change details" shows for each kind of case. ("staff_complained_about" is one box
#: for the users and the other names: ``heard.cases.staff_field``.)
DETAILS_BY_KIND = {
    "common": ("received_on", "channel", "summary", "desired_outcome", "service_area", "locality"),
    Kind.COMPLAINT: (
        "categories", "complainant_name", "complainant_email", "complainant_phone",
        "complainant_address", "complainant_postcode", "complainant_role", "complainant_under_18",
        "complainant_looked_after", "anonymous", "child_name", "child_consent",
        "representative_type", "representative_name", "advocate_offered", "advocate_accepted",
        "provider_involved", "provider_name", "ofsted_notified", "staff_complained_about",
        "case_study", "case_study_publishable", *EQUALITY_FIELDS,
    ),
    Kind.COMMENT: (
        "categories", "complainant_name", "complainant_email", "complainant_phone",
        "complainant_address", "complainant_postcode", "staff_complained_about",
        *EQUALITY_FIELDS,
    ),
    Kind.REPRESENTATION: (
        "enquiry_source", "representative_name", "complainant_name", "categories",
        "staff_complained_about",
    ),
    Kind.COMPLIMENT: (
        "staff_named", "compliment_source", "complainant_name", "quote", "quote_publishable",
    ),
    Kind.OMBUDSMAN: (
        "lgsco_reference", "lgsco_enquiry_type", "lgsco_decision", "lgsco_decision_on",
        "lgsco_remedy", "lgsco_remedy_complied_on", "lgsco_reply_due", "lgsco_replied_on",
    ),
    Kind.INFORMATION_REQUEST: (
        "complainant_name", "complainant_email", "complainant_address", "complainant_postcode",
        "disclosure_requester", "identification_received_on", "information_outcome",
        "further_records_request",
    ),
}  # fmt: skip

_VOCABULARY_OF = {
    "channel": "channel", "complainant_role": "complainant_role",
    "representative_type": "representative_type", "compliment_source": "compliment_source",
    "enquiry_source": "enquiry_source", "lgsco_enquiry_type": "lgsco_enquiry_type",
    "lgsco_decision": "lgsco_decision", "disclosure_requester": "disclosure_requester",
    "categories": "category",
}  # fmt: skip


def details_form_class(kind: str):
    """A model form over the fields that matter for this kind of case."""
    shown = DETAILS_BY_KIND["common"] + DETAILS_BY_KIND.get(kind, ())
    names = tuple(name for name in shown if name != "staff_complained_about")
    with_staff = "staff_complained_about" in shown

    class DetailsForm(GovukModelForm):
        version = forms.IntegerField(widget=forms.HiddenInput)
        if with_staff:
            staff_complained_about = StaffComplainedAboutField()

        class Meta:
            model = Case
            fields = names
            formfield_callback = _govuk_formfield
            widgets = {"categories": forms.CheckboxSelectMultiple}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, vocabulary in _VOCABULARY_OF.items():
                if name not in self.fields:
                    continue
                if name == "categories":
                    current = list(self.instance.categories.all()) if self.instance.pk else []
                else:
                    current = [getattr(self.instance, name)]
                self.fields[name].queryset = _with_current(
                    Term.objects.of(vocabulary), Term.objects.all(), current
                )
            if "channel" in self.fields:
                self.fields["channel"].required = True
            if with_staff:
                self.initial.setdefault("staff_complained_about", case_text(self.instance))
                self.order_fields([*shown, "version"])
            if "complainant_postcode" in self.fields:
                self.fields["complainant_postcode"] = forms.CharField(
                    label=label("complainant_postcode"), required=False
                )
            for name in EQUALITY_FIELDS:
                if name in self.fields:
                    field = self.fields[name]
                    field.choices = [("", "Not asked or not answered"), *field.choices[1:]]

        def clean_complainant_postcode(self):
            normalised = normalise_or_none(self.cleaned_data.get("complainant_postcode", ""))
            if normalised is None:
                raise forms.ValidationError(POSTCODE_MESSAGE)
            return normalised

        def changes(self) -> dict:
            changes = {n: self.cleaned_data[n] for n in self.changed_data if n != "version"}
            if "staff_complained_about" in changes:
                users, names = changes.pop("staff_complained_about")
                changes["staff_complained_about"] = users
                changes["staff_complained_about_names"] = names
            return changes

    return DetailsForm


class LearningForm(ActionForm):
    category = terms("learning_category", label="Kind of learning")
    lesson = forms.CharField(
        label="Lesson learned", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the lesson learned"},
    )  # fmt: skip
    recommendation = forms.CharField(
        label="Recommendation", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    publishable = forms.BooleanField(
        label="May be published (anonymised) in the annual report", required=False
    )
    action = forms.CharField(
        label="First action in the plan", required=False, max_length=500,
        help_text="Leave empty if no action is needed.",
    )  # fmt: skip
    owner = forms.CharField(label="Action owner", required=False, max_length=200)
    due_on = GovukDateField(label="Action due", label_lower="the date it is due", required=False)
    shared_with_complainant = forms.BooleanField(
        label="Share the action plan with the complainant", required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("action") and not (data.get("owner") and data.get("due_on")):
            raise forms.ValidationError("Give the action an owner and a due date")
        return data


class CompleteActionForm(GovukForm):
    completed_on = GovukDateField(label="Date done", label_lower="the date it was done")
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the evidence that the action was done"},
    )  # fmt: skip


class DocumentForm(GovukForm):
    file = forms.FileField(
        label="Document",
        help_text="PDF, Word, text, or a photo (JPEG or PNG), up to 10 MB.",
        error_messages={"required": "Choose a file to upload"},
    )
    description = forms.CharField(label="Description", max_length=300, required=False)


class _ChangesForm(ActionForm):
    """An edit form filled from an existing record: ``changes()`` gives only what the user
    changed, so a form saved unchanged changes (and audits) nothing."""

    FIELDS: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            initial = kwargs.setdefault("initial", {})
            for name in self.FIELDS:
                initial.setdefault(name, getattr(instance, name))
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        return {n: self.cleaned_data[n] for n in self.changed_data if n != "version"}


class LearningEditForm(_ChangesForm):
    FIELDS = ("category", "lesson", "recommendation", "publishable")

    category = terms("learning_category", label="Kind of learning")
    lesson = forms.CharField(
        label="Lesson learned", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the lesson learned"},
    )  # fmt: skip
    recommendation = forms.CharField(
        label="Recommendation", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    publishable = forms.BooleanField(
        label="May be published (anonymised) in the annual report", required=False
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None and instance.category_id:
            field = self.fields["category"]
            field.queryset = _with_current(field.queryset, Term.objects.all(), [instance.category])


class ActionEditForm(_ChangesForm):
    FIELDS = (
        "description", "owner", "due_on", "evidence", "completed_on", "shared_with_complainant",
    )  # fmt: skip

    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the action"},
    )  # fmt: skip
    owner = forms.CharField(
        label="Action owner", max_length=200, error_messages={"required": "Enter who owns it"}
    )
    due_on = GovukDateField(label="Action due", label_lower="the date it is due")
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    completed_on = GovukDateField(
        label="Date done", label_lower="the date it was done", required=False
    )
    shared_with_complainant = forms.BooleanField(
        label="Share the action plan with the complainant", required=False
    )
