"""Local Government and Social Care Ombudsman (LGSCO) cases: received, dealt with,
investigated and decided, by year and by service area.

An Ombudsman case is a case of kind ``ombudsman`` with the Ombudsman's enquiry type, decision
and decision date. Semantics (as East Riding and Derbyshire publish them):

- **received**: received in the year; **brought forward**, **dealt with** (open at any time in
  the year) and **carried forward** as for every other kind (``heard.reports.selection``);
- **investigated**: the Ombudsman's enquiry type is a detailed investigation or a public
  report (by code); **not investigated**: dealt with but not investigated;
- **decided**: a decision dated in the year, counted by the council's label of the decision;
  **fault found**: a decision whose code (or, failing that, label) says upheld or fault and
  not "not upheld" or "no fault".
"""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import Kind
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.periods import ReportingYear
from heard.reports.sections import remedies
from heard.reports.sections._by_area import area_rows

TITLE = "Ombudsman cases"

KIND = Kind.OMBUDSMAN
#: Enquiry types (codes) that mean the Ombudsman investigated.
INVESTIGATED_TYPES = ("detailed-investigation", "public-report")
NOT_RECORDED = "not-recorded"


def build(ctx: ReportContext) -> Section:
    summary = summary_table(ctx)
    decisions = decisions_table(ctx)
    remedied = remedies.by_year_table(ctx)
    return Section(
        id="ombudsman",
        title=TITLE,
        narrative=draft(ctx, summary, decisions, remedied),
        tables=[
            summary,
            by_service_area(ctx),
            by_type(ctx),
            decisions,
            remedied,
            remedies.compliance_table(ctx),
        ],
    )


# Definitions ------------------------------------------------------------------------------


#: What the investigated figures say when no case of the year has its enquiry type recorded.
TYPE_NOT_RECORDED = "Not recorded"


def investigated(ctx: ReportContext, case: CaseFacts) -> bool:
    term = ctx.data.term(case.lgsco_enquiry_type_id)
    return term is not None and term.code in INVESTIGATED_TYPES


def _says_fault(text: str) -> bool | None:
    """True/False when ``text`` (a code or label) says whether fault was found, else None."""
    words = text.lower().replace(":", " ").replace("-", " ").replace(",", " ").split()
    joined = " ".join(words)
    if not words:
        return None
    if words[0] in ("not", "no") or "no fault" in joined or "not upheld" in joined:
        return False
    if "upheld" in words or "fault" in words:
        return True
    return None


def fault_found(ctx: ReportContext, decision_id: int | None) -> bool:
    term = ctx.data.term(decision_id)
    if term is None:
        return False
    by_code = _says_fault(term.code)
    return by_code if by_code is not None else bool(_says_fault(term.label))


def decided_in(case: CaseFacts, year: ReportingYear) -> bool:
    return year.contains(case.lgsco_decision_on)


def service_area_of(ctx: ReportContext):
    """The Ombudsman case's own service area, or else that of the complaint it is about."""
    by_id = {case.id: case for case in ctx.data.cases}

    def area(case: CaseFacts) -> int | None:
        if case.service_area_id is not None:
            return case.service_area_id
        linked = by_id.get(case.linked_case_id) if case.linked_case_id else None
        return linked.service_area_id if linked else None

    return area


# Tables -----------------------------------------------------------------------------------


def summary_table(ctx: ReportContext) -> Table:
    years = ctx.years
    figures: dict[str, dict[str, int]] = {}
    for year in years:
        dealt = ctx.dealt_with(KIND, year)
        decided = [c for c in ctx.cases(KIND) if decided_in(c, year)]
        n_investigated: int | str = sum(1 for c in dealt if investigated(ctx, c))
        not_investigated: int | str = len(dealt) - n_investigated
        if dealt and all(c.lgsco_enquiry_type_id is None for c in dealt):
            # Nothing says whether the Ombudsman investigated: not "investigated 0".
            n_investigated = not_investigated = TYPE_NOT_RECORDED
        figures[year.key] = {
            "received": len(ctx.received(KIND, year)),
            "brought-forward": sum(1 for c in dealt if c.received_on < year.start),
            "dealt-with": len(dealt),
            "investigated": n_investigated,
            "not-investigated": not_investigated,
            "decided": len(decided),
            "fault-found": sum(1 for c in decided if fault_found(ctx, c.lgsco_decision_id)),
            "carried-forward": sum(
                1 for c in dealt if c.closed_on is None or c.closed_on > year.end
            ),
        }
    labels = [
        ("received", "New cases received"),
        ("brought-forward", "Brought forward from the previous year"),
        ("dealt-with", "Dealt with (open at any time in the year)"),
        ("investigated", "Investigated by the Ombudsman"),
        ("not-investigated", "Not investigated"),
        ("decided", "Decisions received"),
        ("fault-found", "Decisions finding fault"),
        ("carried-forward", "Carried forward (still open at year end)"),
    ]
    rows = [Row(key, label, {y.key: figures[y.key][key] for y in years}) for key, label in labels]
    return Table(
        id="ombudsman.summary",
        title="Ombudsman cases each year",
        columns=[Column("label", "Ombudsman cases", "label")]
        + [Column(y.key, y.label) for y in years],
        rows=rows,
        selection="Ombudsman cases open at any time in each reporting year",
        notes=[
            "Investigated: the Ombudsman carried out a detailed investigation or issued a "
            "public report; the other cases dealt with were not investigated (for example "
            "premature, or closed after initial assessment).",
            "Decisions are counted in the year of the Ombudsman's decision. Fault found: "
            "decisions upholding the complaint (fault, with or without injustice, or remedied).",
        ],
        chart=Chart("bar", "Ombudsman cases each year", [y.key for y in years]),
    )


def decision_rows(ctx: ReportContext) -> list[tuple[str, str, int | None]]:
    """(key, label, term id) for every decision in the council's vocabulary, then "not
    recorded" (a decision date with no decision)."""
    rows = [(t.code, t.label, t.id) for t in ctx.data.terms_of("lgsco_decision")]
    return rows + [(NOT_RECORDED, "Decision not recorded", None)]


def decisions_table(ctx: ReportContext) -> Table:
    years = ctx.years
    counts = {
        y.key: Counter(c.lgsco_decision_id for c in ctx.cases(KIND) if decided_in(c, y))
        for y in years
    }
    rows = []
    for key, label, term_id in decision_rows(ctx):
        cells = {y.key: counts[y.key][term_id] for y in years}
        if key == NOT_RECORDED and not any(cells.values()):
            continue
        rows.append(Row(key, label, cells))
    rows.append(Row("total", "Total decisions", {y.key: counts[y.key].total() for y in years},
                    total=True))  # fmt: skip
    return Table(
        id="ombudsman.decisions",
        title="Ombudsman decisions each year",
        columns=[Column("label", "Decision", "label")] + [Column(y.key, y.label) for y in years],
        rows=rows,
        selection="Ombudsman decisions dated in each reporting year",
        chart=Chart("bar", "Ombudsman decisions each year", [y.key for y in years]),
    )


def by_type(ctx: ReportContext) -> Table:
    """Ombudsman cases received each year by the kind of enquiry the Ombudsman made (initial
    assessment, premature, detailed investigation…), in the council's own words."""
    years = ctx.years
    counts = {y.key: Counter(c.lgsco_enquiry_type_id for c in ctx.received(KIND, y)) for y in years}
    rows = []
    types = [(t.code, t.label, t.id) for t in ctx.data.terms_of("lgsco_enquiry_type")]
    for key, label, term_id in [*types, (NOT_RECORDED, "Type not recorded", None)]:
        cells = {y.key: counts[y.key][term_id] for y in years}
        if key == NOT_RECORDED and not any(cells.values()):
            continue
        rows.append(Row(key, label, cells))
    rows.append(Row("total", "Total received", {y.key: counts[y.key].total() for y in years},
                    total=True))  # fmt: skip
    return Table(
        id="ombudsman.by_type",
        title="Ombudsman cases by type of enquiry",
        columns=[Column("label", "Type of enquiry", "label")]
        + [Column(y.key, y.label) for y in years],
        rows=rows,
        selection="Ombudsman cases received in each reporting year",
        chart=Chart("bar", "Ombudsman cases by type of enquiry", [y.key for y in years]),
    )


def by_service_area(ctx: ReportContext, level: str = "team") -> Table:
    """Received and investigated (cases received in the year) and decisions (dated in the
    year), by service area: ``level`` "team" (default) or "service"."""
    year = ctx.year
    received = ctx.received(KIND, year)
    decided = [c for c in ctx.cases(KIND) if decided_in(c, year)]
    used = {c.lgsco_decision_id for c in decided}
    decisions = [(key, label, tid) for key, label, tid in decision_rows(ctx) if tid in used]

    # Nothing says whether the Ombudsman investigated: "Not recorded", not "investigated 0".
    type_recorded = any(c.lgsco_enquiry_type_id is not None for c in received)

    def cells(cases: list[CaseFacts]) -> dict:
        got = [c for c in cases if year.contains(c.received_on)]
        row = {
            "received": len(got),
            "investigated": sum(1 for c in got if investigated(ctx, c))
            if type_recorded or not got
            else TYPE_NOT_RECORDED,
        }
        made = Counter(c.lgsco_decision_id for c in cases if decided_in(c, year))
        for key, _label, term_id in decisions:
            row[key] = made[term_id]
        return row

    cases = {c.id: c for c in received + decided}.values()
    columns = [
        Column("label", "Service area", "label"),
        Column("received", "Received"),
        Column("investigated", "Investigated"),
    ] + [Column(key, label) for key, label, _tid in decisions]
    return Table(
        id="ombudsman.by_service_area",
        title="Ombudsman cases by service area",
        columns=columns,
        rows=area_rows(ctx, cases, cells, level=level, area_of=service_area_of(ctx)),
        selection=(
            f"Ombudsman cases received in {year.label} (received, investigated) and Ombudsman "
            f"decisions dated in {year.label} (one column per decision)"
        ),
        notes=[
            "A case is shown under the service area of the Ombudsman case, or else of the "
            "complaint it is about.",
            "A decision received this year on a case received in an earlier year is counted "
            "under its decision but not as received.",
        ],
    )


# Narrative --------------------------------------------------------------------------------


def draft(ctx: ReportContext, summary: Table, decisions: Table, remedied: Table) -> str:
    this, last = ctx.year.key, ctx.previous.key
    fig = {row.key: row.cells for row in summary.rows}
    dealt, received = fig["dealt-with"][this], fig["received"][this]
    if not dealt and not fig["decided"][this]:
        return f"There were no Ombudsman cases in {ctx.year.label}."
    sentences = [
        f"{narrative.plural(dealt, 'Ombudsman case')} {'was' if dealt == 1 else 'were'} dealt "
        f"with in {ctx.year.label}: {received:,} new and {fig['brought-forward'][this]:,} "
        f"brought forward from {ctx.previous.label}."
    ]
    previous = fig["received"][last]
    sentences.append(
        f"New cases were {narrative.direction(previous, received)} {previous:,} "
        f"in {ctx.previous.label}."
    )
    carried = fig["carried-forward"][this]
    carried_text = f"{carried:,} {'is' if carried == 1 else 'are'} carried forward."
    if fig["investigated"][this] == TYPE_NOT_RECORDED:
        sentences.append("Whether the Ombudsman investigated was not recorded; " + carried_text)
    else:
        sentences.append(
            f"The Ombudsman investigated {fig['investigated'][this]:,} and did not investigate "
            f"{fig['not-investigated'][this]:,}; " + carried_text
        )
    decided = fig["decided"][this]
    if decided:
        sentences.append(
            f"{narrative.plural(decided, 'decision')} {'was' if decided == 1 else 'were'} "
            f"received; fault was found in {fig['fault-found'][this]:,}."
        )
        sentences.append(_remedies_sentence(ctx, remedied))
    return " ".join(sentence for sentence in sentences if sentence)


def _remedies_sentence(ctx: ReportContext, remedied: Table) -> str:
    fig = {row.key: row.cells[ctx.year.key] for row in remedied.rows}
    with_remedy = fig["with-remedy"]
    if not with_remedy:
        return "None of the decisions came with a remedy."
    text = f"{narrative.plural(with_remedy, 'decision')} came with a remedy."
    due = fig["on-time"] + fig["late"] + fig["overdue"]
    if due:
        text += (
            f" Of the {narrative.plural(due, 'remedy', 'remedies')} due by the time of this "
            f"report, {fig['on-time']:,} {'was' if fig['on-time'] == 1 else 'were'} complied "
            "with on time."
        )
    return text
