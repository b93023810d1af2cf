"""Merge fields: what a template may say about a case, and filling a template in.

Templates use Jinja syntax, as docxtpl's Word templates do, in a sandbox: a template can read
the values below and nothing else (no attribute of a model, no function call into Heard).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from jinja2 import ChainableUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from heard.cases.choices import Procedure
from heard.cases.models import Case

_ENV = SandboxedEnvironment(
    undefined=ChainableUndefined, autoescape=False, keep_trailing_newline=True
)

STAGE_NAMES = {
    Procedure.CHILDRENS_STATUTORY: {
        1: "Stage 1 (local resolution)",
        2: "Stage 2 (investigation)",
        3: "Stage 3 (review panel)",
    },
    Procedure.CORPORATE: {1: "Stage 1", 2: "Stage 2"},
}
KIND_WORDS = {
    "complaint": "complaint",
    "compliment": "compliment",
    "comment": "comment",
    "representation": "enquiry",
    "lgsco": "Ombudsman enquiry",
    "information_request": "request",
}
OMBUDSMAN = (
    "If you are still not satisfied, you can ask the Local Government and Social Care "
    "Ombudsman to look at your complaint: www.lgo.org.uk, 0300 061 0614."
)


class MergeError(ValueError):
    """A template that cannot be filled in, with a plain reason."""


def _day(value) -> str:
    return f"{value:%-d %B %Y}" if isinstance(value, datetime.date) else ""


def rights(case: Case, stage_number: int | None) -> str:
    """What the person can do next if not satisfied, in the words right for the procedure."""
    if case.kind != "complaint" or not stage_number:
        return ""
    if case.procedure == Procedure.CHILDRENS_STATUTORY and stage_number == 1:
        return (
            "If you are not satisfied with this response, you can ask for your complaint to be "
            "investigated at Stage 2 by someone who does not work for the service. Please tell "
            "us within 20 working days of receiving this letter."
        )
    if case.procedure == Procedure.CHILDRENS_STATUTORY and stage_number == 2:
        return (
            "If you are not satisfied with the outcome, you can ask for a review panel (Stage "
            "3). Please tell us within 20 working days of receiving this letter."
        )
    if case.procedure == Procedure.CORPORATE and stage_number == 1:
        return (
            "If you are not satisfied with this response, you can ask for your complaint to be "
            "looked at again at Stage 2. Please tell us within 20 working days."
        )
    return "This is the end of our complaints procedure. " + OMBUDSMAN


def context_for(case: Case, sender=None) -> dict:
    """Every merge field, as text."""
    stages = list(case.stages.all())
    stage = stages[-1] if stages else None
    findings = {}
    if stage is not None:
        findings = {f.part_id: f.get_finding_display() for f in stage.findings.all()}
    stage_fields = None
    if stage is not None:
        escalation = getattr(stage, "escalation_due", None)
        stage_fields = {
            "number": stage.number,
            "name": STAGE_NAMES.get(case.procedure, {}).get(stage.number, f"Stage {stage.number}"),
            "requested_on": _day(stage.requested_on),
            "acknowledgement_due": _day(stage.acknowledgement_due),
            "response_due": _day(stage.response_due),
            "responded_on": _day(stage.responded_on),
            "escalation_deadline": _day(escalation),
            "investigating_officer": stage.investigating_officer,
            "independent_person": stage.independent_person,
            "panel_on": _day(stage.panel_on),
        }
    return {
        "case": {
            "reference": case.reference,
            "kind_word": KIND_WORDS.get(case.kind, "case"),
            "received_on": _day(case.received_on),
            "summary": case.summary,
            "staff_named": case.staff_named,
            "identification_received_on": _day(case.identification_received_on),
        },
        "complainant": {
            "name": case.complainant_name,
            "email": case.complainant_email,
            "address": case.complainant_address,
        },
        "child_name": case.child_name,
        "stage": stage_fields,
        "parts": [
            {"number": p.number, "summary": p.summary, "finding": findings.get(p.pk, "")}
            for p in case.parts.all()
        ],
        "rights": rights(case, stage.number if stage else None),
        "council": {"name": settings.COUNCIL_NAME, "phone": settings.COUNCIL_PHONE},
        "sender": {"name": sender.get_full_name() or sender.username} if sender else {"name": ""},
        "today": _day(datetime.date.today()),
    }


def fill(text: str, context: dict) -> str:
    try:
        return _ENV.from_string(text).render(context)
    except TemplateError as error:
        raise MergeError(f"The template could not be filled in: {error.message}") from error
