"""What the progress page may say about a case: the stage in plain words and the date the
person will hear by, and nothing else (no names, no findings, no staff)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from heard.cases.choices import Status
from heard.cases.models import Case

STAGE_WORDS = {
    1: "Stage 1: a manager from the service is looking into it",
    2: "Stage 2: an independent person is investigating",
    3: "Stage 3: a review panel is looking at it",
}


@dataclass(frozen=True)
class Progress:
    reference: str
    kind: str
    where: str
    hear_by: datetime.date | None
    on_hold: bool
    answered_on: datetime.date | None


def progress_of(case: Case) -> Progress:
    from heard.public.services import KIND_WORDS, acknowledgement_due

    kind = KIND_WORDS.get(case.kind, "message")
    hear_by = None
    answered_on = None
    on_hold = False
    if case.status == Status.CLOSED:
        where = f"We have finished dealing with your {kind}"
    elif case.status == Status.NEW or not case.stage_number:
        where = f"We have received your {kind} and are deciding what happens next"
        if case.status == Status.NEW:
            hear_by = acknowledgement_due(case.received_on)
    else:
        where = STAGE_WORDS.get(case.stage_number, f"Stage {case.stage_number}")
        if case.stage_responded_on:
            answered_on = case.stage_responded_on
            where = f"We sent our answer at stage {case.stage_number}"
        elif case.stage_suspended:
            on_hold = True
        else:
            hear_by = case.stage_response_due
    return Progress(
        reference=case.reference,
        kind=kind,
        where=where,
        hear_by=hear_by,
        on_hold=on_hold,
        answered_on=answered_on,
    )


def new_online_submissions(user) -> dict:
    """The dashboard's count of online submissions still to triage, and the tracker that
    lists exactly those."""
    from heard.cases.queries import list_queryset
    from heard.cases.trackers import tracker_url

    count = list_queryset(user).filter(status=Status.NEW, online_submission__isnull=False).count()
    return {"count": count, "url": tracker_url(view="new-online")}
