"""Which cases a figure counts, defined once.

For a reporting year Y (``start`` to ``end``):

- **received in Y**: received on a day in Y.
- **dealt with in Y**: open at any time in Y: received on or before ``end`` and not closed
  before ``start``. It is *brought forward* plus *received in Y*.
- **brought forward into Y**: received before ``start`` and still open on the day before it.
- **closed in Y**: closed on a day in Y (for complaints, "resolved").
- **carried forward from Y**: received on or before ``end`` and still open after it.
- **at stage N on a day**: the latest stage requested on or before that day. Brought and
  carried forward cases are counted by the stage they were at on the day before ``start`` and on
  ``end``; resolved cases by the stage they were at when they closed.
- **stage responded in Y**: a stage whose response is dated in Y (what findings and
  timeliness are counted on).

Complaint outcomes (for tables that give one outcome per complaint): still open; withdrawn
(resolution ``withdrawn``); refused (a ``refused_…`` resolution); else the outcome of the last
stage responded to (upheld, partially upheld, not upheld, no finding).
"""

from __future__ import annotations

import datetime

from heard.cases.choices import Resolution
from heard.reports.data import CaseFacts, StageFacts
from heard.reports.periods import ReportingYear


def received_in(case: CaseFacts, year: ReportingYear) -> bool:
    return year.start <= case.received_on <= year.end


def dealt_with_in(case: CaseFacts, year: ReportingYear) -> bool:
    return case.received_on <= year.end and (case.closed_on is None or case.closed_on >= year.start)


def brought_forward(case: CaseFacts, year: ReportingYear) -> bool:
    return case.received_on < year.start and (
        case.closed_on is None or case.closed_on >= year.start
    )


def closed_in(case: CaseFacts, year: ReportingYear) -> bool:
    return year.contains(case.closed_on)


def carried_forward(case: CaseFacts, year: ReportingYear) -> bool:
    return case.received_on <= year.end and (case.closed_on is None or case.closed_on > year.end)


# Two of these tests for many cases at once, as a report's selections use them: one
# comprehension reading the year's bounds once, rather than a call for each case.


def among_dealt_with_in(cases: list[CaseFacts], year: ReportingYear) -> list[CaseFacts]:
    """The ``cases`` dealt with in ``year`` (``dealt_with_in``), in their order."""
    start, end = year.start, year.end
    return [
        c for c in cases if c.received_on <= end and (c.closed_on is None or c.closed_on >= start)
    ]


def among_closed_in(cases: list[CaseFacts], year: ReportingYear) -> list[CaseFacts]:
    """The ``cases`` closed in ``year`` (``closed_in``), in their order."""
    start, end = year.start, year.end
    return [c for c in cases if c.closed_on is not None and start <= c.closed_on <= end]


def stage_brought_forward(case: CaseFacts, year: ReportingYear) -> int | None:
    stage = case.stage_on(year.start - datetime.timedelta(days=1))
    return stage.number if stage else 1


def stage_carried_forward(case: CaseFacts, year: ReportingYear) -> int:
    stage = case.stage_on(year.end)
    return stage.number if stage else 1


def stage_closed_at(case: CaseFacts) -> int:
    """The stage a closed case ended at (1 if it closed before any stage began)."""
    return case.stages[-1].number if case.stages else 1


# These two are asked for hundreds of thousands of times in a report: the year's bounds are
# read once per call rather than once per stage (``year.contains``).


def stages_responded_in(case: CaseFacts, year: ReportingYear) -> list[StageFacts]:
    stages = case.stages
    if not stages:  # most contacts, compliments and requests: nothing to look at
        return []
    start, end = year.start, year.end
    return [s for s in stages if s.responded_on is not None and start <= s.responded_on <= end]


def stages_requested_in(case: CaseFacts, year: ReportingYear) -> list[StageFacts]:
    stages = case.stages
    if not stages:
        return []
    start, end = year.start, year.end
    return [s for s in stages if start <= s.requested_on <= end]


# The same two tests for the stages of many cases at once, as (case, stage) pairs: a report
# asks for each year's stages of each kind, and testing pairs saves a call per case.

Pairs = list[tuple[CaseFacts, StageFacts]]


def pairs_responded_in(pairs: Pairs, year: ReportingYear) -> Pairs:
    """The pairs whose stage was responded to in ``year`` (``stages_responded_in``)."""
    start, end = year.start, year.end
    return [
        (c, s) for c, s in pairs if s.responded_on is not None and start <= s.responded_on <= end
    ]


def pairs_requested_in(pairs: Pairs, year: ReportingYear) -> Pairs:
    """The pairs whose stage was asked for in ``year`` (``stages_requested_in``)."""
    start, end = year.start, year.end
    return [(c, s) for c, s in pairs if start <= s.requested_on <= end]


STILL_OPEN = "still-open"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
REFUSALS = {
    Resolution.REFUSED_NOT_ELIGIBLE,
    Resolution.REFUSED_OUT_OF_TIME,
    Resolution.REFUSED_OTHER_PROCESS,
}

# The codes as plain text: a choice looked up on its enum class, for every complaint, costs
# more than the comparison itself.
_WITHDRAWN = Resolution.WITHDRAWN.value
_REFUSALS = frozenset(r.value for r in REFUSALS)


def complaint_outcome(case: CaseFacts, on: datetime.date | None = None) -> str:
    """One outcome for a complaint, as it stood at the end of ``on`` (default: now).

    A finding code (``upheld``…), or ``withdrawn``, ``refused`` or ``still-open``."""
    closed = case.closed_on is not None and (on is None or case.closed_on <= on)
    if case.resolution == _WITHDRAWN and closed:
        return WITHDRAWN
    if case.resolution in _REFUSALS and closed:
        return REFUSED
    for stage in reversed(case.stages):  # the last stage responded to by then
        if stage.responded_on and (on is None or stage.responded_on <= on):
            if stage.outcome:
                return stage.outcome
            break
    return STILL_OPEN if not closed else "no-finding"


def working_days(calendar, start: datetime.date | None, end: datetime.date | None) -> int | None:
    """Working days from ``start`` to ``end`` (the day after start is day 1)."""
    if start is None or end is None:
        return None
    return calendar.working_days_between(start, end)
