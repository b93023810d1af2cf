"""Request and response bodies of the REST API. Whole cases use the exchange format's
``CaseRecord``; lists use a short summary."""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from heard.cases.choices import Finding, Kind, Procedure, RequestType, Resolution, Status


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


class Request(Schema):
    """Request bodies are checked strictly, and unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class NewCase(Request):
    kind: Kind
    received_on: IsoDate
    channel: str | None = Field(None, description="channel vocabulary code")
    procedure: Procedure | None = Field(None, description="For complaints: skips triage.")
    request_type: RequestType | None = None
    complainant_name: str = Field("", max_length=200)
    complainant_email: str = Field("", max_length=254, pattern=EMAIL)
    summary: str = ""
    parts: list[str] = Field([], description="The points complained about, in order.")
    service_area: str | None = Field(None, description="Team or service code")


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
