"""What is wrong with an import file, one problem at a time and grouped by kind.

A migration file with a problem in it usually has the same problem many times (a channel code
the old system used in 3,000 cases). Listing 3,000 lines hides the two other problems; so every
problem also belongs to a *kind* (its field, without the stage or part number, and its reason),
and the importer reports each kind once with how many cases have it and the first few case
references, then every problem in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Case references shown for each kind of problem.
FIRST_REFERENCES = 5

_INDEX = re.compile(r"\.\d+(?=\.|$)")


@dataclass(frozen=True)
class Problem:
    where: str
    field: str
    reason: str
    #: The case reference, when the problem is about a case whose reference could be read.
    reference: str = ""

    def __str__(self) -> str:
        return (
            f"{self.where}, {self.field}: {self.reason}"
            if self.field
            else f"{self.where}: {self.reason}"
        )

    @property
    def kind(self) -> str:
        """The field without list positions (``stages.1.responded_on`` is
        ``stages.responded_on``) and the reason: the same mistake in many cases is one kind."""
        field = _INDEX.sub("", self.field)
        return f"{field}: {self.reason}" if field else self.reason

    @property
    def names(self) -> str:
        """How a group names this problem's place: the case reference, else where it is."""
        return self.reference or self.where


@dataclass(frozen=True)
class ProblemGroup:
    kind: str
    count: int
    #: The first few references (or places) with this kind of problem, in file order.
    first: tuple[str, ...]

    def __str__(self) -> str:
        more = self.count - len(self.first)
        listed = ", ".join(self.first) + (f" and {more:,} more" if more > 0 else "")
        return f"{self.kind} ({self.count:,}: {listed})"


def grouped(problems: list[Problem]) -> list[ProblemGroup]:
    """One group per kind, the commonest first (then in the order the file first has them)."""
    counts: dict[str, int] = {}
    first: dict[str, list[str]] = {}
    for problem in problems:
        kind = problem.kind
        counts[kind] = counts.get(kind, 0) + 1
        names = first.setdefault(kind, [])
        if len(names) < FIRST_REFERENCES and problem.names not in names:
            names.append(problem.names)
    order = {kind: i for i, kind in enumerate(counts)}
    return [
        ProblemGroup(kind, counts[kind], tuple(first[kind]))
        for kind in sorted(counts, key=lambda kind: (-counts[kind], order[kind]))
    ]


def report_lines(problems: list[Problem], *, limit: int | None = None) -> list[str]:
    """The problems as lines of text: a summary, each kind with its count and first
    references, then every problem (the first ``limit``)."""
    groups = grouped(problems)
    lines = [
        f"{len(problems)} problem(s); nothing was imported.",
        f"{len(groups):,} kind(s) of problem, each with how many and the first cases:",
    ]
    lines += [f"  {group}" for group in groups]
    lines.append("Every problem:")
    shown = problems if limit is None else problems[:limit]
    lines += [f"  {problem}" for problem in shown]
    if limit is not None and len(problems) > limit:
        lines.append(f"  … and {len(problems) - limit:,} more.")
    return lines
