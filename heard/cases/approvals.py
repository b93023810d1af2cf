"""Responses that must be approved before they are sent.

Per procedure and stage, a council may require (``ApprovalRule``, kept by administrators on
the approval settings page):

* a **check by the complaints team** (a complaints officer or manager), and/or
* **sign-off by a named senior manager** (one of the people the rule names),

before the response date of that stage can be recorded. Each step is recorded
(``ApprovalStep``: who, when, the decision and a comment), shown on the case and audited
(``stage.approval.checked``, ``stage.approval.signed_off``, ``stage.approval.returned``).
The order is check, then sign-off; either may send the response back with a comment, and then
it needs a fresh check and sign-off. Recording the response without the steps the rule asks
for is refused (:class:`ApprovalRequired`) by ``workflow.respond``, so the screens and the API
obey the same rule. Responses imported from another system happened outside Heard and are
taken as they were.

A senior manager named to sign off a stage reaches the cases waiting for their sign-off
(``cases_to_sign_off``, part of the case scope), unless the case is restricted to other people.
The person who responded to a stage cannot sign it off, nor can whoever checked it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef

from heard.accounts import roles
from heard.audit import services as audit
from heard.cases.access_models import ApprovalRule, ApprovalStep
from heard.cases.choices import Procedure
from heard.cases.workflow import TransitionRefused

Step, Decision = ApprovalStep.Step, ApprovalStep.Decision
AUDIT_ACTION = {
    (Step.CHECK, Decision.APPROVED): "stage.approval.checked",
    (Step.SIGN_OFF, Decision.APPROVED): "stage.approval.signed_off",
    (Step.CHECK, Decision.RETURNED): "stage.approval.returned",
    (Step.SIGN_OFF, Decision.RETURNED): "stage.approval.returned",
}
#: The stages each procedure has, for the settings page.
STAGES = {Procedure.CHILDRENS_STATUTORY: 3, Procedure.CORPORATE: 2}


class ApprovalRequired(TransitionRefused):
    """The response date cannot be recorded yet: a required check or sign-off is missing."""


class ApprovalRefused(TransitionRefused):
    """The approval step cannot be recorded as asked; the message says why."""


@dataclass
class Approval:
    """Where one stage's approval stands."""

    rule: ApprovalRule | None
    steps: list[ApprovalStep] = field(default_factory=list)
    checked: ApprovalStep | None = None
    signed: ApprovalStep | None = None

    @property
    def needed(self) -> list[str]:
        """What is still missing, in words."""
        missing = []
        if self.rule is None:
            return missing
        if self.rule.team_check and self.checked is None:
            missing.append("a check by the complaints team")
        if self.rule.sign_off and self.signed is None:
            missing.append("sign-off by a senior manager")
        return missing

    @property
    def complete(self) -> bool:
        return not self.needed


def rule_for(procedure: str, number: int, rules=None) -> ApprovalRule | None:
    if rules is None:
        rules = ApprovalRule.objects.filter(procedure=procedure, stage_number=number)
        rules = rules.prefetch_related("signers")
    found = next((r for r in rules if r.procedure == procedure and r.stage_number == number), None)
    return found if found is not None and found.requires_anything else None


def approval_of(stage, procedure: str, *, rules=None, steps=None) -> Approval:
    """The approval state of ``stage`` from its recorded steps (oldest first)."""
    if steps is None:
        steps = list(stage.approvals.select_related("by"))
    state = Approval(rule_for(procedure, stage.number, rules), list(steps))
    for step in state.steps:
        if step.decision == Decision.RETURNED:
            state.checked = state.signed = None
        elif step.step == Step.CHECK:
            state.checked = step
        else:
            state.signed = step
    return state


def check_response_approved(case, stage) -> None:
    """Refuse to record the response of ``stage`` while its approval is incomplete."""
    state = approval_of(stage, case.procedure)
    if not state.complete:
        raise ApprovalRequired(
            f"The Stage {stage.number} response needs {' and '.join(state.needed)} before "
            "its date can be recorded."
        )


def cases_to_sign_off(user) -> list[tuple[object, str]]:
    """The cases ``user`` is named to sign off (an open stage whose rule names them) or took an
    approval step on, for the case scope (``heard.cases.access``): querysets of stages and of
    approval steps, each with the field that holds its case's id."""
    from heard.cases.models import Stage

    named = ApprovalRule.objects.filter(
        sign_off=True,
        signers=user,
        procedure=OuterRef("case__procedure"),
        stage_number=OuterRef("number"),
    )
    waiting = Stage.objects.filter(Exists(named), responded_on__isnull=True)
    took_part = ApprovalStep.objects.filter(by=user)
    return [(waiting, "case_id"), (took_part, "stage__case_id")]


def may_check(user) -> bool:
    return roles.can_run_casework(user)


def may_sign_off(user, state: Approval) -> bool:
    return bool(
        state.rule is not None
        and state.rule.sign_off
        and any(p.pk == user.pk for p in state.rule.signers.all())
    )


@transaction.atomic
def record_step(case, *, step: str, decision: str, comment: str = "", user) -> ApprovalStep:
    """Record the complaints team's check or a senior manager's sign-off of the response to
    the open stage, or send it back with a comment."""
    from heard.cases.independence import check_may_work_on
    from heard.cases.models import Case

    case = Case.objects.select_for_update().get(pk=case.pk)
    stage = case.stages.filter(responded_on__isnull=True).order_by("-number").first()
    if stage is None:
        raise ApprovalRefused(f"{case.reference} has no stage waiting for a response.")
    check_may_work_on(case, stage, user, doing="check or sign off the response")
    state = approval_of(stage, case.procedure)
    if state.rule is None:
        raise ApprovalRefused(f"Stage {stage.number} responses need no approval.")
    if step not in Step.values or decision not in Decision.values:
        raise ApprovalRefused("Choose whether to approve the response or send it back.")
    if decision == Decision.RETURNED and not comment.strip():
        raise ApprovalRefused("Say what needs to change before the response can be approved.")
    if step == Step.CHECK:
        if not state.rule.team_check:
            raise ApprovalRefused(f"Stage {stage.number} responses need no check by the team.")
        if not may_check(user):
            raise ApprovalRefused("Only the complaints team can check a response.")
        if decision == Decision.APPROVED and state.checked is not None:
            raise ApprovalRefused(
                f"The response was already checked by {state.checked.by} on "
                f"{state.checked.at:%-d %B %Y}."
            )
    else:
        if not state.rule.sign_off:
            raise ApprovalRefused(f"Stage {stage.number} responses need no sign-off.")
        if not may_sign_off(user, state):
            raise ApprovalRefused(
                f"Only a senior manager named to sign off Stage {stage.number} responses can "
                "sign this one off."
            )
        if stage.responder_id == user.pk:
            raise ApprovalRefused(
                "You are the responder for this stage, so someone else must sign it off."
            )
        if decision == Decision.APPROVED:
            if state.rule.team_check and state.checked is None:
                raise ApprovalRefused(
                    "The complaints team must check the response before it is signed off."
                )
            if state.checked is not None and state.checked.by_id == user.pk:
                raise ApprovalRefused(
                    "You checked this response, so someone else must sign it off."
                )
            if state.signed is not None:
                raise ApprovalRefused(
                    f"The response was already signed off by {state.signed.by} on "
                    f"{state.signed.at:%-d %B %Y}."
                )
    recorded = ApprovalStep.objects.create(
        stage=stage, step=step, decision=decision, comment=comment.strip(), by=user
    )
    audit.record(
        AUDIT_ACTION[(step, decision)],
        user=user,
        case=case,
        obj=stage,
        changes=[
            {
                "field": f"stage {stage.number} response",
                "old": None,
                "new": f"{Step(step).label}: {Decision(decision).label.lower()}",
            }
        ],
        note=comment.strip(),
    )
    return recorded


@transaction.atomic
def set_rule(
    procedure: str, stage_number: int, *, team_check: bool, sign_off: bool, signers, user
) -> ApprovalRule:
    """Save what a procedure's stage needs before its response is recorded."""
    if procedure not in Procedure.values or not 1 <= stage_number <= STAGES.get(procedure, 1):
        raise ApprovalRefused("There is no such stage.")
    signers = list(signers)
    if sign_off and not signers:
        raise ApprovalRefused("Name at least one senior manager who may sign responses off.")
    rule = ApprovalRule.objects.filter(procedure=procedure, stage_number=stage_number).first()
    # A signer already named who has since changed role stays named until removed.
    already = set(rule.signers.values_list("pk", flat=True)) if rule is not None else set()
    unsuitable = [p for p in signers if p.pk not in already and not roles.can_read_cases(p)]
    if unsuitable:
        raise ApprovalRefused(f"{unsuitable[0]} cannot read cases, so cannot sign them off.")
    if rule is None:
        if not (team_check or sign_off):
            return ApprovalRule(procedure=procedure, stage_number=stage_number)
        rule = ApprovalRule.objects.create(procedure=procedure, stage_number=stage_number)
    before = {
        "complaints team check": rule.team_check,
        "senior manager's sign-off": rule.sign_off,
        "may sign off": sorted(str(p) for p in rule.signers.all()),
    }
    rule.team_check, rule.sign_off = team_check, sign_off
    rule.save()
    rule.signers.set(signers if sign_off else [])
    after = {
        "complaints team check": team_check,
        "senior manager's sign-off": sign_off,
        "may sign off": sorted(str(p) for p in rule.signers.all()),
    }
    changes = [
        {"field": name, "old": before[name], "new": after[name]}
        for name in after
        if before[name] != after[name]
    ]
    if changes:
        audit.record("approvals.rule_changed", user=user, obj=rule, changes=changes, note=str(rule))
    return rule


def settings_rows() -> list[dict]:
    """Every procedure stage with what its response needs, for the settings page."""
    rules = {
        (r.procedure, r.stage_number): r for r in ApprovalRule.objects.prefetch_related("signers")
    }
    rows = []
    for procedure in Procedure:
        for number in range(1, STAGES.get(procedure, 1) + 1):
            rule = rules.get((procedure.value, number))
            needs = []
            if rule and rule.team_check:
                needs.append("a check by the complaints team")
            if rule and rule.sign_off:
                names = ", ".join(str(p) for p in rule.signers.all())
                needs.append(f"sign-off by a senior manager ({names})")
            rows.append(
                {
                    "procedure": procedure,
                    "stage": number,
                    "needs": " and ".join(needs) or "Nothing",
                }
            )
    return rows


def panel(case, user, stages, hidden_stage_ids=frozenset(), *, steps=True) -> list[dict]:
    """What the case page shows of each stage's approval: the steps recorded, what is still
    needed, and what ``user`` may do now. Two queries whatever the number of stages, fewer
    when ``steps`` is False (the case has no step recorded: ``heard.cases.presence``) or
    every stage is answered (an answered stage's rule is not shown)."""
    visible = [s for s in stages if s.pk not in hidden_stage_ids]
    if not visible:
        return []
    rules = []
    if any(s.responded_on is None for s in visible):
        rules = list(
            ApprovalRule.objects.filter(procedure=case.procedure).prefetch_related("signers")
        )
    recorded: dict[int, list] = {s.pk: [] for s in visible}
    if steps:
        # In the order they were recorded, within each stage (the default order would join
        # the stages and their case to order by them first).
        found = ApprovalStep.objects.filter(stage__in=visible).select_related("by")
        for step in found.order_by("at", "id"):
            recorded[step.stage_id].append(step)
    shown = []
    for stage in visible:
        state = approval_of(stage, case.procedure, rules=rules, steps=recorded[stage.pk])
        if not state.steps and (state.rule is None or stage.responded_on is not None):
            continue  # nothing recorded, and nothing to do
        waiting = stage.responded_on is None and case.status != "closed" and state.rule
        shown.append(
            {
                "stage": stage,
                "steps": state.steps,
                "needed": state.needed if stage.responded_on is None else [],
                "can_check": bool(waiting and state.rule.team_check and may_check(user)),
                "can_sign_off": bool(waiting and may_sign_off(user, state)),
                "signers": list(state.rule.signers.all()) if state.rule else [],
            }
        )
    return shown
