"""The remedies the Ombudsman asked for: how many decisions came with a remedy, the remedies
by type, and whether the council complied with each on time. Part of the Ombudsman section.

Definitions (each table's notes say them):

- a **decision with a remedy**: an Ombudsman case whose decision is dated in the year and that
  has at least one remedy recorded (``Remedy``) or a remedy in words (``lgsco_remedy``);
- **remedies** are the recorded ``Remedy`` rows of those decisions, by their kind
  (``RemedyKind``); a remedy given only in words has no type and is counted on its own row;
- **complied with on time**: complied on or before the remedy's due date
  (``complied_on <= due_on``); **late**: complied after it; **overdue**: not complied with and
  its due date is before the day the report is made; **not yet due**: the rest;
- **% on time** is of the remedies that were due by the day the report is made (complied
  with, or overdue), so that a remedy not yet due counts neither way.

The remedies are read in two small queries of their own (not the report's loaded facts), the
same number whatever the size of the council.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from heard.cases.choices import Kind, RemedyKind
from heard.cases.models import Case, Remedy
from heard.reports.context import ReportContext
from heard.reports.document import Chart, Column, Row, Table
from heard.reports.measures import percent
from heard.reports.periods import ReportingYear

KIND = Kind.OMBUDSMAN
IN_WORDS_ONLY = "in-words-only"


@dataclass(frozen=True)
class RemedyFacts:
    case_id: int
    kind: str
    due_on: datetime.date
    complied_on: datetime.date | None


@dataclass(frozen=True)
class Remedies:
    remedies: tuple[RemedyFacts, ...]
    #: Ombudsman cases with a remedy in words.
    in_words: frozenset[int]


def load(ctx: ReportContext) -> Remedies:
    """The remedies of Ombudsman decisions dated in the years the report compares."""
    if "remedies" not in ctx._cache:
        years = ctx.years
        decided = {
            "case__kind": KIND,
            "case__lgsco_decision_on__range": (years[0].start, years[-1].end),
        }
        rows = Remedy.objects.filter(**decided).values_list(
            "case_id", "kind", "due_on", "complied_on"
        )
        worded = (
            Case.objects.filter(kind=KIND, lgsco_decision_on__range=(years[0].start, years[-1].end))
            .exclude(lgsco_remedy="")
            .values_list("id", flat=True)
        )
        ctx._cache["remedies"] = Remedies(
            tuple(RemedyFacts(*row) for row in rows), frozenset(worded)
        )
    return ctx._cache["remedies"]


def _decided(ctx: ReportContext, year: ReportingYear) -> set[int]:
    return {c.id for c in ctx.cases(KIND) if year.contains(c.lgsco_decision_on)}


def compliance(remedy: RemedyFacts, today: datetime.date) -> str:
    """ "on-time", "late", "overdue" or "not-yet-due"."""
    if remedy.complied_on is not None:
        return "on-time" if remedy.complied_on <= remedy.due_on else "late"
    return "overdue" if remedy.due_on < today else "not-yet-due"


COMPLIANCE = [
    ("on-time", "Complied with on time"),
    ("late", "Complied with late"),
    ("overdue", "Not complied with, overdue"),
    ("not-yet-due", "Not yet due"),
]


def on_time(ctx: ReportContext, year: ReportingYear) -> tuple[int, int, int]:
    """(complied with on time, due, agreed): the recorded remedies of the Ombudsman decisions
    dated in ``year``, as the tables above count them; the Complaint Handling Code report's
    self-assessment uses the same figures."""
    decided = _decided(ctx, year)
    chosen = [r for r in load(ctx).remedies if r.case_id in decided]
    states = Counter(compliance(r, ctx.data.today) for r in chosen)
    return states["on-time"], len(chosen) - states["not-yet-due"], len(chosen)


def figures(ctx: ReportContext, year: ReportingYear) -> dict[str, int]:
    """Every figure of the remedies tables for one year, by row key."""
    found = load(ctx)
    decided = _decided(ctx, year)
    remedies = [r for r in found.remedies if r.case_id in decided]
    typed = {r.case_id for r in remedies}
    worded_only = (found.in_words & decided) - typed
    kinds = Counter(r.kind for r in remedies)
    states = Counter(compliance(r, ctx.data.today) for r in remedies)
    out = {
        "decided": len(decided),
        "with-remedy": len(typed | (found.in_words & decided)),
        **{kind: kinds[kind] for kind in RemedyKind.values},
        IN_WORDS_ONLY: len(worded_only),
        "remedies": len(remedies),
        **{key: states[key] for key, _label in COMPLIANCE},
    }
    return out


def by_year_table(ctx: ReportContext) -> Table:
    years = ctx.years
    by_year = {y.key: figures(ctx, y) for y in years}
    labels = [
        ("decided", "Decisions received", 0),
        ("with-remedy", "Decisions with a remedy", 0),
        *((kind, f"Remedies: {label.lower()}", 1) for kind, label in RemedyKind.choices),
        (IN_WORDS_ONLY, "Decisions with a remedy in words only (type not recorded)", 1),
        ("remedies", "Remedies agreed (recorded by type)", 0),
        *((key, label, 1) for key, label in COMPLIANCE),
    ]
    rows = [
        Row(key, label, {y.key: by_year[y.key][key] for y in years}, level=level)
        for key, label, level in labels
        if key != IN_WORDS_ONLY or any(by_year[y.key][key] for y in years)
    ]
    return Table(
        id="ombudsman.remedies",
        title="Ombudsman decisions with a remedy, and compliance",
        columns=[Column("label", "Decisions and remedies", "label")]
        + [Column(y.key, y.label) for y in years],
        rows=rows,
        selection="Ombudsman decisions dated in each reporting year, and their remedies",
        notes=[
            "A decision with a remedy: an Ombudsman decision with at least one remedy recorded, "
            "or a remedy in words.",
            "On time: complied with on or before the remedy's due date. Overdue: not complied "
            "with and due before the day this report was made.",
        ],
    )


def compliance_table(ctx: ReportContext) -> Table:
    """This year's remedies by type with their compliance and the % complied with on time."""
    year = ctx.year
    decided = _decided(ctx, year)
    remedies = [r for r in load(ctx).remedies if r.case_id in decided]
    rows = []
    for kind, label in [*RemedyKind.choices, ("total", "All remedies")]:
        chosen = [r for r in remedies if kind == "total" or r.kind == kind]
        if kind != "total" and not chosen:
            continue
        states = Counter(compliance(r, ctx.data.today) for r in chosen)
        due = len(chosen) - states["not-yet-due"]
        rows.append(Row(
            kind, label,
            {"agreed": len(chosen), **{key: states[key] for key, _l in COMPLIANCE},
             "percent": percent(states["on-time"], due)},
            total=kind == "total",
        ))  # fmt: skip
    return Table(
        id="ombudsman.remedy_compliance",
        title="Ombudsman remedies by type and compliance",
        columns=[
            Column("label", "Type of remedy", "label"),
            Column("agreed", "Agreed"),
            *(Column(key, label) for key, label in COMPLIANCE),
            Column("percent", "% on time", "percent", of="of remedies due", source="on-time"),
        ],
        rows=rows,
        selection=f"Remedies of Ombudsman decisions dated in {year.label}",
        notes=[
            "% on time: complied with on or before the due date, of the remedies due by the "
            "day this report was made (complied with, or overdue)."
        ],
        chart=Chart("stacked-bar", "Ombudsman remedies by type and compliance",
                    [key for key, _label in COMPLIANCE]),
    )  # fmt: skip
