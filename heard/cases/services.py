"""State changes to cases. The screens, the API, the importer and the tests all come here.

Every function runs in one transaction and writes its audit events in that transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from heard.audit import services as audit
from heard.cases import clocks, schedule
from heard.cases.choices import REFERENCE_PREFIX, UPHELD_OUTCOMES, Status
from heard.cases.models import Case, ReferenceCounter, Stage
from heard.deadlines.calendar import council_calendar
from heard.deadlines.models import CalendarSettings


def next_reference(kind: str, year: int) -> str:
    """The next free reference for a kind of case in a year, such as ``CMP-2026-00042``.
    The counter row is locked, so two officers logging at once never get the same one."""
    prefix = REFERENCE_PREFIX[kind]
    with transaction.atomic():
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:05d}"


def apply_clock(stage: Stage, calendar, settings: CalendarSettings | None = None) -> bool:
    """Recompute a stage's due dates from its events. Returns True if any date changed."""
    settings = settings or CalendarSettings.current()
    suspensions = [(s.started_on, s.ended_on) for s in stage.suspensions.all()] if stage.pk else []
    dates = clocks.stage_clock(
        calendar, stage.case, stage, suspensions, settings.stage2_clock_start
    )
    before = (stage.acknowledgement_due, stage.response_due, stage.suspended)
    stage.acknowledgement_due = dates.acknowledgement_due
    stage.response_due = dates.response_due
    stage.suspended = dates.paused
    return before != (stage.acknowledgement_due, stage.response_due, stage.suspended)


def sync_current_stage(case: Case) -> None:
    """Copy the latest stage's number and dates onto the case (see ``Case.stage_number``)."""
    from heard.cases.queries import CURRENT_STAGE_FIELDS

    latest = case.stages.order_by("-number").first()
    for field, source in CURRENT_STAGE_FIELDS.items():
        default = Case._meta.get_field(field).get_default()
        setattr(case, field, getattr(latest, source) if latest else default)
    case.needs_learning = (
        case.stages.filter(outcome__in=UPHELD_OUTCOMES).exists() and not case.learning.exists()
    )
    case.save(update_fields=[*CURRENT_STAGE_FIELDS, "needs_learning"])
    schedule.sync_next_due(case)


def sync_all_current_stages(cases=None) -> None:
    """``sync_current_stage`` for many cases in one UPDATE (the demo builder and importer)."""
    from heard.cases.queries import current_stage_values

    (cases if cases is not None else Case.objects.all()).update(**current_stage_values())


@transaction.atomic
def recalculate_open_clocks(*, user=None, because: str) -> int:
    """Recalculate every open stage's due dates (after a calendar change). Each case whose
    dates moved records the old and new dates in its history. Returns how many moved."""
    settings = CalendarSettings.current()
    calendar = council_calendar(settings)
    stages = (
        Stage.objects.filter(responded_on__isnull=True)
        .exclude(case__procedure="")
        .exclude(case__status=Status.CLOSED)
        .select_related("case")
        .prefetch_related("suspensions")
    )
    moved = []
    for stage in stages.iterator(chunk_size=2000):
        old_ack, old_due = stage.acknowledgement_due, stage.response_due
        if apply_clock(stage, calendar, settings):
            moved.append(stage)
            _record_moved(stage, old_ack, old_due, user=user, because=because)
    Stage.objects.bulk_update(
        moved, ["acknowledgement_due", "response_due", "suspended"], batch_size=2000
    )
    moved_cases = {stage.case_id for stage in moved}
    sync_all_current_stages(Case.objects.filter(pk__in=moved_cases))
    # The later steps of a stage (reports, adjudication, panel) count in the same calendar.
    from django.db.models import Q

    schedule.sync_next_due_many(
        Case.objects.filter(Q(next_due_on__isnull=False) | Q(pk__in=moved_cases)),
        calendar=calendar,
    )
    return len(moved_cases)


def _record_moved(stage: Stage, old_ack, old_due, *, user, because: str) -> None:
    """Audit a recalculation of a stage's due dates on its case: each date, old and new."""
    changes = []
    if old_ack != stage.acknowledgement_due:
        changes.append(
            {
                "field": f"stage {stage.number} acknowledgement due",
                "old": _iso(old_ack),
                "new": _iso(stage.acknowledgement_due),
            }
        )
    if old_due != stage.response_due:
        changes.append(
            {
                "field": f"stage {stage.number} response due",
                "old": _iso(old_due),
                "new": _iso(stage.response_due),
            }
        )
    audit.record(
        "stage.recalculated",
        user=user,
        actor="" if user else "System",
        case=stage.case,
        obj=stage,
        changes=changes,
        note=because,
    )


@transaction.atomic
def recalculate_answered_stage_3(*, user=None, because: str) -> int:
    """Recalculate the response due date of every *answered* Stage 3 under the current rule
    (decision 28: the council's response, 15 working days after the panel's report). A stage
    answered before that rule keeps the due date stored then (the panel's) until this is run.
    Only ``response_due`` moves: the response date, the findings and the other dates stay as
    recorded. Each move is audited on its case, old and new. Frozen report editions keep
    their figures (they are stored JSON). Returns how many cases moved."""
    settings = CalendarSettings.current()
    calendar = council_calendar(settings)
    stages = (
        Stage.objects.filter(number=3, responded_on__isnull=False)
        .exclude(case__procedure="")
        .select_related("case")
        .prefetch_related("suspensions")
        .order_by("pk")
    )
    moved = []
    for stage in stages.iterator(chunk_size=2000):
        suspensions = [(s.started_on, s.ended_on) for s in stage.suspensions.all()]
        dates = clocks.stage_clock(
            calendar, stage.case, stage, suspensions, settings.stage2_clock_start
        )
        if dates.response_due == stage.response_due:
            continue
        old_due = stage.response_due
        stage.response_due = dates.response_due
        moved.append(stage)
        _record_moved(stage, stage.acknowledgement_due, old_due, user=user, because=because)
    Stage.objects.bulk_update(moved, ["response_due"], batch_size=2000)
    moved_cases = {stage.case_id for stage in moved}
    sync_all_current_stages(Case.objects.filter(pk__in=moved_cases))
    schedule.sync_next_due_many(Case.objects.filter(pk__in=moved_cases), calendar=calendar)
    return len(moved_cases)


def _iso(value):
    return value.isoformat() if value else None


#: The procedure a kind of case follows from the start, without a triage decision.
_KIND_PROCEDURE = {"representation": "representation"}


@transaction.atomic
def log_case(*, user=None, actor: str = "", parts: list[dict] | None = None, **fields) -> Case:
    """Log a new case of any kind, as the "log a case" form, the public form and the importer
    do. Complaints wait for triage unless a procedure is given; enquiries and information
    requests start their clock at once; compliments, comments and Ombudsman cases have none.
    ``parts`` are the points complained about, each ``{"summary": ..., "category": Term}``."""
    from heard.cases import workflow
    from heard.cases.models import Part
    from heard.cases.workflow import TransitionRefused

    kind = fields["kind"]
    received_on = fields["received_on"]
    if received_on > timezone.localdate():
        raise TransitionRefused("The date received cannot be in the future.")
    if received_on.year < 1990:
        raise TransitionRefused("The date received must be in 1990 or later.")
    procedure = fields.pop("procedure", "") or _KIND_PROCEDURE.get(kind, "")
    if kind == "information_request":
        procedure = fields.get("request_type") or procedure
    fields.setdefault("status", Status.NEW if kind == "complaint" else Status.OPEN)
    if kind == "complaint" and procedure:
        fields["status"] = Status.NEW
    case = create_case(user=user, actor=actor, **fields)
    for number, part in enumerate(parts or [], start=1):
        created = Part.objects.create(
            case=case, number=number, summary=part["summary"], category=part.get("category")
        )
        audit.record_created("part.created", created, case=case, user=user, actor=actor)
    if kind == "complaint" and procedure:
        workflow.triage(
            case, procedure=procedure, reason=fields.get("triage_reason", ""), user=user
        )
    elif procedure:
        case.procedure = procedure
        case.save(update_fields=["procedure"])
        workflow._start_stage(case, 1, case.received_on, user=user)
    else:
        schedule.sync_next_due(case)  # an Ombudsman case may come with its reply date
    # The acknowledgement e-mail, when the council has switched it on (heard.correspondence).
    from heard.correspondence.automatic import acknowledge_if_on

    acknowledge_if_on(case, user=user, actor=actor)
    case.refresh_from_db()
    return case


def possible_duplicates(
    *, kind: str, received_on, name: str = "", email: str = "", weeks: int = 6, user=None
) -> list[Case]:
    """Recent cases of the same kind from the same person (by name or e-mail), so the officer
    logging a case is warned before creating a second record of the same complaint."""
    import datetime

    from django.db.models import Q

    who = Q()
    if name.strip():
        who |= Q(complainant_name__iexact=name.strip())
    if email.strip():
        who |= Q(complainant_email__iexact=email.strip())
    if not who:
        return []
    since = received_on - datetime.timedelta(weeks=weeks)
    cases = Case.objects.visible_to(user) if user is not None else Case.objects.all()
    return list(cases.filter(who, kind=kind, received_on__gte=since).order_by("-received_on")[:5])


@transaction.atomic
def create_case(*, user=None, actor: str = "", **fields) -> Case:
    """Log a new case. The reference is allocated here."""
    categories = fields.pop("categories", None)
    staff = fields.pop("staff_complained_about", None)
    case = Case(**fields)
    if not case.reference:
        case.reference = next_reference(case.kind, case.received_on.year)
    case.full_clean(exclude=["categories", "staff_complained_about"])
    case.save()
    if categories:
        case.categories.set(categories)
    if staff:
        case.staff_complained_about.set(staff)
    audit.record_created(
        "case.created", case, case=case, user=user, actor=actor,
        many=["categories", "staff_complained_about"],
    )  # fmt: skip
    return case
