"""The annual complaints performance and service improvement report that the Local Government
and Social Care Ombudsman's Complaint Handling Code asks for (section 8, "Performance
reporting and self-assessment", paragraph 8.1; the Ombudsman applies the Code from 1 April
2026): complaint handling performance, the types of complaint refused, the Ombudsman's
findings and the council's compliance with its remedies, the service improvements made from
learning, and the annual self-assessment against the Code.

The Code's timescales are not written here: they are the corporate procedure's rules in
``heard.timescales.rules`` whose source is the Code (for a year before the Code took effect,
the first version of them, so that the year can be compared). Children's statutory complaints
follow the 2006 Regulations; their stages are reported against those rules, and the
self-assessment measures only the complaints handled under the Code (the corporate procedure).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from heard.cases.choices import Kind, Procedure, Resolution
from heard.cases.models import Extension
from heard.reports import definitions, measures, narrative, selection
from heard.reports.annual import make_context, year_report
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts, StageFacts
from heard.reports.document import Column, Item, Report, Row, Section, Table
from heard.reports.measures import percent
from heard.reports.sections import remedies
from heard.timescales import rules
from heard.timescales.errors import UnknownRule
from heard.timescales.rules import StageRule

TITLE = "Annual complaints performance and service improvement report"

#: The procedure the Complaint Handling Code governs.
CODE_PROCEDURE = Procedure.CORPORATE

#: What the self-assessment says of a requirement the data cannot show.
COUNCIL_TO_ASSESS = "To be assessed by the council"
#: Row key for stages responded to without an outcome recorded.
NOT_RECORDED = "not-recorded"
MET, PARTLY, NOT_MET, NO_CASES = "Met", "Partly met", "Not met", "No cases in the year"

#: Requirements of the Code that case data cannot evidence: key and wording.
COUNCIL_ASSESSED = [
    ("policy", "A complaints policy in line with the Code, published on the council's website"),
    ("definition", "Complaints defined as the Code defines them, and individuals offered the "
     "choice to complain whenever they express dissatisfaction"),
    ("exclusions", "Exclusions are reasonable, and a complaint not accepted is explained to "
     "the individual with the right to go to the Ombudsman"),
    ("accessibility", "Complaints can be made in different ways, with reasonable adjustments"),
    ("resources", "A designated complaint handling officer with the authority, training and "
     "resources to resolve complaints"),
    ("governance", "A member responsible for complaints, and the governing body's response to "
     "this report published with it"),
    ("ombudsman-letter", "The Ombudsman's annual letter and any reports about the council "
     "considered"),
]  # fmt: skip


def code_start() -> datetime.date:
    """The day the Code's timescales took effect, read from the rules whose source is it."""
    return min(r.effective_from for r in rules.RULES if r.source.startswith(rules.CODE))


def code_rule(stage: int, on: datetime.date) -> StageRule:
    """The Code's rule for a stage on a day (its first version before the Code took effect)."""
    return rules.rule_for(CODE_PROCEDURE, stage, max(on, code_start()))


def rule_of(case: CaseFacts, stage: StageFacts) -> StageRule | None:
    """The rule a stage is measured against: the Code's for the corporate procedure (in force
    on the day the case was received), the procedure's own otherwise."""
    try:
        if case.procedure == CODE_PROCEDURE:
            return code_rule(stage.number, case.received_on)
        return rules.rule_for(case.procedure, stage.number, case.received_on)
    except UnknownRule:
        return None


@dataclass
class Timeliness:
    acknowledged: bool | None
    within: bool | None
    within_extended: bool | None


def timeliness(ctx: ReportContext, case: CaseFacts, stage: StageFacts) -> Timeliness:
    """Whether a stage was acknowledged and responded to within its rule, in working days on
    the council's calendar: within the standard time, and within the time after any extension
    (no further than the rule's limit)."""
    rule = rule_of(case, stage)
    if rule is None:
        return Timeliness(None, None, None)
    acknowledged = None
    if rule.acknowledge_days is not None:
        days = selection.working_days(ctx.calendar, stage.requested_on, stage.acknowledged_on)
        acknowledged = days is not None and days <= rule.acknowledge_days
    within = within_extended = None
    if stage.responded_on and rule.respond is not None and rule.respond_unit == "working_days":
        start = {
            "received": case.received_on if stage.number == 1 else stage.requested_on,
            "requested": stage.requested_on,
            "acknowledged": stage.acknowledged_on or stage.requested_on,
            "statement_agreed": stage.statement_agreed_on or stage.requested_on,
        }[rule.respond_from]
        days = selection.working_days(ctx.calendar, start, stage.responded_on)
        allowed = rule.respond
        if stage.extended_to:
            allowed = max(allowed, min(stage.extended_to, rule.max_extended_to or rule.respond))
        within, within_extended = days <= rule.respond, days <= allowed
    return Timeliness(acknowledged, within, within_extended)


def build(
    year: int, publication: bool = False, outcome_basis: str = definitions.DEFAULT_OUTCOME_BASIS
) -> Report:
    """The Code's annual report for the reporting year starting in ``year``."""
    ctx = make_context(year, publication=publication, outcome_basis=outcome_basis)
    sections = [
        introduction(ctx),
        performance_section(ctx),
        ombudsman_section(ctx),
        improvements_section(ctx),
        self_assessment_section(ctx),
    ]
    notes = [measures.ROUNDING_NOTE]
    if ctx.year.end < code_start():
        notes.insert(0, f"The Ombudsman applies the Code from {code_start():%-d %B %Y}; this "
                     "year is measured against the Code's timescales for comparison.")  # fmt: skip
    return year_report(ctx, "lgsco-code", TITLE, sections, notes)


def introduction(ctx: ReportContext) -> Section:
    return Section(
        id="introduction",
        title="Introduction",
        narrative=(
            f"This is the council's annual complaints performance and service improvement "
            f"report for {ctx.year.label} ({ctx.year.describe()}), as the Local Government and "
            f"Social Care Ombudsman's Complaint Handling Code asks. It sets out how complaints "
            f"were handled, the Ombudsman's findings, the improvements made from what "
            f"complaints taught us, and the council's self-assessment against the Code. "
            f"Complaints about children's social care follow the statutory procedure of the "
            f"Children Act 1989 Representations Procedure (England) Regulations 2006; other "
            f"complaints follow the council's corporate procedure under the Code."
        ),
    )


# Performance ------------------------------------------------------------------------------


def _procedures(ctx: ReportContext) -> list[str]:
    present = {c.procedure for c in ctx.dealt_with(Kind.COMPLAINT) if c.procedure}
    return [p.value for p in Procedure if p.value in present]


def performance_section(ctx: ReportContext) -> Section:
    stages = stages_table(ctx)
    outcomes = outcomes_table(ctx)
    refused = refused_table(ctx)
    received = len(ctx.received(Kind.COMPLAINT))
    sentences = [
        f"{narrative.plural(received, 'complaint')} {'was' if received == 1 else 'were'} "
        f"received in {ctx.year.label}."
    ]
    for row in stages.rows:
        pct = row.cells["within_percent"]
        if pct is not None:
            sentences.append(
                f"{row.label}: {pct}% of {row.cells['responded']:,} responses within the timescale."
            )
    refusals = sum(r.cells["count"] for r in refused.rows if not r.total)
    if refusals:
        sentences.append(
            f"{narrative.plural(refusals, 'complaint')} {'was' if refusals == 1 else 'were'} "
            f"not accepted."
        )
    return Section(
        id="performance",
        title="Complaint handling performance",
        narrative=" ".join(sentences),
        tables=[stages, outcomes, refused],
    )


def stages_table(ctx: ReportContext) -> Table:
    counts: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for case in ctx.cases(Kind.COMPLAINT):
        for stage in selection.stages_requested_in(case, ctx.year):
            c = counts[(case.procedure, stage.number)]
            c["requested"] += 1
            t = timeliness(ctx, case, stage)
            if t.acknowledged is not None:
                c["ack_of"] += 1
                c["acknowledged"] += t.acknowledged
        for stage in selection.stages_responded_in(case, ctx.year):
            c = counts[(case.procedure, stage.number)]
            c["responded"] += 1
            verdict = definitions.within_timescale(stage)  # the same in every report
            if verdict is not None:
                c["judged"] += 1
                c["within"] += verdict
            t = timeliness(ctx, case, stage)
            if t.within is not None:
                c["timed"] += 1
                c["within_standard"] += t.within
    rows = []
    for procedure in _procedures(ctx):
        numbers = sorted(n for p, n in counts if p == procedure)
        for number in numbers:
            c = counts[(procedure, number)]
            rows.append(
                Row(
                    f"{procedure}-{number}",
                    f"{Procedure(procedure).label}: Stage {number}",
                    {
                        "requested": c["requested"],
                        "acknowledged": c["acknowledged"],
                        "acknowledged_percent": percent(c["acknowledged"], c["ack_of"]),
                        "responded": c["responded"],
                        "within": c["within"],
                        "within_percent": percent(c["within"], c["judged"]),
                        "within_standard": c["within_standard"],
                        "within_standard_percent": percent(c["within_standard"], c["timed"]),
                    },
                    group=procedure,
                )
            )
    return Table(
        id="lgsco.stages",
        title="Complaints at each stage and timeliness",
        columns=[
            Column("label", "Procedure and stage", "label"),
            Column("requested", "Started"),
            Column("acknowledged", "Acknowledged within timescale"),
            Column(
                "acknowledged_percent",
                "% acknowledged within timescale",
                "percent",
                of="of stages started",
                source="acknowledged",
            ),
            Column("responded", "Responded to"),
            Column("within", "Responded to within timescale"),
            Column(
                "within_percent",
                "% within timescale",
                "percent",
                of="of stages responded to that have a due date",
                source="within",
            ),
            Column("within_standard", "Within the standard time, without extension"),
            Column(
                "within_standard_percent",
                "% within the standard time, without extension",
                "percent",
                of="of stages responded to that the rules time",
                source="within_standard",
            ),
        ],  # fmt: skip
        rows=rows,
        selection=f"Complaint stages started, and stages responded to, in {ctx.year.label}",
        notes=[
            "Corporate complaints are measured against the Complaint Handling Code's "
            "timescales; children's statutory complaints against the 2006 Regulations.",
            "Within timescale: responded to by the stage's due date, after any extension agreed "
            "with the complainant and any time the clock was stopped (as in the annual and "
            "scrutiny reports). Within the standard time: within the rule's working days "
            "without any extension, on the council's calendar; it differs by design.",
        ],
    )


def outcomes_table(ctx: ReportContext) -> Table:
    findings = ctx.data.terms_of("finding")
    numbers = sorted(
        {
            s.number
            for case in ctx.cases(Kind.COMPLAINT)
            for s in selection.stages_responded_in(case, ctx.year)
        }
    )
    counts: Counter = Counter()
    for case in ctx.cases(Kind.COMPLAINT):
        for stage in selection.stages_responded_in(case, ctx.year):
            counts[(stage.outcome or NOT_RECORDED, stage.number)] += 1
    columns = [Column("label", "Outcome", "label")]
    for n in numbers:
        columns.append(Column(str(n), f"Stage {n}"))
        columns.append(Column(f"{n}_percent", f"Stage {n} %", "percent",
                              of=f"of Stage {n} responses", source=str(n)))  # fmt: skip
    totals = {n: sum(v for (_, m), v in counts.items() if m == n) for n in numbers}
    rows = []
    for term in findings:
        cells = {}
        for n in numbers:
            cells[str(n)] = counts[(term.code, n)]
            cells[f"{n}_percent"] = percent(counts[(term.code, n)], totals[n])
        rows.append(Row(term.code, term.label, cells))
    if any(code == NOT_RECORDED for code, _ in counts):
        cells = {str(n): counts[(NOT_RECORDED, n)] for n in numbers}
        cells |= {f"{n}_percent": percent(counts[(NOT_RECORDED, n)], totals[n]) for n in numbers}
        rows.append(Row(NOT_RECORDED, "Not recorded", cells))
    rows.append(Row("total", "Total", {str(n): totals[n] for n in numbers}, total=True))
    return Table(
        id="lgsco.outcomes",
        title="Outcomes at each stage",
        columns=columns,
        rows=rows,
        selection=f"Complaint stages responded to in {ctx.year.label}, by outcome",
    )


def refused_table(ctx: ReportContext) -> Table:
    closed = ctx.closed(Kind.COMPLAINT)
    counts = Counter(c.resolution for c in closed if c.resolution in selection.REFUSALS)
    rows = [
        Row(r.value, r.label, {"count": counts[r.value]})
        for r in Resolution
        if r.value in selection.REFUSALS
    ]
    rows.append(Row("total", "Total", {"count": sum(counts.values())}, total=True))
    return Table(
        id="lgsco.refused",
        title="Complaints not accepted, by reason",
        columns=[Column("label", "Reason", "label"), Column("count", "Complaints")],
        rows=rows,
        selection=f"Complaints closed in {ctx.year.label} without being accepted",
    )


# The Ombudsman ----------------------------------------------------------------------------


def _remedies(ctx: ReportContext) -> tuple[int, int]:
    """(remedies complied with on time, remedies due) of the Ombudsman decisions made in the
    year, counted from the remedies recorded on the cases (``Remedy``: each with its due date
    and the date it was complied with), as the annual report counts them
    (``heard.reports.sections.remedies``). A remedy given only in words has no due date, so it
    is not counted here."""
    met, due, _agreed = remedies.on_time(ctx, ctx.year)
    return met, due


def ombudsman_section(ctx: ReportContext) -> Section:
    decided = [c for c in ctx.cases(Kind.OMBUDSMAN) if ctx.year.contains(c.lgsco_decision_on)]
    counts = Counter(c.lgsco_decision_id for c in decided)
    rows = [
        Row(term.code, term.label, {"count": counts[term.id]})
        for term in ctx.data.terms_of("lgsco_decision")
        if counts[term.id]
    ]
    if counts[None]:
        rows.append(Row(NOT_RECORDED, "Not recorded", {"count": counts[None]}))
    rows.append(Row("total", "Total", {"count": len(decided)}, total=True))
    decisions = Table(
        id="lgsco.ombudsman",
        title="The Ombudsman's decisions",
        columns=[Column("label", "Decision", "label"), Column("count", "Decisions")],
        rows=rows,
        selection=f"Ombudsman decisions made in {ctx.year.label}",
    )
    complied, due, agreed = remedies.on_time(ctx, ctx.year)
    received = len(ctx.received(Kind.OMBUDSMAN))
    text = (
        f"The Ombudsman received {narrative.plural(received, 'complaint')} about the council's "
        f"Children's Services in {ctx.year.label} and made "
        f"{narrative.plural(len(decided), 'decision')}."
    )
    if agreed:
        text += (
            f" The council agreed {narrative.plural(agreed, 'remedy', 'remedies')}; "
            f"{complied:,} of the {due:,} due by the day this report was made "
            "were complied with on time."
        )
    text += (
        " [Add the Ombudsman's annual letter, any findings of non-compliance with the Code "
        "and any reports about the council.]"
    )
    return Section(
        id="ombudsman",
        title="The Ombudsman's findings and remedies",
        narrative=text,
        tables=[decisions],
    )


# Service improvements ---------------------------------------------------------------------


def improvements_section(ctx: ReportContext) -> Section:
    lessons: Counter = Counter()
    actions: Counter = Counter()
    items = []
    for case in ctx.cases(Kind.COMPLAINT):
        for learning in case.learning:
            if not ctx.year.contains(learning.recorded_on):
                continue
            lessons[learning.category_id] += 1
            actions[(learning.category_id, "due")] += len(learning.actions)
            actions[(learning.category_id, "completed")] += sum(
                1 for a in learning.actions if a.completed_on and a.completed_on <= ctx.year.end
            )
            if learning.publishable and learning.lesson:
                team = ctx.data.area_at(case.service_area_id, "team")
                items.append(Item(learning.lesson, team.name if team else ""))
    terms = [t.id for t in ctx.data.terms_of("learning_category")]
    order = [t for t in terms if lessons[t]] + ([None] if lessons[None] else [])
    rows = [
        Row(
            ctx.data.term(t).code if t else NOT_RECORDED,
            ctx.term_label(t),
            {
                "lessons": lessons[t],
                "actions": actions[(t, "due")],
                "completed": actions[(t, "completed")],
                "completed_percent": percent(actions[(t, "completed")], actions[(t, "due")]),
            },
        )
        for t in order
    ]
    table = Table(
        id="lgsco.learning",
        title="Learning from complaints",
        columns=[
            Column("label", "Learning category", "label"),
            Column("lessons", "Lessons recorded"),
            Column("actions", "Actions"),
            Column("completed", "Actions completed"),
            Column(
                "completed_percent", "% completed", "percent", of="of actions", source="completed"
            ),
        ],  # fmt: skip
        rows=rows,
        selection=f"Lessons recorded from complaints in {ctx.year.label}, with their actions",
        notes=[f"Actions completed by {ctx.year.end:%-d %B %Y}."],
    )
    text = narrative.largest(table, "lessons", "lessons learned")
    text += " [Describe the service improvements made as a result.]"
    return Section(
        id="improvements",
        title="Service improvements from complaints",
        narrative=text,
        tables=[table],
        items=items,
        items_title="Lessons learned",
    )


# Self-assessment --------------------------------------------------------------------------


def assessment(met: int, whole: int) -> str:
    """Every case meets it: met; some: partly met; none: not met."""
    if not whole:
        return NO_CASES
    return MET if met == whole else NOT_MET if met == 0 else PARTLY


def _code_stages(ctx: ReportContext, requested: bool) -> list[tuple[CaseFacts, StageFacts]]:
    pick = selection.stages_requested_in if requested else selection.stages_responded_in
    return [
        (case, stage)
        for case in ctx.cases(Kind.COMPLAINT)
        if case.procedure == CODE_PROCEDURE
        for stage in pick(case, ctx.year)
    ]


def _extensions(ctx: ReportContext) -> tuple[int, int]:
    """(within the rules, extended) for Code stages responded to in the year that were
    extended: every extension agreed with the complainant, and no further than the limit."""
    agreed: dict[tuple[int, int], bool] = {}
    for case_id, number, with_complainant in Extension.objects.filter(
        stage__case__kind=Kind.COMPLAINT,
        stage__case__procedure=CODE_PROCEDURE,
        stage__responded_on__range=(ctx.year.start, ctx.year.end),
    ).values_list("stage__case_id", "stage__number", "agreed_with_complainant"):
        agreed[(case_id, number)] = agreed.get((case_id, number), True) and with_complainant
    extended = 0
    good = 0
    for case, stage in _code_stages(ctx, requested=False):
        key = (case.id, stage.number)
        if key not in agreed and not stage.extended_to:
            continue
        extended += 1
        rule = code_rule(stage.number, case.received_on)
        limit = rule.max_extended_to or rule.respond
        good += agreed.get(key, False) and (stage.extended_to or 0) <= limit
    return good, extended


def _learning_for_upheld(ctx: ReportContext) -> tuple[int, int]:
    upheld = [c for c in ctx.outcome_cases() if definitions.upheld(ctx.outcome(c))]
    return sum(1 for c in upheld if c.learning), len(upheld)


def self_assessment_rows(ctx: ReportContext) -> list[Row]:
    rows = []

    def add(key: str, label: str, met: int, whole: int) -> None:
        rows.append(
            Row(
                key,
                label,
                {
                    "met": met,
                    "of": whole,
                    "percent": percent(met, whole),
                    "assessment": assessment(met, whole),
                },
            )  # fmt: skip
        )

    started = _code_stages(ctx, requested=True)
    responded = _code_stages(ctx, requested=False)
    for number in (1, 2):
        try:
            rule = code_rule(number, ctx.year.start)
        except UnknownRule:
            continue
        began = [(c, s) for c, s in started if s.number == number]
        done = [(c, s) for c, s in responded if s.number == number]
        timed = [timeliness(ctx, c, s) for c, s in done]
        timed = [t for t in timed if t.within is not None]
        if rule.acknowledge_days is not None:
            acks = [timeliness(ctx, c, s).acknowledged for c, s in began]
            add(f"stage-{number}-acknowledged",
                f"Stage {number} complaints acknowledged within {rule.acknowledge_days} "
                f"working days", sum(1 for a in acks if a), len(acks))  # fmt: skip
        if rule.respond is not None:
            start = {"acknowledged": "of acknowledgement", "received": "of receipt"}.get(
                rule.respond_from, "of the request"
            )
            add(f"stage-{number}-responded",
                f"Stage {number} responses within {rule.respond} working days {start}",
                sum(1 for t in timed if t.within), len(timed))  # fmt: skip
            if rule.max_extended_to:
                add(f"stage-{number}-extended",
                    f"Stage {number} responses within the timescale including extensions of "
                    f"no more than {rule.max_extended_to - rule.respond} further working days",
                    sum(1 for t in timed if t.within_extended), len(timed))  # fmt: skip
    add("extensions", "Extensions agreed with complainants and within the Code's limits",
        *_extensions(ctx))  # fmt: skip
    add("learning", "Upheld or partially upheld complaints with learning recorded",
        *_learning_for_upheld(ctx))  # fmt: skip
    add("ombudsman-remedies", "Ombudsman remedies complied with on time", *_remedies(ctx))
    for key, label in COUNCIL_ASSESSED:
        rows.append(Row(key, label, {"met": None, "of": None, "percent": None,
                                     "assessment": COUNCIL_TO_ASSESS}))  # fmt: skip
    return rows


def self_assessment_section(ctx: ReportContext) -> Section:
    rows = self_assessment_rows(ctx)
    table = Table(
        id="lgsco.self_assessment",
        title="Self-assessment against the Complaint Handling Code",
        columns=[
            Column("label", "Code requirement", "label"),
            Column("met", "Cases meeting it"),
            Column("of", "Cases"),
            Column("percent", "%", "percent", of="of cases", source="met"),
            Column("assessment", "Assessment", "text"),
        ],
        rows=rows,
        selection=f"Corporate complaints (handled under the Code) in {ctx.year.label}: stages "
        f"started or responded to in the year; Ombudsman decisions made in the year",
        notes=[
            f"Met: every case met the requirement; partly met: some did; not met: none did. "
            f"Rows marked '{COUNCIL_TO_ASSESS}' cannot be shown from case records.",
            "Ombudsman remedies: the remedies recorded on the Ombudsman cases, complied with "
            "on or before their due date, of those due by the day this report was made.",
        ],
    )
    from_data = [r for r in rows if r.cells["of"]]
    met = sum(1 for r in from_data if r.cells["assessment"] == MET)
    text = (
        f"Of the {narrative.plural(len(from_data), 'requirement')} that the case records "
        f"show for {ctx.year.label}, {met:,} {'was' if met == 1 else 'were'} fully met. "
        f"The council completes the rest of the self-assessment."
    )
    return Section(
        id="self_assessment",
        title="Self-assessment against the Code",
        narrative=text,
        tables=[table],
    )
