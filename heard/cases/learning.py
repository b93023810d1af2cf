"""Correcting learning and actions after they were recorded: the lesson, its recommendation
and category, and an action's description, owner, due date and evidence. Signing an action off
stays its own step (``workflow.complete_action``). Each change is audited old → new; a save
that changes nothing writes nothing."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from heard.audit import services as audit
from heard.cases.models import Action, Learning
from heard.cases.workflow import TransitionRefused, _bump, _lock

LEARNING_FIELDS = ("category", "lesson", "recommendation", "publishable")
ACTION_FIELDS = (
    "description", "owner", "due_on", "evidence", "completed_on", "shared_with_complainant",
)  # fmt: skip


def _apply(obj, changes: Mapping, allowed: tuple[str, ...]) -> list[dict]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TransitionRefused(f"{', '.join(sorted(unknown))} cannot be changed here.")
    before = audit.snapshot(obj, changes)
    for name, value in changes.items():
        setattr(obj, name, value)
    return audit.diff(before, audit.snapshot(obj, changes))


@transaction.atomic
def change_learning(
    learning: Learning, *, changes: Mapping, user=None, expected_version: int | None = None
) -> Learning:
    case = _lock(learning.case, expected_version)
    learning = Learning.objects.select_for_update().get(pk=learning.pk, case=case)
    if "lesson" in changes and not str(changes["lesson"]).strip():
        raise TransitionRefused("Enter the lesson learned.")
    moved = _apply(learning, changes, LEARNING_FIELDS)
    if not moved:
        return learning
    learning.save(update_fields=[c["field"] for c in moved])
    _bump(case)
    audit.record("learning.changed", user=user, case=case, obj=learning, changes=moved)
    return learning


@transaction.atomic
def change_action(
    action: Action, *, changes: Mapping, user=None, expected_version: int | None = None
) -> Action:
    case = _lock(action.learning.case, expected_version)
    action = Action.objects.select_for_update().get(pk=action.pk, learning__case=case)
    for name in ("description", "owner"):
        if name in changes and not str(changes[name]).strip():
            raise TransitionRefused("Enter the action and who owns it.")
    if action.signed_off_on and "completed_on" in changes and changes["completed_on"] is None:
        raise TransitionRefused("A signed-off action keeps the date it was done.")
    moved = _apply(action, changes, ACTION_FIELDS)
    if not moved:
        return action
    action.save(update_fields=[c["field"] for c in moved])
    _bump(case)
    audit.record(
        "action.changed",
        user=user,
        case=case,
        obj=action,
        changes=[{**c, "field": f"action {c['field']}"} for c in moved],
    )
    return action
