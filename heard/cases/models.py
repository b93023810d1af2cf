"""Cases and what hangs off them: stages with their clocks, parts, findings, learning and
documents.

A *case* is anything the complaints team logs. Kind-specific details (a compliment's quote, an
Ombudsman decision, an information request's outcome) live on the case row itself, in clearly
grouped fields, so that lists and reports read one table. Every clock lives on a
:class:`Stage`: complaints have one per stage; enquiries and information requests have one.

State changes go through ``heard.cases.services``; views never save these models directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from heard.cases.choices import (
    AgeBand,
    Consent,
    Disability,
    Ethnicity,
    Finding,
    InformationOutcome,
    Kind,
    Procedure,
    RemedyKind,
    RequestType,
    Resolution,
    Sex,
    Status,
)
from heard.taxonomy.models import Locality, ServiceArea, Term

_term = {"to": Term, "null": True, "blank": True, "on_delete": models.PROTECT, "related_name": "+"}


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the cases a user may see (the rule is ``heard.cases.access.case_scope``):
        every unrestricted case for casework roles, allocated ones for responding managers and
        investigators, none for viewers; a restricted case only for the people named on it."""
        from heard.cases.access import case_scope

        return case_scope(self, user)

    def open(self):
        return self.exclude(status=Status.CLOSED)


class Case(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    received_on = models.DateField(db_index=True)
    channel = models.ForeignKey(**_term)
    summary = models.TextField("What happened", blank=True)
    desired_outcome = models.TextField("What would put it right", blank=True)

    # Triage
    procedure = models.CharField(max_length=30, choices=Procedure.choices, blank=True)
    triage_reason = models.TextField(blank=True)
    resolution = models.CharField(max_length=30, choices=Resolution.choices, blank=True)
    resolution_reason = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True, db_index=True)

    # Who complains, about whom, and who represents them
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_email = models.EmailField(blank=True)
    complainant_phone = models.CharField(max_length=50, blank=True)
    complainant_address = models.TextField(blank=True)
    #: Written the standard way ("SW1A 1AA") by ``Case.clean`` (``heard.cases.postcodes``).
    complainant_postcode = models.CharField(max_length=10, blank=True)
    complainant_role = models.ForeignKey(**_term)
    complainant_under_18 = models.BooleanField(null=True, blank=True)
    complainant_looked_after = models.BooleanField(null=True, blank=True)
    anonymous = models.BooleanField(default=False)
    child_name = models.CharField("On behalf of (child)", max_length=200, blank=True)
    child_consent = models.CharField(
        max_length=20, choices=Consent.choices, default=Consent.NOT_NEEDED
    )
    representative_type = models.ForeignKey(**_term)
    representative_name = models.CharField(max_length=200, blank=True)
    advocate_offered = models.BooleanField(null=True, blank=True)
    advocate_accepted = models.BooleanField(null=True, blank=True)

    # What it is about
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    categories = models.ManyToManyField(Term, blank=True, related_name="categorised_cases")
    provider_involved = models.BooleanField(default=False)
    provider_name = models.CharField(max_length=200, blank=True)
    ofsted_notified = models.BooleanField(null=True, blank=True)
    #: The members of staff complained about: Heard users, and anyone else by name (one a
    #: line). Never in a report, an export for publication or a letter (decision 0026).
    staff_complained_about = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="complained_about_in"
    )
    staff_complained_about_names = models.TextField(blank=True)

    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_cases",
    )
    #: A related case: the complaint an Ombudsman case is about, or the contact a complaint
    #: grew from.
    linked_case = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="linked_from"
    )

    # Compliments
    staff_named = models.CharField(max_length=300, blank=True)
    compliment_source = models.ForeignKey(**_term)
    quote = models.TextField(blank=True)
    quote_publishable = models.BooleanField(default=False)

    # MP and councillor enquiries
    enquiry_source = models.ForeignKey(**_term)

    # Ombudsman cases
    lgsco_reference = models.CharField(max_length=50, blank=True)
    lgsco_enquiry_type = models.ForeignKey(**_term)
    lgsco_decision = models.ForeignKey(**_term)
    lgsco_decision_on = models.DateField(null=True, blank=True)
    lgsco_remedy = models.TextField(blank=True)
    lgsco_remedy_complied_on = models.DateField(null=True, blank=True)
    #: The date the Ombudsman set for the council's reply to its enquiry, and when it was sent.
    lgsco_reply_due = models.DateField("Reply to the Ombudsman due", null=True, blank=True)
    lgsco_replied_on = models.DateField("Replied to the Ombudsman", null=True, blank=True)

    # Information requests
    request_type = models.CharField(max_length=20, choices=RequestType.choices, blank=True)
    disclosure_requester = models.ForeignKey(**_term)
    identification_received_on = models.DateField(null=True, blank=True)
    information_outcome = models.CharField(
        max_length=20, choices=InformationOutcome.choices, blank=True
    )
    further_records_request = models.BooleanField(default=False)

    # Equality monitoring: the complainant's optional answers, kept apart from the narrative
    # and reported only as counts with small numbers suppressed (decision 0027).
    equality_age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    equality_sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    equality_ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    equality_disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)

    # Anonymised case study, written by staff for the annual report
    case_study = models.TextField(blank=True)
    case_study_publishable = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The current (latest) stage, copied here by ``services.sync_current_stage`` whenever a
    # stage changes, so that trackers filter and sort on indexed columns of one table.
    stage_number = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    stage_acknowledgement_due = models.DateField(null=True, blank=True, editable=False)
    stage_response_due = models.DateField(null=True, blank=True, editable=False)
    stage_responded_on = models.DateField(null=True, blank=True, editable=False)
    stage_suspended = models.BooleanField(default=False, editable=False)
    #: Upheld or partially upheld at some stage, with no learning recorded yet (kept by
    #: ``services.sync_current_stage``), for the tracker that chases learning.
    needs_learning = models.BooleanField(default=False, editable=False)
    #: The earliest due date among everything the council still owes on the case (a stage's
    #: response, the Investigating Officer's report, the adjudication, the panel and its
    #: report, the council's response, the Ombudsman's reply date, each remedy), and what it
    #: is: kept by ``heard.cases.schedule.sync_next_due`` for the trackers and reminders.
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    next_due_label = models.CharField(max_length=120, blank=True, editable=False)
    #: Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "received_on"]),
            models.Index(fields=["status", "stage_response_due"]),
            models.Index(fields=["allocated_to", "status", "stage_response_due"]),
            # The "no learning" tracker, newest first: only the cases that need learning. Partial,
            # because a bare boolean test ("WHERE needs_learning") cannot search an index whose
            # first column is the boolean; it read all 100,000 entries to count 8,700.
            models.Index(
                fields=["received_on", "id"],
                condition=models.Q(needs_learning=True),
                name="case_needs_learning_received",
            ),
            models.Index(fields=["next_due_on"]),
            models.Index(fields=["allocated_to", "next_due_on"]),
            # The trackers' stage filter: without it, counting a 100,000-case tracker at one
            # stage read every case (benchmarks/serving.py staff).
            models.Index(fields=["stage_number", "received_on"]),
            # The "team and stage" tracker: open cases at a stage, of a team (or the teams
            # under a service), soonest due first.
            models.Index(
                fields=["stage_number", "service_area", "stage_response_due"],
                name="case_stage_team_due",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self):
        from heard.cases.postcodes import normalise

        self.complainant_postcode = normalise(self.complainant_postcode)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    def current_stage(self) -> Stage | None:
        stages = list(self.stages.all())
        return stages[-1] if stages else None


class Part(models.Model):
    """One point complained about, with its own category and a finding at each stage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField()
    category = models.ForeignKey(**_term)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="part_unique_number")
        ]

    def __str__(self) -> str:
        return f"Part {self.number}"


class Stage(models.Model):
    """One stage of a procedure, with its clock. Due dates are stored so that trackers can
    filter on them; they are recalculated whenever an input (or the calendar) changes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    requested_on = models.DateField()
    #: Why a request made after the window (20 working days of the previous stage's response)
    #: was accepted; empty when it came in time.
    late_request_reason = models.TextField(blank=True)
    statement_agreed_on = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    acknowledgement_due = models.DateField(null=True, blank=True, db_index=True)
    response_due = models.DateField(null=True, blank=True, db_index=True)
    #: The working days allowed after any extension (None = the rule's standard time).
    extended_to = models.PositiveSmallIntegerField(null=True, blank=True)
    suspended = models.BooleanField(default=False)
    responded_on = models.DateField(null=True, blank=True, db_index=True)
    late_reason = models.ForeignKey(**_term)
    late_reason_detail = models.TextField(blank=True)

    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stages_to_answer",
    )
    # Stage 2: investigation
    investigating_officer = models.CharField(max_length=200, blank=True)
    investigating_officer_external = models.BooleanField(default=False)
    investigating_officer_fee = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True
    )
    independent_person = models.CharField(max_length=200, blank=True)
    independent_person_fee = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True
    )
    #: The date the stage's report arrived: the Investigating Officer's report at Stage 2, the
    #: panel's report at Stage 3. The council's response is due from it.
    report_received_on = models.DateField(null=True, blank=True)
    # Stage 3: review panel
    panel_on = models.DateField(null=True, blank=True)
    panel_members = models.TextField(blank=True)
    panel_recommendations = models.TextField(blank=True)
    adjudication_on = models.DateField(null=True, blank=True)
    adjudication = models.TextField(blank=True)

    outcome = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    outcome_overridden = models.BooleanField(default=False)
    outcome_override_reason = models.TextField(blank=True)
    remedy_apology = models.BooleanField(default=False)
    remedy_financial = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    remedy_action = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="stage_unique_number")
        ]
        indexes = [
            models.Index(fields=["outcome"]),
            # The case scope of a responding manager or investigator (the stages they answer)
            # read from the index alone: search lists it for every search (docs/search.md).
            models.Index(fields=["responder", "case"], name="stage_responder_case"),
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}"

    @property
    def is_open(self) -> bool:
        return self.responded_on is None

    @property
    def was_late(self) -> bool:
        return bool(
            self.responded_on and self.response_due and self.responded_on > self.response_due
        )


class Extension(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="extensions")
    agreed_on = models.DateField()
    extended_to = models.PositiveSmallIntegerField(help_text="Working days allowed in all.")
    reason = models.TextField()
    agreed_with_complainant = models.BooleanField(default=True)

    class Meta:
        ordering = ["stage", "agreed_on", "id"]


class Suspension(models.Model):
    """A period in which the clock stops (court, police, safeguarding, clarification)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["stage", "started_on", "id"]


class Remedy(models.Model):
    """One remedy the Ombudsman asked for and the council agreed (an apology, a payment of an
    amount, a service improvement), with its own due date, the date it was complied with and
    the evidence sent to the Ombudsman."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=30, choices=RemedyKind.choices)
    description = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    due_on = models.DateField()
    complied_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "due_on", "id"]
        verbose_name_plural = "remedies"

    def __str__(self) -> str:
        if self.kind == RemedyKind.PAYMENT and self.amount is not None:
            return f"Payment of £{self.amount:,.2f}"
        return self.get_kind_display()


class PartFinding(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="findings")
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="findings")
    finding = models.CharField(max_length=20, choices=Finding.choices)

    class Meta:
        ordering = ["stage", "part__number"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "part"], name="finding_unique_part")
        ]


class Learning(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="learning")
    category = models.ForeignKey(**_term)
    lesson = models.TextField()
    recommendation = models.TextField(blank=True)
    publishable = models.BooleanField(default=False)
    recorded_on = models.DateField()

    class Meta:
        ordering = ["case", "recorded_on", "id"]
        verbose_name_plural = "learning"


class Action(models.Model):
    """One action of an action plan: owned, dated, evidenced and signed off."""

    learning = models.ForeignKey(Learning, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    evidence = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_with_complainant = models.BooleanField(default=False)

    class Meta:
        ordering = ["learning", "due_on", "id"]


def _document_path(instance: Document, filename: str) -> str:
    # The stored name never contains the uploaded file name, which may be personal.
    import uuid

    return f"cases/{instance.case_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "uploaded_at"]


class ReferenceCounter(models.Model):
    """The last number used for each reference prefix and year (row-locked when incremented)."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="counter_unique_prefix_year")
        ]


# Restrictions and response approvals live in their own module (imported here so that Django
# finds them): see heard/cases/access_models.py.
from heard.cases.access_models import ApprovalRule, ApprovalStep, Restriction  # noqa: E402, F401
