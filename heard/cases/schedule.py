"""Every clock on a case, not only the stage response: what is due, by when, and whether it was
done in time.

A case has, depending on its kind and stage:

* each stage's acknowledgement and response (the stage's own clock, kept on ``Stage``);
* the window in which the complainant may ask for the next stage (20 working days of the
  previous stage's response), which the *complainant* owes, so it is shown but never chased;
* Stage 2: the Investigating Officer's report and the adjudication (the council's response);
* Stage 3: the review panel, the panel's report and the council's response to it, which is
  the stage's response (decision 0028);
* an Ombudsman case: the reply date the Ombudsman set, and each agreed remedy.

The due dates come from the timescale rules (``heard.timescales``) and are computed here from
a case's stages and remedies as loaded, with no query of their own. ``sync_next_due`` stores
the earliest date the council still owes on the case (``Case.next_due_on``) so that trackers
and reminders find due and overdue work with one indexed query.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from heard.cases.choices import Kind, Status
from heard.timescales import has_rule, milestone_dues, request_deadline, rule_for

COUNCIL, COMPLAINANT = "council", "complainant"

#: Which stage fields record that a milestone was done (the first one set counts).
DONE_BY = {
    "io_report": ("report_received_on",),
    "adjudication": ("adjudication_on", "responded_on"),
    "panel": ("panel_on",),
    "panel_report": ("report_received_on",),
}


@dataclass(frozen=True)
class CaseClock:
    #: A stable code: ``s2-adjudication``, ``s1-response``, ``lgsco-reply``, ``remedy-2``.
    key: str
    label: str
    due: datetime.date | None
    done_on: datetime.date | None
    #: Who owes it: the council, or (for a request window) the complainant.
    owed_by: str
    #: The council still owes it and it has a due date: trackers and reminders chase it.
    outstanding: bool
    stage: int | None = None
    #: How the date was worked out, or why there is none yet.
    note: str = ""
    #: Chased by trackers and reminders (the acknowledgement is shown but not chased there).
    chased: bool = True

    @property
    def late(self) -> bool:
        return bool(self.done_on and self.due and self.done_on > self.due)


def _stage_label(case, number: int) -> str:
    return f"Stage {number}" if case.kind == Kind.COMPLAINT else ""


def _label(prefix: str, what: str) -> str:
    return f"{prefix}: {what}" if prefix else what[:1].upper() + what[1:]


def _done(stage, key: str) -> datetime.date | None:
    for name in DONE_BY.get(key, ()):
        value = getattr(stage, name, None)
        if value:
            return value
    return None


def case_clocks(case, stages: Sequence, remedies: Iterable = (), *, calendar) -> list[CaseClock]:
    """Every clock of a case, stage by stage, then the Ombudsman's. ``stages`` in number
    order; ``remedies`` the case's ``Remedy`` rows."""
    clocks: list[CaseClock] = []
    still_open = case.status != Status.CLOSED
    stages = sorted(stages, key=lambda s: s.number)
    previous = None
    for stage in stages:
        rule = None
        if case.procedure and has_rule(case.procedure, stage.number, case.received_on):
            rule = rule_for(case.procedure, stage.number, case.received_on)
        prefix = _stage_label(case, stage.number)
        stage_open = still_open and stage.responded_on is None
        if rule and previous is not None and previous.responded_on and rule.request_within:
            clocks.append(_window(case, rule, previous, stage, calendar))
        if stage.acknowledgement_due or stage.acknowledged_on:
            clocks.append(
                CaseClock(
                    f"s{stage.number}-acknowledgement",
                    _label(prefix, "acknowledgement"),
                    stage.acknowledgement_due,
                    stage.acknowledged_on,
                    COUNCIL,
                    outstanding=False,
                    stage=stage.number,
                    chased=False,
                )
            )
        milestones = rule.milestones if rule else ()
        # At Stage 3 the stage's response is the council's response to the panel (decision
        # 0028): one row, under that step's name and key, due as the stage's response is.
        step = next((m for m in milestones if rule and m.key == rule.response_step), None)
        if step is not None:
            clocks.append(_response_step(case, stage, step, prefix, stage_open))
        else:
            note = ""
            if stage_open and stage.suspended:
                note = "The clock is stopped."
            elif stage.response_due is None:
                note = "No timescale."
            if stage.extended_to:
                note = f"Extended to {stage.extended_to} in all. {note}".strip()
            clocks.append(
                CaseClock(
                    f"s{stage.number}-response",
                    _label(prefix, "response"),
                    stage.response_due,
                    stage.responded_on,
                    COUNCIL,
                    outstanding=stage_open and stage.response_due is not None,
                    stage=stage.number,
                    note=note,
                )
            )
        if milestones:
            dues = milestone_dues(
                rule,
                calendar,
                stage_limit=None if stage.suspended and stage_open else stage.response_due,
                requested_on=stage.requested_on,
                panel_on=stage.panel_on,
                report_on=stage.report_received_on,
            )
            for due in dues:
                if due.key == rule.response_step:
                    continue
                done = _done(stage, due.key)
                clocks.append(
                    CaseClock(
                        f"s{stage.number}-{due.key.replace('_', '-')}",
                        _label(prefix, due.name),
                        due.due,
                        done,
                        COUNCIL,
                        outstanding=stage_open and done is None and due.due is not None,
                        stage=stage.number,
                        note=" ".join(due.steps) if due.due is None else due.steps[-1],
                    )
                )
        previous = stage
    if previous is not None and previous.responded_on and case.procedure:
        upcoming = _next_window(case, previous, calendar)
        if upcoming:
            clocks.append(upcoming)
    if case.kind == Kind.OMBUDSMAN:
        if case.lgsco_reply_due or case.lgsco_replied_on:
            clocks.append(
                CaseClock(
                    "lgsco-reply",
                    "Reply to the Ombudsman's enquiry",
                    case.lgsco_reply_due,
                    case.lgsco_replied_on,
                    COUNCIL,
                    outstanding=still_open
                    and case.lgsco_replied_on is None
                    and case.lgsco_reply_due is not None,
                    note="The date the Ombudsman set.",
                )
            )
        # Numbered in order (due date, then as recorded), so the keys survive an export and
        # an import into another database.
        ordered = sorted(remedies, key=lambda r: (r.due_on, r.pk or 0))
        for number, remedy in enumerate(ordered, start=1):
            clocks.append(
                CaseClock(
                    f"remedy-{number}",
                    f"Remedy: {remedy}",
                    remedy.due_on,
                    remedy.complied_on,
                    COUNCIL,
                    # Remedies are owed after the Ombudsman's decision, when the case may
                    # already be closed: they are chased until complied with.
                    outstanding=remedy.complied_on is None,
                    note=" ".join(
                        filter(
                            None,
                            (
                                remedy.description,
                                f"Evidence: {remedy.evidence}" if remedy.evidence else "",
                            ),
                        )
                    ),
                )
            )
    return clocks


def _response_step(case, stage, step, prefix: str, stage_open: bool) -> CaseClock:
    """The stage's response when it is one of its later steps: due on the stage's stored
    response date (counted from the report, or from when the report and the panel are due
    while they have not happened), done when the stage's response is recorded."""
    if stage_open and stage.suspended:
        note = "The clock is stopped."
    elif stage.report_received_on:
        note = f"{step.days} working days after the report arrived."
    else:
        note = (
            f"{step.days} working days after the report, counted from when it is due until "
            "it arrives."
        )
    return CaseClock(
        f"s{stage.number}-{step.key.replace('_', '-')}",
        _label(prefix, f"{step.name[:1].lower()}{step.name[1:]} (the stage's response)"),
        stage.response_due,
        stage.responded_on,
        COUNCIL,
        outstanding=stage_open and stage.response_due is not None,
        stage=stage.number,
        note=note,
    )


def _window(case, rule, previous, stage, calendar) -> CaseClock:
    deadline = request_deadline(rule, calendar, previous.responded_on)
    note = f"{rule.request_within} working days after the Stage {previous.number} response."
    if stage.late_request_reason:
        note += f" Accepted after the window: {stage.late_request_reason}"
    return CaseClock(
        f"s{stage.number}-request",
        f"Stage {stage.number} request window",
        deadline,
        stage.requested_on,
        COMPLAINANT,
        outstanding=False,
        stage=stage.number,
        note=note,
        chased=False,
    )


def _next_window(case, previous, calendar) -> CaseClock | None:
    """The window for asking for the next stage, while the complainant may still ask."""
    from heard.cases.workflow import LAST_STAGE

    number = previous.number + 1
    if case.kind != Kind.COMPLAINT or number > LAST_STAGE.get(case.procedure, 1):
        return None
    if case.resolution not in {"", "responded"}:
        return None
    if not has_rule(case.procedure, number, case.received_on):
        return None
    rule = rule_for(case.procedure, number, case.received_on)
    if not rule.request_within:
        return None
    deadline = request_deadline(rule, calendar, previous.responded_on)
    return CaseClock(
        f"s{number}-request",
        f"Stage {number} request window",
        deadline,
        None,
        COMPLAINANT,
        outstanding=False,
        stage=number,
        note=f"The complainant may ask for Stage {number} within {rule.request_within} working "
        f"days of the Stage {previous.number} response; later only with a recorded reason.",
        chased=False,
    )


#: When two clocks fall due on the same day, the specific step names the work better than
#: the stage's response (the Investigating Officer's report before the Stage 2 limit).
def _order(clock: CaseClock) -> tuple:
    return (clock.due, clock.key.endswith("-response"))


def next_due(clocks: Iterable[CaseClock]) -> CaseClock | None:
    """The earliest clock the council still owes (None if it owes nothing)."""
    owed = [c for c in clocks if c.outstanding and c.chased and c.due is not None]
    return min(owed, key=_order) if owed else None


def outstanding(clocks: Iterable[CaseClock]) -> list[CaseClock]:
    return sorted((c for c in clocks if c.outstanding and c.chased), key=_order)


def clocks_for(case, *, calendar=None) -> list[CaseClock]:
    """``case_clocks`` for a saved case, loading its stages and remedies (two queries, unless
    they were prefetched)."""
    from heard.deadlines.calendar import council_calendar

    return case_clocks(
        case,
        list(case.stages.all()),
        list(case.remedies.all()),
        calendar=calendar or council_calendar(),
    )


def sync_next_due(case, *, calendar=None) -> None:
    """Store the earliest date the council still owes on a case, and what it is."""
    found = next_due(clocks_for(case, calendar=calendar))
    case.next_due_on = found.due if found else None
    case.next_due_label = found.label[:120] if found else ""
    type(case).objects.filter(pk=case.pk).update(
        next_due_on=case.next_due_on, next_due_label=case.next_due_label
    )


def sync_next_due_many(cases, *, calendar=None, chunk: int = 2000) -> int:
    """``sync_next_due`` for many cases (after an import, the demo, or a calendar change),
    written with bulk updates. Returns how many cases changed."""
    from heard.cases.models import Case
    from heard.deadlines.calendar import council_calendar

    calendar = calendar or council_calendar()
    changed = []
    queryset = cases.order_by("pk").prefetch_related("stages", "remedies")
    for case in queryset.iterator(chunk_size=chunk):
        found = next_due(
            case_clocks(case, case.stages.all(), case.remedies.all(), calendar=calendar)
        )
        due, label = (found.due, found.label[:120]) if found else (None, "")
        if (case.next_due_on, case.next_due_label) != (due, label):
            case.next_due_on, case.next_due_label = due, label
            changed.append(case)
    Case.objects.bulk_update(changed, ["next_due_on", "next_due_label"], batch_size=chunk)
    return len(changed)
