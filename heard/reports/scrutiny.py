"""The short cover report for the scrutiny committee: why it is brought, the headline figures
of the year against the year before, the main themes, and what the committee is asked to do.

Figures follow the annual report's definitions (``heard.reports.selection``): complaints are
counted when received; outcomes on the report's outcome basis (``heard.reports.definitions``),
as a percentage of the complaints counted; timeliness on the stages responded to in the year,
against each stage's response due date (after any agreed extension).
"""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import Kind
from heard.reports import definitions, narrative, selection
from heard.reports.annual import make_context, year_report
from heard.reports.context import ReportContext
from heard.reports.document import Column, Report, Row, Section, Table
from heard.reports.measures import change, percent
from heard.reports.periods import ReportingYear

TITLE = "Complaints, compliments and representations: report to the scrutiny committee"

#: How many focus categories the themes table shows.
THEMES_SHOWN = 5

RECOMMENDATIONS = (
    "The committee is asked to note the complaints, compliments and representations received "
    "in {year}, the council's performance in responding to them, and the learning and service "
    "improvements that have followed. [Add any further recommendations for the committee "
    "here.]"
)


def build(
    year: int, publication: bool = False, outcome_basis: str = definitions.DEFAULT_OUTCOME_BASIS
) -> Report:
    """The scrutiny cover report for the reporting year starting in ``year``."""
    ctx = make_context(year, publication=publication, outcome_basis=outcome_basis)
    headlines = headlines_table(ctx)
    performance = performance_table(ctx)
    themes = themes_table(ctx)
    summary = Section(
        id="summary",
        title="Purpose and headline figures",
        narrative=" ".join(
            [purpose(ctx), headline_sentences(ctx, headlines, performance), themes_sentence(themes)]
        ),
        tables=[headlines, performance, themes],
    )
    recommendations = Section(
        id="recommendations",
        title="Recommendations",
        narrative=RECOMMENDATIONS.format(year=ctx.year.label),
    )
    return year_report(ctx, "scrutiny", TITLE, [summary, recommendations])


def purpose(ctx: ReportContext) -> str:
    return (
        f"This report gives the committee the headline figures from the annual report on "
        f"complaints, compliments and representations about Children's Services for "
        f"{ctx.year.label} ({ctx.year.describe()}), compared with {ctx.previous.label}, and the "
        f"main themes of the complaints received."
    )


# Figures ----------------------------------------------------------------------------------


def _stages_requested(ctx: ReportContext, number: int, year: ReportingYear) -> int:
    return sum(
        1
        for case in ctx.cases(Kind.COMPLAINT)
        for stage in selection.stages_requested_in(case, year)
        if stage.number == number
    )


def _ombudsman_decided(ctx: ReportContext, year: ReportingYear) -> int:
    return sum(1 for case in ctx.cases(Kind.OMBUDSMAN) if year.contains(case.lgsco_decision_on))


#: The count rows: key, label, how to count in a year.
COUNTS = [
    ("complaints", "Complaints received", lambda ctx, y: len(ctx.received(Kind.COMPLAINT, y))),
    ("stage-2", "Stage 2 investigations requested", lambda ctx, y: _stages_requested(ctx, 2, y)),
    ("stage-3", "Stage 3 review panels requested", lambda ctx, y: _stages_requested(ctx, 3, y)),
    ("ombudsman", "Ombudsman cases received", lambda ctx, y: len(ctx.received(Kind.OMBUDSMAN, y))),
    ("ombudsman-decided", "Ombudsman decisions", _ombudsman_decided),
    ("compliments", "Compliments received", lambda ctx, y: len(ctx.received(Kind.COMPLIMENT, y))),
    ("representations", "MP and councillor enquiries received",
     lambda ctx, y: len(ctx.received(Kind.REPRESENTATION, y))),
]  # fmt: skip


def headlines_table(ctx: ReportContext) -> Table:
    last, this = ctx.previous, ctx.year
    columns = [
        Column("label", "Measure", "label"),
        Column(last.key, last.label),
        Column(this.key, this.label),
        Column("change", "% change", "change", of=last.label, source=this.key),
    ]
    rows = []
    for key, label, count in COUNTS:
        cells = {last.key: count(ctx, last), this.key: count(ctx, this)}
        cells["change"] = change(cells[last.key], cells[this.key])
        rows.append(Row(key, label, cells))
    return Table(
        id="scrutiny.headlines",
        title="Headline figures",
        columns=columns,
        rows=rows,
        selection=f"Cases received, stages requested and Ombudsman decisions made in "
        f"{last.label} and {this.label}",
        notes=["% change is this year's figure against last year's."],
    )


def _within_timescale(ctx: ReportContext, year: ReportingYear, number: int) -> tuple[int, int]:
    """(responded within the timescale, responded) for complaint stages of one number
    responded to in the year and having a due date."""
    return definitions.stage_timeliness(ctx.cases(Kind.COMPLAINT), year, number)


def _upheld(ctx: ReportContext, year: ReportingYear) -> tuple[int, int]:
    counted = ctx.outcome_cases(year)
    upheld = sum(map(definitions.upheld, ctx.outcomes(counted, year)))
    return upheld, len(counted)


#: The percentage rows: key, label, what the percentage is of, and (part, whole) in a year.
RATES = [
    ("stage-1-on-time", "Stage 1 responses within timescale", "of Stage 1 responses",
     lambda ctx, y: _within_timescale(ctx, y, 1)),
    ("stage-2-on-time", "Stage 2 responses within timescale", "of Stage 2 responses",
     lambda ctx, y: _within_timescale(ctx, y, 2)),
    ("upheld", "Complaints upheld or partially upheld", "of the complaints counted", _upheld),
]  # fmt: skip


def performance_table(ctx: ReportContext) -> Table:
    """Percentages with the counts they are made of, for each year."""
    columns = [Column("label", "Measure", "label")]
    rows = []
    for y in (ctx.previous, ctx.year):
        columns += [
            Column(f"{y.key}_count", f"Number {y.label}"),
            Column(f"{y.key}_of", f"Out of {y.label}"),
            Column(f"{y.key}_percent", f"% {y.label}", "percent", of="of the number it is out "
                   "of", source=f"{y.key}_count"),
        ]  # fmt: skip
    for key, label, of, figures in RATES:
        cells = {}
        for y in (ctx.previous, ctx.year):
            part, whole = figures(ctx, y)
            cells |= {f"{y.key}_count": part, f"{y.key}_of": whole,
                      f"{y.key}_percent": percent(part, whole)}  # fmt: skip
        rows.append(Row(key, f"{label} ({of})", cells))
    return Table(
        id="scrutiny.performance",
        title="Timeliness and outcomes",
        columns=columns,
        rows=rows,
        selection=f"Complaint stages responded to, and complaints received, in "
        f"{ctx.previous.label} and {ctx.year.label}",
        notes=[
            "Within timescale: responded to by the stage's due date, after any extension "
            "agreed with the complainant.",
            f"{ctx.outcome_basis.note(ctx.year)} The previous year is counted the same way; "
            "complaints still open count in the number but not as upheld.",
        ],
    )


def themes_table(ctx: ReportContext) -> Table:
    this, last = ctx.year, ctx.previous
    received = ctx.received(Kind.COMPLAINT)
    counts = Counter(term for case in received for term in case.category_ids)
    before = Counter(term for case in ctx.received(Kind.COMPLAINT, last) for term in
                     case.category_ids)  # fmt: skip
    largest = sorted(counts, key=lambda t: (-counts[t], ctx.term_label(t)))[:THEMES_SHOWN]
    rows = []
    for term_id in largest:
        info = ctx.data.term(term_id)
        rows.append(
            Row(
                info.code if info else str(term_id),
                ctx.term_label(term_id),
                {
                    last.key: before[term_id],
                    this.key: counts[term_id],
                    "percent": percent(counts[term_id], len(received)),
                },
            )
        )
    return Table(
        id="scrutiny.themes",
        title="Main themes of complaints",
        columns=[
            Column("label", "Focus of complaint", "label"),
            Column(last.key, last.label),
            Column(this.key, this.label),
            Column(
                "percent",
                f"% of complaints {this.label}",
                "percent",
                of=f"of complaints received in {this.label}",
                source=this.key,
            ),
        ],  # fmt: skip
        rows=rows,
        selection=f"The {THEMES_SHOWN} most frequent focuses of complaints received in "
        f"{this.label}",
        notes=["A complaint with several categories is counted under each."],
    )


# Narrative --------------------------------------------------------------------------------


def headline_sentences(ctx: ReportContext, headlines: Table, performance: Table) -> str:
    last, this = ctx.previous.key, ctx.year.key
    sentences = []
    complaints = headlines.row("complaints").cells
    sentences.append(
        f"{narrative.plural(complaints[this], 'complaint')} "
        f"{'was' if complaints[this] == 1 else 'were'} received in {ctx.year.label}, "
        f"{narrative.direction(complaints[last], complaints[this])} {complaints[last]:,} in "
        f"{ctx.previous.label}"
        + (
            f" ({abs(complaints['change'])}% {'more' if complaints['change'] > 0 else 'fewer'})."
            if complaints["change"]
            else "."
        )
    )
    compliments = headlines.row("compliments").cells[this]
    ombudsman = headlines.row("ombudsman").cells[this]
    sentences.append(
        f"The council received {narrative.plural(compliments, 'compliment')} and "
        f"{narrative.plural(ombudsman, 'new Ombudsman case')}."
    )
    on_time = performance.row("stage-1-on-time").cells
    if on_time[f"{this}_percent"] is not None:
        sentence = f"{on_time[f'{this}_percent']}% of Stage 1 responses were sent within timescale"
        if on_time[f"{last}_percent"] is not None:
            sentence += f", against {on_time[f'{last}_percent']}% in {ctx.previous.label}"
        sentences.append(sentence + ".")
    upheld = performance.row("upheld").cells
    if upheld[f"{this}_percent"] is not None:
        sentences.append(
            f"{upheld[f'{this}_percent']}% of the complaints {ctx.outcome_basis.counted} were "
            "upheld or partially upheld."
        )
    return " ".join(sentences)


def themes_sentence(themes: Table) -> str:
    if not themes.rows:
        return ""
    this = themes.columns[2].key
    return narrative.largest(themes, this, "complaints by focus")
