"""One interface, two engines: each finds the cases whose index documents match a query,
ranked, within a scope of cases given as SQL (the user's ``Case.objects.visible_to``), and
finds the name words close to a misspelt one.

``heard.search.services`` is the only caller; it chooses the engine for the database in use.
"""

from __future__ import annotations

from typing import Protocol

from django.db import connection

from heard.search.query import Term


class Engine(Protocol):
    def matching(
        self, terms: list[Term], scope: tuple[str, list] | None, limit: int, exclude: list[int]
    ) -> list[int]:
        """Ids of cases matching every term, best first, at most ``limit``; ``scope`` is
        (SQL selecting the case ids allowed, params), or None for every case."""

    def count(self, terms: list[Term], scope: tuple[str, list] | None, exclude: list[int]) -> int:
        """How many cases in the scope match every term, leaving out ``exclude``."""

    def similar_names(self, word: str, limit: int) -> list[str]:
        """Name words close to ``word`` (trigram similarity of at least
        ``SIMILARITY``), closest first, without ``word`` itself."""


#: pg_trgm's default threshold for ``similarity``; the SQLite engine applies the same.
SIMILARITY = 0.3


def engine() -> Engine:
    if connection.vendor == "postgresql":
        from heard.search.engines.postgres import PostgresEngine

        return PostgresEngine()
    from heard.search.engines.sqlite import SqliteEngine

    return SqliteEngine()
