"""Timeliness: how quickly complaints and representations were acknowledged and answered,
against the council's local targets and the statutory timescales, this year and last, and
how long stages took, in bands.

Counting (``heard.reports.selection``): acknowledgements are counted on the stages *asked for*
in the year, responses and completion times on the stages *responded to* in the year. Working
days are on the council's calendar (the day after the start is day 1). A local target (for the
first stage only) is met when the acknowledgement or response came within its working days of
the stage being asked for (``DEFAULT_LOCAL_TARGETS``); the procedure's timescale (statutory for
statutory complaints; the council's policy for corporate complaints and representations) when
it came on or before the due date Heard recorded for the stage (after any agreed extension). A
stage not acknowledged (or answered) counts in the whole, as late; a stage with no due date
counts in the local measure but not in the procedure's one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from heard.cases.choices import Kind, Procedure, Resolution
from heard.reports import definitions, selection
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts, StageFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, band, percent
from heard.reports.periods import ReportingYear
from heard.timescales.rules import DEFAULT_LOCAL_TARGETS, Target

TITLE = "Timeliness"

STATUTORY, CORPORATE = Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE

#: Completion-time bands in working days, per (procedure, stage): (label, upper limit
#: inclusive; None for the last band). Derbyshire-like defaults.
DERBYSHIRE_BANDS: dict[tuple[str, int], list[tuple[str, int | None]]] = {
    (STATUTORY, 1): [("10 or fewer", 10), ("11–20", 20), ("21–30", 30), ("Over 30", None)],
    (STATUTORY, 2): [("25 or fewer", 25), ("26–65", 65), ("Over 65", None)],
    (STATUTORY, 3): [("30 or fewer", 30), ("Over 30", None)],
    (CORPORATE, 1): [("10 or fewer", 10), ("11–20", 20), ("21–30", 30), ("Over 30", None)],
    (CORPORATE, 2): [("20 or fewer", 20), ("21–60", 60), ("Over 60", None)],
    (Procedure.REPRESENTATION, 1): [("10 or fewer", 10), ("11–20", 20), ("Over 20", None)],
}
#: East Riding's bands, worded and cut as its 2016-17 report publishes them. Its "<10" is 10
#: or fewer for statutory complaints ("less than 10", then "between 11 and 20") but 9 or
#: fewer for corporate ones ("<10", "10 - 20", "20 +"). It publishes no Stage 3 bands.
EAST_RIDING_BANDS: dict[tuple[str, int], list[tuple[str, int | None]]] = {
    (STATUTORY, 1): [("<10", 10), ("11–20", 20), ("21–30", 30), (">30", None)],
    (STATUTORY, 2): [("<25", 25), ("26–65", 65), (">65", None)],
    (CORPORATE, 1): [("<10", 9), ("10–20", 20), ("20+", None)],
    (CORPORATE, 2): [("<10", 9), ("10–20", 20), ("20+", None)],
}
#: Band tables a report can ask for by name (``bands(ctx, "east-riding")``).
BAND_TABLES: dict[str, dict[tuple[str, int], list[tuple[str, int | None]]]] = {
    "derbyshire": DERBYSHIRE_BANDS,
    "east-riding": EAST_RIDING_BANDS,
}
BANDS = DERBYSHIRE_BANDS

#: Cases closed at a stage without a response to it, shown under that stage's bands:
#: (resolution, row key suffix, label).
CLOSED_WITHOUT_RESPONSE = [
    (Resolution.WITHDRAWN, "withdrawn", "Withdrawn"),
    (Resolution.RESOLVED_ADR, "resolved_adr",
     "Did not progress as a complaint: resolved by alternative dispute resolution"),
]  # fmt: skip

#: Rows of the timeliness tables: key, label, kind, procedure (None: any), stage.
ACK_ROWS = [
    ("complaint", "All complaints", Kind.COMPLAINT, None, 1),
    (STATUTORY, "Statutory complaints", Kind.COMPLAINT, STATUTORY, 1),
    (CORPORATE, "Corporate complaints", Kind.COMPLAINT, CORPORATE, 1),
    ("representation", "Representations", Kind.REPRESENTATION, None, 1),
]
RESPONSE_ROWS = [
    ("complaint", "All complaints (stage 1)", Kind.COMPLAINT, None, 1),
    (f"{STATUTORY}-1", "Statutory complaints, stage 1", Kind.COMPLAINT, STATUTORY, 1),
    (f"{STATUTORY}-2", "Statutory complaints, stage 2", Kind.COMPLAINT, STATUTORY, 2),
    (f"{STATUTORY}-3", "Statutory complaints, stage 3", Kind.COMPLAINT, STATUTORY, 3),
    (f"{CORPORATE}-1", "Corporate complaints, stage 1", Kind.COMPLAINT, CORPORATE, 1),
    (f"{CORPORATE}-2", "Corporate complaints, stage 2", Kind.COMPLAINT, CORPORATE, 2),
    ("representation", "Representations", Kind.REPRESENTATION, None, 1),
]


def build(ctx: ReportContext) -> Section:
    ack = acknowledgement(ctx)
    response_table = response(ctx)
    return Section(
        id="timeliness",
        title=TITLE,
        narrative=draft(ctx, ack, response_table),
        tables=[ack, response_table, late_reasons(ctx), bands(ctx)],
    )


def local_target(measure: str, procedure: str, stage: int,
                 targets: tuple[Target, ...] = DEFAULT_LOCAL_TARGETS) -> Target | None:  # fmt: skip
    for target in targets:
        if (target.measure == measure and target.procedure in (None, procedure)
                and target.stage in (None, stage)):  # fmt: skip
            return target
    return None


Picker = Callable[[CaseFacts, ReportingYear], list[StageFacts]]


def _pairs(ctx: ReportContext, kind: str, year: ReportingYear,
           pick: Picker) -> list[tuple[CaseFacts, StageFacts]]:  # fmt: skip
    """Every (case, stage) pair a picker gives, worked out once per report: the tables ask for
    many procedures and stages of the same kind and year."""
    if pick is selection.stages_responded_in:
        return ctx.responded(kind, year)
    if pick is selection.stages_requested_in:
        return ctx.requested(kind, year)
    return ctx.once(
        ("timeliness", kind, year, pick),
        lambda: [(case, stage) for case in ctx.cases(kind) for stage in pick(case, year)],
    )


def _stages(ctx: ReportContext, kind: str, procedure: str | None, number: int,
            year: ReportingYear, pick: Picker) -> list[tuple[CaseFacts, StageFacts]]:  # fmt: skip
    return [
        (case, stage)
        for case, stage in _pairs(ctx, kind, year, pick)
        if stage.number == number and (procedure is None or case.procedure == procedure)
    ]


def _judged(ctx: ReportContext, kind: str, year: ReportingYear, pick: Picker,
            measure: str) -> list[tuple[str, int, bool, bool, bool]]:  # fmt: skip
    """(procedure, stage number, within the local target, has a due date, within the due date)
    for every stage a picker gives in a year, judged once per report: the rows of a table are
    different procedures and stages of the same stages."""

    def judge() -> list[tuple[str, int, bool, bool, bool]]:
        judged = []
        limits: dict[tuple[str, int], int | None] = {}  # the target of each procedure and stage
        for case, stage in _pairs(ctx, kind, year, pick):
            try:
                limit = limits[case.procedure, stage.number]
            except KeyError:
                target = local_target(measure, case.procedure, stage.number)
                limit = limits[case.procedure, stage.number] = (
                    target.working_days if target else None
                )
            local = definitions.within_local_target(ctx.calendar, stage, limit, measure)
            if measure == "acknowledge":
                verdict = definitions.acknowledged_in_time(stage)
            else:
                verdict = definitions.within_timescale(stage)
            judged.append((case.procedure, stage.number, local, verdict is not None,
                           bool(verdict)))  # fmt: skip
        return judged

    return ctx.once(("timeliness", "judged", kind, year, pick, measure), judge)


def _tallies(ctx: ReportContext, kind: str, year: ReportingYear, pick: Picker,
             measure: str) -> dict[tuple[str, int], list[int]]:  # fmt: skip
    """The judged stages (``_judged``) added up per (procedure, stage number): [stages, within
    the local target, with a due date, within the due date], once per report (each row of a
    table is one procedure and stage, or one stage of every procedure)."""

    def tally() -> dict[tuple[str, int], list[int]]:
        tallies: dict[tuple[str, int], list[int]] = {}
        for procedure, number, local, with_due, within in _judged(ctx, kind, year, pick, measure):
            counts = tallies.get((procedure, number))
            if counts is None:
                counts = tallies[procedure, number] = [0, 0, 0, 0]
            counts[0] += 1
            counts[1] += local
            counts[2] += with_due
            counts[3] += within
        return tallies

    return ctx.once(("timeliness", "tallies", kind, year, pick, measure), tally)


def _measure(ctx: ReportContext, rows, measure: str, pick: Picker) -> list[Row]:
    years = [ctx.previous, ctx.year]
    out = []
    for key, label, kind, procedure, number in rows:
        cells: dict = {}
        for y in years:
            tallies = _tallies(ctx, kind, y, pick, measure)
            count = local = with_due = statutory = 0
            for (stage_procedure, stage_number), tally in tallies.items():
                if stage_number == number and procedure in (None, stage_procedure):
                    count += tally[0]
                    local += tally[1]
                    with_due += tally[2]
                    statutory += tally[3]
            cells[f"{y.key}-count"] = count
            # Local targets are set for the first response; later stages have their own
            # (statutory or policy) timescales only.
            cells[f"{y.key}-local"] = local if number == 1 else None
            cells[f"{y.key}-local-percent"] = percent(local, count) if number == 1 else None
            cells[f"{y.key}-statutory"] = statutory
            cells[f"{y.key}-statutory-percent"] = percent(statutory, with_due)
        out.append(Row(key, label, cells))
    return out


def _columns(ctx: ReportContext, what: str, local_label: str) -> list[Column]:
    columns = [Column("label", "Cases", "label")]
    for y in (ctx.previous, ctx.year):
        columns += [
            Column(f"{y.key}-count", f"{y.label}: {what}"),
            Column(f"{y.key}-local", f"{y.label}: {local_label}"),
            Column(f"{y.key}-local-percent", f"{y.label}: % {local_label}", "percent",
                   of=f"{what} in {y.label}", source=f"{y.key}-local"),
            Column(f"{y.key}-statutory", f"{y.label}: within the procedure's timescale"),
            Column(f"{y.key}-statutory-percent", f"{y.label}: % within the procedure's timescale",
                   "percent", of=f"{what} in {y.label} with a due date",
                   source=f"{y.key}-statutory"),
        ]  # fmt: skip
    return columns


def acknowledgement(ctx: ReportContext) -> Table:
    target = local_target("acknowledge", "", 1)
    days = target.working_days if target else None
    pick: Picker = selection.stages_requested_in
    return Table(
        id="timeliness.acknowledgement",
        title="Acknowledgements within timescale",
        columns=_columns(ctx, "stage 1 requests", f"within {days} working days"),
        rows=_measure(ctx, ACK_ROWS, "acknowledge", pick),
        selection=f"First stages asked for in {ctx.previous.label} and {ctx.year.label}",
        notes=[
            f"The local target is {days} working days from receipt; the procedure's timescale is "
            "the acknowledgement due date Heard recorded (for statutory complaints, 5 working "
            "days: the statutory timescale).",
            ROUNDING_NOTE,
        ],
        chart=Chart("bar", "Acknowledged within timescale",
                    [f"{ctx.previous.key}-local-percent", f"{ctx.year.key}-local-percent"]),
    )  # fmt: skip


def response(ctx: ReportContext) -> Table:
    target = local_target("respond", "", 1)
    days = target.working_days if target else None
    return Table(
        id="timeliness.response",
        title="Responses within timescale",
        columns=_columns(ctx, "responses", f"within {days} working days"),
        rows=_measure(ctx, RESPONSE_ROWS, "respond", selection.stages_responded_in),
        selection=f"Stages responded to in {ctx.previous.label} and {ctx.year.label}",
        notes=[
            f"The local target is {days} working days from the first stage being asked for; "
            "the procedure's timescale is the response due date after any agreed extension "
            "(statutory for statutory complaints).",
            ROUNDING_NOTE,
        ],
        chart=Chart("bar", "Responded to within timescale",
                    [f"{ctx.previous.key}-local-percent", f"{ctx.year.key}-local-percent"]),
    )  # fmt: skip


def late_reasons(ctx: ReportContext) -> Table:
    """Responses later than their due date in the year, by the reason recorded, per stage."""
    late: dict[int, Counter] = {}
    for _case, stage in ctx.responded(Kind.COMPLAINT, ctx.year):
        if definitions.within_timescale(stage) is False:
            late.setdefault(stage.number, Counter())[stage.late_reason_id] += 1
    numbers = sorted(late)
    columns = [Column("label", "Reason for the late response", "label")]
    for n in numbers:
        columns.append(Column(f"{n}", f"Stage {n}"))
        columns.append(Column(f"{n}-percent", f"Stage {n} %", "percent",
                              of=f"late Stage {n} responses", source=f"{n}"))  # fmt: skip
    reasons = [t.id for t in ctx.data.terms_of("late_reason")]
    seen = {reason for counts in late.values() for reason in counts}
    reasons = [r for r in reasons if r in seen] + sorted(
        r for r in seen if r is not None and r not in reasons
    )
    if None in seen:
        reasons.append(None)
    rows = []
    for reason in reasons:
        cells: dict = {}
        for n in numbers:
            cells[f"{n}"] = late[n][reason]
            cells[f"{n}-percent"] = percent(late[n][reason], sum(late[n].values()))
        key = ctx.data.term(reason).code if reason is not None else "not-recorded"
        rows.append(Row(key, ctx.term_label(reason), cells))
    totals = {f"{n}": sum(late[n].values()) for n in numbers}
    rows.append(Row("total", "Late responses", totals, total=True))
    return Table(
        id="timeliness.late_reasons",
        title="Reasons for late responses",
        columns=columns,
        rows=rows if numbers else [],
        selection=f"Complaint stages responded to in {ctx.year.label} after their due date",
        notes=[
            "Late: responded to after the stage's due date (after any agreed extension).",
            ROUNDING_NOTE,
        ],
        chart=Chart("bar", "Reasons for late responses",
                    [f"{n}-percent" for n in numbers]),
    )  # fmt: skip


def closed_without_response(ctx: ReportContext, kind: str, procedure: str, number: int,
                            resolution: str, year: ReportingYear | None = None) -> int:  # fmt: skip
    """Cases of ``procedure`` closed in the year with ``resolution`` at stage ``number`` (the
    stage they had reached), with no response to that stage by the day they closed."""
    found = 0
    for case in ctx.closed(kind, year, procedure=procedure, resolution=resolution):
        if selection.stage_closed_at(case) != number:
            continue
        last = case.stage(number)
        if last is None or last.responded_on is None or last.responded_on > case.closed_on:
            found += 1
    return found


def bands(ctx: ReportContext, table: dict | str | None = None) -> Table:
    """Working days taken by the stages responded to in the year, in each procedure's bands
    (``table``: a band table, or the name of one in ``BAND_TABLES``; default ``BANDS``), then
    the cases closed in the year at that stage without a response (withdrawn; resolved by
    alternative dispute resolution), and the total of both."""
    table = BAND_TABLES[table] if isinstance(table, str) else table
    table = BANDS if table is None else table
    rows = []
    for (procedure, number), limits in table.items():
        kind = Kind.REPRESENTATION if procedure == Procedure.REPRESENTATION else Kind.COMPLAINT
        stages = _stages(ctx, kind, procedure, number, ctx.year, selection.stages_responded_in)
        days = [definitions.days_taken(ctx.calendar, s) for _case, s in stages]
        unanswered = {
            key: closed_without_response(ctx, kind, procedure, number, resolution)
            for resolution, key, _label in CLOSED_WITHOUT_RESPONSE
        }
        # The year before, beside it.
        earlier = _stages(ctx, kind, procedure, number, ctx.previous,
                          selection.stages_responded_in)  # fmt: skip
        days_before = [definitions.days_taken(ctx.calendar, s) for _case, s in earlier]
        labels_before = [band(d, limits) for d in days_before]
        unanswered_before = {
            key: closed_without_response(ctx, kind, procedure, number, resolution, ctx.previous)
            for resolution, key, _label in CLOSED_WITHOUT_RESPONSE
        }
        if not days and not any(unanswered.values()):
            continue
        group = f"{procedure}-{number}"
        labels = [band(d, limits) for d in days]
        for label, _upper in limits:
            n, m = labels.count(label), labels_before.count(label)
            rows.append(Row(f"{group}-{label}", label, {
                "previous": m, "previous-percent": percent(m, len(days_before)),
                "count": n, "percent": percent(n, len(days))}, level=1, group=group))  # fmt: skip
        name = Procedure(procedure).label
        rows.append(Row(group, f"{name}, stage {number}: total",
                        {"previous": len(days_before),
                         "previous-percent": percent(len(days_before), len(days_before)),
                         "count": len(days), "percent": percent(len(days), len(days))},
                        total=True, group=group))  # fmt: skip
        for _resolution, key, label in CLOSED_WITHOUT_RESPONSE:
            rows.append(Row(f"{group}-{key}", label, {
                "previous": unanswered_before[key], "previous-percent": None,
                "count": unanswered[key], "percent": None}, level=1, group=group))  # fmt: skip
        everything = len(days) + sum(unanswered.values())
        before_all = len(days_before) + sum(unanswered_before.values())
        rows.append(Row(f"{group}-all", f"{name}, stage {number}: total with cases closed "
                        "without a response", {"previous": before_all, "previous-percent": None,
                                               "count": everything, "percent": None},
                        total=True, group=group))  # fmt: skip
    return Table(
        id="timeliness.bands",
        title="Time taken to respond",
        columns=[
            Column("label", "Working days taken", "label"),
            Column("previous", f"Responses {ctx.previous.label}"),
            Column(
                "previous-percent",
                f"% {ctx.previous.label}",
                "percent",
                of="responses at that procedure and stage that year",
                source="previous",
            ),
            Column("count", f"Responses {ctx.year.label}"),
            Column(
                "percent",
                f"% {ctx.year.label}",
                "percent",
                of="responses at that procedure and stage",
                source="count",
            ),
        ],  # fmt: skip
        rows=rows,
        selection=f"Stages responded to in {ctx.previous.label} and {ctx.year.label}, by "
        "working days from the stage being asked for to the response; and cases closed in the "
        "year at that stage without "
        "a response",
        notes=[
            "Withdrawn, and resolved by alternative dispute resolution: cases closed in the "
            "year at that stage with no response to it. They are not in the bands or their "
            "percentages.",
            ROUNDING_NOTE,
        ],
        chart=Chart("stacked-bar", "Time taken to respond", ["count"]),
    )


def _points(now: int, before: int | None, last_label: str) -> str:
    if not isinstance(before, int):
        return ""
    if now == before:
        return f", the same as in {last_label}"
    points = abs(now - before)
    word = "up" if now > before else "down"
    return f", {word} {points} percentage point{'s' if points != 1 else ''} on {last_label} " + (
        f"({before}%)"
    )


def draft(ctx: ReportContext, ack: Table, response_table: Table) -> str:
    this, last = ctx.year.key, ctx.previous.key
    sentences = []
    for table, key, column, what in (
        (ack, "complaint", "local", "of complaints were acknowledged within the local target"),
        (ack, STATUTORY, "statutory",
         "of statutory complaints were acknowledged within the statutory timescale"),
        (ack, "representation", "local", "of representations were acknowledged in time"),
        (response_table, "complaint", "local",
         "of complaints were responded to within the local target"),
        (response_table, "representation", "local",
         "of representations were responded to within the local target"),
    ):  # fmt: skip
        row = table.row(key)
        now = row.cells.get(f"{this}-{column}-percent")
        if now is None:
            continue
        before = row.cells.get(f"{last}-{column}-percent")
        sentences.append(f"{now}% {what} in {ctx.year.label}" + _points(now, before,
                         ctx.previous.label) + ".")  # fmt: skip
    late = []
    for row in response_table.rows:  # what was late
        count = row.cells.get(f"{this}-count") or 0
        if row.key != "complaint" and count:
            met = row.cells.get(f"{this}-local")
            if met is None:
                met = row.cells.get(f"{this}-statutory") or 0
            missed = count - met
            if missed:
                late.append(f"{row.label.lower()}: {missed:,} of {count:,}")
    if late:
        sentences.append(
            "Responses later than the local target (later stages: their timescale): "
            + "; ".join(late)
            + "."
        )
    return " ".join(sentences)
