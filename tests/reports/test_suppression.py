"""Publication mode: small numbers suppressed so that no child can be picked out."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.reports.document import SUPPRESSED, Column, Report, Row, Section, Table
from heard.reports.measures import change, percent
from heard.reports.suppression import hidden_cells, suppress, suppress_table

THRESHOLD = 5


def report_of(*tables: Table, notes=None) -> Report:
    return Report(
        kind="annual",
        title="Annual report",
        council="Anyshire",
        period={"year": "2017"},
        sections=[Section(id="s", title="Section", tables=list(tables))],
        notes=list(notes or []),
    )


def shown(table: Table, row: str, column: str):
    return table.cell(row, column)


# Worked examples -------------------------------------------------------------------------------


def test_it_hides_counts_from_one_to_five_and_keeps_zeros_and_larger_counts():
    table = Table(
        "t",
        "Received",
        [Column("label", "Kind", "label"), Column("2016", "2016-17"), Column("2017", "2017-18")],
        [
            Row("a", "A", {"2016": 0, "2017": 1}),
            Row("b", "B", {"2016": 5, "2017": 6}),
            Row("c", "C", {"2016": 120, "2017": 0}),
        ],
    )
    published = suppress(report_of(table)).table("t")
    assert hidden_cells(published) == [("a", "2017"), ("b", "2016")]
    assert [r.cells for r in published.rows] == [
        {"2016": 0, "2017": SUPPRESSED},
        {"2016": SUPPRESSED, "2017": 6},
        {"2016": 120, "2017": 0},
    ]


def test_it_hides_the_next_smallest_count_of_a_row_with_a_total():
    table = Table(
        "t",
        "By procedure",
        [
            Column("label", "Team", "label"),
            Column("statutory", "Statutory"),
            Column("corporate", "Corporate"),
            Column("other", "Other"),
            Column("total", "Total", total=True),
        ],
        [
            Row(
                "fostering",
                "Fostering",
                {"statutory": 3, "corporate": 12, "other": 40, "total": 55},
            )
        ],
    )
    row = suppress_table(table, 5).row("fostering").cells
    # 3 alone could be worked out as 55 - 12 - 40; 12 is the next smallest, so it goes too.
    assert row == {"statutory": SUPPRESSED, "corporate": SUPPRESSED, "other": 40, "total": 55}


def test_it_hides_down_a_column_into_the_group_total_and_then_across_again():
    columns = [
        Column("label", "Team", "label"),
        Column("count", "Complaints"),
        Column("pct", "% of all complaints", "percent", of="of all complaints", source="count"),
    ]
    rows = [
        Row("d1", "Directorate 1", {"count": 32, "pct": 40}, total=True, group="d1"),
        Row("t1", "Team 1", {"count": 2, "pct": 3}, level=1, group="d1"),
        Row("t2", "Team 2", {"count": 10, "pct": 13}, level=1, group="d1"),
        Row("t3", "Team 3", {"count": 20, "pct": 25}, level=1, group="d1"),
        Row("d2", "Directorate 2", {"count": 48, "pct": 60}, total=True, group="d2"),
        Row("t4", "Team 4", {"count": 48, "pct": 60}, level=1, group="d2"),
        Row("total", "Total", {"count": 80, "pct": 100}, total=True),
    ]
    table = suppress_table(Table("t", "By team", columns, rows), 5)
    assert shown(table, "t1", "count") == SUPPRESSED
    assert shown(table, "t2", "count") == SUPPRESSED  # else 32 - 10 - 20 gives Team 1
    assert shown(table, "t1", "pct") == SUPPRESSED
    assert shown(table, "t2", "pct") == SUPPRESSED
    assert shown(table, "t3", "count") == 20
    assert shown(table, "d1", "count") == 32
    assert shown(table, "total", "count") == 80


def test_it_hides_a_total_when_nothing_else_in_its_line_can_hide_a_secondary_cell():
    columns = [
        Column("label", "Team", "label"),
        Column("a", "A"),
        Column("b", "B"),
        Column("total", "Total", total=True),
    ]
    rows = [
        Row("x", "X", {"a": 2, "b": 9, "total": 11}),
        Row("y", "Y", {"a": 30, "b": 0, "total": 30}),
        Row("total", "Total", {"a": 32, "b": 9, "total": 41}, total=True),
    ]
    table = suppress_table(Table("t", "Grid", columns, rows), 5)
    # X's 2 is small; its 9 goes with it. Column B then has one hidden cell and nothing else
    # that is not zero, so its total (9) goes; Y's 30 would give X's 2 from column A's total,
    # so it goes, and with it Y's total (30 + 0) and the totals that would give them.
    assert [r.cells for r in table.rows] == [
        {"a": SUPPRESSED, "b": SUPPRESSED, "total": SUPPRESSED},
        {"a": SUPPRESSED, "b": 0, "total": SUPPRESSED},
        {"a": SUPPRESSED, "b": SUPPRESSED, "total": 41},
    ]
    assert _no_single_hidden_line(table)


def test_it_hides_percentages_and_changes_worked_out_from_hidden_counts():
    columns = [
        Column("label", "Kind", "label"),
        Column("2016", "2016-17"),
        Column("2017", "2017-18"),
        Column("change", "% change", "change", of="2016-17", source="2017"),
        Column("pct", "% of complaints", "percent", of="of complaints", source="2017"),
        Column("cost", "Cost", "money", source="2017"),
        Column("days", "Median days", "days"),
    ]
    rows = [
        Row("a", "A", {"2016": 4, "2017": 20, "change": 400, "pct": 80, "cost": 10.0, "days": 3}),
        Row("b", "B", {"2016": 10, "2017": 3, "change": -70, "pct": 12, "cost": 5.5, "days": 8}),
    ]
    table = suppress_table(Table("t", "Change", columns, rows), 5)
    # Last year's 4 and this year's 20 would give +400%.
    assert table.row("a").cells["change"] == SUPPRESSED
    assert table.row("a").cells["pct"] == 80
    assert table.row("a").cells["cost"] == 10.0
    assert table.row("b").cells["pct"] == SUPPRESSED
    assert table.row("b").cells["cost"] == SUPPRESSED
    # Days with no count behind them named are kept.
    assert table.row("b").cells["days"] == 8


def test_it_copies_the_report_marks_it_for_publication_and_says_what_c_means(settings):
    settings.HEARD_SUPPRESSION_THRESHOLD = 3
    table = Table("t", "T", [Column("n", "N")], [Row("a", "A", {"n": 3}), Row("b", "B", {"n": 4})])
    report = report_of(table, notes=["Percentages are rounded."])
    before = copy.deepcopy(report.to_dict())
    published = suppress(report)
    assert report.to_dict() == before
    assert published.publication is True
    assert published.table("t").cell("a", "n") == SUPPRESSED
    assert published.table("t").cell("b", "n") == 4
    assert published.notes[0] == "Percentages are rounded."
    assert published.notes[-1].startswith("Counts from 1 to 3 are shown as [c]")
    # Suppressing twice changes nothing more.
    assert suppress(published).to_dict() == published.to_dict()


def test_it_keeps_publishable_items_and_text_columns():
    from heard.reports.document import Item

    table = Table(
        "t",
        "T",
        [Column("label", "L", "label"), Column("why", "Why", "text")],
        [Row("a", "A", {"why": "2"})],
    )
    report = report_of(table)
    report.sections[0].items = [Item("Thank you for listening.", "Fostering team")]
    published = suppress(report)
    assert published.sections[0].items == report.sections[0].items
    assert published.table("t").cell("a", "why") == "2"


# Properties over generated tables ---------------------------------------------------------------


@st.composite
def tables(draw):
    """A table of teams in directorates: count columns (and perhaps a total column), a
    percentage of each count column's total, group subtotal rows and a grand total."""
    n_columns = draw(st.integers(1, 4))
    keys = [f"c{j}" for j in range(n_columns)]
    with_total_column = draw(st.booleans())
    count = st.one_of(st.just(0), st.integers(1, 8), st.integers(0, 60))
    groups = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    with_subtotals = draw(st.booleans())
    leaves, subtotals = [], []
    rows = []
    for g, size in enumerate(groups):
        members = []
        for t in range(size):
            cells = {k: draw(count) for k in keys}
            members.append(Row(f"t{g}-{t}", f"Team {g}-{t}", cells, level=1, group=f"g{g}"))
        sums = {k: sum(m.cells[k] for m in members) for k in keys}
        subtotal = Row(f"g{g}", f"Directorate {g}", sums, total=True, group=f"g{g}")
        if with_subtotals:
            rows.append(subtotal)
            subtotals.append(subtotal)
        rows.extend(members)
        leaves.extend(members)
    grand = Row("total", "Total", {k: sum(r.cells[k] for r in leaves) for k in keys}, total=True)
    rows.append(grand)
    for row in rows:
        if with_total_column:
            row.cells["total"] = sum(row.cells[k] for k in keys)
        for k in keys:
            row.cells[f"{k}-pct"] = percent(row.cells[k], grand.cells[k])
    columns = [Column("label", "Team", "label")] + [Column(k, k.upper()) for k in keys]
    if with_total_column:
        columns.append(Column("total", "Total", total=True))
    columns += [Column(f"{k}-pct", f"% {k}", "percent", of="of the total", source=k) for k in keys]
    if n_columns >= 2:
        for row in rows:
            row.cells["change"] = change(row.cells[keys[-2]], row.cells[keys[-1]])
        columns.append(Column("change", "Change", "change", source=keys[-1]))
    return Table("generated", "Generated", columns, rows)


def _lines(table: Table):
    """(member cells, total cell) of every row and column that sums to a total."""
    counts = [c for c in table.columns if c.kind == "count"]
    parts = [c.key for c in counts if not c.total]
    totals = [c.key for c in counts if c.total]
    for row in table.rows:
        for total in totals:
            yield [(row.key, k) for k in parts], (row.key, total)
    leaves = [r for r in table.rows if not r.total]
    for total_row in [r for r in table.rows if r.total]:
        if total_row.group:
            members = [r for r in leaves if r.group == total_row.group]
            member_sets = [members]
        else:
            subtotals = [r for r in table.rows if r.total and r.group]
            member_sets = [leaves] + ([subtotals] if subtotals else [])
        for members in member_sets:
            for column in counts:
                yield [(r.key, column.key) for r in members], (total_row.key, column.key)


def _no_single_hidden_line(table: Table) -> bool:
    for members, (row, column) in _lines(table):
        if table.cell(row, column) == SUPPRESSED:
            continue
        if sum(1 for r, c in members if table.cell(r, c) == SUPPRESSED) == 1:
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(tables(), st.integers(1, 10))
def test_no_small_count_is_ever_shown(table, threshold):
    published = suppress_table(table, threshold)
    for row in published.rows:
        for column in published.columns:
            value = row.cells.get(column.key)
            if column.kind == "count":
                assert value == SUPPRESSED or value == 0 or value > threshold


@settings(max_examples=200, deadline=None)
@given(tables())
def test_zeros_are_kept_and_shown_figures_are_the_true_ones(table):
    published = suppress_table(table, THRESHOLD)
    for before, after in zip(table.rows, published.rows, strict=True):
        for key, value in before.cells.items():
            if value == 0 and table.column(key).kind == "count":
                assert after.cells[key] == 0
            if after.cells[key] != SUPPRESSED:
                assert after.cells[key] == value


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(1, 10))
def test_no_hidden_count_can_be_recovered_by_subtracting_from_a_total(table, threshold):
    published = suppress_table(table, threshold)
    assert _no_single_hidden_line(published)


@settings(max_examples=200, deadline=None)
@given(tables())
def test_percentages_and_changes_of_hidden_counts_are_hidden(table):
    published = suppress_table(table, THRESHOLD)
    for row in published.rows:
        hidden = {k for k, v in row.cells.items() if v == SUPPRESSED}
        for column in published.columns:
            value = row.cells.get(column.key)
            if column.source in hidden and column.kind in ("percent", "change"):
                assert value in (SUPPRESSED, None)
            count_hidden = any(published.column(k).kind == "count" for k in hidden)
            if column.kind == "change" and count_hidden:
                assert value in (SUPPRESSED, None)


@settings(max_examples=50, deadline=None)
@given(tables())
def test_the_input_is_never_changed(table):
    before = copy.deepcopy(table)
    suppress(report_of(table), THRESHOLD)
    suppress_table(table, THRESHOLD)
    assert table == before


def test_the_annual_report_is_published_with_its_small_numbers_hidden(db):
    import datetime

    from heard.cases.choices import Kind
    from heard.reports import annual
    from heard.reports.sections import volumes
    from tests.factories import CaseFactory

    for day in (1, 2, 3):
        CaseFactory(kind=Kind.COMPLAINT, received_on=datetime.date(2017, 5, day))
    for day in range(1, 8):
        CaseFactory(kind=Kind.COMPLIMENT, received_on=datetime.date(2017, 6, day))
    report = annual.build(2017, sections=[volumes])
    published = suppress(report)
    table = published.table("volumes.received")
    assert table.cell("complaint", "2017") == SUPPRESSED
    assert table.cell("compliment", "2017") == 7
    assert table.cell("ombudsman", "2017") == 0
    assert report.table("volumes.received").cell("complaint", "2017") == 3
    assert published.to_dict()["publication"] is True
