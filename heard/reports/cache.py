"""Computed reports kept until the data changes.

The annual report of a large council takes a second or two to compute, and its page then asks
for each of its charts (``reports:annual-chart``), each of which needs the report's figures.
A report computed from the data as it is now is kept under the data's stamp (the jobs' "state
of the data", ``heard.jobs.stamps.data_stamp``), so the page, its charts and its downloads
compute it once until something changes. The store is the ``reports`` cache of Django's
``CACHES`` (files under the data directory, shared by the server's processes); the test
settings keep nothing.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable

from django.core.cache import caches

from heard.reports.document import Report

ALIAS = "reports"
#: A kept report is dropped after this long even if the data has not changed (seconds).
KEEP = 60 * 60
_GUARD = threading.Lock()
_COMPUTING: dict[str, threading.Lock] = {}


def computed(name: str, args: tuple, build: Callable[[], Report]) -> Report:
    """The report ``name`` with ``args`` as ``build()`` computes it from the data as it is
    now: kept from an earlier request if the data has not changed since, else computed (once,
    however many requests of this process ask for it at the same moment) and kept."""
    key = _key(name, args)
    store = caches[ALIAS]
    found = store.get(key)
    if found is not None:
        return found
    with _GUARD:
        lock = _COMPUTING.setdefault(key, threading.Lock())
    try:
        with lock:
            found = store.get(key)
            if found is None:
                found = build()
                store.set(key, found, KEEP)
    finally:
        with _GUARD:
            _COMPUTING.pop(key, None)
    return found


def _key(name: str, args: tuple) -> str:
    """Where the report ``name`` with ``args``, computed from the data as it is now, is kept."""
    from heard.jobs.stamps import data_stamp

    text = json.dumps([name, list(args), data_stamp()], default=str)
    return "report:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_kept(name: str, args: tuple) -> bool:
    """Whether the report ``name`` with ``args`` is kept for the data as it is now."""
    return caches[ALIAS].has_key(_key(name, args))


def keeps_anything() -> bool:
    """False when the store is set to keep nothing (the test settings' dummy store)."""
    from django.core.cache.backends.dummy import DummyCache

    return not isinstance(caches[ALIAS], DummyCache)
