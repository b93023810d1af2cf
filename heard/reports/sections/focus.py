"""The focus of complaints and representations: the council's categories (vocabulary
``category``) over four years, with this year's complaints split by procedure; and, for each
complaint procedure, the reasons for the complaints dealt with each year (East Riding's
"Reasons for Children's Social Care Complaints").

A case's focus is its categories (``Case.categories``); a case recorded with none falls back
on its parts' categories, and then on "Not recorded". A case with several categories is counted
under each, so the counts can add up to more than the cases received.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

from django.utils.text import capfirst

from heard.cases.choices import Kind, Procedure
from heard.reports import definitions
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, percent
from heard.reports.sections.flow import procedure_label

TITLE = "Focus of complaints and representations"

NOT_RECORDED = "not-recorded"
SEVERAL_NOTE = "A case with several categories is counted under each."


def build(ctx: ReportContext) -> Section:
    complaints_table = complaints(ctx)
    representations_table = representations(ctx)
    return Section(
        id="focus",
        title=TITLE,
        narrative=draft(ctx, complaints_table, representations_table),
        tables=[complaints_table, groups(ctx), representations_table, *dealt_with_tables(ctx)],
    )


def groups(ctx: ReportContext) -> Table:
    """The council's named groups of categories: complaints with any category in a group,
    each counted once, with how many were upheld or partially upheld (on the outcome basis),
    this year and last."""
    years = (ctx.previous, ctx.year)
    columns = [Column("label", "Group of categories", "label")]
    for y in years:
        columns += [
            Column(f"{y.key}", f"Complaints {y.label}"),
            Column(f"{y.key}-upheld", f"Upheld or partially upheld {y.label}"),
            Column(f"{y.key}-upheld-percent", f"% upheld or partially upheld {y.label}",
                   "percent", of=f"of the group's complaints in {y.label}",
                   source=f"{y.key}-upheld"),
        ]  # fmt: skip
    rows = []
    for group in ctx.data.groups:
        cells: dict = {}
        for y in years:
            members = [
                c for c in ctx.outcome_cases(y) if group.category_ids & set(categories_of(c))
            ]
            upheld = sum(1 for c in members if definitions.upheld(ctx.outcome(c, y)))
            cells |= {f"{y.key}": len(members), f"{y.key}-upheld": upheld,
                      f"{y.key}-upheld-percent": percent(upheld, len(members))}  # fmt: skip
        rows.append(Row(group.code, group.name, cells))
    return Table(
        id="focus.category_groups",
        title="Complaints by group of categories",
        columns=columns,
        rows=rows,
        selection=f"Complaints {ctx.outcome_basis.counted} in {ctx.previous.label} and "
        f"{ctx.year.label} with any category in the group",
        notes=[
            "Each complaint is counted once in a group, however many of its categories are in "
            "it; a complaint can be in several groups.",
            ctx.outcome_basis.note(ctx.year),
        ],
    )


def categories_of(case: CaseFacts) -> list[int | None]:
    """The case's categories (term ids), or its parts' categories, or [None]."""
    ids = case.category_ids
    if ids:
        return [ids[0]] if len(ids) == 1 else list(dict.fromkeys(ids))
    from_parts = [p.category_id for p in case.parts if p.category_id is not None]
    return list(dict.fromkeys(from_parts)) or [None]


def count_categories(cases: list[CaseFacts]) -> Counter:
    return Counter(chain.from_iterable(map(categories_of, cases)))


def category_rows(ctx: ReportContext, used: set[int | None]) -> list[tuple[str, str, int | None]]:
    """(key, label, term id) for the council's categories that any counted case uses, in the
    vocabulary's order, then "Not recorded"."""
    rows = [(t.code, t.label, t.id) for t in ctx.data.terms_of("category") if t.id in used]
    if None in used:
        rows.append((NOT_RECORDED, "Not recorded", None))
    return rows


def _focus_table(ctx: ReportContext, kind: str, table_id: str, noun: str,
                 split: bool) -> Table:  # fmt: skip
    years = ctx.years
    received = {y.key: ctx.received(kind, y) for y in years}
    counts = {key: count_categories(cases) for key, cases in received.items()}
    this = ctx.year.key
    procedures = [(Procedure.CHILDRENS_STATUTORY, "statutory", "Statutory"),
                  (Procedure.CORPORATE, "corporate", "Corporate")]  # fmt: skip
    by_procedure = {
        key: count_categories([c for c in received[this] if c.procedure == code])
        for code, key, _ in procedures
    }
    columns = [Column("label", "Focus", "label")]
    for y in years:
        columns.append(Column(y.key, y.label))
        columns.append(Column(f"{y.key}-percent", f"{y.label} %", "percent",
                              of=f"{noun} received in {y.label}", source=y.key))  # fmt: skip
    if split:
        for _code, key, label in procedures:
            columns.append(Column(key, f"{label} ({ctx.year.label})"))
            columns.append(Column(f"{key}-percent", f"{label} % ({ctx.year.label})", "percent",
                                  of=f"{noun} in this category", source=key))  # fmt: skip
    used = set().union(*(set(c) for c in counts.values()))
    rows = []
    for key, label, term_id in category_rows(ctx, used):
        cells: dict = {}
        for y in years:
            cells[y.key] = counts[y.key][term_id]
            cells[f"{y.key}-percent"] = percent(counts[y.key][term_id], len(received[y.key]))
        if split:
            for _code, proc_key, _label in procedures:
                n = by_procedure[proc_key][term_id]
                cells[proc_key] = n
                cells[f"{proc_key}-percent"] = percent(n, counts[this][term_id])
        rows.append(Row(key, label, cells))
    total = {y.key: len(received[y.key]) for y in years}
    rows.append(Row("total", f"{capfirst(noun)} received", total, total=True))
    notes = [SEVERAL_NOTE, ROUNDING_NOTE]
    if split:
        notes.insert(1, "The statutory and corporate split is of this year's complaints in "
                        "each category.")  # fmt: skip
    return Table(
        id=table_id,
        title=f"Focus of {noun}",
        columns=columns,
        rows=rows,
        selection=f"{capfirst(noun)} received in each reporting year, by category",
        notes=notes,
        chart=Chart("bar", f"Focus of {noun}", [f"{y.key}-percent" for y in years]),
    )


def complaints(ctx: ReportContext) -> Table:
    return _focus_table(ctx, Kind.COMPLAINT, "focus.complaints", "complaints", split=True)


def representations(ctx: ReportContext) -> Table:
    return _focus_table(
        ctx, Kind.REPRESENTATION, "focus.representations", "representations", split=False
    )


#: Complaint procedures with a table of the reasons for the complaints dealt with.
DEALT_WITH_PROCEDURES = (Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE)


def dealt_with_tables(ctx: ReportContext) -> list[Table]:
    """``focus.dealt_with_<procedure>`` for each procedure with complaints dealt with in any
    of the four years."""
    return [
        dealt_with(ctx, procedure)
        for procedure in DEALT_WITH_PROCEDURES
        if any(ctx.dealt_with(Kind.COMPLAINT, y, procedure=procedure) for y in ctx.years)
    ]


def dealt_with(ctx: ReportContext, procedure: str) -> Table:
    """The reasons (categories) for the complaints of one procedure dealt with in each of the
    four years: how many complaints gave each, as a % of the complaints dealt with and as a
    share of all the reasons given (how East Riding publishes them: a complaint with two
    reasons counts once under each, so the shares add up to 100 and the other percentages do
    not)."""
    years = ctx.years
    cases = {y.key: ctx.dealt_with(Kind.COMPLAINT, y, procedure=procedure) for y in years}
    counts = {key: count_categories(found) for key, found in cases.items()}
    reasons = {key: sum(found.values()) for key, found in counts.items()}
    noun = f"{procedure_label(procedure)} complaints"
    columns = [Column("label", "Reason", "label")]
    for y in years:
        columns += [
            Column(y.key, y.label),
            Column(f"{y.key}-percent", f"{y.label}: % of complaints", "percent",
                   of=f"{noun} dealt with in {y.label}", source=y.key),
            Column(f"{y.key}-share", f"{y.label}: % of reasons", "percent",
                   of=f"reasons given in {noun} dealt with in {y.label}", source=y.key),
        ]  # fmt: skip
    used = set().union(*(set(c) for c in counts.values()))
    rows = []
    for key, label, term_id in category_rows(ctx, used):
        cells: dict = {}
        for y in years:
            n = counts[y.key][term_id]
            cells[y.key] = n
            cells[f"{y.key}-percent"] = percent(n, len(cases[y.key]))
            cells[f"{y.key}-share"] = percent(n, reasons[y.key])
        rows.append(Row(key, label, cells))
    rows.append(Row("reasons", "Reasons given", {
        **{y.key: reasons[y.key] for y in years},
        **{f"{y.key}-share": percent(reasons[y.key], reasons[y.key]) for y in years},
    }, total=True))  # fmt: skip
    rows.append(
        Row("total", "Complaints dealt with", {y.key: len(cases[y.key]) for y in years}, total=True)
    )
    return Table(
        id=f"focus.dealt_with_{procedure}",
        title=f"Reasons for {noun} dealt with",
        columns=columns,
        rows=rows,
        selection=f"{noun} dealt with in each reporting year (brought forward or "
        "received), by reason",
        notes=[
            SEVERAL_NOTE,
            "% of reasons: the reason's share of all the reasons given in the "
            "complaints dealt with that year.",
            ROUNDING_NOTE,
        ],  # fmt: skip
        chart=Chart("bar", f"Reasons for {noun}", [f"{y.key}-share" for y in years]),
    )


def _ordinal(n: int) -> str:
    return ["highest", "second highest", "third highest"][n] if n < 3 else f"number {n + 1}"


def draft(ctx: ReportContext, complaints_table: Table, representations_table: Table) -> str:
    this, last = ctx.year.key, ctx.previous.key
    total = complaints_table.cell("total", this) or 0
    rows = [r for r in complaints_table.rows if not r.total and r.cells.get(this)]
    rows.sort(key=lambda r: -r.cells[this])
    sentences = []
    for i, row in enumerate(rows[:3]):
        pct, before = row.cells[f"{this}-percent"], row.cells.get(f"{last}-percent")
        sentence = (
            f"The {_ordinal(i)} number of complaints related to {row.label.lower()}: "
            f"{row.cells[this]:,} of {total:,} ({pct}%), of which {row.cells['statutory']:,} "
            f"statutory and {row.cells['corporate']:,} corporate"
        )
        if isinstance(before, int) and isinstance(pct, int) and pct != before:
            points = abs(pct - before)
            sentence += (
                f"; {'up' if pct > before else 'down'} {points} percentage "
                f"point{'s' if points != 1 else ''} on {ctx.previous.label} ({before}%)"
            )
        sentences.append(sentence + ".")
    reps = [r for r in representations_table.rows if not r.total and r.cells.get(this)]
    reps.sort(key=lambda r: -r.cells[this])
    if reps:
        listed = " and ".join(
            f"{r.label.lower()} ({r.cells[f'{this}-percent']}%)" for r in reps[:2]
        )
        sentences.append(f"The most frequent focus of representations was {listed}.")
    return " ".join(sentences)
