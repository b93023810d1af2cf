"""The PostgreSQL engine: full-text search on a generated, weighted ``tsvector`` column with a
GIN index, and pg_trgm similarity over the name words (migration 0002 of heard.search).

Words reach ``to_tsquery`` only as quoted lexemes made of letters and digits (see
``heard.search.query``), so nothing typed is read as tsquery syntax.
"""

from __future__ import annotations

from django.db import connection

from heard.search import engines
from heard.search.engines import SIMILARITY
from heard.search.query import Term

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
        """The best ``limit`` of the ``CANDIDATES`` most recent matches, by ``ts_rank``: it
        reads every vector it ranks, and a common word matches most of the council."""
        where, params = _where(terms, scope, exclude)
        sql = (
            "SELECT c.case_id FROM (SELECT d.case_id, d.tsv "  # noqa: S608 (only placeholders)
            f"FROM search_searchdocument d WHERE {where} ORDER BY d.case_id DESC LIMIT %s) c "
            "ORDER BY ts_rank('{0.1, 0.3, 0.5, 1.0}', c.tsv, to_tsquery('simple', %s)) DESC, "
            "c.case_id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, engines.CANDIDATES, tsquery(terms), limit])
            return [row[0] for row in cursor.fetchall()]

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
