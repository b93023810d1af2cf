"""One interface, two engines: each finds the cases whose index documents match a query,
ranked, within a scope of cases given as SQL (the user's ``Case.objects.visible_to``), and
finds the name words close to a misspelt one.

``heard.search.services`` is the only caller; it chooses the engine for the database in use.

Both engines bound their work however common the words typed (see docs/search.md, "Speed"):
they rank only the ``CANDIDATES`` most recent matching cases, and count no further than the
caller asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db import connection

from heard.search.query import Term

#: How many matching cases, the most recent first, a search ranks to choose the best page.
CANDIDATES = 1000


@dataclass
class Scope:
    """The cases a user may see, handed to the engine as SQL so that a case outside it is
    never matched, ranked or counted: as their ``Case.objects.visible_to`` (``cases``), and as
    the ids of the same cases (``ids``, ``heard.cases.access.visible_case_ids``), a query
    PostgreSQL answers through indexes without reading the cases."""

    cases: object  # a Case queryset
    ids: object  # a queryset of the same cases' ids, named "pk"

    def sql(self) -> tuple[str, list]:
        """SQL selecting the ids of the cases in scope, and its params."""
        sql, params = self.cases.order_by().values("pk").query.sql_with_params()
        return sql, list(params)

    def ids_sql(self) -> tuple[str, list]:
        """SQL selecting the ids of the cases in scope (as "pk") from ``ids``, and its
        params."""
        sql, params = self.ids.query.sql_with_params()
        return sql, list(params)


class Engine(Protocol):
    def matching(
        self, terms: list[Term], scope: Scope | None, limit: int, exclude: list[int]
    ) -> list[int]:
        """Ids of cases matching every term, best first, at most ``limit``; ``scope`` is the
        cases allowed, or None for every case."""

    def matching_and_count(
        self, terms: list[Term], scope: Scope | None, limit: int, exclude: list[int], upto: int
    ) -> tuple[list[int], int]:
        """``matching``, and how many cases in the scope match every term, leaving out
        ``exclude``, counting no further than ``upto`` (so the answer is at most ``upto``):
        together, because PostgreSQL answers both in one statement and so checks the scope
        once. When fewer than ``limit`` match, the count is how many were found."""

    def within(self, scope: Scope, ids: list[int]) -> set[int]:
        """Those of ``ids`` in the scope."""

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
