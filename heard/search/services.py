"""Searching cases: the one function the search page and the API call.

Every search runs inside the user's scope of cases, ``Case.objects.visible_to(user)`` (the
queryset that ``heard.cases.access`` reaches cases through), handed to the engine as SQL, so
that a case the user may not see is never matched, ranked or counted. Every search is audited
with what was searched for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from heard.audit import services as audit
from heard.cases.models import Case
from heard.people import matching
from heard.search import documents
from heard.search.engines import Scope, engine
from heard.search.models import COLUMNS, SearchDocument
from heard.search.query import Query, Term, parse

#: The most results a search returns (the count says how many there are in all).
LIMIT = 50
#: How many close names a misspelt word is widened to.
CLOSE_NAMES = 5
#: How far a search counts the cases that match ("more than 1,000" beyond it): counting every
#: case a common word matches costs more than finding the best of them.
COUNT_LIMIT = 1000


#: The fields of a case a result carries (``Result.case``): what the page and the API show.
RESULT_FIELDS = ("reference", "kind", "status", "received_on")


@dataclass
class Match:
    label: str
    value: str


@dataclass
class Result:
    case: Case
    matches: list[Match]
    people: list = field(default_factory=list)


@dataclass
class Results:
    query: Query
    #: How many cases match, up to ``COUNT_LIMIT``.
    total: int = 0
    #: Whether more than ``total`` match (more than ``COUNT_LIMIT``).
    more: bool = False
    results: list[Result] = field(default_factory=list)
    #: Close names searched for as well, as (typed, [found, ...]).
    widened: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.query.text

    @property
    def how_many(self) -> str:
        """How many match, in words: "1 case", "1,000 cases", "more than 1,000 cases"."""
        cases = "case" if self.total == 1 and not self.more else "cases"
        return f"{'more than ' if self.more else ''}{self.total:,} {cases}"


def _scope(user) -> tuple[Scope | None | bool, list[int]]:
    """The user's cases for the engine (None when that is every case, False when it is none),
    and the ids of cases to leave out besides.

    Someone who sees every case but the restricted ones they are not named on gets no SQL and
    those few ids instead: a scope as SQL costs the engine a check of every match (a surname
    matches thousands of cases), where a short list of ids costs next to nothing."""
    from heard.accounts import roles
    from heard.cases.access import visible_case_ids
    from heard.cases.restriction import hidden_case_ids

    visible = Case.objects.visible_to(user)
    if visible.query.is_empty():
        return False, []
    if roles.sees_all_cases(user):
        return None, sorted(hidden_case_ids(user))
    if not visible.query.where and not visible.query.distinct:
        return None, []
    return Scope(visible, visible_case_ids(user)), []


def search(user, text: str, *, limit: int = LIMIT, via: str = "search page") -> Results:
    """The cases the user may see that match ``text``, best first, with what matched."""
    query = parse(text)
    results = Results(query=query)
    if query.is_empty:
        return results
    scope, hidden = _scope(user)
    search_engine = engine()
    ids: list[int] = []
    if scope is not False:
        ids, total = _find(query, scope, hidden, search_engine, limit, results)
        results.total, results.more = min(total, COUNT_LIMIT), total > COUNT_LIMIT
        # Every id is in scope already: the engine matched within it, and a reference typed
        # was checked against it (``_allowed``). Checking again costs PostgreSQL a pass over
        # a responding manager's whole scope.
        results.results = _results(ids, query)
    audit.record("search.performed", user=user, note=f"{via}: “{query.text}”, {results.how_many}")
    return results


def _allowed(ids: list[int], scope, hidden: list[int], search_engine) -> list[int]:
    """Those of ``ids`` the user may see, in order."""
    if not ids:
        return []
    allowed = set(ids) - set(hidden) if scope is None else search_engine.within(scope, ids)
    return [case_id for case_id in ids if case_id in allowed]


def _find(
    query: Query, scope, hidden: list[int], search_engine, limit: int, results: Results
) -> tuple[list[int], int]:
    """Ids of the best cases (a reference typed exactly first), and how many match (counted
    no further than one past ``COUNT_LIMIT``), never counting ``hidden``. Close names widen
    the search only when the words as typed find fewer than ``limit``."""
    ids: list[int] = []
    if query.reference:
        typed = Q(reference=query.reference) | Q(reference=query.text)
        ids = list(Case.objects.filter(typed).order_by("pk").values_list("pk", flat=True))
        ids = _allowed(ids, scope, hidden, search_engine)
    if not query.terms:
        return ids, len(ids)
    by_reference = list(ids)
    upto = COUNT_LIMIT + 1 - len(by_reference)
    found, counted = search_engine.matching_and_count(
        query.terms, scope, limit - len(ids), exclude=by_reference + hidden, upto=upto
    )
    ids += found
    if len(ids) < limit:
        for term in query.terms:
            if term.fuzzy:
                term.alternatives = search_engine.similar_names(term.word, CLOSE_NAMES)
                if term.alternatives:
                    results.widened.append((term.word, term.alternatives))
        if results.widened:
            # Every case found already matches the widened words too, so the count of the
            # widened search is theirs plus the others'.
            more, others = search_engine.matching_and_count(
                query.terms, scope, limit - len(ids), ids + hidden, upto=upto - len(found)
            )
            ids += more
            counted = len(found) + others
    if len(ids) < limit:
        return ids, len(ids)
    return ids, len(by_reference) + counted


def _results(ids: list[int], query: Query) -> list[Result]:
    """The cases of ``ids`` (already checked against the user's scope), with what matched."""
    if not ids:
        return []
    from heard.people.models import CaseLink

    # Only what a result shows (the page and the API): a case has some eighty columns.
    cases = Case.objects.filter(pk__in=ids).only(*RESULT_FIELDS)
    by_id = {case.pk: case for case in cases}
    entries = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "entries"))
    people: dict[int, list] = {}
    links = (
        CaseLink.objects.filter(case_id__in=ids)
        .select_related("person")
        .only("case_id", "role", "person_id", "person__name")
    )
    for link in links.order_by("case_id", "role"):
        people.setdefault(link.case_id, []).append(link)
    found = []
    for case_id in ids:
        case = by_id.get(case_id)
        if case is None:  # deleted since it was matched
            continue
        matches = _matches(query, entries.get(case_id, []))
        if query.reference and case.reference.upper() == query.reference:
            matches.insert(0, Match("Reference", case.reference))
        found.append(Result(case=case, matches=matches[:3], people=people.get(case_id, [])))
    return found


def _matches(query: Query, entries: list[dict]) -> list[Match]:
    """The entries of a document that the query's terms match, most telling first."""
    scored = []
    for position, entry in enumerate(entries):
        words = documents.entry_words(entry["column"], entry["value"])
        hit = [
            term
            for term in query.terms
            if (not term.column or term.column == entry["column"])
            and any(term.matches(word) for word in words)
        ]
        if hit:
            rank = (-len(hit), COLUMNS.index(entry["column"]), position)
            scored.append((rank, Match(entry["label"], _snippet(entry, hit))))
    return [match for _, match in sorted(scored, key=lambda s: s[0])]


def _snippet(entry: dict, terms: list[Term], width: int = 120) -> str:
    value = " ".join(entry["value"].split())
    if len(value) <= width:
        return value
    folded = matching.fold(value)
    starts = [folded.find(word) for term in terms for word in term.words() if word in folded]
    start = max(0, min(starts, default=0) - width // 3)
    snippet = value[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(value) else "")
