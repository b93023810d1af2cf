"""Request and response bodies of the REST API. Whole cases use the exchange format's
``CaseRecord``; lists use a short summary."""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from heard.cases.choices import (
    Consent,
    Finding,
    Kind,
    Procedure,
    RequestType,
    Resolution,
    Status,
)
from heard.exchange.schema import Equality


class ErrorDetail(Schema):
    field: str = ""
    message: str


class Error(Schema):
    code: str = Field(description="invalid, unauthorised, forbidden, not_found, refused, conflict")
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(Schema):
    error: Error


class CaseSummary(Schema):
    reference: str
    kind: Kind
    status: Status
    received_on: datetime.date
    procedure: str
    stage_number: int | None
    stage_response_due: datetime.date | None
    next_due_on: datetime.date | None = Field(
        None, description="The earliest date the council still owes on the case (any clock)."
    )
    next_due_label: str = Field("", description="What is due then.")
    service_area: str | None
    allocated_to: str | None


def _iso_text(value):
    if not isinstance(value, str | datetime.date):
        raise ValueError("a date must be written YYYY-MM-DD")
    return value


def _whole_number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    return value


#: A whole number in a request: a JSON number, never a string or a boolean.
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]

#: A date in a request: an ISO string only (not a number of seconds, as pydantic would allow).
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_text)]


#: E-mail addresses as Django's validator accepts them (a subset, so the description is exact).
EMAIL = (
    r"^$|^[A-Za-z0-9_%+-]{1,30}(\.[A-Za-z0-9_%+-]{1,30}){0,3}"
    r"@[A-Za-z0-9]{1,20}(-[A-Za-z0-9]{1,20})?(\.[A-Za-z0-9]{1,30}){0,3}\.[A-Za-z]{2,20}$"
)


#: What the postcode check accepts (heard.cases.postcodes), with spaces anywhere: for the
#: description only, so that a bad postcode gets the plain message, not a pattern.
POSTCODE = (
    r"^\s*$|^\s*(?:[A-Za-z]\s*){1,2}[0-9]\s*(?:[A-Za-z0-9]\s*)?[0-9]\s*[A-Za-z]\s*[A-Za-z]\s*$"
)


class Request(Schema):
    """Request bodies are checked strictly, and unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class NewComplainant(Request):
    """The person the case is from, as the exchange format's ``complainant``."""

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254, pattern=EMAIL)
    phone: str = Field("", max_length=50)
    address: str = ""
    postcode: str = Field(
        "",
        max_length=20,
        description='A UK postcode, in any spacing or case; stored the standard way ("SW1A '
        '1AA"). Anything else is refused: "Enter a real postcode, like SW1A 1AA".',
        # Described, not checked here: Heard's own check gives the plain message.
        json_schema_extra={"pattern": POSTCODE},
    )
    role: str | None = Field(None, description="complainant_role vocabulary code")
    under_18: bool | None = Field(None, description="null: not known")
    looked_after: bool | None = Field(None, description="null: not known")


class NewCompliment(Request):
    """For a compliment only, as the exchange format's ``compliment``."""

    staff_named: str = Field("", max_length=300)
    source: str | None = Field(None, description="compliment_source vocabulary code")
    quote: str = ""
    quote_publishable: bool = False


class NewOmbudsman(Request):
    """For an Ombudsman case only: what is known when it arrives (the exchange format's
    ``ombudsman``; the decision and remedies are recorded later)."""

    reference: str = Field("", max_length=50, description="The Ombudsman's reference.")
    enquiry_type: str | None = Field(None, description="lgsco_enquiry_type vocabulary code")
    reply_due: IsoDate | None = Field(None, description="The date the Ombudsman set for a reply.")


class NewInformationRequest(Request):
    """For an information request only, as the exchange format's ``information_request``."""

    request_type: RequestType | None = Field(
        None, description="Required, here or as the top-level request_type."
    )
    requester: str | None = Field(None, description="disclosure_requester vocabulary code")


class NewCase(Request):
    """A new case: what the "log a case" form takes, named as in the exchange format
    (``CaseRecord``). Codes are vocabulary codes, people usernames, teams and localities
    codes; an unknown one is refused naming the field. ``complainant_name``,
    ``complainant_email`` and ``request_type`` may also be given flat, as before."""

    kind: Kind
    received_on: IsoDate
    channel: str | None = Field(None, description="channel vocabulary code")
    procedure: Procedure | None = Field(None, description="For complaints: skips triage.")
    request_type: RequestType | None = Field(
        None, description="For an information request (or information_request.request_type)."
    )
    complainant_name: str = Field(
        "", max_length=200, description="The same as complainant.name (give one of them)."
    )
    complainant_email: str = Field(
        "", max_length=254, pattern=EMAIL, description="The same as complainant.email."
    )
    complainant: NewComplainant | None = None
    child_name: str = Field("", max_length=200, description="On behalf of (child).")
    child_consent: Consent | None = Field(None, description="The child's agreement.")
    representative_type: str | None = Field(None, description="representative_type vocabulary code")
    representative_name: str = Field("", max_length=200)
    advocate_offered: bool | None = None
    advocate_accepted: bool | None = None
    summary: str = ""
    desired_outcome: str = Field("", description="What would put it right.")
    parts: list[str] = Field([], description="The points complained about, in order.")
    service_area: str | None = Field(None, description="Team or service code")
    locality: str | None = Field(None, description="Locality code")
    categories: list[str] = Field([], description="category vocabulary codes: the focus")
    staff_complained_about: list[str] = Field(
        [], description="Usernames of the Heard users complained about. Never in reports."
    )
    staff_complained_about_names: list[str] = Field(
        [], description="Anyone else complained about, by name. Never in reports."
    )
    equality: Equality | None = Field(None, description="Equality monitoring answers.")
    allocated_to: str | None = Field(
        None, description="Username of who the case is allocated to (a staff member)."
    )
    linked_reference: str | None = Field(
        None,
        max_length=30,
        description="The related case: required for an Ombudsman case (the complaint it is about).",
    )
    enquiry_source: str | None = Field(None, description="enquiry_source vocabulary code")
    compliment: NewCompliment | None = None
    ombudsman: NewOmbudsman | None = None
    information_request: NewInformationRequest | None = None


class Versioned(Request):
    version: WholeNumber = Field(
        description="The case version you last read; a stale one is refused."
    )


class Acknowledge(Versioned):
    on: IsoDate


class Extend(Versioned):
    extended_to: WholeNumber = Field(ge=1)
    reason: str = Field(min_length=1)
    agreed_on: IsoDate


class PartFinding(Request):
    part: WholeNumber = Field(ge=1, le=999, description="The part's number.")
    finding: Finding


class Respond(Versioned):
    responded_on: IsoDate
    findings: list[PartFinding] = Field(description="The finding on each part.")
    late_reason: str | None = Field(None, description="late_reason vocabulary code")
    late_reason_detail: str = ""


class Escalate(Versioned):
    requested_on: IsoDate
    late_request_reason: str = Field(
        "",
        max_length=2000,
        description="Why a request made after the window (20 working days of the last "
        "response, children's statutory procedure) is accepted; refused without one.",
    )


class Close(Versioned):
    resolution: Resolution
    on: IsoDate
    reason: str = ""


class TermOut(Schema):
    vocabulary: str
    code: str
    label: str
    active: bool
