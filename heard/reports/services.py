"""Changes to what reports keep besides editions: the council's context figures, its groups
of categories and saved custom tables. Each change is audited in its own transaction
(editions: ``editions.py``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from heard.audit import services as audit
from heard.reports.models import CategoryGroup, ContextFigure, SavedTable

CONTEXT_FIELDS = ["code", "label", "year", "value", "as_at", "source", "rate_base", "order"]


@transaction.atomic
def add_context_figure(*, user, **values: Any) -> ContextFigure:
    figure = ContextFigure.objects.create(**values)
    audit.record_created("report.context_figure.added", figure, user=user)
    return figure


class StaleFigure(Exception):
    """Someone else saved the figure after the user opened it."""


@transaction.atomic
def change_context_figure(
    figure: ContextFigure, *, user, expected_version: int, **values: Any
) -> ContextFigure:
    """Change a figure, refusing (``StaleFigure``) if it changed since the user opened it."""
    figure = ContextFigure.objects.select_for_update().get(pk=figure.pk)
    if figure.version != expected_version:
        raise StaleFigure(
            f"{figure.label} ({figure.year}) was changed by someone else after you opened it. "
            "Nothing you entered has been saved: look at the figure as it is now and make "
            "your change again."
        )
    before = audit.snapshot(figure, CONTEXT_FIELDS)
    for name, value in values.items():
        setattr(figure, name, value)
    if audit.diff(before, audit.snapshot(figure, CONTEXT_FIELDS)) == []:
        # Saved unchanged: nothing to write, so no new version for others to collide with.
        return ContextFigure.objects.get(pk=figure.pk)
    figure.version += 1
    figure.save()
    figure.refresh_from_db()
    changes = audit.diff(before, audit.snapshot(figure, CONTEXT_FIELDS))
    if changes:
        audit.record("report.context_figure.changed", user=user, obj=figure, changes=changes)
    return figure


@transaction.atomic
def delete_context_figure(figure: ContextFigure, *, user) -> None:
    audit.record(
        "report.context_figure.deleted",
        user=user,
        obj=figure,
        changes=[{"field": k, "old": v, "new": None} for k, v in audit.snapshot(figure).items()],
        note=f"{figure.label} ({figure.year})",
    )
    figure.delete()


@transaction.atomic
def save_table(*, name: str, spec: dict, user) -> SavedTable:
    table = SavedTable.objects.create(name=name, spec=spec, created_by=user)
    audit.record_created("report.table.saved", table, user=user)
    return table


@transaction.atomic
def delete_table(table: SavedTable, *, user) -> None:
    audit.record(
        "report.table.deleted",
        user=user,
        obj=table,
        changes=[{"field": "spec", "old": table.spec, "new": None}],
        note=table.name,
    )
    table.delete()


# Groups of categories -------------------------------------------------------------------------

GROUP_FIELDS = ["name", "code", "order"]


def _categories_text(categories) -> list[str]:
    return sorted(term.label for term in categories)


@transaction.atomic
def add_category_group(*, user, name: str, code: str, categories, order: int = 0) -> CategoryGroup:
    group = CategoryGroup.objects.create(name=name, code=code, order=order)
    group.categories.set(categories)
    audit.record(
        "report.category_group.added",
        user=user,
        obj=group,
        changes=[
            *({"field": k, "old": None, "new": v} for k, v in audit.snapshot(group).items()),
            {"field": "categories", "old": None, "new": _categories_text(categories)},
        ],
        note=name,
    )
    return group


@transaction.atomic
def change_category_group(
    group: CategoryGroup, *, user, name: str, categories, order: int = 0
) -> CategoryGroup:
    group = CategoryGroup.objects.select_for_update().get(pk=group.pk)
    before = audit.snapshot(group, GROUP_FIELDS)
    before_categories = _categories_text(group.categories.all())
    group.name, group.order = name, order
    group.save()
    group.categories.set(categories)
    changes = audit.diff(before, audit.snapshot(group, GROUP_FIELDS))
    after_categories = _categories_text(categories)
    if after_categories != before_categories:
        changes.append({"field": "categories", "old": before_categories, "new": after_categories})
    if changes:
        audit.record("report.category_group.changed", user=user, obj=group, changes=changes,
                     note=name)  # fmt: skip
    return group


@transaction.atomic
def remove_category_group(group: CategoryGroup, *, user) -> None:
    audit.record(
        "report.category_group.removed",
        user=user,
        obj=group,
        changes=[
            *({"field": k, "old": v, "new": None} for k, v in audit.snapshot(group).items()),
            {"field": "categories", "old": _categories_text(group.categories.all()), "new": None},
        ],
        note=group.name,
    )
    group.delete()
