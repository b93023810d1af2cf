"""Checking the audit trail: every entry's hash, every link, every value still held.

``verify()`` walks the trail in the order it was written and reports each place where it
breaks: an entry whose content no longer matches its hash (it was changed), an entry that does
not follow the one before it (an entry was removed, inserted or reordered), held values that
no longer match the digests their entry keeps. Values that were erased are not a break.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from heard.audit import chain
from heard.audit.models import AuditEvent, AuditValue

_CHUNK = 5000


@dataclass
class Problem:
    entry_id: int
    message: str


@dataclass
class Result:
    entries: int = 0
    held: int = 0
    head: str = chain.GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("id").iterator(chunk_size=_CHUNK)


def _held_matches(event: AuditEvent, held: AuditValue) -> bool:
    digests, note = chain.digests_of(held.salt, held.changes, held.note)
    return digests == event.digests and note == event.note_digest


def verify(limit: int = 20) -> Result:
    """Check the whole trail; at most ``limit`` problems are listed."""
    result = Result()
    previous = chain.GENESIS
    previous_id = None
    for event in _events():
        result.entries += 1
        if event.prev_hash != previous:
            after = f"entry {previous_id}" if previous_id else "the start of the trail"
            result.problems.append(
                Problem(event.id, f"does not follow {after}: an entry was removed or altered")
            )
        if chain.entry_hash(event.prev_hash, event.chained_content()) != event.entry_hash:
            result.problems.append(
                Problem(event.id, "its content does not match its hash: it was changed")
            )
        previous, previous_id = event.entry_hash, event.id
        if len(result.problems) >= limit:
            break
    result.head = previous
    held_values = AuditValue.objects.select_related("event").order_by("event_id")
    for held in held_values.iterator(chunk_size=_CHUNK):
        result.held += 1
        if not _held_matches(held.event, held):
            result.problems.append(
                Problem(held.event_id, "its held values do not match its digests: changed")
            )
        if len(result.problems) >= limit:
            break
    return result
