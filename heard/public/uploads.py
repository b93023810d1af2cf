"""Files a visitor uploads before pressing Send: where they wait, how many one address may
send, and clearing those that were never sent."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.conf import settings

from heard.core import ratelimit

#: How long an upload may wait for its form to be sent before it is deleted.
ABANDONED_AFTER_SECONDS = 24 * 60 * 60


def folder() -> Path:
    return Path(settings.DATA_DIR) / "public-uploads"


def too_many_from(address: str) -> bool:
    """At most HEARD_PUBLIC_UPLOAD_LIMIT files an hour from one address, whatever session or
    `heard serve` process they come through (heard/core/ratelimit.py)."""
    return ratelimit.reached("tell-us-uploads", address, settings.HEARD_PUBLIC_UPLOAD_LIMIT)


def count_from(address: str) -> None:
    ratelimit.count("tell-us-uploads", address)


def clear_abandoned(*, now: float | None = None) -> int:
    """Delete upload folders untouched for a day (their forms were never sent)."""
    now = time.time() if now is None else now
    root = folder()
    if not root.exists():
        return 0
    cleared = 0
    for place in root.iterdir():
        if place.is_dir() and now - place.stat().st_mtime > ABANDONED_AFTER_SECONDS:
            shutil.rmtree(place, ignore_errors=True)
            cleared += 1
    return cleared
