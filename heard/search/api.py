"""``GET /api/v1/search?q=``: the search box, for machines. Included from heard/api/api.py; the
same token, error shapes and audit of every call apply, and each search is audited as on the
search page."""

import datetime

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from pydantic import Field

from heard.accounts import roles
from heard.api.schemas import ErrorBody
from heard.cases.choices import Kind, Status
from heard.search import services
from heard.search.query import MAX_LENGTH

router = Router(tags=["search"])
ERRORS = dict.fromkeys((400, 401, 403, 422), ErrorBody)


class SearchQuery(Schema):
    q: str = Field(
        min_length=1,
        max_length=MAX_LENGTH,
        pattern=r"\S",
        description="A reference, a name (misspelt names are found too), an address or "
        "postcode, a telephone number, an e-mail address, a date of birth or words.",
    )


class MatchOut(Schema):
    label: str = Field(description="What matched, such as “Complainant” or “Part 2”.")
    value: str


class PersonOut(Schema):
    id: int
    name: str
    role: str = Field(description="complainant, child or representative")


class ResultOut(Schema):
    reference: str
    kind: Kind
    status: Status
    received_on: datetime.date
    matches: list[MatchOut]
    people: list[PersonOut]


class SearchOut(Schema):
    query: str
    total: int = Field(
        description="How many cases you may see match (the best 50 are listed), counted up to "
        "1,000."
    )
    more: bool = Field(description="Whether more than `total` (1,000) cases match.")
    close_names: dict[str, list[str]] = Field(
        description="Misspelt words and the names close to them that were searched for too."
    )
    results: list[ResultOut]


@router.get("", response={200: SearchOut, **ERRORS})
def search(request, query: Query[SearchQuery]):
    """Cases you may see that match, best first, each with what matched."""
    if not roles.can_read_cases(request.auth):
        raise PermissionDenied
    found = services.search(request.auth, query.q, via="API")
    return {
        "query": found.text,
        "total": found.total,
        "more": found.more,
        "close_names": dict(found.widened),
        "results": [
            {
                "reference": result.case.reference,
                "kind": result.case.kind,
                "status": result.case.status,
                "received_on": result.case.received_on,
                "matches": [{"label": m.label, "value": m.value} for m in result.matches],
                "people": [
                    {"id": link.person_id, "name": link.person.name, "role": link.role}
                    for link in result.people
                ],
            }
            for result in found.results
        ],
    }
