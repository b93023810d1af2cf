"""The PostgreSQL engine: full-text search on a generated, weighted ``tsvector`` column with a
GIN index, and pg_trgm similarity over the name words (migration 0002 of heard.search).

Words reach ``to_tsquery`` only as quoted lexemes made of letters and digits (see
``heard.search.query``), so nothing typed is read as tsquery syntax.
"""

from __future__ import annotations

from django.db import connection

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
        sql += f" AND d.case_id IN ({scope[0]})"
        params += list(scope[1])
    if exclude:
        sql += " AND NOT (d.case_id = ANY(%s))"
        params.append(list(exclude))
    return sql, params


class PostgresEngine:
    def matching(self, terms, scope, limit, exclude):
        where, params = _where(terms, scope, exclude)
        sql = (
            "SELECT d.case_id FROM search_searchdocument d "  # noqa: S608 (only placeholders)
            f"WHERE {where} "
            "ORDER BY ts_rank('{0.1, 0.3, 0.5, 1.0}', d.tsv, to_tsquery('simple', %s)) DESC, "
            "d.case_id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, tsquery(terms), limit])
            return [row[0] for row in cursor.fetchall()]

    def count(self, terms, scope, exclude):
        where, params = _where(terms, scope, exclude)
        with connection.cursor() as cursor:
            sql = f"SELECT count(*) FROM search_searchdocument d WHERE {where}"  # noqa: S608
            cursor.execute(sql, params)
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
