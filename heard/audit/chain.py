"""The hash chain and value digests of the audit trail: plain functions, no database.

Each entry's ``hash`` is the SHA-256 of the previous entry's hash and the entry's own content,
so changing, removing or reordering any entry breaks every link after it (``heard audit
verify`` finds where). The content hashed holds no personal value: a value an entry records is
held apart (``AuditValue``) and the entry keeps only its digest, a keyed hash (HMAC-SHA-256)
under a random salt kept beside the value. Erasing the held values (and so the salt) leaves
the chain whole, and leaves digests that can no longer be matched against a guess.

This is format 1. Never change what is hashed or how: every entry ever written would stop
verifying. A new format needs a new number, written into new entries' hashes.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import secrets
from typing import Any

FORMAT = 1
GENESIS = "0" * 64


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def timestamp(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """``content``: the entry's fields as in ``AuditEvent.chained_content``."""
    return hashlib.sha256(_canonical([FORMAT, prev_hash, content])).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def value_digest(salt: str, field: str, side: str, value: Any) -> str:
    """The digest of one held value: which field, which side (old, new or note), what value."""
    message = _canonical([field, side, value])
    return hmac.new(bytes.fromhex(salt), message, hashlib.sha256).hexdigest()[:32]


def digests_of(salt: str, changes: list[dict[str, Any]], note: str) -> tuple[list, str]:
    """What an entry keeps of its values: a digest of each old and new value, and of the note."""
    digests = []
    for change in changes:
        name = str(change.get("field", ""))
        digests.append(
            {
                "field": name,
                "old": value_digest(salt, name, "old", change.get("old")),
                "new": value_digest(salt, name, "new", change.get("new")),
            }
        )
    return digests, value_digest(salt, "", "note", note) if note else ""
