"""The SQLite engine: FTS5 over the index documents, and an FTS5 trigram table over the name
words for misspellings (both made and kept by triggers, migration 0002 of heard.search).

bm25 weights the columns as PostgreSQL's ``setweight`` does (reference and names first, body
text last). Every word is quoted, so nothing typed is read as FTS5 syntax.
"""

from __future__ import annotations

from django.db import connection

from heard.people import matching
from heard.search import engines
from heard.search.engines import SIMILARITY, Scope
from heard.search.query import Term

#: bm25 column weights, in COLUMNS order (reference, names, contact, dates, address, body).
WEIGHTS = "10.0, 10.0, 5.0, 5.0, 3.0, 1.0"


def _phrase(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def match_expression(terms: list[Term]) -> str:
    groups = []
    for term in terms:
        options = [_phrase(term.word) + (" *" if term.prefix else "")]
        options += [_phrase(word) for word in term.alternatives]
        group = "(" + " OR ".join(options) + ")"
        groups.append(f"{term.column} : {group}" if term.column else group)
    return " AND ".join(groups)


#: When the words match at most this many cases, a scope given as SQL is checked for just
#: those; otherwise it is listed (see ``SqliteEngine``).
FEW = 200


def _where(terms, scope: tuple[str, list] | None, exclude) -> tuple[str, list]:
    """``scope``: SQL (and params) keeping only the matches in scope (``SqliteEngine``)."""
    sql = "search_fts MATCH %s"
    params: list = [match_expression(terms)]
    if scope is not None:
        sql += f" AND {scope[0]}"
        params += scope[1]
    if exclude:
        sql += f" AND rowid NOT IN ({', '.join(['%s'] * len(exclude))})"
        params += list(exclude)
    return sql, params


def plan(terms, scope, exclude) -> str:
    """How SQLite will run a count with a listed scope (for the test that keeps the scope out
    of FTS5)."""
    engine = SqliteEngine()
    engine._fill(scope)
    where, params = _where(terms, engine._in_scope(terms, scope), exclude)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT count(*) FROM search_fts WHERE {where}", params)  # noqa: S608
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


class SqliteEngine:
    """One search's engine. A scope given as SQL (a responding manager's, say) is, for each
    query, either checked for the few cases the words match (at most ``FEW``), or, when they
    match more, listed once per search in a temporary table of this connection.

    Left in each statement, SQLite evaluated the whole scope in every one (it lists an ``IN``
    subquery before using it), and a search runs up to six; checked case by case inside the
    statements, it read each matching case's row, tens of thousands for a common word. In
    every case the scope is matched with "+rowid", never "rowid": SQLite would otherwise hand
    it to FTS5 as rowids to look up, running the full-text query once for every case in it
    (two minutes for a complaints officer at 100,000 cases)."""

    def __init__(self):
        self._filled: Scope | None = None
        #: The scope checked for the matches of each FTS5 query so far (search's scope).
        self._checked: dict[str, tuple[str, list]] = {}

    def _fill(self, scope: Scope) -> None:
        if self._filled is scope:
            return
        sql, params = scope.sql()
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS search_scope (case_id INTEGER PRIMARY KEY)"
            )
            cursor.execute("DELETE FROM temp.search_scope")
            cursor.execute(f"INSERT INTO temp.search_scope (case_id) {sql}", params)  # noqa: S608
        self._filled = scope

    def _in_scope(self, terms, scope) -> tuple[str, list] | None:
        """SQL (and params) keeping only the matches of ``terms`` in ``scope``."""
        if scope is None:
            return None
        expression = match_expression(terms)
        if expression in self._checked:
            return self._checked[expression]
        if self._filled is not scope:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s",
                    [expression, FEW + 1],
                )
                ids = [row[0] for row in cursor.fetchall()]
            if len(ids) <= FEW:
                allowed = sorted(self._check(scope, ids))
                clause = f"+rowid IN ({', '.join(['%s'] * len(allowed))})", allowed
                self._checked[expression] = clause
                return clause
            self._fill(scope)
        return "+rowid IN (SELECT case_id FROM temp.search_scope)", []

    @staticmethod
    def _check(scope, ids) -> set[int]:
        if not ids:
            return set()
        return set(scope.cases.filter(pk__in=ids).values_list("pk", flat=True))

    def within(self, scope, ids):
        if self._filled is not scope:
            return self._check(scope, ids)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT case_id FROM temp.search_scope "  # noqa: S608 (only placeholders)
                f"WHERE case_id IN ({', '.join(['%s'] * len(ids))})",
                list(ids),
            )
            return {row[0] for row in cursor.fetchall()}

    def matching(self, terms, scope, limit, exclude):
        """The best ``limit`` of the ``CANDIDATES`` most recent matches, by bm25: it reads
        every row it ranks, and a common word matches most of the council. The most recent
        are found first, in rowid order, which FTS5 reads without ranking."""
        where, params = _where(terms, self._in_scope(terms, scope), exclude)
        sql = (
            f"SELECT rowid FROM search_fts WHERE {where} "  # noqa: S608 (only placeholders)
            "AND rowid >= coalesce((SELECT rowid FROM search_fts "
            f"WHERE {where} ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0) "
            f"ORDER BY bm25(search_fts, {WEIGHTS}), rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *params, engines.CANDIDATES - 1, limit])
            return [row[0] for row in cursor.fetchall()]

    def matching_and_count(self, terms, scope, limit, exclude, upto):
        found = self.matching(terms, scope, limit, exclude)
        if len(found) < limit:  # every match is among them
            return found, min(len(found), upto)
        return found, self.count(terms, scope, exclude, upto)

    def count(self, terms, scope, exclude, upto):
        where, params = _where(terms, self._in_scope(terms, scope), exclude)
        with connection.cursor() as cursor:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE {where} LIMIT %s)"  # noqa: S608
            cursor.execute(sql, [*params, upto])
            return cursor.fetchone()[0]

    def similar_names(self, word, limit):
        pieces = sorted({word[i : i + 3] for i in range(len(word) - 2)})
        if not pieces:
            return []
        expression = " OR ".join(_phrase(piece) for piece in pieces)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_name_trigrams WHERE search_name_trigrams MATCH %s "
                "ORDER BY rank LIMIT 200",
                [expression],
            )
            candidates = [row[0] for row in cursor.fetchall()]
        scored = [
            (matching.similarity(word, other), other) for other in candidates if other != word
        ]
        return [
            other
            for score, other in sorted(scored, key=lambda s: (-s[0], s[1]))
            if score >= SIMILARITY
        ][:limit]
