"""The Heard exchange format, version 1: whole cases of every kind with their people, stages,
parts, findings, clocks, extensions, suspensions, learning, actions and links, plus the
council's vocabularies, structure and context figures. Defined once here; ``heard export
--schema`` publishes it as JSON Schema and docs/exchange-format.md explains it with examples.

Vocabulary values are given by their *code* (``"telephone"``, ``"upheld"``), people by their
Heard *username*, teams and localities by their *code*. Dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

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

FORMAT = "heard-exchange"
VERSION = 1

Code = str  # a vocabulary code, see "taxonomies"
Date = datetime.date

#: An amount of money in pounds, 0 to 9,999,999.99, as a string with up to two decimal places
#: ("2450.50") or a whole number. The published schema says exactly that (Pydantic's own
#: description of a decimal would allow any string).
Money = Annotated[
    Decimal | None,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,7}(\.[0-9]{1,2})?$"},
                {"type": "integer", "minimum": 0, "maximum": 9999999},
                {"type": "null"},
            ]
        }
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class TermRecord(Strict):
    vocabulary: str
    code: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9-]+$")
    label: str = Field(min_length=1, max_length=200)
    active: bool = True
    order: int | None = Field(None, ge=0, description="Where the value comes in lists and reports.")


class ServiceAreaRecord(Strict):
    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    level: Literal["directorate", "service", "team"]
    parent: str | None = Field(None, description="Code of the directorate or service above.")
    order: int | None = Field(None, ge=0, description="Where the area comes in lists and reports.")


class LocalityRecord(Strict):
    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)


class Person(Strict):
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = Field("", description='Written the standard way ("SW1A 1AA").')
    role: Code | None = Field(None, description="complainant_role vocabulary")
    under_18: bool | None = None
    looked_after: bool | None = None
    anonymous: bool = False


class Extension(Strict):
    agreed_on: Date
    extended_to: int = Field(ge=1, description="The period allowed in all, in the rule's unit.")
    reason: str = Field(min_length=1)
    agreed_with_complainant: bool = True


class Suspension(Strict):
    reason: Code = Field(description="suspension_reason vocabulary")
    started_on: Date
    ended_on: Date | None = None
    note: str = ""


class StageRecord(Strict):
    number: int = Field(ge=1, le=3)
    requested_on: Date
    late_request_reason: str = Field(
        "", description="Why a request after the window (20 working days) was accepted."
    )
    statement_agreed_on: Date | None = None
    acknowledged_on: Date | None = None
    acknowledgement_due: Date | None = Field(
        None, description="As recorded by the old system; recomputed by Heard when empty."
    )
    response_due: Date | None = None
    extended_to: int | None = None
    responded_on: Date | None = None
    responder: str | None = Field(None, description="Username of the responding manager.")
    investigating_officer: str = ""
    investigating_officer_external: bool = False
    investigating_officer_fee: Money = Field(None, ge=0, decimal_places=2)
    independent_person: str = ""
    independent_person_fee: Money = Field(None, ge=0, decimal_places=2)
    report_received_on: Date | None = Field(
        None,
        description="Stage 2: the Investigating Officer's report; Stage 3: the panel's report.",
    )
    panel_on: Date | None = None
    panel_members: str = ""
    panel_recommendations: str = ""
    adjudication_on: Date | None = None
    adjudication: str = ""
    outcome: Finding | None = None
    outcome_overridden: bool = False
    outcome_override_reason: str = ""
    late_reason: Code | None = Field(None, description="late_reason vocabulary")
    late_reason_detail: str = ""
    remedy_apology: bool = False
    remedy_financial: Money = Field(None, ge=0, decimal_places=2)
    remedy_action: str = ""
    findings: dict[int, Finding] = Field(
        default_factory=dict,
        description="The finding on each part, by part number.",
        json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]{0,2}$"}},
    )
    extensions: list[Extension] = []
    suspensions: list[Suspension] = []


class PartRecord(Strict):
    number: int = Field(ge=1)
    summary: str = Field(min_length=1)
    category: Code | None = Field(None, description="category vocabulary")


class ActionRecord(Strict):
    description: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    due_on: Date
    evidence: str = ""
    completed_on: Date | None = None
    signed_off_on: Date | None = None
    signed_off_by: str | None = Field(None, description="Username of who signed it off.")
    shared_with_complainant: bool = False


class LearningRecord(Strict):
    category: Code | None = Field(None, description="learning_category vocabulary")
    lesson: str = Field(min_length=1)
    recommendation: str = ""
    publishable: bool = False
    recorded_on: Date
    actions: list[ActionRecord] = []


class Compliment(Strict):
    staff_named: str = ""
    source: Code | None = Field(None, description="compliment_source vocabulary")
    quote: str = ""
    quote_publishable: bool = False


class RemedyRecord(Strict):
    kind: RemedyKind
    description: str = ""
    amount: Money = Field(None, ge=0, decimal_places=2, description="For a payment.")
    due_on: Date
    complied_on: Date | None = None
    evidence: str = ""


class Ombudsman(Strict):
    reference: str = ""
    enquiry_type: Code | None = Field(None, description="lgsco_enquiry_type vocabulary")
    decision: Code | None = Field(None, description="lgsco_decision vocabulary")
    decision_on: Date | None = None
    remedy: str = Field("", description="The remedy in words, as the decision gave it.")
    remedy_complied_on: Date | None = Field(
        None, description="When every remedy had been complied with."
    )
    reply_due: Date | None = Field(None, description="The date the Ombudsman set for a reply.")
    replied_on: Date | None = None
    remedies: list[RemedyRecord] = Field([], description="Each remedy agreed, with its dates.")


class ClockRecord(Strict):
    """One clock of the case as Heard computes it (read-only: ignored on import)."""

    key: str = Field(description="s2-adjudication, s3-panel-report, lgsco-reply, remedy-2 …")
    label: str
    due: Date | None = None
    done_on: Date | None = None
    owed_by: Literal["council", "complainant"]
    outstanding: bool = Field(description="The council still owes it.")


class RestrictionRecord(Strict):
    """A case restricted to named people: nobody else reaches it (docs/casework.md,
    Restricted cases). Every person must already have an account in Heard when the case is
    imported; ``--create-missing`` does not create them (docs/decisions/0029)."""

    people: list[str] = Field(
        min_length=1, description="Usernames of the people who may reach the case."
    )
    reason: str = Field(min_length=1, description="Why the case is restricted.")
    restricted_by: str | None = Field(None, description="Username of who restricted it.")
    restricted_at: datetime.datetime | None = Field(
        None, description="When it was restricted (the time of the import when empty)."
    )


class Equality(Strict):
    """The complainant's optional equality monitoring answers (null: not asked or not
    answered). Reports count them, suppressing small numbers; they never appear with a case
    in any report."""

    age_band: AgeBand | None = None
    sex: Sex | None = None
    ethnicity: Ethnicity | None = Field(None, description="ONS top-level ethnic groups.")
    disability: Disability | None = None


class InformationRequest(Strict):
    request_type: RequestType
    requester: Code | None = Field(None, description="disclosure_requester vocabulary")
    identification_received_on: Date | None = None
    outcome: InformationOutcome | None = None
    further_records_request: bool = False


class CaseRecord(Strict):
    reference: str = Field(min_length=1, max_length=30)
    version: int | None = Field(
        None,
        description="The case's edit version: name it in API transitions. Ignored on import.",
    )
    kind: Kind
    status: Status
    received_on: Date
    channel: Code | None = Field(None, description="channel vocabulary")
    summary: str = ""
    desired_outcome: str = ""
    procedure: Procedure | None = None
    triage_reason: str = ""
    resolution: Resolution | None = None
    resolution_reason: str = ""
    closed_on: Date | None = None
    complainant: Person = Person()
    child_name: str = ""
    child_consent: Consent = Consent.NOT_NEEDED
    representative_type: Code | None = Field(None, description="representative_type vocabulary")
    representative_name: str = ""
    advocate_offered: bool | None = None
    advocate_accepted: bool | None = None
    service_area: str | None = Field(None, description="Code of the team, service or directorate.")
    locality: str | None = None
    categories: list[Code] = Field([], description="category vocabulary: the focus")
    provider_involved: bool = False
    provider_name: str = ""
    ofsted_notified: bool | None = None
    staff_complained_about: list[str] = Field(
        [], description="Usernames of the Heard users complained about. Never in reports."
    )
    staff_complained_about_names: list[str] = Field(
        [], description="Anyone else complained about, by name. Never in reports."
    )
    equality: Equality | None = None
    allocated_to: str | None = Field(None, description="Username.")
    linked_reference: str | None = Field(
        None,
        description="The related case: the complaint an Ombudsman case is about, or the "
        "contact a complaint grew from.",
    )
    enquiry_source: Code | None = Field(None, description="enquiry_source vocabulary")
    compliment: Compliment | None = None
    ombudsman: Ombudsman | None = None
    information_request: InformationRequest | None = None
    case_study: str = ""
    case_study_publishable: bool = False
    restriction: RestrictionRecord | None = Field(
        None, description="Who the case is restricted to, and why (null: not restricted)."
    )
    parts: list[PartRecord] = []
    stages: list[StageRecord] = []
    learning: list[LearningRecord] = []
    clocks: list[ClockRecord] = Field(
        [],
        description="Every clock's due date, computed by Heard from the case (the stage "
        "responses, the request windows, reports, adjudication, panel, the Ombudsman's reply "
        "and each remedy). Written on export and by the API; ignored on import.",
    )


class Council(Strict):
    name: str


class ContextFigureRecord(Strict):
    """A figure the council enters for a reporting year, so that reports can set complaints
    against it (contacts, referrals, children in need, looked-after children…)."""

    code: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9-]+$")
    label: str = Field(min_length=1, max_length=200)
    year: int = Field(
        ge=1990, le=2100, description="The reporting year it starts in: 2017 = 2017-18."
    )
    value: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    as_at: Date | None = Field(None, description="For a count on a day (31 March).")
    source: str = Field("", max_length=300)
    rate_base: bool = Field(False, description="Report complaints as a rate of this figure.")


class ExchangeDocument(Strict):
    format: Literal["heard-exchange"] = FORMAT
    version: Literal[1] = VERSION
    exported_at: datetime.datetime | None = None
    council: Council | None = None
    taxonomies: list[TermRecord] = []
    service_areas: list[ServiceAreaRecord] = []
    localities: list[LocalityRecord] = []
    context_figures: list[ContextFigureRecord] = []
    cases: list[CaseRecord] = []


def json_schema() -> dict:
    schema = ExchangeDocument.model_json_schema()
    schema["$id"] = "https://heard.example/schema/exchange-v1.json"
    schema["title"] = "Heard exchange format, version 1"
    return schema
