"""Independent stages: whoever answered Stage 1 of a complaint stays out of its later stages.

The statutory procedure (and the Complaint Handling Code) expect Stage 2 and Stage 3 to be
independent of Stage 1. So, on a case, the person who answered Stage 1:

* cannot record, change or see drafts of the Stage 2 or Stage 3 findings: they cannot record
  the response of a later stage or change its details (investigation, panel, adjudication),
  and until that stage is answered its details, its approval steps and their history are
  hidden from them (what was decided, once sent, they may read);
* cannot change who responds at any stage (allocate the case, or name a stage's responder);
* and cannot be named to respond to Stage 2 or Stage 3.

Allocating, and naming a stage's responder, is for the complaints team only (casework roles,
``roles.can_run_casework``). The workflow calls the checks here, so the screens, the API and
the importer obey the same rules; the screens also hide what the person may not do.

"Whoever answered Stage 1" is the Stage 1 responder recorded on the stage, and whoever recorded
the Stage 1 response themselves when they are not in the complaints team (a responding manager
or investigator answering on their own account; an officer keying a response in on someone's
behalf is not answering it).
"""

from __future__ import annotations

from heard.accounts import roles
from heard.cases.workflow import TransitionRefused

#: The stage fields that are the clock, shown to everyone who may see the case; the rest of a
#: later stage (who investigates, the panel, the adjudication, the outcome) is its draft.
CLOCK_FIELDS = frozenset(
    {
        "id", "case", "number", "requested_on", "acknowledged_on", "acknowledgement_due",
        "response_due", "extended_to", "suspended", "responded_on",
    }
)  # fmt: skip
#: Audit actions about a later stage's draft, hidden with it.
DRAFT_ACTIONS = frozenset({"stage.changed", "stage.approval.checked", "stage.approval.signed_off",
                           "stage.approval.returned"})  # fmt: skip


class NotIndependent(TransitionRefused):
    """The person answered Stage 1, so may not take part in a later stage; the message says
    what they tried and why it is refused."""


class AllocationRefused(TransitionRefused):
    """Only the complaints team allocates cases and names responders."""


def stage_one_answerers(case, stages=None, entries=None) -> set[int]:
    """The ids of the people who answered Stage 1 of ``case`` (see the module docstring).
    ``entries``: the case's audit entries (``heard.audit.history.entries``), when already
    read: they hold who recorded the response, so it is not asked for again."""
    from heard.audit.models import AuditEvent

    stages = list(case.stages.all()) if stages is None else stages
    first = next((s for s in stages if s.number == 1), None)
    if first is None:
        return set()
    key = (first.pk, first.responder_id, first.responded_on)
    cached = case.__dict__.get("_stage_one_answerers")
    if cached is not None and cached[0] == key:
        return cached[1]  # one look-up per page, however many questions it asks
    found = {first.responder_id} if first.responder_id else set()
    if entries is not None:
        recorders = [
            (e.user_id, e.role)
            for e in entries
            if e.action == "stage.responded"
            and e.object_type == "stage"
            and e.object_id == str(first.pk)
        ]
    else:  # asked even before Stage 1 is answered, so a page runs the same queries either way
        recorders = AuditEvent.objects.filter(
            case_id=case.pk,
            action="stage.responded",
            object_type="stage",
            object_id=str(first.pk),
        ).values_list("user_id", "user__role")
    found |= {
        user_id for user_id, role in recorders if user_id and role not in roles.CASEWORK_ROLES
    }
    case.__dict__["_stage_one_answerers"] = (key, found)
    return found


def answered_stage_one(case, user, stages=None) -> bool:
    return bool(user is not None and user.pk in stage_one_answerers(case, stages))


def check_may_work_on(case, stage, user, *, doing: str) -> None:
    """Refuse the Stage 1 answerer anything on Stage 2 or Stage 3 (``doing``: "record the
    response", "change the details" …)."""
    if stage is None or stage.number < 2 or user is None:
        return
    if answered_stage_one(case, user):
        raise NotIndependent(
            f"You answered Stage 1 of {case.reference}, so you cannot {doing} at Stage "
            f"{stage.number}: later stages are answered independently of Stage 1."
        )


def check_may_allocate(case, user, *, to=None, stage=None) -> None:
    """Refuse a change of who responds unless it comes from the complaints team and not from
    the Stage 1 answerer; and refuse naming the Stage 1 answerer to respond to a later stage,
    or someone a restricted case is not restricted to. ``user`` None is the system (demo,
    import), which is trusted."""
    from heard.cases.restriction import check_can_be_given

    if user is not None:
        if not roles.can_run_casework(user):
            raise AllocationRefused(
                "Only the complaints team can allocate cases or choose who responds."
            )
        if answered_stage_one(case, user):
            raise NotIndependent(
                f"You answered Stage 1 of {case.reference}, so you cannot change who responds "
                "to it at any stage: ask another member of the complaints team."
            )
    later = stage is not None and stage.number >= 2
    if to is not None and later and to.pk in stage_one_answerers(case):
        raise NotIndependent(
            f"{to} answered Stage 1 of {case.reference}, so cannot respond to Stage "
            f"{stage.number}: later stages are answered independently of Stage 1."
        )
    check_can_be_given(case, to, what="allocated" if stage is None else "named to respond to")


def hidden_stage_ids(case, user, stages) -> set[int]:
    """The later stages whose drafts ``user`` may not see: unanswered Stage 2 or 3 when they
    answered Stage 1."""
    later = [s for s in stages if s.number >= 2 and s.responded_on is None]
    if not later or not answered_stage_one(case, user, stages):
        return set()
    return {s.pk for s in later}


def redacted_stage(stage):
    """A copy of ``stage`` with only its clock, for showing to someone who may not see its
    draft. Never saved."""
    from heard.cases.models import Stage

    kept = {
        f.attname: getattr(stage, f.attname)
        for f in Stage._meta.concrete_fields
        if f.name in CLOCK_FIELDS
    }
    copy = Stage(**kept)
    copy._state.adding, copy._state.db = False, stage._state.db
    cache = getattr(stage, "_prefetched_objects_cache", {})
    copy._prefetched_objects_cache = {
        name: cache[name] for name in ("extensions", "suspensions") if name in cache
    }
    return copy


def readable_history(case, user, stages=None) -> list:
    """The case's audit entries (``heard.audit.history.entries``, newest first) that ``user``
    may read: all of them, less the drafts of a later stage for the Stage 1 answerer. One
    query: who answered Stage 1 is read from the same entries."""
    from heard.audit.history import entries
    from heard.audit.models import AuditEvent

    found = entries(AuditEvent.objects.for_case(case.pk))
    if user is None:
        return found
    stages = list(case.stages.all()) if stages is None else stages
    stage_one_answerers(case, stages, found)  # kept on the case for the page's other checks
    hidden = {str(i) for i in hidden_stage_ids(case, user, stages)}
    if not hidden:
        return found
    return [
        e
        for e in found
        if not (e.action in DRAFT_ACTIONS and e.object_type == "stage" and e.object_id in hidden)
    ]


def refuse_later_stage_page(case, user, *, doing: str) -> None:
    """For a page about the latest stage (record the response, stage details): a 403 with the
    plain reason when ``user`` answered Stage 1 and the stage is a later one."""
    from heard.core.access import PageRefused

    latest = case.stages.order_by("-number").first()
    try:
        check_may_work_on(case, latest, user, doing=doing)
    except NotIndependent as refused:
        raise PageRefused(str(refused)) from None


def later_stages_answered_by_stage_one(responders: dict[int, str | None]) -> list[int]:
    """For a record coming in (the importer): the later stage numbers whose responder is the
    Stage 1 responder, given each stage's responder by stage number."""
    first = responders.get(1)
    return sorted(n for n, who in responders.items() if n >= 2 and first and who == first)


def refuse_allocation_page(case, user) -> None:
    """For the allocation page: a 403 with the plain reason for whoever may not allocate."""
    from heard.core.access import PageRefused

    try:
        check_may_allocate(case, user)
    except TransitionRefused as refused:
        raise PageRefused(str(refused)) from None
