"""Publication mode: small numbers suppressed as the Department for Education's statistics do.

A published report must not let a reader identify a child from a small count. Every count from
1 to the threshold (``HEARD_SUPPRESSION_THRESHOLD``, 5 by default) is shown as ``[c]``; true
zeros are kept, because a zero says nothing about anyone.

Hiding the small counts is not enough when a table also shows totals: in a row ``3, 10, total
13`` the 3 is 13 - 10. So, after the small counts (primary suppression), secondary suppression
looks at every *line* of cells that sums to a visible total:

- a row's non-total count columns, when the table has a total column (``Column.total``);
- the rows of a group (``Row.group``) down each count column, summing into the group's total
  row (``Row.total``); a total row without a group sums every other non-total row above it
  (and, when there are group subtotals above it, those subtotals too).

Where exactly one cell of such a line is hidden, the next smallest non-zero count of the line is
hidden too (or, when the line has nothing else to hide, its total), and this repeats until
nothing changes: each hidden cell can change other lines, and hiding only ever grows, so it
stops.

Figures computed from a count go with it: a percentage or change whose ``source`` count is
hidden is hidden; a percentage or change with no source is hidden when any count of its row is;
a change is also hidden when any count of its row is, because it is worked out from last year's
count as well. Money and days are hidden when their ``source`` count (the cases behind them) is.

The report is copied, never changed in place, so that the same computed report can be shown to
staff in full and published suppressed.
"""

from __future__ import annotations

import copy

from django.conf import settings

from heard.reports.document import SUPPRESSED, Cell, Report, Table

#: Column kinds computed from the counts of their row.
DEPENDENT_KINDS = {"percent", "change", "money", "days", "rate"}

Position = tuple[int, str]  # (row index, column key)


def threshold_setting() -> int:
    return getattr(settings, "HEARD_SUPPRESSION_THRESHOLD", 5)


def note(threshold: int) -> str:
    """The report note that says what ``[c]`` means."""
    counts = "Counts of 1 are" if threshold == 1 else f"Counts from 1 to {threshold} are"
    return (
        f"{counts} shown as {SUPPRESSED}; so is another figure in the same row or column where "
        f"it would let a hidden count be worked out from a total, and any percentage, change, "
        f"cost or time worked out from a hidden count. Zeros are shown as 0."
    )


def suppress(report: Report, threshold: int | None = None) -> Report:
    """A copy of ``report`` for publication, with small numbers suppressed in every table.

    ``threshold`` defaults to the ``HEARD_SUPPRESSION_THRESHOLD`` setting (5). Sections'
    items are kept as they are: the section builders only give publishable ones in
    publication mode."""
    threshold = threshold_setting() if threshold is None else threshold
    published = copy.deepcopy(report)
    for section in published.sections:
        section.tables = [suppress_table(table, threshold) for table in section.tables]
    published.publication = True
    if note(threshold) not in published.notes:
        published.notes.append(note(threshold))
    return published


def suppress_table(table: Table, threshold: int | None = None) -> Table:
    """A copy of ``table`` with small counts, and whatever would reveal them, suppressed."""
    threshold = threshold_setting() if threshold is None else threshold
    table = copy.deepcopy(table)
    counts = [c.key for c in table.columns if c.kind == "count"]
    values = {(i, key): row.cells.get(key) for i, row in enumerate(table.rows) for key in counts}
    hidden = {pos for pos, value in values.items() if _number(value) and value <= threshold}
    lines = _lines(table)
    changed = bool(hidden)
    while changed:
        changed = False
        for members, total in lines:
            if total in hidden or not _is_number(values.get(total)):
                continue
            if sum(1 for m in members if m in hidden) != 1:
                continue
            hidden.add(_next_to_hide(members, total, hidden, values))
            changed = True
    for i, key in hidden:
        table.rows[i].cells[key] = SUPPRESSED
    _suppress_dependent(table, hidden, counts)
    return table


def hidden_cells(table: Table) -> list[tuple[str, str]]:
    """(row key, column key) of every suppressed cell, for tests and renderers."""
    return [
        (row.key, key)
        for row in table.rows
        for key, cell in row.cells.items()
        if cell == SUPPRESSED
    ]


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: Cell) -> bool:
    """A count that is not zero (and not missing)."""
    return _is_number(value) and value > 0


def _lines(table: Table) -> list[tuple[list[Position], Position]]:
    """Every set of count cells that sums to another cell of the table, with that cell."""
    columns = [c for c in table.columns if c.kind == "count"]
    parts = [c.key for c in columns if not c.total]
    totals = [c.key for c in columns if c.total]
    lines: list[tuple[list[Position], Position]] = []
    for i, _row in enumerate(table.rows):
        for total in totals:
            lines.append(([(i, key) for key in parts], (i, total)))
    for members, total_row in _row_groups(table):
        for column in columns:
            lines.append(([(m, column.key) for m in members], (total_row, column.key)))
    return lines


def _row_groups(table: Table) -> list[tuple[list[int], int]]:
    """(member rows, total row) for each total row: a group's total sums the group's rows; a
    total with no group sums the non-total rows above it (back to the previous such total) and,
    separately, the group subtotals among them."""
    groups = []
    start = 0
    for j, row in enumerate(table.rows):
        if not row.total:
            continue
        if row.group:
            members = [i for i, r in enumerate(table.rows) if not r.total and r.group == row.group]
            groups.append((members, j))
            continue
        above = range(start, j)
        groups.append(([i for i in above if not table.rows[i].total], j))
        subtotals = [i for i in above if table.rows[i].total and table.rows[i].group]
        if subtotals:
            groups.append((subtotals, j))
        start = j + 1
    return [(members, j) for members, j in groups if members]


def _next_to_hide(
    members: list[Position], total: Position, hidden: set[Position], values: dict
) -> Position:
    """The smallest visible non-zero count of the line (the first, on a tie), or its total."""
    candidates = [m for m in members if m not in hidden and _number(values.get(m))]
    if not candidates:
        return total
    return min(candidates, key=lambda m: values[m])


def _suppress_dependent(table: Table, hidden: set[Position], counts: list[str]) -> None:
    for i, row in enumerate(table.rows):
        row_hidden = any((i, key) in hidden for key in counts)
        for column in table.columns:
            if column.kind not in DEPENDENT_KINDS or not _is_number(row.cells.get(column.key)):
                continue
            if _reveals(column, row_hidden, (i, column.source) in hidden):
                row.cells[column.key] = SUPPRESSED


def _reveals(column, row_hidden: bool, source_hidden: bool) -> bool:
    """Whether a percentage, change, cost or time would let a hidden count be worked out."""
    if column.source and source_hidden:
        return True
    if column.kind == "change":
        return row_hidden
    return column.kind == "percent" and not column.source and row_hidden
