"""Who complained: complainants' roles, and complaints from children and young people
(under-18s and looked-after children) with the advocacy offered to them."""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import EQUALITY_QUESTIONS, Kind, Procedure
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, percent

TITLE = "Who complained"

#: Rows of the young people's table: key, label, test on a complaint.
YOUNG_PEOPLE_ROWS = [
    ("under_18", "Complaints from under 18 year olds", lambda c: c.under_18 is True),
    ("looked_after", "Complaints from looked after children", lambda c: c.looked_after is True),
    ("advocate_offered", "Advocate offered", lambda c: c.advocate_offered is True),
    ("advocate_accepted", "Advocate accepted", lambda c: c.advocate_accepted is True),
]


def build(ctx: ReportContext) -> Section:
    roles_table = roles(ctx)
    young = young_people(ctx)
    return Section(
        id="complainants",
        title=TITLE,
        narrative=_narrative(ctx, roles_table, young),
        tables=[roles_table, roles_by_team(ctx), young, equality(ctx)],
    )


def _procedures(cases: list[CaseFacts]) -> list[str]:
    present = {c.procedure for c in cases if c.procedure}
    return [p for p in Procedure.values if p in present]


def _procedure_label(procedure: str) -> str:
    from heard.reports.sections.flow import procedure_label

    return procedure_label(procedure)


def _columns(procedures: list[str], first: str) -> list[Column]:
    columns = [Column("label", first, "label")]
    for p in procedures:
        columns.append(Column(p, _procedure_label(p)))
        columns.append(
            Column(
                f"{p}_pct",
                f"{_procedure_label(p)} %",
                "percent",
                of=f"of {_procedure_label(p).lower()} complaints dealt with",
                source=p,
            )
        )
    columns.append(Column("all", "All complaints"))
    columns.append(
        Column(
            "all_pct", "All complaints %", "percent", of="of complaints dealt with", source="all"
        )
    )
    return columns


def _cells(procedures: list[str], cases: list[CaseFacts], test) -> dict:
    # Each case tested once, then the ones that pass counted per procedure.
    passed = [c for c in cases if test(c)]
    of_procedure = Counter(c.procedure for c in cases)
    passed_of_procedure = Counter(c.procedure for c in passed)
    cells = {}
    for p in procedures:
        count = passed_of_procedure[p]
        cells[p], cells[f"{p}_pct"] = count, percent(count, of_procedure[p])
    count = len(passed)
    cells["all"], cells["all_pct"] = count, percent(count, len(cases))
    return cells


def roles(ctx: ReportContext) -> Table:
    cases = ctx.dealt_with(Kind.COMPLAINT)
    procedures = _procedures(cases)
    seen = Counter(c.complainant_role_id for c in cases)
    terms = [t for t in ctx.data.terms_of("complainant_role") if t.id in seen]
    rows = [
        Row(
            t.code, t.label, _cells(procedures, cases, lambda c, i=t.id: c.complainant_role_id == i)
        )
        for t in terms
    ]
    if seen.get(None):
        rows.append(
            Row(
                "not-recorded",
                "Not recorded",
                _cells(procedures, cases, lambda c: c.complainant_role_id is None),
            )
        )
    rows.append(Row("total", "Total", _cells(procedures, cases, lambda c: True), total=True))
    return Table(
        id="complainants.roles",
        title="Who made the complaints",
        columns=_columns(procedures, "Complainant"),
        rows=rows,
        selection=f"Complaints dealt with in {ctx.year.label}, by the complainant's role",
        notes=[ROUNDING_NOTE],
    )


def roles_by_team(ctx: ReportContext) -> Table:
    """Who complained about which team: complaints received in the year by team and the
    complainant's role (children and young people's own complaints by team among them)."""
    from heard.reports.sections._by_area import area_rows

    cases = ctx.received(Kind.COMPLAINT)
    seen = Counter(c.complainant_role_id for c in cases)
    roles_shown = [(t.code, t.label, t.id) for t in ctx.data.terms_of("complainant_role")
                   if t.id in seen]  # fmt: skip
    if seen.get(None):
        roles_shown.append(("not-recorded", "Not recorded", None))

    def cells(group: list[CaseFacts]) -> dict:
        counts = Counter(c.complainant_role_id for c in group)
        got = {code: counts[term_id] for code, _label, term_id in roles_shown}
        got["total"] = len(group)
        return got

    return Table(
        id="complainants.roles_by_team",
        title="Who complained about which team",
        columns=[
            Column("label", "Service area / team", "label"),
            *(Column(code, label) for code, label, _id in roles_shown),
            Column("total", "Total", total=True),
        ],  # fmt: skip
        rows=area_rows(ctx, cases, cells) if cases else [],
        selection=f"Complaints received in {ctx.year.label}, by team and the complainant's role",
    )


def young_people(ctx: ReportContext) -> Table:
    cases = ctx.dealt_with(Kind.COMPLAINT)
    procedures = _procedures(cases)
    rows = [
        Row(key, label, _cells(procedures, cases, test)) for key, label, test in YOUNG_PEOPLE_ROWS
    ]
    return Table(
        id="complainants.young_people",
        title="Complaints from children and young people",
        columns=_columns(procedures, "Complaints"),
        rows=rows,
        selection=f"Complaints dealt with in {ctx.year.label}",
        notes=["A looked after child under 18 is counted on both rows.", ROUNDING_NOTE],
    )


def equality(ctx: ReportContext) -> Table:
    """The complainants' equality monitoring answers, question by question, as counts only.
    Small numbers are suppressed here, in every edition and for every reader (not only in
    publication mode): the answers are special category data, and a small count of them
    could point to a person (decision 0027)."""
    from heard.reports.suppression import note, suppress_table, threshold_setting

    cases = ctx.received(Kind.COMPLAINT)
    rows = []
    for field_name, question, answers in EQUALITY_QUESTIONS:
        counts = Counter(getattr(c, field_name) for c in cases)
        for code, answer in [*answers.choices, ("", "Not answered")]:
            rows.append(
                Row(f"{field_name}.{code or 'none'}", f"{question}: {answer}",
                    {"count": counts[code]}, group=field_name)
            )  # fmt: skip
        rows.append(
            Row(f"{field_name}.total", f"{question}: all", {"count": len(cases)},
                total=True, group=field_name)
        )  # fmt: skip
    table = Table(
        id="complainants.equality",
        title="Equality monitoring",
        columns=[Column("label", "Answer", "label"), Column("count", "Complaints")],
        rows=rows if cases else [],
        selection=f"Complaints received in {ctx.year.label}, by the complainant's answers "
        "to the optional equality monitoring questions",
        notes=[
            "Answering is optional; each question offers \u201cPrefer not to say\u201d.",
            note(threshold_setting()),
        ],
    )
    return suppress_table(table)


def _narrative(ctx: ReportContext, roles_table: Table, young: Table) -> str:
    total = roles_table.row("total").cells["all"]
    if not total:
        return f"No complaints were dealt with in {ctx.year.label}."
    text = [narrative.largest(roles_table, "all", "complaints by complainant")]
    under, lac = young.row("under_18").cells, young.row("looked_after").cells
    # The statutory procedure is the one children use; say it of its complaints when there.
    key, of = "all", "complaints"
    if Procedure.CHILDRENS_STATUTORY in under:
        key, of = Procedure.CHILDRENS_STATUTORY, "children's social care complaints"
    text.append(
        f"Of the {roles_table.row('total').cells[key]:,} {of} "
        f"dealt with, {under[key]:,} ({under[f'{key}_pct']}%) came from under 18 year olds "
        f"and {lac[key]:,} ({lac[f'{key}_pct']}%) from looked after children."
    )
    offered = young.row("advocate_offered").cells["all"]
    if offered:
        accepted = young.row("advocate_accepted").cells["all"]
        text.append(
            f"An advocate was offered {narrative.plural(offered, 'time')} and accepted "
            f"{narrative.plural(accepted, 'time')}."
        )
    return " ".join(text)
