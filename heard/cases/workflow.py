"""Transitions in a case's life: triage, allocate, acknowledge, extend, suspend and resume,
respond with findings, escalate, withdraw, close and reopen.

The screens, the API and the importer all come here. Each function:

* locks the case row and checks the version the user was looking at, so that two officers
  saving the same case never overwrite each other (:class:`EditConflict`);
* refuses a transition that makes no sense with a plain sentence (:class:`TransitionRefused`);
* recomputes the stage's clock with the timescale engine, bumps the case's version and writes
  the audit trail, all in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from heard.audit import services as audit
from heard.cases.choices import Finding, Kind, Procedure, Resolution, Status
from heard.cases.clocks import derive_outcome
from heard.cases.models import Case, Extension, PartFinding, Stage, Suspension
from heard.cases.services import apply_clock, sync_current_stage
from heard.deadlines.calendar import council_calendar
from heard.deadlines.models import CalendarSettings
from heard.timescales import (
    ExtensionNotAllowed,
    apply_policy,
    check_extension,
    has_rule,
    request_deadline,
    rule_for,
)


class TransitionRefused(ValueError):
    """The transition does not make sense for the case as it is; the message says why."""


class EditConflict(Exception):
    """Someone else saved the case after the user opened it."""


#: The last stage each procedure has.
LAST_STAGE = {Procedure.CHILDRENS_STATUTORY: 3, Procedure.CORPORATE: 2}
#: The procedure a kind of case follows without a triage decision.
KIND_PROCEDURE = {Kind.REPRESENTATION: Procedure.REPRESENTATION}


def _today() -> datetime.date:
    return timezone.localdate()


def _lock(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(
            f"{locked.reference} was changed by someone else after you opened it. Nothing you "
            "entered has been saved: look at the case as it is now and make your change again."
        )
    return locked


def _bump(case: Case, *fields: str) -> None:
    """Save the changed fields with a new version and the current stage's dates."""
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    sync_current_stage(case)


def _not_future(day: datetime.date, what: str) -> None:
    if day > _today():
        raise TransitionRefused(f"{what} cannot be in the future.")


def _open_stage(case: Case) -> Stage:
    stage = case.stages.filter(responded_on__isnull=True).order_by("-number").first()
    if stage is None:
        raise TransitionRefused(f"{case.reference} has no stage waiting for a response.")
    return stage


def _refresh_clock(stage: Stage) -> None:
    apply_clock(stage, council_calendar())
    stage.save(update_fields=["acknowledgement_due", "response_due", "suspended"])


def _new_stage(case: Case, number: int, requested_on: datetime.date, **fields) -> Stage:
    stage = Stage(case=case, number=number, requested_on=requested_on, **fields)
    if case.procedure and has_rule(case.procedure, number, case.received_on):
        apply_clock(stage, council_calendar())
    stage.save()
    return stage


@transaction.atomic
def triage(
    case: Case,
    *,
    procedure: str,
    reason: str,
    user=None,
    start_at_stage: int = 1,
    expected_version: int | None = None,
) -> Stage:
    """Decide the procedure for a new case and open its first stage (a complaint may go
    straight to Stage 2)."""
    case = _lock(case, expected_version)
    if case.status != Status.NEW:
        raise TransitionRefused(f"{case.reference} has already been triaged.")
    if procedure not in Procedure.values:
        raise TransitionRefused("Choose a procedure.")
    if not has_rule(procedure, start_at_stage, case.received_on):
        raise TransitionRefused(
            f"The {Procedure(procedure).label.lower()} has no stage {start_at_stage}."
        )
    case.procedure, case.triage_reason, case.status = procedure, reason, Status.OPEN
    _bump(case, "procedure", "triage_reason", "status")
    audit.record(
        "case.triaged",
        user=user,
        case=case,
        obj=case,
        changes=[{"field": "procedure", "old": None, "new": Procedure(procedure).label}],
        note=reason,
    )
    return _start_stage(case, start_at_stage, case.received_on, user=user)


def _start_stage(case: Case, number: int, requested_on: datetime.date, *, user) -> Stage:
    stage = _new_stage(case, number, requested_on)
    sync_current_stage(case)
    audit.record_created("stage.created", stage, case=case, user=user)
    return stage


@transaction.atomic
def allocate(case: Case, *, to, user=None, expected_version: int | None = None) -> Case:
    from heard.cases.independence import check_may_allocate

    case = _lock(case, expected_version)
    check_may_allocate(case, user, to=to)
    before = str(case.allocated_to) if case.allocated_to_id else None
    case.allocated_to = to
    _bump(case, "allocated_to")
    audit.record(
        "case.allocated",
        user=user,
        case=case,
        obj=case,
        changes=[{"field": "allocated to", "old": before, "new": str(to) if to else None}],
    )
    return case


@transaction.atomic
def acknowledge(
    case: Case, *, on: datetime.date, user=None, expected_version: int | None = None
) -> Stage:
    case = _lock(case, expected_version)
    stage = _open_stage(case)
    if stage.acknowledged_on:
        raise TransitionRefused(
            f"Stage {stage.number} was already acknowledged on {stage.acknowledged_on:%-d %B %Y}."
        )
    _not_future(on, "The acknowledgement date")
    if on < stage.requested_on:
        raise TransitionRefused(
            f"The acknowledgement date cannot be before the stage was asked for "
            f"({stage.requested_on:%-d %B %Y})."
        )
    stage.acknowledged_on = on
    stage.save(update_fields=["acknowledged_on"])
    _refresh_clock(stage)
    _bump(case)
    audit.record(
        "stage.acknowledged",
        user=user,
        case=case,
        obj=stage,
        changes=[{"field": f"stage {stage.number} acknowledged", "old": None, "new": on}],
    )
    return stage


@transaction.atomic
def extend(
    case: Case,
    *,
    extended_to: int,
    reason: str,
    agreed_on: datetime.date,
    agreed_with_complainant: bool = True,
    user=None,
    expected_version: int | None = None,
) -> Stage:
    """Agree a longer response period, in all (for example 20 working days in place of 10)."""
    case = _lock(case, expected_version)
    stage = _open_stage(case)
    if not reason.strip():
        raise TransitionRefused("Give the reason for the extension.")
    rule = apply_policy(
        rule_for(case.procedure, stage.number, case.received_on),
        CalendarSettings.current().extension_policy(),
    )
    try:
        check_extension(rule, extended_to)
    except ExtensionNotAllowed as refused:
        raise TransitionRefused(str(refused)) from None
    if stage.extended_to and extended_to <= stage.extended_to:
        raise TransitionRefused(
            f"Stage {stage.number} is already extended to {stage.extended_to}; a further "
            "extension must allow more."
        )
    old_due = stage.response_due
    Extension.objects.create(
        stage=stage,
        agreed_on=agreed_on,
        extended_to=extended_to,
        reason=reason,
        agreed_with_complainant=agreed_with_complainant,
    )
    stage.extended_to = extended_to
    stage.save(update_fields=["extended_to"])
    _refresh_clock(stage)
    _bump(case)
    audit.record(
        "stage.extended",
        user=user,
        case=case,
        obj=stage,
        changes=[
            {
                "field": f"stage {stage.number} response due",
                "old": old_due,
                "new": stage.response_due,
            }
        ],
        note=reason,
    )
    return stage


@transaction.atomic
def suspend(
    case: Case,
    *,
    reason,
    started_on: datetime.date,
    note: str = "",
    user=None,
    expected_version: int | None = None,
) -> Suspension:
    """Stop the response clock (court proceedings, a police or safeguarding enquiry,
    waiting for clarification). ``reason`` is a Term of the ``suspension_reason`` vocabulary."""
    case = _lock(case, expected_version)
    stage = _open_stage(case)
    if stage.suspensions.filter(ended_on__isnull=True).exists():
        raise TransitionRefused(f"The clock on stage {stage.number} is already stopped.")
    if started_on < stage.requested_on:
        raise TransitionRefused("The clock cannot stop before the stage began.")
    _not_future(started_on, "The date the clock stopped")
    suspension = Suspension.objects.create(
        stage=stage, reason=reason, started_on=started_on, note=note
    )
    _refresh_clock(stage)
    _bump(case)
    audit.record(
        "stage.suspended",
        user=user,
        case=case,
        obj=stage,
        changes=[{"field": "clock stopped", "old": None, "new": started_on}],
        note=f"{reason}. {note}".strip(),
    )
    return suspension


@transaction.atomic
def resume(
    case: Case, *, ended_on: datetime.date, user=None, expected_version: int | None = None
) -> Stage:
    case = _lock(case, expected_version)
    stage = _open_stage(case)
    suspension = stage.suspensions.filter(ended_on__isnull=True).first()
    if suspension is None:
        raise TransitionRefused(f"The clock on stage {stage.number} is not stopped.")
    if ended_on < suspension.started_on:
        raise TransitionRefused(
            f"The clock cannot restart before it stopped ({suspension.started_on:%-d %B %Y})."
        )
    _not_future(ended_on, "The date the clock restarted")
    suspension.ended_on = ended_on
    suspension.save(update_fields=["ended_on"])
    _refresh_clock(stage)
    _bump(case)
    audit.record(
        "stage.resumed",
        user=user,
        case=case,
        obj=stage,
        changes=[
            {"field": "clock restarted", "old": None, "new": ended_on},
            {"field": f"stage {stage.number} response due", "old": None, "new": stage.response_due},
        ],
    )
    return stage


@transaction.atomic
def respond(
    case: Case,
    *,
    responded_on: datetime.date,
    findings: Mapping[int, str],
    late_reason=None,
    late_reason_detail: str = "",
    outcome_override: str = "",
    override_reason: str = "",
    remedy_apology: bool = False,
    remedy_financial=None,
    remedy_action: str = "",
    user=None,
    expected_version: int | None = None,
) -> Stage:
    """Record the response to the open stage with a finding for every part (by part id). The
    stage outcome is derived from the findings unless overridden with a reason. A late
    response needs a reason."""
    from heard.cases.approvals import check_response_approved
    from heard.cases.independence import check_may_work_on

    case = _lock(case, expected_version)
    stage = _open_stage(case)
    check_may_work_on(case, stage, user, doing="record the response")
    if stage.suspensions.filter(ended_on__isnull=True).exists():
        raise TransitionRefused("Restart the clock before recording the response.")
    check_response_approved(case, stage)
    _not_future(responded_on, "The response date")
    if responded_on < stage.requested_on:
        raise TransitionRefused("The response date cannot be before the stage began.")
    parts = list(case.parts.order_by("number"))
    if case.kind == Kind.COMPLAINT and not parts:
        raise TransitionRefused("Add the parts of the complaint before recording findings.")
    missing = [str(p.number) for p in parts if not findings.get(p.pk)]
    if missing:
        raise TransitionRefused(f"Give a finding for part {', '.join(missing)}.")
    bad = [f for f in findings.values() if f not in Finding.values]
    if bad:
        raise TransitionRefused(f"{bad[0]!r} is not a finding.")
    late = stage.response_due is not None and responded_on > stage.response_due
    if late and late_reason is None:
        raise TransitionRefused(
            f"The response is late (it was due {stage.response_due:%-d %B %Y}): say why."
        )
    derived = derive_outcome(findings[p.pk] for p in parts) if parts else Finding.NO_FINDING
    if outcome_override and outcome_override != derived:
        if not override_reason.strip():
            raise TransitionRefused("Give the reason for changing the outcome from the findings.")
        outcome, overridden = outcome_override, True
    else:
        outcome, overridden = derived, False
    PartFinding.objects.bulk_create(
        [PartFinding(stage=stage, part=p, finding=findings[p.pk]) for p in parts]
    )
    stage.responded_on = responded_on
    stage.outcome, stage.outcome_overridden = outcome, overridden
    stage.outcome_override_reason = override_reason if overridden else ""
    stage.late_reason = late_reason if late else None
    stage.late_reason_detail = late_reason_detail if late else ""
    stage.remedy_apology, stage.remedy_financial = remedy_apology, remedy_financial
    stage.remedy_action = remedy_action
    stage.save()
    case.status, case.resolution, case.closed_on = Status.CLOSED, Resolution.RESPONDED, responded_on
    _bump(case, "status", "resolution", "closed_on")
    changes = [
        {"field": f"part {p.number}", "old": None, "new": Finding(findings[p.pk]).label}
        for p in parts
    ]
    changes.append(
        {"field": f"stage {stage.number} outcome", "old": None, "new": Finding(outcome).label}
    )
    audit.record(
        "stage.responded",
        user=user,
        case=case,
        obj=stage,
        changes=changes,
        note=(f"Late: {late_reason}. {late_reason_detail}".strip() if late else "")
        + (f" Outcome changed from the findings: {override_reason}" if overridden else ""),
    )
    return stage


@transaction.atomic
def escalate(
    case: Case,
    *,
    requested_on: datetime.date,
    late_request_reason: str = "",
    user=None,
    expected_version: int | None = None,
) -> Stage:
    """Open the next stage after the last one was answered. A request made after the window
    the rule allows (20 working days of the previous response for the children's statutory
    procedure) is accepted only with the reason it was accepted late."""
    case = _lock(case, expected_version)
    if case.kind != Kind.COMPLAINT:
        raise TransitionRefused(
            f"Only complaints can be escalated, not a {case.get_kind_display().lower()}."
        )
    if case.resolution in {
        Resolution.WITHDRAWN,
        Resolution.REFUSED_NOT_ELIGIBLE,
        Resolution.REFUSED_OUT_OF_TIME,
        Resolution.REFUSED_OTHER_PROCESS,
    }:
        raise TransitionRefused(
            f"{case.reference} was {case.get_resolution_display().lower()}: reopen it first."
        )
    last = case.stages.order_by("-number").first()
    if last is None:
        raise TransitionRefused(f"{case.reference} has not been triaged yet.")
    if last.responded_on is None:
        raise TransitionRefused(f"Stage {last.number} has not been answered yet.")
    number = last.number + 1
    if number > LAST_STAGE.get(case.procedure, 1):
        raise TransitionRefused(
            f"Stage {last.number} is the last stage of the {case.get_procedure_display().lower()}."
        )
    if requested_on < last.responded_on:
        raise TransitionRefused(
            f"The request cannot be before the stage {last.number} response "
            f"({last.responded_on:%-d %B %Y})."
        )
    _not_future(requested_on, "The date of the request")
    rule = rule_for(case.procedure, number, case.received_on)
    late_request_reason = late_request_reason.strip()
    deadline = None
    if rule.request_within is not None:
        deadline = request_deadline(rule, council_calendar(), last.responded_on)
    late = deadline is not None and requested_on > deadline
    if late and not late_request_reason:
        raise TransitionRefused(
            f"Stage {number} was asked for after the window closed: it had to be asked for "
            f"within {rule.request_within} working days of the stage {last.number} response, "
            f"by {deadline:%-d %B %Y}. To accept it anyway, give the reason."
        )
    case.status, case.resolution, case.closed_on = Status.OPEN, "", None
    case.version += 1
    case.save(update_fields=["status", "resolution", "closed_on", "version", "updated_at"])
    stage = _new_stage(
        case, number, requested_on, late_request_reason=late_request_reason if late else ""
    )
    sync_current_stage(case)
    audit.record_created("stage.created", stage, case=case, user=user)
    if late:
        audit.record(
            "stage.accepted_late",
            user=user,
            case=case,
            obj=stage,
            changes=[{"field": f"stage {number} request window", "old": None, "new": deadline}],
            note=f"Asked for on {requested_on:%-d %B %Y}, after the window closed on "
            f"{deadline:%-d %B %Y}; accepted: {late_request_reason}",
        )
    return stage


_ENDINGS = {
    Resolution.WITHDRAWN,
    Resolution.REFUSED_NOT_ELIGIBLE,
    Resolution.REFUSED_OUT_OF_TIME,
    Resolution.REFUSED_OTHER_PROCESS,
    Resolution.RESOLVED_ADR,
    Resolution.NO_FURTHER_ACTION,
    Resolution.RESPONDED,
}


@transaction.atomic
def close(
    case: Case,
    *,
    resolution: str,
    on: datetime.date,
    reason: str = "",
    user=None,
    expected_version: int | None = None,
) -> Case:
    """Close a case: withdrawn, refused, resolved by ADR, no further action, or (for cases
    without a stage to answer, such as compliments) responded."""
    case = _lock(case, expected_version)
    if case.status == Status.CLOSED:
        raise TransitionRefused(f"{case.reference} is already closed.")
    if resolution not in _ENDINGS:
        raise TransitionRefused("Choose how the case ended.")
    if (
        resolution == Resolution.RESPONDED
        and case.stages.filter(responded_on__isnull=True).exists()
    ):
        raise TransitionRefused("Record the response to the open stage instead.")
    if (
        resolution != Resolution.RESPONDED
        and resolution != Resolution.NO_FURTHER_ACTION
        and not reason.strip()
    ):
        raise TransitionRefused("Give the reason.")
    _not_future(on, "The closing date")
    if on < case.received_on:
        raise TransitionRefused("A case cannot close before it was received.")
    case.status, case.resolution, case.resolution_reason, case.closed_on = (
        Status.CLOSED,
        resolution,
        reason,
        on,
    )
    _bump(case, "status", "resolution", "resolution_reason", "closed_on")
    audit.record(
        "case.withdrawn" if resolution == Resolution.WITHDRAWN else "case.closed",
        user=user,
        case=case,
        obj=case,
        changes=[{"field": "outcome", "old": None, "new": Resolution(resolution).label}],
        note=reason,
    )
    return case


def withdraw(case: Case, *, on: datetime.date, reason: str, **kwargs) -> Case:
    return close(case, resolution=Resolution.WITHDRAWN, on=on, reason=reason, **kwargs)


@transaction.atomic
def reopen(case: Case, *, reason: str, user=None, expected_version: int | None = None) -> Case:
    case = _lock(case, expected_version)
    if case.status != Status.CLOSED:
        raise TransitionRefused(f"{case.reference} is not closed.")
    if not reason.strip():
        raise TransitionRefused("Give the reason for reopening.")
    before = case.get_resolution_display()
    # An answered stage keeps its response and findings; reopening lets the team escalate,
    # record learning or correct details, with the reason in the history.
    case.status = Status.OPEN if case.procedure or case.kind != Kind.COMPLAINT else Status.NEW
    case.resolution, case.closed_on = "", None
    _bump(case, "status", "resolution", "closed_on")
    audit.record(
        "case.reopened",
        user=user,
        case=case,
        obj=case,
        changes=[{"field": "outcome", "old": before, "new": None}],
        note=reason,
    )
    return case


#: Stage fields that the "stage details" form records (the investigation and the panel).
STAGE_DETAIL_FIELDS = (
    "responder",
    "statement_agreed_on",
    "investigating_officer",
    "investigating_officer_external",
    "investigating_officer_fee",
    "independent_person",
    "independent_person_fee",
    "report_received_on",
    "panel_on",
    "panel_members",
    "panel_recommendations",
    "adjudication_on",
    "adjudication",
)


@transaction.atomic
def update_stage(
    case: Case, *, changes: Mapping, user=None, expected_version: int | None = None
) -> Stage:
    """Record details of the latest stage: the responder, the Stage 2 investigation (the
    Investigating Officer and Independent Person, with their fees, and the date the statement
    of complaint was agreed) or the Stage 3 panel and the council's adjudication."""
    case = _lock(case, expected_version)
    stage = case.stages.order_by("-number").first()
    if stage is None:
        raise TransitionRefused(f"{case.reference} has no stage yet.")
    unknown = set(changes) - set(STAGE_DETAIL_FIELDS)
    if unknown:
        raise TransitionRefused(f"{', '.join(sorted(unknown))} cannot be changed here.")
    from heard.cases import independence

    independence.check_may_work_on(case, stage, user, doing="change the details")
    new_responder = changes.get("responder", stage.responder)
    if "responder" in changes and getattr(new_responder, "pk", None) != stage.responder_id:
        independence.check_may_allocate(case, user, to=new_responder, stage=stage)
    for day_field in ("statement_agreed_on", "report_received_on", "panel_on", "adjudication_on"):
        day = changes.get(day_field)
        if day and day < stage.requested_on:
            raise TransitionRefused("A date in the stage cannot be before the stage began.")
    if changes.get("report_received_on"):
        _not_future(changes["report_received_on"], "The date the report was received")
    before = audit.snapshot(stage, changes)
    for name, value in changes.items():
        setattr(stage, name, value)
    stage.save(update_fields=list(changes))
    # The dates a clock counts from: the statement of complaint (a Stage 2 start, if the
    # council chose it), the panel and its report (the Stage 3 response, decision 0028).
    if {"statement_agreed_on", "panel_on", "report_received_on"} & set(changes) and has_rule(
        case.procedure, stage.number, case.received_on
    ):
        _refresh_clock(stage)
    stage.refresh_from_db(fields=list(changes))  # as stored: 600 becomes 600.00
    moved = audit.diff(before, audit.snapshot(stage, changes))
    if moved:
        _bump(case)
        audit.record(
            "stage.changed",
            user=user,
            case=case,
            obj=stage,
            changes=[{**c, "field": f"stage {stage.number} {c['field']}"} for c in moved],
        )
    return stage


#: Case fields that "change details" may edit; state (status, procedure, outcome) changes only
#: through the transitions above.
DETAIL_FIELDS = (
    "received_on", "channel", "summary", "desired_outcome", "complainant_name",
    "complainant_email", "complainant_phone", "complainant_address", "complainant_role",
    "complainant_under_18", "complainant_looked_after", "anonymous", "child_name",
    "child_consent", "representative_type", "representative_name", "advocate_offered",
    "advocate_accepted", "service_area", "locality", "provider_involved", "provider_name",
    "ofsted_notified", "staff_named", "compliment_source", "quote", "quote_publishable",
    "enquiry_source", "lgsco_reference", "lgsco_enquiry_type", "lgsco_decision",
    "lgsco_decision_on", "lgsco_remedy", "lgsco_remedy_complied_on", "lgsco_reply_due",
    "lgsco_replied_on", "disclosure_requester",
    "identification_received_on", "information_outcome", "further_records_request",
    "case_study", "case_study_publishable", "complainant_postcode",
    "staff_complained_about_names", "equality_age_band", "equality_sex", "equality_ethnicity",
    "equality_disability",
)  # fmt: skip

#: Many-to-many details, set as a whole and audited as lists of names.
DETAIL_MANY = ("categories", "staff_complained_about")


@transaction.atomic
def update_details(
    case: Case, *, changes: Mapping, user=None, expected_version: int | None = None
) -> Case:
    """Change a case's recorded details; every field that changed is audited old → new.
    A change to the received date or the identification date recalculates open clocks."""
    case = _lock(case, expected_version)
    unknown = set(changes) - set(DETAIL_FIELDS) - set(DETAIL_MANY)
    if unknown:
        raise TransitionRefused(f"{', '.join(sorted(unknown))} cannot be changed here.")
    fields = {k: v for k, v in changes.items() if k not in DETAIL_MANY}
    if "received_on" in fields:
        _not_future(fields["received_on"], "The date received")
    before = audit.snapshot(case, fields)
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean(exclude=list(DETAIL_MANY))
    moved = audit.diff(before, audit.snapshot(case, fields))
    for name in DETAIL_MANY:
        if name not in changes:
            continue
        old = sorted(str(item) for item in getattr(case, name).all())
        new = sorted(str(item) for item in changes[name])
        if old != new or {o.pk for o in getattr(case, name).all()} != {n.pk for n in changes[name]}:
            getattr(case, name).set(changes[name])
            moved.append({"field": name, "old": old, "new": new})
    if not moved:
        return case
    _bump(case, *fields)
    audit.record("case.changed", user=user, case=case, obj=case, changes=moved)
    if {"received_on", "identification_received_on"} & {c["field"] for c in moved}:
        for stage in case.stages.filter(responded_on__isnull=True):
            _refresh_clock(stage)
    return case


@transaction.atomic
def add_learning(
    case: Case,
    *,
    category,
    lesson: str,
    recommendation: str = "",
    publishable: bool = False,
    user=None,
    expected_version: int | None = None,
):
    from heard.cases.models import Learning

    case = _lock(case, expected_version)
    if not lesson.strip():
        raise TransitionRefused("Enter the lesson learned.")
    learning = Learning.objects.create(
        case=case,
        category=category,
        lesson=lesson,
        recommendation=recommendation,
        publishable=publishable,
        recorded_on=_today(),
    )
    _bump(case)
    audit.record_created("learning.created", learning, case=case, user=user)
    return learning


@transaction.atomic
def add_action(
    learning,
    *,
    description: str,
    owner: str,
    due_on: datetime.date,
    shared_with_complainant: bool = False,
    user=None,
):
    from heard.cases.models import Action

    if not description.strip() or not owner.strip():
        raise TransitionRefused("Enter the action and who owns it.")
    action = Action.objects.create(
        learning=learning,
        description=description,
        owner=owner,
        due_on=due_on,
        shared_with_complainant=shared_with_complainant,
    )
    audit.record_created("action.created", action, case=learning.case, user=user)
    return action


@transaction.atomic
def complete_action(action, *, completed_on: datetime.date, evidence: str, user=None):
    """Record an action as done with its evidence, and sign it off."""
    if action.signed_off_on:
        raise TransitionRefused("This action has already been signed off.")
    if not evidence.strip():
        raise TransitionRefused("Enter the evidence that the action was done.")
    _not_future(completed_on, "The date the action was done")
    action.completed_on, action.evidence = completed_on, evidence
    action.signed_off_on, action.signed_off_by = _today(), user
    action.save()
    audit.record(
        "action.signed_off",
        user=user,
        case=action.learning.case,
        obj=action,
        changes=[{"field": "action completed", "old": None, "new": completed_on}],
        note=evidence,
    )
    return action


_PEOPLE_FIELDS = (
    "channel", "complainant_name", "complainant_email", "complainant_phone",
    "complainant_address", "complainant_role", "complainant_under_18",
    "complainant_looked_after", "anonymous", "child_name", "child_consent",
    "representative_type", "representative_name", "service_area", "locality", "allocated_to",
)  # fmt: skip


@transaction.atomic
def become_complaint(
    contact: Case, *, received_on: datetime.date, user=None, expected_version: int | None = None
) -> Case:
    """A comment or contact that the person now wants handled as a complaint: a new complaint,
    to triage, linked to the contact (so reports can count contacts that became complaints)."""
    from heard.cases.services import log_case

    contact = _lock(contact, expected_version)
    if contact.kind != Kind.COMMENT:
        raise TransitionRefused("Only a comment or contact can become a complaint.")
    if contact.linked_from.filter(kind=Kind.COMPLAINT).exists():
        raise TransitionRefused(f"{contact.reference} has already become a complaint.")
    if received_on < contact.received_on:
        raise TransitionRefused("The complaint cannot be made before the contact was received.")
    _not_future(received_on, "The date of the complaint")
    complaint = log_case(
        user=user,
        kind=Kind.COMPLAINT,
        received_on=received_on,
        summary=contact.summary,
        desired_outcome=contact.desired_outcome,
        linked_case=contact,
        **{name: getattr(contact, name) for name in _PEOPLE_FIELDS},
    )
    if contact.status != Status.CLOSED:
        contact.status, contact.resolution, contact.closed_on = (
            Status.CLOSED,
            Resolution.NO_FURTHER_ACTION,
            received_on,
        )
        contact.resolution_reason = f"Became complaint {complaint.reference}."
        _bump(contact, "status", "resolution", "closed_on", "resolution_reason")
    audit.record(
        "case.linked",
        user=user,
        case=contact,
        obj=contact,
        changes=[{"field": "became complaint", "old": None, "new": complaint.reference}],
    )
    return complaint


@transaction.atomic
def add_remedy(
    case: Case,
    *,
    kind: str,
    due_on: datetime.date,
    description: str = "",
    amount=None,
    user=None,
    expected_version: int | None = None,
):
    """Record a remedy the Ombudsman asked for and the council agreed, with its due date."""
    from heard.cases.choices import RemedyKind
    from heard.cases.models import Remedy

    case = _lock(case, expected_version)
    if case.kind != Kind.OMBUDSMAN:
        raise TransitionRefused("Remedies are recorded on the Ombudsman case.")
    if kind not in RemedyKind.values:
        raise TransitionRefused("Choose the kind of remedy.")
    if kind == RemedyKind.PAYMENT and amount is None:
        raise TransitionRefused("Enter the amount of the payment.")
    if amount is not None and amount < 0:
        raise TransitionRefused("The amount cannot be negative.")
    if kind in {RemedyKind.SERVICE_IMPROVEMENT, RemedyKind.OTHER} and not description.strip():
        raise TransitionRefused("Describe what the council agreed to do.")
    if due_on < case.received_on:
        raise TransitionRefused("A remedy cannot be due before the Ombudsman case was received.")
    remedy = Remedy.objects.create(
        case=case, kind=kind, due_on=due_on, description=description.strip(), amount=amount
    )
    _bump(case)
    audit.record(
        "remedy.agreed",
        user=user,
        case=case,
        obj=remedy,
        changes=[{"field": str(remedy), "old": None, "new": f"due {due_on:%-d %B %Y}"}],
        note=remedy.description,
    )
    return remedy


@transaction.atomic
def comply_remedy(
    case: Case,
    *,
    remedy_id: int,
    complied_on: datetime.date,
    evidence: str,
    user=None,
    expected_version: int | None = None,
):
    """Record that a remedy was complied with, and the evidence sent to the Ombudsman. When
    the last outstanding remedy is done, the case's "remedy complied with" date (which the
    Ombudsman's annual figures count) is set, unless one was recorded already."""
    case = _lock(case, expected_version)
    remedy = case.remedies.filter(pk=remedy_id).first()
    if remedy is None:
        raise TransitionRefused("There is no such remedy on this case.")
    if remedy.complied_on:
        raise TransitionRefused(
            f"{remedy} was already recorded as complied with on {remedy.complied_on:%-d %B %Y}."
        )
    if not evidence.strip():
        raise TransitionRefused("Enter the evidence that the remedy was complied with.")
    _not_future(complied_on, "The date it was complied with")
    if complied_on < case.received_on:
        raise TransitionRefused("A remedy cannot be complied with before the case was received.")
    remedy.complied_on, remedy.evidence = complied_on, evidence.strip()
    remedy.save(update_fields=["complied_on", "evidence"])
    fields = []
    changes = [{"field": f"{remedy} complied with", "old": None, "new": complied_on}]
    if not case.remedies.filter(complied_on__isnull=True).exists() and not (
        case.lgsco_remedy_complied_on
    ):
        last = max(r.complied_on for r in case.remedies.all())
        case.lgsco_remedy_complied_on = last
        fields.append("lgsco_remedy_complied_on")
        changes.append({"field": "every remedy complied with", "old": None, "new": last})
    _bump(case, *fields)
    audit.record(
        "remedy.complied", user=user, case=case, obj=remedy, changes=changes, note=evidence
    )
    return remedy
