"""The PostgreSQL engine: full-text search on a generated, weighted ``tsvector`` column with a
GIN index, and pg_trgm similarity over the name words (migration 0002 of heard.search).

Words reach ``to_tsquery`` only as quoted lexemes made of letters and digits (see
``heard.search.query``), so nothing typed is read as tsquery syntax.
"""

from __future__ import annotations

import json

from django.db import connection

from heard.search import engines
from heard.search.engines import SIMILARITY
from heard.search.query import Term

#: Words estimated to match more cases than this have only the most recent ranked.
RANK_ALL = 10_000

#: Which weights each tied column carries (see the generated column's definition).
_COLUMN_WEIGHTS = {"contact": "B", "dates": "B", "address": "C"}


def _lexeme(word: str) -> str:
    return "'" + word.replace("'", "").replace("\\", "") + "'"


def tsquery(terms: list[Term]) -> str:
    groups = []
    for term in terms:
        weight = _COLUMN_WEIGHTS.get(term.column, "")
        first = _lexeme(term.word)
        if term.prefix or weight:
            first += ":" + ("*" if term.prefix else "") + weight
        options = [first] + [
            _lexeme(w) + (":" + weight if weight else "") for w in term.alternatives
        ]
        groups.append("(" + " | ".join(options) + ")")
    return " & ".join(groups)


#: Words estimated to match at most this many cases have each match looked up in a scope
#: given as SQL; more, and the scope is gathered whole once in the statement (see ``_matches``).
PROBE = 1000


def _probe(scope, case_id: str) -> tuple[str, list]:
    """SQL (and params) for a ``LATERAL`` join keeping the case ``case_id`` (an SQL column)
    only if it is in ``scope``: the scope's query, narrowed to that one case, which the
    planner answers with a few index lookups (the case by its key, its stages by
    ``(responder, case)``, ...) rather than by listing every case in the scope. ``LIMIT``
    keeps the subquery from being merged into the outer query (and planned as a join with the
    whole scope)."""
    scope_sql, scope_params = scope.ids_sql()
    return (
        f"CROSS JOIN LATERAL (SELECT 1 FROM ({scope_sql}) s WHERE s.pk = {case_id} LIMIT 1) ok",  # noqa: S608
        scope_params,
    )


def _matches(terms, scope, exclude, *, probe: bool) -> tuple[str, list]:
    """``FROM ... WHERE ...`` (and params) of the index documents matching ``terms`` in
    ``scope``, leaving out ``exclude``.

    A scope given as SQL (a responding manager's: the cases of their stages, tens of
    thousands in a large council) is checked either by looking each match up in it
    (``probe``, for words that match few cases: a few index lookups each), or by gathering
    the whole scope once and hashing it (for words that match many: thousands of lookups
    would cost more). PostgreSQL does not choose between the two itself: it gathers the
    whole scope even for a postcode that matches one case."""
    sql = "FROM search_searchdocument d"
    params: list = []
    where = "d.tsv @@ to_tsquery('simple', %s)"
    where_params: list = [tsquery(terms)]
    if scope is not None and probe:
        join, join_params = _probe(scope, "d.case_id")
        sql += " " + join
        params += join_params
    elif scope is not None:
        scope_sql, scope_params = scope.ids_sql()
        where += f" AND d.case_id IN ({scope_sql})"
        where_params += scope_params
    if exclude:
        where += " AND NOT (d.case_id = ANY(%s))"
        where_params.append(list(exclude))
    return f"{sql} WHERE {where}", params + where_params


class PostgresEngine:
    def matching(self, terms, scope, limit, exclude):
        """The best ``limit`` matches by ``ts_rank`` (see ``matching_and_count``)."""
        return self.matching_and_count(terms, scope, limit, exclude, upto=0)[0]

    def matching_and_count(self, terms, scope, limit, exclude, upto):
        """The best ``limit`` matches by ``ts_rank``, and how many match (at most ``upto``),
        in one statement, so that the scope is checked once for both.

        ``ts_rank`` reads every vector it ranks, and a common word matches most of the
        council, so words estimated to match more than ``RANK_ALL`` cases have only the
        ``CANDIDATES`` most recent ranked, found by walking the cases newest first (as far as
        ``upto`` for the count); rarer words have all their matches ranked, found through the
        GIN index (walking the newest first would read most of the table to find them)."""
        query = tsquery(terms)
        estimate = self._estimate(query)
        matches, params = _matches(terms, scope, exclude, probe=estimate <= PROBE)
        rank = "ts_rank('{0.1, 0.3, 0.5, 1.0}', d.tsv, to_tsquery('simple', %s))"
        if estimate > RANK_ALL:
            sql = (
                "WITH found AS MATERIALIZED (SELECT d.case_id, d.tsv "  # noqa: S608
                f"{matches} ORDER BY d.case_id DESC LIMIT %s) "
                "SELECT d.case_id, (SELECT count(*) FROM found) FROM "
                "(SELECT * FROM found ORDER BY case_id DESC LIMIT %s) d "
                f"ORDER BY {rank} DESC, d.case_id DESC LIMIT %s"
            )
            params = [*params, max(engines.CANDIDATES, upto), engines.CANDIDATES, query, limit]
        else:
            sql = (
                f"WITH found AS MATERIALIZED (SELECT d.case_id, {rank} AS rank {matches}) "  # noqa: S608
                "SELECT case_id, (SELECT count(*) FROM found) FROM found "
                "ORDER BY rank DESC, case_id DESC LIMIT %s"
            )
            params = [query, *params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [row[0] for row in rows], min(rows[0][1] if rows else 0, upto)

    @staticmethod
    def _estimate(query: str) -> float:
        """How many documents the planner expects ``query`` to match (from the statistics
        ANALYZE keeps of the vectors' most common words)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_searchdocument d "
                "WHERE d.tsv @@ to_tsquery('simple', %s)",
                [query],
            )
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return plan[0]["Plan"]["Plan Rows"]

    def within(self, scope, ids):
        """Those of ``ids`` in the scope, each looked up in it (see ``_probe``)."""
        if not ids:
            return set()
        join, params = _probe(scope, "v.id")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT v.id FROM unnest(%s::bigint[]) v(id) {join}",  # noqa: S608
                [list(ids), *params],
            )
            return {row[0] for row in cursor.fetchall()}

    def similar_names(self, word, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchname "
                "WHERE word %% %s AND word <> %s AND similarity(word, %s) >= %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, word, SIMILARITY, word, limit],
            )
            return [row[0] for row in cursor.fetchall()]
