"""How complaints flowed through each procedure's stages: brought forward, new, resolved and
carried forward, stage by stage, this year and over four years, with the findings on each part.

Definitions (see ``heard.reports.selection``):

- a complaint is **at stage N during a year** when it was dealt with in the year and stage N
  was the stage it was at on some day of the year: stage N was asked for by the end of the year
  and the next stage was not asked for before the year began. "Progressed to Stage 2" counts
  these (councils publish it as a % of complaints dealt with);
- **new** complaints are counted at the stage they started at (some go straight to Stage 2);
- **started** a stage: the stage was asked for in the year;
- **resolved** at a stage: closed in the year, counted at the stage it closed at.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from heard.cases.choices import Finding, Kind, Procedure, Resolution
from heard.reports import definitions, narrative, selection
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, change, percent
from heard.reports.periods import ReportingYear

TITLE = "How complaints moved through the stages"

#: Which complaints the findings on parts are counted on, per procedure:
#: "resolved" - complaints resolved in the year at that stage (the statutory annual report's
#: "the 17 complaints resolved at Stage 1 contained 108 parts"); "responded" - every stage
#: responded to in the year, whatever happened next (what corporate reports count).
FINDINGS_BASIS: dict[str, str] = {
    Procedure.CHILDRENS_STATUTORY: "resolved",
    Procedure.CORPORATE: "responded",
}
DEFAULT_FINDINGS_BASIS = "resolved"

#: Finding rows, in the order councils publish them (labels come from the taxonomy).
FINDINGS = [
    Finding.NOT_UPHELD,
    Finding.UPHELD,
    Finding.PARTIALLY_UPHELD,
    Finding.NO_FINDING,
    Finding.WITHDRAWN,
]


def build(ctx: ReportContext) -> Section:
    tables = []
    paragraphs = []
    for procedure in procedures(ctx):
        flow = stage_flow(ctx, procedure)
        history = flow_history(ctx, procedure)
        findings = part_findings(ctx, procedure)
        tables += [flow, history, findings]
        paragraphs.append(_narrative(ctx, procedure, history, findings))
    tables += [handling(ctx), stage2_3(ctx), stage2_3_costs(ctx), stage2_3_cases(ctx)]
    return Section(
        id="flow", title=TITLE, narrative=" ".join(p for p in paragraphs if p), tables=tables
    )


# Helpers ---------------------------------------------------------------------------------


def procedures(ctx: ReportContext) -> list[str]:
    """The complaint procedures with complaints dealt with in any of the years shown."""
    seen = {
        c.procedure for y in ctx.years for c in ctx.dealt_with(Kind.COMPLAINT, y) if c.procedure
    }
    return [p for p in Procedure.values if p in seen]


def procedure_label(procedure: str) -> str:
    labels = {
        Procedure.CHILDRENS_STATUTORY: "Children's social care (statutory)",
        Procedure.CORPORATE: "Corporate",
    }
    return labels.get(procedure, Procedure(procedure).label)


def stage_count(ctx: ReportContext, procedure: str) -> int:
    """How many stages the procedure's complaints reached (3 for the statutory procedure)."""
    floor = 3 if procedure == Procedure.CHILDRENS_STATUTORY else 1
    return max(floor, _highest_stages(ctx).get(procedure, 0))


def _highest_stages(ctx: ReportContext) -> dict[str, int]:
    """The highest stage any complaint reached, by procedure (worked out once per report: the
    tables ask for it per procedure, and it walks every complaint)."""

    def highest() -> dict[str, int]:
        found: dict[str, int] = {}
        for case in ctx.cases(Kind.COMPLAINT):
            if case.stages:
                # A case's stages are in order, so its last is its highest.
                number = case.stages[-1].number
                if number > found.get(case.procedure, 0):
                    found[case.procedure] = number
        return found

    return ctx.once(("flow", "highest stages"), highest)


def start_stage(case: CaseFacts) -> int:
    return case.stages[0].number if case.stages else 1


def at_stage_during(case: CaseFacts, number: int, year: ReportingYear) -> bool:
    """Whether a complaint dealt with in ``year`` was at stage ``number`` on some day of it."""
    if not selection.dealt_with_in(case, year):
        return False
    stage = case.stage(number)
    if stage is None or stage.requested_on > year.end:
        return False
    later = [s for s in case.stages if s.number > number]
    return not (later and later[0].requested_on < year.start)


def _stage_label(number: int) -> str:
    return f"Stage {number}"


# Tables ----------------------------------------------------------------------------------


def stage_flow(ctx: ReportContext, procedure: str) -> Table:
    year = ctx.year
    stages = range(1, stage_count(ctx, procedure) + 1)
    dealt = ctx.dealt_with(Kind.COMPLAINT, procedure=procedure)
    # One pass over the complaints, each judged by the same definitions as the other tables.
    bf: Counter = Counter()
    new: Counter = Counter()
    started: Counter = Counter()
    resolved: Counter = Counter()
    cf: Counter = Counter()
    resolved_count = 0
    for c in dealt:
        if selection.brought_forward(c, year):
            bf[selection.stage_brought_forward(c, year)] += 1
        if selection.received_in(c, year):
            new[start_stage(c)] += 1
        for s in selection.stages_requested_in(c, year):
            started[s.number] += 1
        if selection.closed_in(c, year):
            resolved_count += 1
            resolved[selection.stage_closed_at(c)] += 1
        if selection.carried_forward(c, year):
            cf[selection.stage_carried_forward(c, year)] += 1
    rows = []
    for n in stages:
        rows.append(
            Row(
                str(n),
                _stage_label(n),
                {
                    "brought_forward": bf[n],
                    "new": new[n],
                    "started": started[n],
                    "resolved": resolved[n],
                    "resolved_pct": percent(resolved[n], resolved_count),
                    "carried_forward": cf[n],
                },
            )
        )
    rows.append(
        Row(
            "total",
            "Total",
            {
                "brought_forward": sum(bf.values()),
                "new": sum(new.values()),
                "started": sum(started[n] for n in stages),
                "resolved": resolved_count,
                "resolved_pct": 100 if resolved_count else None,
                "carried_forward": sum(cf.values()),
            },
            total=True,
        )
    )
    return Table(
        id=f"flow.{procedure}",
        title=f"{procedure_label(procedure)} complaints: stages in {year.label}",
        columns=[
            Column("label", "Stage", "label"),
            Column("brought_forward", f"Brought forward from {ctx.previous.label}"),
            Column("new", "New complaints (by the stage they started at)"),
            Column("started", "Stage started in the year"),
            Column("resolved", f"Resolved in {year.label}"),
            Column(
                "resolved_pct",
                "% of complaints resolved",
                "percent",
                of="of complaints resolved in the year",
                source="resolved",
            ),
            Column("carried_forward", f"Carried forward to {year.previous(-1).label}"),
        ],
        rows=rows,
        selection=f"{procedure_label(procedure)} complaints dealt with in {year.label}",
        notes=[
            "Brought and carried forward complaints are counted at the stage they were at on "
            "the first and last day of the year; resolved complaints at the stage they closed at.",
            ROUNDING_NOTE,
        ],
        chart=Chart("stacked-bar", "Complaints by stage", ["resolved", "carried_forward"]),
    )


def _history_cells(ctx: ReportContext, procedure: str, year: ReportingYear, stages: int) -> dict:
    dealt = ctx.dealt_with(Kind.COMPLAINT, year, procedure=procedure)
    # One pass over the complaints, each judged by the same definitions as the other tables.
    new = brought_forward = carried_forward = resolved_count = 0
    resolved: Counter = Counter()
    later = range(2, stages + 1)
    progressed = dict.fromkeys(later, 0)
    for c in dealt:
        if selection.received_in(c, year):
            new += 1
        if selection.brought_forward(c, year):
            brought_forward += 1
        if selection.carried_forward(c, year):
            carried_forward += 1
        if selection.closed_in(c, year):
            resolved_count += 1
            resolved[selection.stage_closed_at(c)] += 1
        # At a later stage only if it reached one (a case's stages are in order).
        if c.stages and c.stages[-1].number >= 2:
            for n in later:
                if at_stage_during(c, n, year):
                    progressed[n] += 1
    cells = {
        "new": new,
        "brought_forward": brought_forward,
        "dealt_with": len(dealt),
        "resolved": resolved_count,
        "resolved_1": resolved[1],
        "resolved_1_pct": percent(resolved[1], resolved_count),
    }
    for n in later:
        cells[f"resolved_{n}"] = resolved[n]
    cells["carried_forward"] = carried_forward
    for n in later:
        cells[f"progressed_{n}"] = progressed[n]
        cells[f"progressed_{n}_pct"] = percent(progressed[n], len(dealt))
    return cells


def flow_history(ctx: ReportContext, procedure: str) -> Table:
    stages = stage_count(ctx, procedure)
    columns = [
        Column("label", "Year", "label"),
        Column("new", "New complaints"),
        Column("brought_forward", "Brought forward from the previous year"),
        Column("dealt_with", "Total dealt with"),
        Column(
            "dealt_with_change", "% change in complaints dealt with", "change", source="dealt_with"
        ),
        Column("resolved", "Total resolved"),
        Column("resolved_1", "Resolved at Stage 1"),
        Column(
            "resolved_1_pct",
            "% resolved at Stage 1",
            "percent",
            of="of complaints resolved",
            source="resolved_1",
        ),
    ]
    for n in range(2, stages + 1):
        label = (
            "Stage 3 panel"
            if n == 3 and procedure == Procedure.CHILDRENS_STATUTORY
            else (f"Resolved at Stage {n}")
        )
        columns.append(Column(f"resolved_{n}", label))
    columns.append(Column("carried_forward", "Carried forward to the next year"))
    for n in range(2, stages + 1):
        columns.append(Column(f"progressed_{n}", f"At Stage {n} during the year"))
        columns.append(
            Column(
                f"progressed_{n}_pct",
                f"% of those dealt with at Stage {n}",
                "percent",
                of="of complaints dealt with",
                source=f"progressed_{n}",
            )
        )
    rows, previous = [], None
    for y in ctx.years:
        cells = _history_cells(ctx, procedure, y, stages)
        cells["dealt_with_change"] = change(previous, cells["dealt_with"]) if previous else None
        previous = cells["dealt_with"]
        rows.append(Row(y.key, y.label, cells))
    return Table(
        id=f"flow.{procedure}_history",
        title=f"{procedure_label(procedure)} complaints: year on year",
        columns=columns,
        rows=rows,
        selection=f"{procedure_label(procedure)} complaints dealt with in each reporting year",
        notes=[
            "A complaint is at a stage during the year when it was at that stage on any day "
            "of the year, including those brought forward at it.",
            ROUNDING_NOTE,
        ],
        chart=Chart("line", "Complaints dealt with and resolved", ["dealt_with", "resolved"]),
    )


def _findings_stages(ctx: ReportContext, procedure: str, basis: str):
    """(stage number, findings dict) for every stage the table counts."""
    year = ctx.year
    if basis == "responded":
        for case in ctx.dealt_with(Kind.COMPLAINT, procedure=procedure):
            for stage in selection.stages_responded_in(case, year):
                yield case, stage.number, stage.findings
        return
    for case in ctx.closed(Kind.COMPLAINT, procedure=procedure):
        at = selection.stage_closed_at(case)
        stage = case.stage(at)
        yield case, at, stage.findings if stage else {}


def part_findings(ctx: ReportContext, procedure: str) -> Table:
    basis = FINDINGS_BASIS.get(procedure, DEFAULT_FINDINGS_BASIS)
    stages = range(1, stage_count(ctx, procedure) + 1)
    parts: dict[int, Counter] = {n: Counter() for n in stages}
    complaints: dict[int, set] = {n: set() for n in stages}
    for case, number, findings in _findings_stages(ctx, procedure, basis):
        if number not in parts:
            continue
        complaints[number].add(case.id)
        parts[number].update(findings.values())
    labels = {t.code: t.label for t in ctx.data.terms_of("finding")}
    columns = [Column("label", "Finding", "label")]
    for n in stages:
        columns.append(Column(f"s{n}", f"Stage {n} parts"))
        columns.append(
            Column(
                f"s{n}_pct",
                f"Stage {n} %",
                "percent",
                of=f"of parts with a finding at Stage {n}",
                source=f"s{n}",
            )
        )
    rows = []
    for code in FINDINGS:
        cells = {}
        for n in stages:
            whole = sum(parts[n].values())
            cells[f"s{n}"] = parts[n][code]
            cells[f"s{n}_pct"] = percent(parts[n][code], whole)
        rows.append(Row(code, labels.get(code, Finding(code).label), cells))
    total = {}
    for n in stages:
        total[f"s{n}"] = sum(parts[n].values())
        total[f"s{n}_pct"] = 100 if total[f"s{n}"] else None
    rows.append(Row("total", "Total parts", total, total=True))
    rows.append(
        Row(
            "complaints",
            "Complaints these parts belong to",
            {f"s{n}": len(complaints[n]) for n in stages},
        )
    )
    if basis == "responded":
        chosen = f"the stages of {procedure_label(procedure).lower()} complaints responded to in "
    else:
        chosen = f"{procedure_label(procedure).lower()} complaints resolved at each stage in "
    return Table(
        id=f"flow.{procedure}_part_findings",
        title=f"{procedure_label(procedure)} complaints: findings on each part",
        columns=columns,
        rows=rows,
        selection=f"Parts of {chosen}{ctx.year.label}",
        notes=["Most complaints have several parts; each part has its own finding.", ROUNDING_NOTE],
        chart=Chart("bar", "Findings on each part", [f"s{n}" for n in stages]),
    )


def stage2_3(ctx: ReportContext) -> Table:
    """Statutory Stage 2 investigations and Stage 3 panels: how many, how many on time, and
    what the independent people cost."""
    year = ctx.year
    dealt = ctx.dealt_with(Kind.COMPLAINT, procedure=Procedure.CHILDRENS_STATUTORY)
    rows = []
    for n in (2, 3):
        requested = [
            s for c in dealt for s in selection.stages_requested_in(c, year) if s.number == n
        ]
        responded = [
            s for c in dealt for s in selection.stages_responded_in(c, year) if s.number == n
        ]
        verdicts = [definitions.within_timescale(s) for s in responded]
        on_time = [v for v in verdicts if v]
        judged = [v for v in verdicts if v is not None]
        panels = [s for c in dealt for s in c.stages if s.number == n and year.contains(s.panel_on)]
        investigator = sum((s.investigating_officer_fee or 0) for s in responded)
        person = sum((s.independent_person_fee or 0) for s in responded)
        rows.append(
            Row(
                str(n),
                "Stage 2 investigations" if n == 2 else "Stage 3 review panels",
                {
                    "requested": len(requested),
                    "held": len(panels) if n == 3 else None,
                    "completed": len(responded),
                    "on_time": len(on_time),
                    "on_time_pct": percent(len(on_time), len(judged)),
                    "investigator_cost": float(investigator),
                    "person_cost": float(person),
                },
            )
        )
    return Table(
        id="flow.stage2_3",
        title=f"Stage 2 investigations and Stage 3 panels in {year.label}",
        columns=[
            Column("label", "Stage", "label"),
            Column("requested", "Requested in the year"),
            Column("held", "Panels held"),
            Column("completed", "Completed (responded to) in the year"),
            Column("on_time", "Completed within the statutory timescale"),
            Column(
                "on_time_pct",
                "% within timescale",
                "percent",
                of="of those completed in the year with a due date",
                source="on_time",
            ),
            Column("investigator_cost", "Independent investigator costs", "money"),
            Column("person_cost", "Independent person costs", "money"),
        ],
        rows=rows,
        selection=f"Children's statutory complaints' Stage 2 and 3 in {year.label}",
        notes=[
            "Within timescale: responded to on or before the date due, after any agreed "
            "extension. Costs are the fees recorded on stages completed in the year."
        ],
    )


#: How a complaint closed: row key, label.
HANDLING = [
    ("formal-1", "Formal response at Stage 1"),
    ("formal-2", "Formal response at Stage 2"),
    ("formal-3", "Formal response at Stage 3"),
    ("adr", "Resolved by alternative dispute resolution"),
    ("withdrawn", "Withdrawn"),
    ("refused", "Not accepted under the procedure"),
    ("no-further-action", "No further action"),
    ("not-recorded", "How it ended not recorded"),
]


#: How each resolution is counted (the codes as plain text: looking a choice up on its enum
#: class costs more than the comparison, for every complaint closed in four years).
_HANDLED = {
    Resolution.RESOLVED_ADR.value: "adr",
    Resolution.WITHDRAWN.value: "withdrawn",
    **dict.fromkeys((r.value for r in selection.REFUSALS), "refused"),
    Resolution.NO_FURTHER_ACTION.value: "no-further-action",
}
_RESPONDED = Resolution.RESPONDED.value


def _handled(case: CaseFacts) -> str:
    if case.resolution == _RESPONDED:
        return f"formal-{min(selection.stage_closed_at(case), 3)}"
    return _HANDLED.get(case.resolution, "not-recorded")


def handling(ctx: ReportContext) -> Table:
    """How the complaints closed in each of the four years were handled: a formal response at
    the stage they ended at, or alternative dispute resolution, withdrawal, refusal."""
    counts = {y.key: Counter(_handled(c) for c in ctx.closed(Kind.COMPLAINT, y)) for y in ctx.years}
    rows = []
    for key, label in HANDLING:
        cells = {y.key: counts[y.key][key] for y in ctx.years}
        if key == "not-recorded" and not any(cells.values()):
            continue
        cells["change"] = change(cells[ctx.previous.key], cells[ctx.year.key])
        rows.append(Row(key, label, cells))
    total = {y.key: counts[y.key].total() for y in ctx.years}
    total["change"] = change(total[ctx.previous.key], total[ctx.year.key])
    rows.append(Row("total", "Complaints closed", total, total=True))
    return Table(
        id="flow.handling",
        title="How complaints were handled",
        columns=ctx.year_columns("How the complaint ended"),
        rows=rows,
        selection="Complaints closed in each reporting year, by how they ended",
        notes=["A formal response is counted at the stage the complaint ended at."],
    )


def stage2_3_costs(ctx: ReportContext) -> Table:
    """Independent investigators' and independent people's fees over four years, each in the
    year the cost falls in (the year the stage was responded to)."""
    fees: dict[tuple[str, int], dict[str, Decimal]] = {}
    for case in ctx.cases(Kind.COMPLAINT):
        if case.procedure != Procedure.CHILDRENS_STATUTORY:
            continue
        for stage in case.stages:
            if stage.number not in (2, 3) or stage.responded_on is None:
                continue
            for y in ctx.years:
                if y.contains(stage.responded_on):
                    cell = fees.setdefault((y.key, stage.number), {})
                    for name, fee in (("investigator", stage.investigating_officer_fee),
                                      ("person", stage.independent_person_fee)):  # fmt: skip
                        cell[name] = cell.get(name, Decimal(0)) + (fee or Decimal(0))
    rows = []
    for number, what in ((2, "investigator"), (2, "person"), (3, "person")):
        label = {
            (2, "investigator"): "Stage 2: independent investigators",
            (2, "person"): "Stage 2: independent people",
            (3, "person"): "Stage 3: independent panel members",
        }[(number, what)]
        cells = {y.key: float(fees.get((y.key, number), {}).get(what, 0)) for y in ctx.years}
        rows.append(Row(f"{number}-{what}", label, cells))
    total = {y.key: sum(row.cells[y.key] for row in rows) for y in ctx.years}
    rows.append(Row("total", "Total", total, total=True))
    return Table(
        id="flow.stage2_3_costs",
        title="Costs of Stage 2 and Stage 3 by year",
        columns=[
            Column("label", "Cost", "label"),
            *(Column(y.key, y.label, "money") for y in ctx.years),
        ],  # fmt: skip
        rows=rows,
        selection="Fees recorded on statutory Stage 2 and 3 stages, in the reporting year the "
        "stage was responded to",
        notes=["Each cost is counted in the year the stage it paid for was responded to."],
    )


def stage2_3_cases(ctx: ReportContext) -> Table:
    """Each statutory Stage 2 and Stage 3 responded to in the year as a row: its parts and
    their findings, whether it was within timescale and what it cost. In publication mode the
    rows are left out: each describes one family's complaint."""
    rows = []
    if not ctx.publication:
        found = [
            (stage.responded_on, case.id, case, stage)
            for case in ctx.cases(Kind.COMPLAINT)
            if case.procedure == Procedure.CHILDRENS_STATUTORY
            for stage in selection.stages_responded_in(case, ctx.year)
            if stage.number in (2, 3)
        ]
        for index, (_day, _id, case, stage) in enumerate(sorted(found), start=1):
            findings = list(stage.findings.values())
            verdict = definitions.within_timescale(stage)
            cost = (stage.investigating_officer_fee or Decimal(0)) + (
                stage.independent_person_fee or Decimal(0)
            )
            rows.append(
                Row(
                    f"{stage.number}-{index}",
                    f"Stage {stage.number}: {case.reference}",
                    {
                        "parts": len(case.parts) or len(findings),
                        "upheld": findings.count(Finding.UPHELD),
                        "partly": findings.count(Finding.PARTIALLY_UPHELD),
                        "not_upheld": findings.count(Finding.NOT_UPHELD),
                        "within": "Not judged" if verdict is None else "Yes" if verdict else "No",
                        "cost": float(cost),
                    },
                )
            )
    notes = [
        "Findings are per part complained about. Within timescale: responded to by the due "
        "date after any agreed extension. Cost: the fees recorded on the stage."
    ]
    if ctx.publication:
        notes.insert(0, "Not shown in the published version: each row is one complaint.")
    words = {t.code: t.label for t in ctx.data.terms_of("finding")}
    return Table(
        id="flow.stage2_3_cases",
        title=f"Each Stage 2 and Stage 3 complaint responded to in {ctx.year.label}",
        columns=[
            Column("label", "Stage and complaint", "label"),
            Column("parts", "Parts"),
            # In the council's words for each finding (its vocabulary).
            Column("upheld", words.get(Finding.UPHELD, "Upheld")),
            Column("partly", words.get(Finding.PARTIALLY_UPHELD, "Partially upheld")),
            Column("not_upheld", words.get(Finding.NOT_UPHELD, "Not upheld")),
            Column("within", "Within timescale", "text"),
            Column("cost", "Cost", "money"),
        ],
        rows=rows,
        selection=f"Statutory Stage 2 and 3 responses dated in {ctx.year.label}",
        notes=notes,
    )


# Narrative -------------------------------------------------------------------------------


def _narrative(ctx: ReportContext, procedure: str, history: Table, findings: Table) -> str:
    this, last = history.row(ctx.year.key).cells, history.row(ctx.previous.key).cells
    if not this["dealt_with"]:
        return ""
    name = procedure_label(procedure)
    text = [
        f"{name}: {narrative.plural(this['dealt_with'], 'complaint')} dealt with in "
        f"{ctx.year.label} ({this['new']:,} new, {this['brought_forward']:,} brought forward), "
        f"{narrative.direction(last['dealt_with'], this['dealt_with'])} "
        f"{last['dealt_with']:,} in {ctx.previous.label}."
    ]
    if this["resolved"]:
        text.append(
            f"{this['resolved']:,} were resolved, {this['resolved_1']:,} "
            f"({this['resolved_1_pct']}%) at Stage 1"
            + (
                f" ({last['resolved_1_pct']}% in {ctx.previous.label})"
                if last["resolved_1_pct"] is not None
                else ""
            )
            + f"; {this['carried_forward']:,} carried forward."
        )
    if "progressed_2" in this and this["progressed_2"]:
        text.append(
            f"{this['progressed_2']:,} ({this['progressed_2_pct']}%) were at Stage 2 "
            "during the year."
        )
    total = findings.row("total").cells
    for key in ("s1", "s2", "s3"):
        if total.get(key):
            top = max(
                (r for r in findings.rows if not r.total and r.key != "complaints"),
                key=lambda r: r.cells[key],
            )
            text.append(
                f"At Stage {key[1]}, {top.cells[f'{key}_pct']}% of "
                f"{total[key]:,} parts were {top.label.lower()}."
            )
    return " ".join(text)
