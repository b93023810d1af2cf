"""What a report is made of, independent of how it is rendered.

A :class:`Report` has sections; a section has a drafted paragraph, tables and publishable
text items (quotes, lessons, case studies). A :class:`Table` is rows of cells under columns;
every chart is drawn from one table, so every chart comes with its data. The same objects
become HTML, PDF, Word, XLSX and JSON (``heard.reports.render``), and a published edition is
this document frozen as JSON (:meth:`Report.to_dict` / :meth:`Report.from_dict`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

#: What a suppressed cell shows, as in the Department for Education's statistics.
SUPPRESSED = "[c]"

#: ``figure``: a number the council gave (a context figure), never suppressed; ``rate``: a
#: count per 1,000 of something (hidden with its ``source`` count).
ColumnKind = Literal[
    "label", "count", "percent", "change", "money", "days", "text", "rate", "figure"
]
ChartKind = Literal["bar", "stacked-bar", "line"]
Cell = int | float | str | None


@dataclass
class Column:
    key: str
    label: str
    kind: ColumnKind = "count"
    #: For a percentage: what it is a percentage of, in words ("of complaints received").
    of: str = ""
    #: For a percentage or change: the key of the count column it is computed from, so that
    #: suppressing a count suppresses what would reveal it.
    source: str = ""
    #: A column that is the sum of the other count columns of its row.
    total: bool = False


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)
    #: Nesting in a hierarchy (0 directorate, 1 team beneath it).
    level: int = 0
    #: A row that is the sum of the rows above it (of the same group, if it has one).
    total: bool = False
    #: Rows with the same group sum into the total row of that group.
    group: str = ""


@dataclass
class Chart:
    kind: ChartKind
    title: str
    #: The column keys plotted as series (one bar or line each, per row).
    series: list[str]
    #: Rows to leave out of the chart (typically totals).
    exclude_totals: bool = True


@dataclass
class Table:
    id: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    #: Which cases are counted, in words ("complaints received in 2017-18").
    selection: str = ""
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"Table {self.id} has no row {key!r}")

    def cell(self, row: str, column: str) -> Cell:
        return self.row(row).cells.get(column)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"Table {self.id} has no column {key!r}")


@dataclass
class Item:
    """A publishable piece of text: a compliment's quote, a lesson, a case study."""

    text: str
    attribution: str = ""


@dataclass
class Section:
    id: str
    title: str
    narrative: str = ""
    tables: list[Table] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    items_title: str = ""


@dataclass
class Report:
    kind: str
    title: str
    council: str
    period: dict[str, str]
    sections: list[Section]
    notes: list[str] = field(default_factory=list)
    publication: bool = False
    generated_at: str = ""
    edition: dict[str, Any] | None = None

    def section(self, id: str) -> Section:
        for section in self.sections:
            if section.id == id:
                return section
        raise KeyError(f"The report has no section {id!r}")

    def table(self, id: str) -> Table:
        for section in self.sections:
            for table in section.tables:
                if table.id == id:
                    return table
        raise KeyError(f"The report has no table {id!r}")

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        sections = []
        for s in data["sections"]:
            tables = []
            for t in s["tables"]:
                tables.append(
                    Table(
                        id=t["id"],
                        title=t["title"],
                        columns=[Column(**c) for c in t["columns"]],
                        rows=[Row(**r) for r in t["rows"]],
                        selection=t.get("selection", ""),
                        notes=list(t.get("notes", [])),
                        chart=Chart(**t["chart"]) if t.get("chart") else None,
                    )
                )
            sections.append(
                Section(
                    id=s["id"],
                    title=s["title"],
                    narrative=s.get("narrative", ""),
                    tables=tables,
                    items=[Item(**i) for i in s.get("items", [])],
                    items_title=s.get("items_title", ""),
                )
            )
        return cls(
            kind=data["kind"],
            title=data["title"],
            council=data["council"],
            period=dict(data["period"]),
            sections=sections,
            notes=list(data.get("notes", [])),
            publication=data.get("publication", False),
            generated_at=data.get("generated_at", ""),
            edition=data.get("edition"),
        )


#: Field names of each class of the document, looked up once.
_FIELDS: dict[type, tuple[str, ...]] = {}
#: Values that are their own copy.
_ATOMIC = (str, int, float, bool, type(None))


def _as_dict(value: Any) -> Any:
    """What ``dataclasses.asdict`` gives, made several times faster for a report's thousands
    of rows and cells: fields looked up once per class, and plain values (the strings and
    numbers that make up nearly all of a report) returned as they are instead of passing
    through ``copy.deepcopy``. Containers are copied, so the result shares nothing mutable
    with the report."""
    if isinstance(value, _ATOMIC):
        return value
    kind = type(value)
    if kind is dict:
        return {key: _as_dict(item) for key, item in value.items()}
    if kind is list:
        return [_as_dict(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = tuple(f.name for f in fields(value))
        return {name: _as_dict(getattr(value, name)) for name in names}
    if kind is tuple:
        return tuple(_as_dict(item) for item in value)
    return copy.deepcopy(value)
