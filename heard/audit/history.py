"""A case's history as people read it: each audit entry as a plain sentence, each change as
"label: old → new" in words (Yes and No, 1 March 2024, £2,450.00, the council's labels), and
a run of "Case viewed" entries as one line with a count.

The audit trail stores stable field *names* and plain values (see ``heard.audit.services``);
this module only reads them, so a wording change here rewrites every past entry too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from heard.audit.actions import sentence
from heard.cases.labels import label, say

#: Labels that differ by what was changed: a part's "summary" is the point complained about,
#: not what happened in the case.
_BY_OBJECT = {
    "part": {"number": "Part", "summary": "Point complained about", "category": "Focus"},
    "learning": {"case": "Case"},
    "action": {"learning": "Learning", "description": "Action"},
    "document": {"document": "Document"},
}

#: The row an entry's object belongs to: already clear from the history it is shown in.
_PARENTS = {"case", "learning", "stage"}

#: Entries that say only that someone looked: a run of them is shown once, with a count.
_LOOKS = {"case.viewed"}


def _change(change: dict, object_type: str) -> dict:
    name = str(change.get("field", ""))
    return {
        "field": _BY_OBJECT.get(object_type, {}).get(name) or label(name),
        "old": say(change.get("old"), name),
        "new": say(change.get("new"), name),
    }


class Entry(NamedTuple):
    """What the history reads of an audit entry (the attributes of ``AuditEvent`` it uses)."""

    action: str
    at: Any
    who: str
    object_type: str
    changes: list
    note: str
    object_id: str = ""
    user_id: int | None = None
    role: str = ""  # the user's role now


#: The columns of an entry, its held values and its user that the history reads.
_COLUMNS = (
    "action", "at", "actor", "object_type", "digests", "note_digest", "held__pk",
    "held__changes", "held__note", "user_id", "user__username", "user__first_name",
    "user__last_name", "object_id", "user__role",
)  # fmt: skip


def entries(events) -> list[Entry]:
    """The entries of a queryset of audit events, read as plain values in one query.

    A case's history holds every time someone opened it, so it grows with every view: built
    as model instances (an event, its held values and its user each), a case opened a few
    hundred times cost its page more than everything else on it. The values are read as
    the event's own properties give them (``AuditEvent.changes``, ``note``, ``who``)."""
    from heard.accounts.models import User
    from heard.audit.models import erased_changes, erased_note

    names: dict[int, str] = {}
    result = []
    for (
        action, at, actor, object_type, digests, note_digest, held, changes, note, user_id,
        username, first_name, last_name, object_id, role,
    ) in events.values_list(*_COLUMNS):  # fmt: skip
        if held is None:  # erased with the case's values, or never any
            changes, note = erased_changes(digests), erased_note(note_digest)
        if user_id:
            if user_id not in names:
                names[user_id] = str(
                    User(username=username, first_name=first_name, last_name=last_name)
                )
            who = names[user_id]
        else:
            who = actor or "System"
        result.append(
            Entry(action, at, who, object_type, changes or [], note, object_id, user_id, role or "")
        )
    return result


def rows(events: Iterable) -> list[dict]:
    """History rows, newest first, from audit events (newest first)."""
    result: list[dict] = []
    for event in events:
        previous = result[-1] if result else None
        if event.action in _LOOKS and previous is not None and previous["action"] in _LOOKS:
            previous["count"] += 1
            previous["first_at"] = event.at
            if event.who not in previous["people"]:
                previous["people"].append(event.who)
            continue
        created = event.action.endswith((".created", ".added"))
        result.append(
            {
                "action": event.action,
                "at": event.at,
                "first_at": event.at,
                "count": 1,
                "people": [event.who],
                "what": sentence(event.action),
                "created": created,
                "changes": [
                    _change(c, event.object_type)
                    for c in event.changes or []
                    if not (created and c.get("field") in _PARENTS and event.object_type != "case")
                ],
                "note": event.note,
            }
        )
    for row in result:
        row["who"] = ", ".join(row["people"])
        if row["count"] > 1:
            row["what"] = f"{row['what']} {row['count']} times"
    return result
