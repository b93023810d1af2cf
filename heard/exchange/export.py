"""Writing cases in the exchange format. Cases are read in chunks with their related rows
prefetched and written one at a time, so the whole database exports in bounded memory."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from heard.cases.models import Case, Stage
from heard.exchange.schema import FORMAT, VERSION
from heard.reports.models import ContextFigure
from heard.taxonomy.models import Locality, ServiceArea, Term


def _code(term) -> str | None:
    return term.code if term is not None else None


def _user(user) -> str | None:
    return user.username if user is not None else None


def _iso(value):
    return value.isoformat() if value is not None else None


def _money(value):
    return str(value) if value is not None else None


def case_record(case: Case, *, calendar=None) -> dict:
    """One case as a plain dict in the exchange format (it validates as ``CaseRecord``).
    ``calendar``: the council's, when writing many cases (read once, not per case)."""
    from heard.cases.schedule import case_clocks
    from heard.deadlines.calendar import council_calendar

    parts = list(case.parts.all())
    part_numbers = {p.pk: p.number for p in parts}
    record = {
        "reference": case.reference,
        "version": case.version,
        "kind": case.kind,
        "status": case.status,
        "received_on": _iso(case.received_on),
        "channel": _code(case.channel),
        "summary": case.summary,
        "desired_outcome": case.desired_outcome,
        "procedure": case.procedure or None,
        "triage_reason": case.triage_reason,
        "resolution": case.resolution or None,
        "resolution_reason": case.resolution_reason,
        "closed_on": _iso(case.closed_on),
        "complainant": {
            "name": case.complainant_name,
            "email": case.complainant_email,
            "phone": case.complainant_phone,
            "address": case.complainant_address,
            "postcode": case.complainant_postcode,
            "role": _code(case.complainant_role),
            "under_18": case.complainant_under_18,
            "looked_after": case.complainant_looked_after,
            "anonymous": case.anonymous,
        },
        "child_name": case.child_name,
        "child_consent": case.child_consent,
        "representative_type": _code(case.representative_type),
        "representative_name": case.representative_name,
        "advocate_offered": case.advocate_offered,
        "advocate_accepted": case.advocate_accepted,
        "service_area": case.service_area.code if case.service_area_id else None,
        "locality": case.locality.code if case.locality_id else None,
        "categories": sorted(t.code for t in case.categories.all()),
        "provider_involved": case.provider_involved,
        "provider_name": case.provider_name,
        "ofsted_notified": case.ofsted_notified,
        "staff_complained_about": sorted(u.username for u in case.staff_complained_about.all()),
        "staff_complained_about_names": [
            line for line in case.staff_complained_about_names.splitlines() if line.strip()
        ],
        "equality": {
            "age_band": case.equality_age_band or None,
            "sex": case.equality_sex or None,
            "ethnicity": case.equality_ethnicity or None,
            "disability": case.equality_disability or None,
        },
        "allocated_to": _user(case.allocated_to),
        "linked_reference": case.linked_case.reference if case.linked_case_id else None,
        "enquiry_source": _code(case.enquiry_source),
        "case_study": case.case_study,
        "case_study_publishable": case.case_study_publishable,
        "restriction": _restriction_record(case),
        "parts": [
            {"number": p.number, "summary": p.summary, "category": _code(p.category)} for p in parts
        ],
        "stages": [_stage_record(s, part_numbers) for s in case.stages.all()],
        "learning": [
            {
                "category": _code(item.category),
                "lesson": item.lesson,
                "recommendation": item.recommendation,
                "publishable": item.publishable,
                "recorded_on": _iso(item.recorded_on),
                "actions": [
                    {
                        "description": a.description,
                        "owner": a.owner,
                        "due_on": _iso(a.due_on),
                        "evidence": a.evidence,
                        "completed_on": _iso(a.completed_on),
                        "signed_off_on": _iso(a.signed_off_on),
                        "signed_off_by": _user(a.signed_off_by),
                        "shared_with_complainant": a.shared_with_complainant,
                    }
                    for a in item.actions.all()
                ],
            }
            for item in case.learning.all()
        ],
    }
    if case.kind == "compliment":
        record["compliment"] = {
            "staff_named": case.staff_named,
            "source": _code(case.compliment_source),
            "quote": case.quote,
            "quote_publishable": case.quote_publishable,
        }
    if case.kind == "ombudsman":
        record["ombudsman"] = {
            "reference": case.lgsco_reference,
            "enquiry_type": _code(case.lgsco_enquiry_type),
            "decision": _code(case.lgsco_decision),
            "decision_on": _iso(case.lgsco_decision_on),
            "remedy": case.lgsco_remedy,
            "remedy_complied_on": _iso(case.lgsco_remedy_complied_on),
            "reply_due": _iso(case.lgsco_reply_due),
            "replied_on": _iso(case.lgsco_replied_on),
            "remedies": [
                {
                    "kind": r.kind,
                    "description": r.description,
                    "amount": _money(r.amount),
                    "due_on": _iso(r.due_on),
                    "complied_on": _iso(r.complied_on),
                    "evidence": r.evidence,
                }
                for r in case.remedies.all()
            ],
        }
    if case.kind == "information_request":
        record["information_request"] = {
            "request_type": case.request_type,
            "requester": _code(case.disclosure_requester),
            "identification_received_on": _iso(case.identification_received_on),
            "outcome": case.information_outcome or None,
            "further_records_request": case.further_records_request,
        }
    clocks = case_clocks(
        case,
        list(case.stages.all()),
        list(case.remedies.all()),
        calendar=calendar or council_calendar(),
    )
    record["clocks"] = [
        {
            "key": c.key,
            "label": c.label,
            "due": _iso(c.due),
            "done_on": _iso(c.done_on),
            "owed_by": c.owed_by,
            "outstanding": c.outstanding,
        }
        for c in clocks
    ]
    return record


def _restriction_record(case: Case) -> dict | None:
    from heard.cases.restriction import restriction_of

    restriction = restriction_of(case)
    if restriction is None:
        return None
    return {
        "people": sorted(p.username for p in restriction.people.all()),
        "reason": restriction.reason,
        "restricted_by": _user(restriction.restricted_by),
        "restricted_at": _iso(restriction.restricted_at),
    }


def _stage_record(stage: Stage, part_numbers: dict[int, int]) -> dict:
    return {
        "number": stage.number,
        "requested_on": _iso(stage.requested_on),
        "late_request_reason": stage.late_request_reason,
        "statement_agreed_on": _iso(stage.statement_agreed_on),
        "acknowledged_on": _iso(stage.acknowledged_on),
        "acknowledgement_due": _iso(stage.acknowledgement_due),
        "response_due": _iso(stage.response_due),
        "extended_to": stage.extended_to,
        "responded_on": _iso(stage.responded_on),
        "responder": _user(stage.responder),
        "investigating_officer": stage.investigating_officer,
        "investigating_officer_external": stage.investigating_officer_external,
        "investigating_officer_fee": _money(stage.investigating_officer_fee),
        "independent_person": stage.independent_person,
        "independent_person_fee": _money(stage.independent_person_fee),
        "report_received_on": _iso(stage.report_received_on),
        "panel_on": _iso(stage.panel_on),
        "panel_members": stage.panel_members,
        "panel_recommendations": stage.panel_recommendations,
        "adjudication_on": _iso(stage.adjudication_on),
        "adjudication": stage.adjudication,
        "outcome": stage.outcome or None,
        "outcome_overridden": stage.outcome_overridden,
        "outcome_override_reason": stage.outcome_override_reason,
        "late_reason": _code(stage.late_reason),
        "late_reason_detail": stage.late_reason_detail,
        "remedy_apology": stage.remedy_apology,
        "remedy_financial": _money(stage.remedy_financial),
        "remedy_action": stage.remedy_action,
        "findings": {
            str(part_numbers[f.part_id]): f.finding
            for f in sorted(stage.findings.all(), key=lambda f: part_numbers[f.part_id])
        },
        "extensions": [
            {
                "agreed_on": _iso(e.agreed_on),
                "extended_to": e.extended_to,
                "reason": e.reason,
                "agreed_with_complainant": e.agreed_with_complainant,
            }
            for e in stage.extensions.all()
        ],
        "suspensions": [
            {
                "reason": s.reason.code,
                "started_on": _iso(s.started_on),
                "ended_on": _iso(s.ended_on),
                "note": s.note,
            }
            for s in stage.suspensions.all()
        ],
    }


def selected_cases(*, year: int | None = None, kind: str | None = None, user=None):
    """Cases to export: all (or all that ``user`` may see), or those received in a reporting
    year (April to March), or of one kind, in reference order."""
    cases = Case.objects.visible_to(user) if user is not None else Case.objects.all()
    if year is not None:
        cases = cases.filter(
            received_on__gte=datetime.date(year, 4, 1),
            received_on__lt=datetime.date(year + 1, 4, 1),
        )
    if kind:
        cases = cases.filter(kind=kind)
    stages = Stage.objects.select_related("responder", "late_reason").prefetch_related(
        "findings", "extensions", "suspensions__reason"
    )
    return cases.order_by("reference").select_related(
        "channel", "complainant_role", "representative_type", "service_area", "locality",
        "allocated_to", "linked_case", "enquiry_source", "compliment_source",
        "lgsco_enquiry_type", "lgsco_decision", "disclosure_requester",
        "restriction__restricted_by",
    ).prefetch_related(
        "categories", "staff_complained_about", "restriction__people", "parts__category",
        Prefetch("stages", queryset=stages), "learning__category",
        "learning__actions__signed_off_by", "remedies",
    )  # fmt: skip


def header() -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "council": {"name": settings.COUNCIL_NAME},
        "taxonomies": [
            {
                "vocabulary": t.vocabulary,
                "code": t.code,
                "label": t.label,
                "active": t.active,
                "order": t.order,
            }
            for t in Term.objects.order_by("vocabulary", "order", "code")
        ],
        "service_areas": [
            {
                "code": a.code,
                "name": a.name,
                "level": a.level,
                "parent": a.parent.code if a.parent_id else None,
                "order": a.order,
            }
            for a in ServiceArea.objects.select_related("parent").order_by("level", "code")
        ],
        "localities": [
            {"code": loc.code, "name": loc.name} for loc in Locality.objects.order_by("code")
        ],
        "context_figures": [
            {
                "code": f.code,
                "label": f.label,
                "year": f.year,
                "value": _money(f.value),
                "as_at": _iso(f.as_at),
                "source": f.source,
                "rate_base": f.rate_base,
            }
            for f in ContextFigure.objects.order_by("year", "order", "code")
        ],
    }


def iter_records(cases, user=None) -> Iterator[dict]:
    """Each case's record; as ``user`` may read it when given (``access.redact_record``)."""
    from heard.cases.access import redact_record
    from heard.deadlines.calendar import council_calendar

    calendar = council_calendar()
    for case in cases.iterator(chunk_size=1000):
        record = case_record(case, calendar=calendar)
        yield redact_record(record, case, user) if user is not None else record


def write(out: IO[str], cases, *, user=None) -> int:
    """Write the document to ``out``, streaming the cases. Returns how many were written."""
    head = header()
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write('  "cases": [')
    count = 0
    for record in iter_records(cases, user):
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n")
    return count
