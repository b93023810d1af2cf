"""The executive summary, printed first: the headline figures against last year, the biggest
changes, the main themes and the learning, for a reader who reads one page.

Its figures are counted here from the cases with the report's definitions
(``heard.reports.definitions``), not read from the other sections, so that it stays whole when
an edition switches sections off; the tests check that it agrees with the sections.
"""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import Kind
from heard.reports import definitions, measures, narrative
from heard.reports.context import ReportContext
from heard.reports.document import Column, Row, Section, Table
from heard.reports.periods import ReportingYear

TITLE = "Executive summary"
SECTION_ID = "summary"

#: How many themes and changes the summary names.
NAMED = 3

COUNTS = [
    ("complaints", "Complaints received", Kind.COMPLAINT),
    ("compliments", "Compliments received", Kind.COMPLIMENT),
    ("representations", "MP and councillor enquiries received", Kind.REPRESENTATION),
    ("ombudsman", "Ombudsman cases received", Kind.OMBUDSMAN),
]


def build(ctx: ReportContext) -> Section:
    headlines = headlines_table(ctx)
    performance = performance_table(ctx)
    days = days_table(ctx)
    return Section(
        id=SECTION_ID,
        title=TITLE,
        narrative=draft(ctx, headlines, performance),
        tables=[headlines, performance, days],
    )


def headlines_table(ctx: ReportContext) -> Table:
    this, last = ctx.year, ctx.previous
    rows = []
    for key, label, kind in COUNTS:
        cells = {last.key: len(ctx.received(kind, last)), this.key: len(ctx.received(kind, this))}
        cells["change"] = measures.change(cells[last.key], cells[this.key])
        rows.append(Row(key, label, cells))
    return Table(
        id="summary.headlines",
        title="Headline figures",
        columns=[
            Column("label", "Cases", "label"),
            Column(last.key, last.label),
            Column(this.key, this.label),
            ctx.change_column(),
        ],
        rows=rows,
        selection=f"Cases received in {last.label} and {this.label}",
    )


def _upheld(ctx: ReportContext, year: ReportingYear) -> tuple[int, int]:
    counted = ctx.outcome_cases(year)
    return sum(map(definitions.upheld, ctx.outcomes(counted, year))), len(counted)


def _escalated(ctx: ReportContext, year: ReportingYear) -> tuple[int, int]:
    # Each complaint once, however many Stage 1 responses it had in the year.
    answered = {c.id: c for c, s in ctx.responded(Kind.COMPLAINT, year) if s.number == 1}
    return sum(1 for case in answered.values() if definitions.escalated(case)), len(answered)


#: The percentage rows: key, label, and (part, whole) in a year.
RATES = [
    ("stage-1-on-time", "Stage 1 responses within timescale",
     lambda ctx, y: definitions.timeliness_of(
         s for _c, s in ctx.responded(Kind.COMPLAINT, y) if s.number == 1)),
    ("upheld", "Complaints upheld or partially upheld", _upheld),
    ("escalated", "Stage 1 complaints that went on to Stage 2 (escalation rate)", _escalated),
]  # fmt: skip


def performance_table(ctx: ReportContext) -> Table:
    years = (ctx.previous, ctx.year)
    columns = [Column("label", "Measure", "label")]
    for y in years:
        columns += [
            Column(f"{y.key}_count", f"Number {y.label}"),
            Column(f"{y.key}_of", f"Out of {y.label}"),
            Column(f"{y.key}_percent", f"% {y.label}", "percent", of="of the number it is out "
                   "of", source=f"{y.key}_count"),
        ]  # fmt: skip
    rows = []
    for key, label, figures in RATES:
        cells = {}
        for y in years:
            part, whole = figures(ctx, y)
            cells |= {f"{y.key}_count": part, f"{y.key}_of": whole,
                      f"{y.key}_percent": measures.percent(part, whole)}  # fmt: skip
        rows.append(Row(key, label, cells))
    return Table(
        id="summary.performance",
        title="Timeliness, outcomes and escalation",
        columns=columns,
        rows=rows,
        selection=f"Complaint stages responded to, and complaints counted on the outcome "
        f"basis, in {ctx.previous.label} and {ctx.year.label}",
        notes=[
            "Defined in the appendix, How the figures are counted.",
            ctx.outcome_basis.note(ctx.year),
        ],
    )


def days_table(ctx: ReportContext) -> Table:
    """Average and median working days to respond at Stage 1, this year and last."""
    years = (ctx.previous, ctx.year)
    rows = []
    cells: dict = {}
    for y in years:
        days = [
            definitions.days_taken(ctx.calendar, stage)
            for _case, stage in ctx.responded(Kind.COMPLAINT, y)
            if stage.number == 1
        ]
        cells[f"{y.key}_count"] = len(days)
        cells[f"{y.key}_average"] = definitions.average(days)
        cells[f"{y.key}_median"] = measures.median(days)
    rows.append(Row("stage-1", "Stage 1 responses", cells))
    columns = [Column("label", "Responses", "label")]
    for y in years:
        columns += [
            Column(f"{y.key}_count", f"Responses {y.label}"),
            Column(f"{y.key}_average", f"Average working days {y.label}", "days",
                   source=f"{y.key}_count"),
            Column(f"{y.key}_median", f"Median working days {y.label}", "days",
                   source=f"{y.key}_count"),
        ]  # fmt: skip
    return Table(
        id="summary.days",
        title="Working days to respond at Stage 1",
        columns=columns,
        rows=rows,
        selection=f"Stage 1 responses dated in {ctx.previous.label} and {ctx.year.label}",
    )


def _themes(ctx: ReportContext) -> tuple[list[tuple[str, int]], list[tuple[str, int, int]]]:
    """The largest focus categories this year, and those that changed most on last year:
    ([(label, count)], [(label, last year, this year)]). Categories not recorded are left
    out: they are not a theme."""
    now = Counter(t for c in ctx.received(Kind.COMPLAINT) for t in set(c.category_ids))
    before = Counter(
        t for c in ctx.received(Kind.COMPLAINT, ctx.previous) for t in set(c.category_ids)
    )
    largest = sorted(now, key=lambda t: (-now[t], ctx.term_label(t)))[:NAMED]
    changed = sorted(
        (t for t in set(now) | set(before) if now[t] != before[t]),
        key=lambda t: (-abs(now[t] - before[t]), ctx.term_label(t)),
    )[:NAMED]
    return (
        [(ctx.term_label(t), now[t]) for t in largest],
        [(ctx.term_label(t), before[t], now[t]) for t in changed],
    )


def _learning(ctx: ReportContext) -> tuple[int, list[str]]:
    """(lessons recorded in the year, the commonest learning categories)."""
    lessons = [
        learning
        for case in ctx.cases(Kind.COMPLAINT)
        for learning in case.learning
        if ctx.year.contains(learning.recorded_on)
    ]
    counts = Counter(lesson.category_id for lesson in lessons if lesson.category_id)
    top = sorted(counts, key=lambda t: (-counts[t], ctx.term_label(t)))[:NAMED]
    return len(lessons), [ctx.term_label(t).lower() for t in top]


def draft(ctx: ReportContext, headlines: Table, performance: Table) -> str:
    this, last = ctx.year.key, ctx.previous.key
    received = headlines.cell("complaints", this)
    before = headlines.cell("complaints", last)
    if not received and not before:
        return f"No complaints were received in {ctx.year.label} or {ctx.previous.label}."
    sentences = [
        f"{narrative.plural(received, 'complaint')} {'was' if received == 1 else 'were'} "
        f"received in {ctx.year.label}, {narrative.direction(before, received)} {before:,} in "
        f"{ctx.previous.label}."
    ]
    on_time = performance.row("stage-1-on-time").cells
    if on_time[f"{this}_percent"] is not None:
        sentence = f"{on_time[f'{this}_percent']}% of Stage 1 responses were within timescale"
        if on_time[f"{last}_percent"] is not None:
            sentence += f" ({on_time[f'{last}_percent']}% in {ctx.previous.label})"
        sentences.append(sentence + ".")
    upheld = performance.row("upheld").cells
    if upheld[f"{this}_percent"] is not None:
        sentences.append(
            f"{upheld[f'{this}_percent']}% of the complaints {ctx.outcome_basis.counted} were "
            "upheld or partially upheld."
        )
    largest, changed = _themes(ctx)
    if largest:
        named = ", ".join(f"{label.lower()} ({count:,})" for label, count in largest)
        sentences.append(f"The main themes were {named}.")
    if changed:
        named = ", ".join(
            f"{label.lower()} ({'up' if now > then else 'down'} from {then:,} to {now:,})"
            for label, then, now in changed
        )
        sentences.append(f"The biggest changes on {ctx.previous.label} were in {named}.")
    lessons, categories = _learning(ctx)
    if lessons:
        sentence = f"{narrative.plural(lessons, 'lesson')} {'was' if lessons == 1 else 'were'} "
        sentence += "recorded from complaints"
        if categories:
            sentence += f", most often about {narrative.join(categories)}"
        sentences.append(sentence + ".")
    return " ".join(sentences)
