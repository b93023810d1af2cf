"""The REST API, at /api/v1/, described by OpenAPI at /api/v1/openapi.json.

It does what the screens do, through the same services and the same role rules: list, filter
and read cases; log a case; acknowledge, extend, respond with findings, escalate and close;
read the vocabularies. Every call is audited. Errors always have the shape
``{"error": {"code": …, "message": …, "details": […]}}``.
"""

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status as WithStatus
from pydantic import Field

from heard.accounts import roles
from heard.api import new_case, schemas
from heard.api.auth import ReadOnlyToken, TokenAuth
from heard.cases import services, workflow
from heard.cases.access import access_case, redact_record
from heard.cases.choices import Kind, Status
from heard.cases.independence import AllocationRefused, NotIndependent
from heard.cases.queries import list_queryset
from heard.exchange.export import case_record, selected_cases
from heard.exchange.schema import CaseRecord
from heard.taxonomy.models import Term, Vocabulary
from heard.timescales import TimescaleError

api = NinjaAPI(
    title="Heard API",
    version="1",
    description=__doc__,
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)
ERRORS = {400: schemas.ErrorBody, 401: schemas.ErrorBody, 403: schemas.ErrorBody,
          404: schemas.ErrorBody, 409: schemas.ErrorBody, 422: schemas.ErrorBody}  # fmt: skip


def _error(request, status: int, code: str, message: str, details=()):
    body = {"error": {"code": code, "message": message, "details": list(details)}}
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    details = []
    for error in exc.errors:
        path = [str(p) for p in error.get("loc", ())]
        while path and path[0] in {"body", "query", "path", "filters"}:
            path.pop(0)  # where in the request, not which field
        details.append({"field": ".".join(path), "message": error.get("msg", "")})
    return _error(request, 422, "invalid", "The request is not valid.", details)


@api.exception_handler(DjangoValidationError)
def _invalid_record(request, exc):
    details = [
        {"field": field, "message": message}
        for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items()
        for message in messages
    ]
    return _error(request, 422, "invalid", "The case could not be saved as given.", details)


@api.exception_handler(TimescaleError)
def _timescale(request, exc):
    return _error(request, 422, "invalid", str(exc))


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return _error(request, 401, "unauthorised", "Send a valid token: Authorization: Bearer heard_…")


@api.exception_handler(ReadOnlyToken)
def _read_only(request, exc):
    return _error(request, 403, "forbidden", "This token is read-only: it cannot change anything.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", "Your role does not allow this.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", "There is no such case, or you may not see it.")


@api.exception_handler(workflow.TransitionRefused)
def _refused(request, exc):
    field = getattr(exc, "field", "")  # a refusal about one field names it
    details = [{"field": field, "message": str(exc)}] if field else []
    return _error(request, 409, "refused", str(exc), details)


@api.exception_handler(NotIndependent)
@api.exception_handler(AllocationRefused)
def _not_for_you(request, exc):
    return _error(request, 403, "forbidden", str(exc))


@api.exception_handler(workflow.EditConflict)
def _conflict(request, exc):
    return _error(request, 409, "conflict", str(exc))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, "invalid", str(exc))


def _require(rule, request) -> None:
    if not rule(request.auth):
        raise PermissionDenied


cases_router = Router(tags=["cases"])


class CaseFilter(schemas.Schema):
    kind: Kind | None = None
    status: Status | None = None
    overdue: bool = Field(False, description="Something the council owes is past its due date.")
    allocated_to_me: bool = False


@cases_router.get("", response={200: list[schemas.CaseSummary], **ERRORS})
@paginate(PageNumberPagination, page_size=50)
def list_cases(request, filters: Query[CaseFilter]):
    """Cases you may see, newest first, 50 a page."""
    _require(roles.can_read_cases, request)
    from heard.cases.presenters import today

    cases = list_queryset(request.auth).order_by("-received_on", "-id")
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.overdue:
        from heard.cases.trackers import overdue_filter

        cases = cases.filter(overdue_filter(today()))
    if filters.allocated_to_me:
        cases = cases.filter(allocated_to=request.auth)
    return [
        {
            "reference": c.reference, "kind": c.kind, "status": c.status,
            "received_on": c.received_on, "procedure": c.procedure,
            "stage_number": c.stage_number, "stage_response_due": c.stage_response_due,
            "next_due_on": c.next_due_on, "next_due_label": c.next_due_label,
            "service_area": c.service_area.code if c.service_area_id else None,
            "allocated_to": c.allocated_to.username if c.allocated_to_id else None,
        }
        for c in cases
    ]  # fmt: skip


def _record(request, reference: str) -> dict:
    case = access_case(request.auth, reference)
    return redact_record(case_record(selected_cases().get(pk=case.pk)), case, request.auth)


@cases_router.get("/{reference}", response={200: CaseRecord, **ERRORS})
def read_case(request, reference: str):
    """One case in the exchange format, with its stages, parts, findings and learning."""
    _require(roles.can_read_cases, request)
    return _record(request, reference)


@cases_router.post("", response={201: CaseRecord, **ERRORS})
def create_case(request, body: schemas.NewCase):
    """Log a case, as the "log a case" form does: everything the form takes, named as in the
    exchange format. An unknown code, username or reference is refused naming the field."""
    _require(roles.can_run_casework, request)
    fields = new_case.case_fields(body, request.auth)
    case = services.log_case(user=request.auth, **fields)
    return WithStatus(201, _record(request, case.reference))


@cases_router.put("/{reference}", response={200: CaseRecord, **ERRORS})
def change_case(request, reference: str, body: CaseRecord):
    """Change a case's details, as "Change details" does: send the case as read, with the
    details changed and the ``version`` you read. Only what changed is saved and audited;
    status, stages, parts, learning and allocation change through their own operations and are
    refused here if they differ."""
    from heard.api.changes import detail_changes

    _require(roles.can_run_casework, request)
    case = access_case(request.auth, reference)
    if body.version is None:
        raise HttpError(422, "Send the version of the case you read.")
    current = case_record(selected_cases().get(pk=case.pk))
    changes = detail_changes(case, current, body)
    workflow.update_details(case, changes=changes, user=request.auth, expected_version=body.version)
    return _record(request, reference)


def _transition(request, reference: str, rule, run) -> dict:
    _require(rule, request)
    case = access_case(request.auth, reference)
    run(case)
    return _record(request, reference)


@cases_router.post("/{reference}/acknowledge", response={200: CaseRecord, **ERRORS})
def acknowledge(request, reference: str, body: schemas.Acknowledge):
    def run(case):
        workflow.acknowledge(case, on=body.on, user=request.auth, expected_version=body.version)

    return _transition(request, reference, roles.can_run_casework, run)


@cases_router.post("/{reference}/extend", response={200: CaseRecord, **ERRORS})
def extend(request, reference: str, body: schemas.Extend):
    def run(case):
        workflow.extend(
            case, extended_to=body.extended_to, reason=body.reason, agreed_on=body.agreed_on,
            user=request.auth, expected_version=body.version,
        )  # fmt: skip

    return _transition(request, reference, roles.can_run_casework, run)


@cases_router.post("/{reference}/respond", response={200: CaseRecord, **ERRORS})
def respond(request, reference: str, body: schemas.Respond):
    """Record the response with a finding for every part (by part number)."""

    def run(case):
        parts = {p.number: p.pk for p in case.parts.all()}
        findings = {item.part: item.finding for item in body.findings}
        unknown = set(findings) - set(parts)
        if unknown:
            raise workflow.TransitionRefused(f"There is no part {min(unknown)}.")
        late_reason = None
        if body.late_reason:
            late_reason = Term.objects.of("late_reason").filter(code=body.late_reason).first()
            if late_reason is None:
                raise workflow.TransitionRefused(f"{body.late_reason!r} is not a late reason code.")
        workflow.respond(
            case, responded_on=body.responded_on,
            findings={parts[n]: f for n, f in findings.items()},
            late_reason=late_reason, late_reason_detail=body.late_reason_detail,
            user=request.auth, expected_version=body.version,
        )  # fmt: skip

    return _transition(request, reference, roles.can_record_response, run)


@cases_router.post("/{reference}/escalate", response={200: CaseRecord, **ERRORS})
def escalate(request, reference: str, body: schemas.Escalate):
    def run(case):
        workflow.escalate(
            case, requested_on=body.requested_on, late_request_reason=body.late_request_reason,
            user=request.auth, expected_version=body.version,
        )  # fmt: skip

    return _transition(request, reference, roles.can_run_casework, run)


@cases_router.post("/{reference}/close", response={200: CaseRecord, **ERRORS})
def close(request, reference: str, body: schemas.Close):
    def run(case):
        workflow.close(
            case, resolution=body.resolution, on=body.on, reason=body.reason,
            user=request.auth, expected_version=body.version,
        )  # fmt: skip

    return _transition(request, reference, roles.can_run_casework, run)


taxonomy_router = Router(tags=["taxonomies"])


@taxonomy_router.get("", response={200: list[schemas.TermOut], **ERRORS})
def taxonomies(request, vocabulary: str | None = None):
    """The council's vocabularies: the codes the API and the exchange format use."""
    terms = Term.objects.order_by("vocabulary", "order", "code")
    if vocabulary:
        # Only a vocabulary Heard has (PostgreSQL refuses some text, such as NUL, in a query).
        known = vocabulary in Vocabulary.values
        terms = terms.filter(vocabulary=vocabulary) if known else terms.none()
    return list(terms.values("vocabulary", "code", "label", "active"))


reports_router = Router(tags=["reports"])

#: A reporting year, named by the calendar year it starts in (2017 = April 2017 to March 2018).
ReportYear = Annotated[int, Path(ge=1990, le=2100, description="2017 = April 2017 to March 2018")]


class ReportQuery(schemas.Schema):
    publication: bool = Field(
        False, description="Suppress small numbers (always on for viewers' tokens)."
    )


class ManagementQuery(schemas.Schema):
    period: Literal["week", "month", "quarter"] = "week"
    on: datetime.date | None = Field(
        None, description="A day in the period (YYYY-MM-DD, 1990 to 2100); today when not given."
    )


class EditionSummary(schemas.Schema):
    id: int
    report: str
    year: int
    number: int
    publication: bool
    published_at: datetime.datetime | None


def _report_json(report, *, suppress: bool) -> dict:
    from heard.reports.publication import for_publication
    from heard.reports.render import json as report_json

    return report_json.data(for_publication(report) if suppress else report)


def _publication(request, asked: bool) -> bool:
    return asked or not roles.sees_unsuppressed_reports(request.auth)


@reports_router.get("/annual/{year}", response={200: dict[str, Any], **ERRORS})
def annual_report(request, year: ReportYear, query: Query[ReportQuery]):
    """The annual report for a reporting year, with every figure, as JSON (the same document
    as `heard report annual --format json`). Viewers always get the publication version."""
    _require(roles.can_view_reports, request)
    from heard.reports import editions

    publication = _publication(request, query.publication)
    return _report_json(editions.annual_report(year, publication=publication), suppress=False)


@reports_router.get("/editions", response={200: list[EditionSummary], **ERRORS})
def report_editions(request):
    """Published editions of reports, newest first (viewers: those in publication mode)."""
    _require(roles.can_view_reports, request)
    from heard.reports.models import Edition

    found = Edition.objects.filter(status=Edition.Status.PUBLISHED).order_by("-published_at")
    if not roles.sees_unsuppressed_reports(request.auth):
        found = found.filter(publication=True)
    return [
        {"id": e.id, "report": e.report, "year": e.year, "number": e.number,
         "publication": e.publication, "published_at": e.published_at}
        for e in found
    ]  # fmt: skip


@reports_router.get("/editions/{edition_id}", response={200: dict[str, Any], **ERRORS})
def report_edition(request, edition_id: int):
    """A published edition exactly as it was frozen when it was published."""
    _require(roles.can_view_reports, request)
    from heard.reports.models import Edition

    found = Edition.objects.filter(pk=edition_id, status=Edition.Status.PUBLISHED).first()
    if found is not None and not roles.sees_unsuppressed_reports(request.auth):
        found = found if found.publication else None
    if found is None or not found.frozen:
        return _error(request, 404, "not_found", "There is no such published edition.")
    return found.frozen


@reports_router.get("/management", response={200: dict[str, Any], **ERRORS})
def management_summary(request, query: Query[ManagementQuery]):
    """The weekly, monthly or quarterly management summary for the period containing `on`."""
    _require(roles.can_view_reports, request)
    from heard.reports import summaries

    on = query.on or timezone.localdate()
    if not 1990 <= on.year <= 2100:
        return _error(request, 404, "not_found", "There are no reports before 1990 or after 2100.")
    report = summaries.build(query.period, on)
    return _report_json(report, suppress=_publication(request, False))


@reports_router.get("/scrutiny/{year}", response={200: dict[str, Any], **ERRORS})
def scrutiny_report(request, year: ReportYear, query: Query[ReportQuery]):
    """The scrutiny committee's cover report for a reporting year."""
    _require(roles.can_view_reports, request)
    from heard.reports import scrutiny

    publication = _publication(request, query.publication)
    return _report_json(scrutiny.build(year, publication), suppress=False)


@reports_router.get("/lgsco/{year}", response={200: dict[str, Any], **ERRORS})
def lgsco_report(request, year: ReportYear, query: Query[ReportQuery]):
    """The Complaint Handling Code annual complaints performance and service improvement
    report for a reporting year."""
    _require(roles.can_view_reports, request)
    from heard.reports import lgsco_code

    publication = _publication(request, query.publication)
    return _report_json(lgsco_code.build(year, publication), suppress=False)


api.add_router("/cases", cases_router)
api.add_router("/taxonomies", taxonomy_router)
api.add_router("/reports", reports_router)
api.add_router("/search", "heard.search.api.router")
