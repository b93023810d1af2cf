"""Writing many cases at once, in dependency order: the demo builder and the importer both use
it, so that 100,000 cases load in about a minute, not hours.

Rows are collected in memory as unsaved model instances that point at each other; ``flush``
writes each table in one pass, fills in the foreign keys as primary keys become known, copies
each case's current stage onto it (as ``services.sync_current_stage`` would) and records one
``case.created`` audit event per case with the actor given; ``finish`` moves the reference
counters past every reference written. ``save`` does both. The importer flushes every few
thousand cases so that a big file is never held in memory whole.

Tables are written by ``insert`` rather than ``bulk_create``: Django compiles every value of
every row through its SQL compiler, which for 100,000 cases was most of an import's time.
``insert`` gives each row its primary key first and hands plain tuples to ``executemany``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter

from django.db import connections, models, router, transaction
from django.utils import timezone

from heard.audit import services as audit
from heard.cases.choices import UPHELD_OUTCOMES
from heard.cases.models import (
    Action,
    Case,
    Extension,
    Learning,
    Part,
    PartFinding,
    ReferenceCounter,
    Remedy,
    Restriction,
    Stage,
    Suspension,
)
from heard.cases.signals import cases_written
from heard.taxonomy.models import Term

_REFERENCE = re.compile(r"^([A-Z]+)-(\d{4})-(\d+)$")
_BATCH = 5000
#: Field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
    "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "TextField",
}  # fmt: skip


def _allocate_ids(model: type[models.Model], count: int, using: str) -> list[int]:
    """Primary keys for ``count`` new rows, taken the way the database would take them.

    On SQLite the transaction holds the write lock (``BEGIN IMMEDIATE``), so the next keys are
    the highest used so far (``sqlite_sequence`` remembers deleted ones) plus one; SQLite moves
    its sequence past the keys written. On PostgreSQL the keys come from the column's sequence.
    """
    connection = connections[using]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM "  # noqa: S608
                       f"{connection.ops.quote_name(table)}")  # fmt: skip
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    return list(range(start, start + count))


def _converter(field: models.Field, connection) -> Callable | None:
    """How to turn a field's Python value into what the driver takes (None: as it is)."""
    kind = field.get_internal_type()
    if kind in _PLAIN_TYPES:
        return None
    if kind == "DateField":  # the values are dates already: skip the parsing in to_python
        return connection.ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def _fill_foreign_keys(objs: Sequence[models.Model], fields: list[models.Field]) -> None:
    """As ``bulk_create`` does: a foreign key given as an object saved since takes its key."""
    for field in fields:
        if not field.is_relation or not field.many_to_one:
            continue
        for obj in objs:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{field.name} of a {obj._meta.model_name} is unsaved")
                    setattr(obj, field.attname, related.pk)


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert unsaved instances of ``model`` (no ``save()``, no signals: like ``bulk_create``)
    and give each its primary key. Call it inside a transaction."""
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        model.objects.bulk_create(objs, batch_size=_BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in filter(_is_automatic, fields):
        for obj in objs:
            setattr(obj, field.attname, now)
    _fill_foreign_keys(objs, fields)
    for obj, pk in zip(objs, _allocate_ids(model, len(objs), using), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, using
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [model._meta.pk, *fields])
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * (len(fields) + 1))})"
    )
    converters = [_converter(f, connection) for f in fields]
    for i, field in enumerate(fields):
        if _is_automatic(field):  # the same moment in every row: convert it once
            converters[i] = _constant(now, field.get_db_prep_save(now, connection))
    rows = _Rows([f.attname for f in fields], converters)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), _BATCH):
            cursor.executemany(sql, rows(objs[start : start + _BATCH]))


def _is_automatic(field: models.Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _constant(value, converted) -> Callable:
    return lambda v: converted if v is value else v


class _Rows:
    """Turns instances into tuples of database values, in the fields' order after the key."""

    def __init__(self, attnames: list[str], converters: list[Callable | None]):
        get = attrgetter(*attnames)
        self.get = get if len(attnames) > 1 else lambda obj: (get(obj),)
        self.converters = [(i + 1, c) for i, c in enumerate(converters) if c is not None]

    def __call__(self, objs: Sequence[models.Model]) -> list[list]:
        rows = []
        for obj in objs:
            row = [obj.pk, *self.get(obj)]
            for i, convert in self.converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
            rows.append(row)
        return rows


def set_links(pairs: Iterable[tuple[int, int]]) -> None:
    """Point each case (by primary key) at the case it is linked to: ``(case, linked)``."""
    rows = [(linked, case) for case, linked in pairs]
    if not rows:
        return
    connection = connections[router.db_for_write(Case)]
    quote = connection.ops.quote_name
    column = quote(Case._meta.get_field("linked_case").column)
    sql = (
        f"UPDATE {quote(Case._meta.db_table)} SET {column} = %s "  # noqa: S608
        f"WHERE {quote(Case._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            cursor.executemany(sql, rows[start : start + _BATCH])


class BulkWriter:
    """Collects rows in memory and writes them in bulk, in dependency order."""

    def __init__(self, *, actor: str, note: str = ""):
        self.actor, self.note = actor, note
        self.written = 0
        self.highest: dict[tuple[str, int], int] = {}
        self._clear()

    def _clear(self) -> None:
        self.cases: list[Case] = []
        self.categories: list[tuple[Case, Term]] = []
        #: (case, user) for each member of staff complained about.
        self.staff: list[tuple[Case, object]] = []
        self.parts: list[Part] = []
        self.stages: list[Stage] = []
        self.findings: list[tuple[Stage, Part, str]] = []
        self.extensions: list[Extension] = []
        self.suspensions: list[Suspension] = []
        self.remedies: list[Remedy] = []
        self.learning: list[Learning] = []
        self.actions: list[tuple[Learning, Action]] = []
        self.links: dict[int, tuple[Case, Case]] = {}
        #: Restricted cases (the importer): the restriction and the people named on it.
        self.restrictions: list[tuple[Restriction, list]] = []

    def add_case(self, case: Case, linked: Case | None = None) -> Case:
        self.cases.append(case)
        if linked is not None:
            self.link(case, linked)
        return case

    def link(self, case: Case, to: Case) -> None:
        """Links are set after every case has its primary key (a case may link to a later one).
        Both must be written by the same ``flush``; the importer uses ``set_links`` instead."""
        self.links[id(case)] = (case, to)

    def is_linked(self, case: Case) -> bool:
        return id(case) in self.links

    def new_stage(self, case: Case, number: int, requested, **fields) -> Stage:
        stage = Stage(case=case, number=number, requested_on=requested, **fields)
        self.stages.append(stage)
        return stage

    def new_remedy(self, case: Case, **fields) -> Remedy:
        remedy = Remedy(case=case, **fields)
        self.remedies.append(remedy)
        return remedy

    def _count_references(self) -> None:
        for case in self.cases:
            match = _REFERENCE.match(case.reference)
            if match:
                key = (match[1], int(match[2]))
                self.highest[key] = max(self.highest.get(key, 0), int(match[3]))

    def _sync_current_stages(self) -> None:
        latest: dict[int, Stage] = {}
        for stage in self.stages:
            if id(stage.case) not in latest or stage.number > latest[id(stage.case)].number:
                latest[id(stage.case)] = stage
        from heard.cases import schedule
        from heard.deadlines.calendar import council_calendar

        calendar = council_calendar()
        stages_of: dict[int, list[Stage]] = {}
        for stage in self.stages:
            stages_of.setdefault(id(stage.case), []).append(stage)
        remedies_of: dict[int, list[Remedy]] = {}
        for remedy in self.remedies:
            remedies_of.setdefault(id(remedy.case), []).append(remedy)
        upheld = {id(s.case) for s in self.stages if s.outcome in UPHELD_OUTCOMES}
        learned = {id(item.case) for item in self.learning}
        for case in self.cases:
            case.needs_learning = id(case) in upheld and id(case) not in learned
            stage = latest.get(id(case))
            if stage is not None:  # as services.sync_current_stage would
                case.stage_number = stage.number
                case.stage_acknowledgement_due = stage.acknowledgement_due
                case.stage_response_due = stage.response_due
                case.stage_responded_on = stage.responded_on
                case.stage_suspended = stage.suspended
            found = schedule.next_due(
                schedule.case_clocks(
                    case,
                    stages_of.get(id(case), ()),
                    remedies_of.get(id(case), ()),
                    calendar=calendar,
                )
            )
            case.next_due_on = found.due if found else None
            case.next_due_label = found.label[:120] if found else ""

    def flush(self) -> int:
        """Write every row collected so far, then forget them; returns the cases written."""
        count = len(self.cases)
        with transaction.atomic():
            self._sync_current_stages()
            self._count_references()
            insert(Case, self.cases)
            set_links((case.pk, to.pk) for case, to in self.links.values())
            self._write_children()
            audit.record_many(self._created_event(c) for c in self.cases)
            audit.record_many(self._restricted_event(r, people) for r, people in self.restrictions)
            cases_written.send(BulkWriter, case_ids=[c.pk for c in self.cases])
        self.written += count
        self._clear()
        return count

    def _write_children(self) -> None:
        through = Case.categories.through
        insert(through, [through(case_id=c.pk, term_id=t.pk) for c, t in self.categories])
        staff = Case.staff_complained_about.through
        insert(staff, [staff(case_id=c.pk, user_id=u.pk) for c, u in self.staff])
        for part in self.parts:
            part.case_id = part.case.pk
        insert(Part, self.parts)
        for stage in self.stages:
            stage.case_id = stage.case.pk
        insert(Stage, self.stages)
        for row in (*self.extensions, *self.suspensions):
            row.stage_id = row.stage.pk
        insert(Extension, self.extensions)
        insert(Suspension, self.suspensions)
        for remedy in self.remedies:
            remedy.case_id = remedy.case.pk
        insert(Remedy, self.remedies)
        insert(
            PartFinding,
            [PartFinding(stage_id=s.pk, part_id=p.pk, finding=f) for s, p, f in self.findings],
        )
        for item in self.learning:
            item.case_id = item.case.pk
        insert(Learning, self.learning)
        for learning, action in self.actions:
            action.learning_id = learning.pk
        insert(Action, [a for _, a in self.actions])
        for restriction, _ in self.restrictions:
            restriction.case_id = restriction.case.pk
        insert(Restriction, [r for r, _ in self.restrictions])
        named = Restriction.people.through
        insert(
            named,
            [
                named(restriction_id=r.pk, user_id=person.pk)
                for r, people in self.restrictions
                for person in people
            ],
        )

    def _created_event(self, case: Case) -> audit.Entry:
        return audit.Entry(
            actor=self.actor,
            action="case.created",
            case_id=case.pk,
            case_reference=case.reference,
            object_type="case",
            object_id=str(case.pk),
            note=self.note,
        )

    def _restricted_event(self, restriction: Restriction, people: list) -> audit.Entry:
        """As ``restriction.restrict`` records it, by the importer."""
        return audit.Entry(
            actor=self.actor,
            action="case.restricted",
            case_id=restriction.case.pk,
            case_reference=restriction.case.reference,
            object_type="case",
            object_id=str(restriction.case.pk),
            changes=[
                {"field": "restricted to", "old": None, "new": sorted(str(p) for p in people)}
            ],
            note=restriction.reason,
        )

    def finish(self) -> None:
        """Move the reference counters past every reference written."""
        for (prefix, year), number in self.highest.items():
            counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
            if counter.last_number < number:
                counter.last_number = number
                counter.save(update_fields=["last_number"])

    def save(self) -> int:
        """Write everything collected and move the counters on; returns the cases written."""
        with transaction.atomic():
            self.flush()
            self.finish()
        return self.written
