"""The actions on a case page: each is a button that leads to a short form, and each calls
one function of ``heard.cases.workflow``. ``available(case, stages)`` decides whether the button
is shown; the workflow still refuses anything that makes no sense, whatever is posted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from heard.cases import forms, workflow
from heard.cases.choices import Kind, Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type
    run: Callable
    available: Callable
    done: str


def _open_stage(stages):
    return next((s for s in reversed(stages) if s.responded_on is None), None)


def _has_open_stage(case, stages):
    return case.status != Status.CLOSED and _open_stage(stages) is not None


def _suspended(case, stages):
    stage = _open_stage(stages)
    return case.status != Status.CLOSED and stage is not None and stage.suspended


def _can_escalate(case, stages):
    return (
        case.kind == Kind.COMPLAINT
        and bool(stages)
        and stages[-1].responded_on is not None
        and stages[-1].number < workflow.LAST_STAGE.get(case.procedure, 1)
        and case.resolution in {"", "responded"}
    )


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "triage", "Decide the procedure", forms.TriageForm,
            lambda case, d, **kw: workflow.triage(
                case, procedure=d["procedure"], reason=d["reason"],
                start_at_stage=d["start_at_stage"], **kw,
            ),
            lambda case, stages: case.status == Status.NEW and case.kind == Kind.COMPLAINT,
            "Procedure decided and the first stage opened.",
        ),
        Action(
            "allocate", "Allocate", forms.AllocateForm,
            lambda case, d, **kw: workflow.allocate(case, to=d["to"], **kw),
            lambda case, stages: case.status != Status.CLOSED,
            "Case allocated.",
        ),
        Action(
            "acknowledge", "Acknowledge", forms.AcknowledgeForm,
            lambda case, d, **kw: workflow.acknowledge(case, on=d["on"], **kw),
            lambda case, stages: _has_open_stage(case, stages)
            and not _open_stage(stages).acknowledged_on,
            "Acknowledgement recorded.",
        ),
        Action(
            "extend", "Extend the timescale", forms.ExtendForm,
            lambda case, d, **kw: workflow.extend(
                case, extended_to=d["extended_to"], reason=d["reason"],
                agreed_on=d["agreed_on"], agreed_with_complainant=d["agreed_with_complainant"],
                **kw,
            ),
            _has_open_stage,
            "Timescale extended.",
        ),
        Action(
            "suspend", "Stop the clock", forms.SuspendForm,
            lambda case, d, **kw: workflow.suspend(
                case, reason=d["reason"], started_on=d["started_on"], note=d["note"], **kw
            ),
            lambda case, stages: _has_open_stage(case, stages) and not _suspended(case, stages),
            "Clock stopped.",
        ),
        Action(
            "resume", "Restart the clock", forms.ResumeForm,
            lambda case, d, **kw: workflow.resume(case, ended_on=d["ended_on"], **kw),
            _suspended,
            "Clock restarted.",
        ),
        Action(
            "escalate", "Escalate to the next stage", forms.EscalateForm,
            lambda case, d, **kw: workflow.escalate(
                case, requested_on=d["requested_on"],
                late_request_reason=d["late_request_reason"], **kw,
            ),
            _can_escalate,
            "Next stage opened.",
        ),
        Action(
            "withdraw", "Withdraw", forms.WithdrawForm,
            lambda case, d, **kw: workflow.withdraw(case, on=d["on"], reason=d["reason"], **kw),
            lambda case, stages: case.status != Status.CLOSED,
            "Case withdrawn.",
        ),
        Action(
            "close", "Close", forms.CloseForm,
            lambda case, d, **kw: workflow.close(
                case, resolution=d["resolution"], on=d["on"], reason=d["reason"], **kw
            ),
            lambda case, stages: case.status != Status.CLOSED,
            "Case closed.",
        ),
        Action(
            "become-complaint", "Handle as a complaint", forms.BecomeComplaintForm,
            lambda case, d, **kw: workflow.become_complaint(
                case, received_on=d["received_on"], **kw
            ),
            lambda case, stages: case.kind == Kind.COMMENT,
            "A complaint was logged, linked to this contact.",
        ),
        Action(
            "reopen", "Reopen", forms.ReopenForm,
            lambda case, d, **kw: workflow.reopen(case, reason=d["reason"], **kw),
            lambda case, stages: case.status == Status.CLOSED,
            "Case reopened.",
        ),
    )
}  # fmt: skip
