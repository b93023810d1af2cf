"""What every section builder is given: the year, the years before it, and the data."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from heard.reports import selection
from heard.reports.data import CaseFacts, Dataset
from heard.reports.periods import ReportingYear

#: How many reporting years the comparison tables show (the report's year included).
YEARS_SHOWN = 4


@dataclass
class ReportContext:
    year: ReportingYear
    data: Dataset
    council: str
    #: Context figures entered by the council: {year: {code: (label, value, as_at, rate_base)}}.
    context_figures: dict[int, dict[str, tuple]] = field(default_factory=dict)
    #: Publication mode: only text marked publishable; small numbers suppressed afterwards.
    publication: bool = False

    @property
    def years(self) -> list[ReportingYear]:
        """The comparison years, oldest first, ending with the report's year."""
        return [self.year.previous(n) for n in range(YEARS_SHOWN - 1, -1, -1)]

    @property
    def previous(self) -> ReportingYear:
        return self.year.previous()

    @property
    def calendar(self):
        return self.data.calendar

    # Selections --------------------------------------------------------------------------

    def cases(self, kind: str | Iterable[str] | None = None) -> list[CaseFacts]:
        kinds = {kind} if isinstance(kind, str) else set(kind) if kind else None
        return [c for c in self.data.cases if kinds is None or c.kind in kinds]

    def received(self, kind, year: ReportingYear | None = None, **filters) -> list[CaseFacts]:
        year = year or self.year
        return [
            c for c in self.cases(kind) if selection.received_in(c, year) and _match(c, filters)
        ]

    def dealt_with(self, kind, year: ReportingYear | None = None, **filters) -> list[CaseFacts]:
        year = year or self.year
        return [
            c for c in self.cases(kind) if selection.dealt_with_in(c, year) and _match(c, filters)
        ]

    def closed(self, kind, year: ReportingYear | None = None, **filters) -> list[CaseFacts]:
        year = year or self.year
        return [c for c in self.cases(kind) if selection.closed_in(c, year) and _match(c, filters)]

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


def _match(case: CaseFacts, filters: dict) -> bool:
    return all(getattr(case, name) == value for name, value in filters.items())
