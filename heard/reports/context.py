"""What every section builder is given: the year, the years before it, and the data."""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from operator import attrgetter
from typing import TypeVar

from heard.reports import definitions, selection
from heard.reports.data import CaseFacts, Dataset, StageFacts
from heard.reports.document import Column
from heard.reports.periods import ReportingYear

T = TypeVar("T")
_ID = attrgetter("id")

#: How many reporting years the comparison tables show (the report's year included).
YEARS_SHOWN = 4
#: Selections that only count cases received by the end of the year.
_RECEIVED_BY_THE_END = (selection.received_in, selection.dealt_with_in, selection.carried_forward)
#: The tests that have a version for many cases at once (one comprehension, no call per case).
_AMONG = {
    selection.dealt_with_in: selection.among_dealt_with_in,
    selection.closed_in: selection.among_closed_in,
}


def _keep(test, cases: list[CaseFacts], year: ReportingYear) -> list[CaseFacts]:
    """The ``cases`` for which ``test(case, year)`` holds, in their order."""
    among = _AMONG.get(test)
    return among(cases, year) if among else [c for c in cases if test(c, year)]


@dataclass
class ReportContext:
    year: ReportingYear
    data: Dataset
    council: str
    #: Context figures entered by the council: {year: {code: (label, value, as_at, rate_base)}}.
    context_figures: dict[int, dict[str, tuple]] = field(default_factory=dict)
    #: Publication mode: only text marked publishable; small numbers suppressed afterwards.
    publication: bool = False
    #: Case ids whose case studies an edition chose (None: every publishable one); set by
    #: ``heard.reports.editions``.
    case_studies: list[int] | None = None
    #: Which complaints outcome tables count and which outcome each has (an edition's choice).
    outcome_basis: definitions.OutcomeBasis = field(default_factory=definitions.OutcomeBasis)
    #: Selections already worked out (see ``_selected``).
    _cache: dict = field(default_factory=dict, repr=False)
    #: Complaint outcomes already worked out: {year, or None when it does not matter: {id: …}}.
    _outcomes: dict = field(default_factory=dict, repr=False)

    # Cached, so that every section compares dates with the same year objects, whose start
    # and end are worked out once (sections ask for these inside loops over cases).
    @property
    def years(self) -> list[ReportingYear]:
        """The comparison years, oldest first, ending with the report's year."""
        return list(self._years)

    @cached_property
    def _years(self) -> tuple[ReportingYear, ...]:
        return tuple(self.year.previous(n) for n in range(YEARS_SHOWN - 1, -1, -1))

    @cached_property
    def previous(self) -> ReportingYear:
        return self.year.previous()

    @property
    def calendar(self):
        return self.data.calendar

    # Columns ------------------------------------------------------------------------------

    def change_column(self) -> Column:
        """The % change of this year's count (column ``self.year.key``) on last year's."""
        return Column(
            "change",
            "% change on previous year",
            "change",
            of=self.previous.label,
            source=self.year.key,
        )

    def year_columns(self, heading: str) -> list[Column]:
        """The columns of a four-year table: a label column headed ``heading``, a count for
        each year shown, and the % change on the previous year."""
        return [
            Column("label", heading, "label"),
            *(Column(y.key, y.label) for y in self.years),
            self.change_column(),
        ]

    # Selections --------------------------------------------------------------------------

    def cases(self, kind: str | Iterable[str] | None = None) -> list[CaseFacts]:
        if kind is None:
            return self.data.cases
        if isinstance(kind, str):
            return self._by_kind().get(kind, [])
        kinds = set(kind)
        return [c for c in self.data.cases if c.kind in kinds]

    def received(self, kind, year: ReportingYear | None = None, **filters) -> list[CaseFacts]:
        return self._selected("received", selection.received_in, kind, year, filters)

    def dealt_with(self, kind, year: ReportingYear | None = None, **filters) -> list[CaseFacts]:
        return self._selected("dealt_with", selection.dealt_with_in, kind, year, filters)

    def closed(self, kind, year: ReportingYear | None = None, **filters) -> list[CaseFacts]:
        return self._selected("closed", selection.closed_in, kind, year, filters)

    def outcome_cases(self, year: ReportingYear | None = None, procedure: str | None = None):
        """The complaints an outcome table about ``year`` counts, on the report's basis."""
        year = year or self.year
        basis = self.outcome_basis
        found = self.closed if basis.code == definitions.CLOSED else self.received
        if procedure is None:
            return found("complaint", year)
        return found("complaint", year, procedure=procedure)

    def outcome(self, case: CaseFacts, year: ReportingYear | None = None) -> str:
        """A complaint's one outcome on the report's basis, worked out once per complaint (and
        year, when the basis takes the outcome at the year's end): the outcome tables ask for
        the same complaints' outcomes many times."""
        year = year or self.year
        basis = self.outcome_basis
        outcomes = self._outcomes.setdefault(
            year if basis.code == definitions.YEAR_END else None, {}
        )
        try:
            return outcomes[case.id]
        except KeyError:
            found = outcomes[case.id] = basis.outcome(case, year)
            return found

    def outcomes(self, cases: Iterable[CaseFacts], year: ReportingYear | None = None) -> list[str]:
        """The outcome of each of ``cases`` (:meth:`outcome`), in their order: the tables count
        the outcomes of whole selections, and one call for them all saves a call per case."""
        year = year or self.year
        basis = self.outcome_basis
        known = self._outcomes.setdefault(year if basis.code == definitions.YEAR_END else None, {})
        cases = cases if isinstance(cases, list) else list(cases)
        found = list(map(known.get, map(_ID, cases)))  # those worked out already, in one go
        if None in found:
            for i, case in enumerate(cases):
                if found[i] is None:
                    found[i] = known[case.id] = basis.outcome(case, year)
        return found

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per report under ``key`` (a tuple starting with the
        section's name): for figures several tables of a section need, which would otherwise
        each walk every case again."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _by_kind(self) -> dict[str, list[CaseFacts]]:
        if "by_kind" not in self._cache:
            by_kind: dict[str, list[CaseFacts]] = {}
            for case in self.data.cases:
                by_kind.setdefault(case.kind, []).append(case)
            self._cache["by_kind"] = by_kind
        return self._cache["by_kind"]

    def _selected(self, name, test, kind, year, filters) -> list[CaseFacts]:
        """A selection of one kind in one year, worked out once per report (sections ask for
        the same ones many times), then filtered. Callers must not change the list."""
        year = year or self.year
        key = (name, kind if kind is None or isinstance(kind, str) else tuple(kind), year)
        if key not in self._cache:
            self._cache[key] = self._select(test, kind, year)
        found = self._cache[key]
        if not filters:
            return list(found)
        # Filtered selections are worked out once too: the tables of a section ask for the
        # same procedure of the same year again and again.
        filtered = (key, tuple(filters.items()))
        if filtered not in self._cache:
            # One attribute getter for all the filters.
            get = attrgetter(*filters)
            wanted = next(iter(filters.values())) if len(filters) == 1 else tuple(filters.values())
            self._cache[filtered] = [c for c in found if get(c) == wanted]
        return list(self._cache[filtered])

    def _select(self, test, kind, year: ReportingYear) -> list[CaseFacts]:
        """The cases of ``kind`` for which ``test(case, year)`` holds, in their order.

        The cases are loaded in the order they were received, so those received by the year's
        end are the ones before a point found by bisection: received in the year, dealt with
        in it and carried forward from it need only look at those (and received in the year
        only at a slice of them) rather than at every case of the four years."""
        cases = self.cases(kind)
        received = self._received_days(kind)
        if received is None or test not in _RECEIVED_BY_THE_END:
            return _keep(test, cases, year)
        by_the_end = bisect_right(received, year.end)
        if test is selection.received_in:
            return cases[bisect_left(received, year.start, 0, by_the_end) : by_the_end]
        return _keep(test, cases[:by_the_end], year)

    def _received_days(self, kind) -> list[datetime.date] | None:
        """The days the cases of ``kind`` were received, in their order; None unless that
        order is the order of the days (so that they can be bisected)."""
        key = ("received days", kind if kind is None or isinstance(kind, str) else tuple(kind))
        if key not in self._cache:
            days = [c.received_on for c in self.cases(kind)]
            ordered = all(a <= b for a, b in pairwise(days))
            self._cache[key] = days if ordered else None
        return self._cache[key]

    def responded(self, kind: str, year: ReportingYear | None = None):
        """(case, stage) for every stage of a case of ``kind`` responded to in ``year``, in
        the cases' order (worked out once per report: the timeliness, outcome and summary
        tables all count these stages)."""
        return self._stages("responded", selection.pairs_responded_in, kind, year)

    def requested(self, kind: str, year: ReportingYear | None = None):
        """(case, stage) for every stage of a case of ``kind`` asked for in ``year``."""
        return self._stages("requested", selection.pairs_requested_in, kind, year)

    def _stages(self, name, pick, kind, year) -> list[tuple[CaseFacts, StageFacts]]:
        """The pairs of every stage of the cases of ``kind`` (listed once per report) that
        ``pick`` keeps for ``year``."""
        year = year or self.year
        key = ("stages", name, kind, year)
        if key not in self._cache:
            every = ("stages", kind)
            if every not in self._cache:
                self._cache[every] = [(c, s) for c in self.cases(kind) for s in c.stages]
            self._cache[key] = pick(self._cache[every], year)
        return self._cache[key]

    # Labels ------------------------------------------------------------------------------

    def term_label(self, term_id: int | None, missing: str = "Not recorded") -> str:
        term = self.data.term(term_id)
        return term.label if term else missing

    def count_by(self, cases: Iterable[CaseFacts], key: Callable[[CaseFacts], object]) -> Counter:
        return Counter(key(case) for case in cases)

    def year_label(self, year: ReportingYear | None = None) -> str:
        return (year or self.year).label

    def today(self) -> datetime.date:
        return self.data.today
