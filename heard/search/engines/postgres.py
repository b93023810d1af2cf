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


def _where(terms, scope, exclude) -> tuple[str, list]:
    sql = "d.tsv @@ to_tsquery('simple', %s)"
    params: list = [tsquery(terms)]
    if scope is not None:
        scope_sql, scope_params = scope.sql()
        sql += f" AND d.case_id IN ({scope_sql})"
        params += scope_params
    if exclude:
        sql += " AND NOT (d.case_id = ANY(%s))"
        params.append(list(exclude))
    return sql, params


class PostgresEngine:
    def matching(self, terms, scope, limit, exclude):
        """The best ``limit`` matches by ``ts_rank``. ``ts_rank`` reads every vector it ranks,
        and a common word matches most of the council, so words estimated to match more than
        ``RANK_ALL`` cases have only the ``CANDIDATES`` most recent ranked, found by walking
        the cases newest first; rarer words have all their matches ranked, found through the
        GIN index (walking the newest first would read most of the table to find them)."""
        query = tsquery(terms)
        where, params = _where(terms, scope, exclude)
        if self._estimate(query) > RANK_ALL:
            matches = (
                "(SELECT d.case_id, d.tsv FROM search_searchdocument d "  # noqa: S608
                f"WHERE {where} ORDER BY d.case_id DESC LIMIT %s)"
            )
            params = [*params, engines.CANDIDATES]
        else:
            matches = f"(SELECT d.case_id, d.tsv FROM search_searchdocument d WHERE {where})"  # noqa: S608
        sql = (
            f"SELECT c.case_id FROM {matches} c "  # noqa: S608 (only placeholders)
            "ORDER BY ts_rank('{0.1, 0.3, 0.5, 1.0}', c.tsv, to_tsquery('simple', %s)) DESC, "
            "c.case_id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, query, limit])
            return [row[0] for row in cursor.fetchall()]

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
        return set(scope.cases.filter(pk__in=ids).values_list("pk", flat=True))

    def count(self, terms, scope, exclude, upto):
        where, params = _where(terms, scope, exclude)
        with connection.cursor() as cursor:
            sql = (
                "SELECT count(*) FROM (SELECT 1 FROM search_searchdocument d "  # noqa: S608
                f"WHERE {where} LIMIT %s) c"
            )
            cursor.execute(sql, [*params, upto])
            return cursor.fetchone()[0]

    def similar_names(self, word, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchname "
                "WHERE word %% %s AND word <> %s AND similarity(word, %s) >= %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, word, SIMILARITY, word, limit],
            )
            return [row[0] for row in cursor.fetchall()]
