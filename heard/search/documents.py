"""What is searchable about a case, and how it is written into the index.

Each *source* takes a list of case ids and returns, for each case, its :class:`Entry` values:
a column of the index, a label saying what the value is ("Complainant's e-mail") and the value
itself. A new source is one more function in :data:`SOURCES`; nothing else changes.
Values are reduced to plain words here, once, by :func:`entry_words`, so
that SQLite and PostgreSQL index exactly the same words and a result can show which entry
matched by running the same function again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from heard.cases.models import Case, Part
from heard.people import matching
from heard.search.models import COLUMNS, SearchDocument, SearchName


@dataclass(frozen=True)
class Entry:
    column: str
    label: str
    value: str


def entry_words(column: str, value: str) -> list[str]:
    """The words an entry is found by: its plain words, plus the compact forms people type
    (a postcode without its space, a telephone number as digits, a date as YYYYMMDD)."""
    found = matching.words(value)
    if column == "address":
        code = matching.postcode(value)
        if code:
            found.append(code.replace(" ", "").lower())
    elif column == "contact" and "@" not in value:
        digits = matching.phone_key(value)
        if digits:
            found.append(digits)
    elif column == "dates":
        found = [value.replace("-", "")]
    elif column == "reference":
        found.append("".join(found))
    return found


def _case_fields(case_ids: list[int]) -> dict[int, list[Entry]]:
    rows = Case.objects.filter(pk__in=case_ids).values(
        "pk", "reference", "lgsco_reference", "anonymous", "complainant_name",
        "complainant_email", "complainant_phone", "complainant_address",
        "complainant_postcode", "child_name", "representative_name", "summary",
        "desired_outcome", "triage_reason", "resolution_reason", "staff_named", "provider_name",
        "quote",
    )  # fmt: skip
    found: dict[int, list[Entry]] = defaultdict(list)
    for row in rows:
        entries = found[row["pk"]]
        entries.append(Entry("reference", "Reference", row["reference"]))
        if row["lgsco_reference"]:
            entries.append(Entry("reference", "Ombudsman reference", row["lgsco_reference"]))
        for field, column, label in (
            ("complainant_name", "names", "Complainant"),
            ("child_name", "names", "Child"),
            ("representative_name", "names", "Representative"),
            ("complainant_email", "contact", "Complainant's e-mail"),
            ("complainant_phone", "contact", "Complainant's telephone"),
            ("complainant_address", "address", "Complainant's address"),
            ("complainant_postcode", "address", "Complainant's postcode"),
            ("summary", "body", "What happened"),
            ("desired_outcome", "body", "What would put it right"),
            ("triage_reason", "body", "Triage decision"),
            ("resolution_reason", "body", "Outcome"),
            ("staff_named", "names", "Staff named"),
            ("provider_name", "body", "Provider"),
            ("quote", "body", "Compliment"),
        ):
            if row[field]:
                entries.append(Entry(column, label, row[field]))
    return found


def _parts(case_ids: list[int]) -> dict[int, list[Entry]]:
    found: dict[int, list[Entry]] = defaultdict(list)
    parts = Part.objects.filter(case_id__in=case_ids).order_by("case_id", "number")
    for case_id, number, summary in parts.values_list("case_id", "number", "summary"):
        found[case_id].append(Entry("body", f"Part {number}", summary))
    return found


def _people(case_ids: list[int]) -> dict[int, list[Entry]]:
    """The linked people's own details: a date of birth, and contact details or names that
    differ from what the case was logged with."""
    from heard.people.models import CaseLink, Role

    found: dict[int, list[Entry]] = defaultdict(list)
    links = CaseLink.objects.filter(case_id__in=case_ids).order_by("case_id", "role")
    rows = links.values_list(
        "case_id", "role", "person__name", "person__date_of_birth", "person__email",
        "person__phone", "person__address", "person__organisation", "person__constituency",
    )  # fmt: skip
    for case_id, role, name, born, email, phone, address, organisation, constituency in rows:
        who = Role(role).label
        if born:
            found[case_id].append(Entry("dates", f"{who}'s date of birth", born.isoformat()))
        for value, column, label in (
            (name, "names", who),
            (email, "contact", f"{who}'s e-mail"),
            (phone, "contact", f"{who}'s telephone"),
            (address, "address", f"{who}'s address"),
            (organisation, "names", f"{who}'s organisation"),
            (constituency, "names", f"{who}'s constituency"),
        ):
            if value:
                found[case_id].append(Entry(column, label, value))
    return found


#: The most of one letter, e-mail or contact-log entry that is indexed (a long e-mail thread
#: quoted below a reply adds nothing a search needs, and would swell the index).
CORRESPONDENCE_TEXT = 20_000


def _correspondence(case_ids: list[int]) -> dict[int, list[Entry]]:
    """The subject and text of every letter, e-mail and contact-log entry on the case, oldest
    first (an e-mail waiting for triage is on no case, and so in no case's document)."""
    from heard.correspondence.models import Correspondence, label_for

    found: dict[int, list[Entry]] = defaultdict(list)
    items = Correspondence.objects.filter(case_id__in=case_ids).order_by("case_id", "on", "pk")
    for case_id, channel, direction, subject, body in items.values_list(
        "case_id", "channel", "direction", "subject", "body"
    ):
        text = " — ".join(part.strip() for part in (subject, body) if part and part.strip())
        if text:
            label = label_for(channel, direction)
            found[case_id].append(Entry("body", label, text[:CORRESPONDENCE_TEXT]))
    return found


#: Every source of searchable text, in the order their entries are listed.
SOURCES: list[Callable[[list[int]], dict[int, list[Entry]]]] = [
    _case_fields,
    _parts,
    _people,
    _correspondence,
]


def build(case_ids: list[int]) -> list[dict]:
    """The index documents of these cases, as column values."""
    entries: dict[int, list[Entry]] = defaultdict(list)
    existing = set(Case.objects.filter(pk__in=case_ids).values_list("pk", flat=True))
    for source in SOURCES:
        for case_id, found in source(case_ids).items():
            entries[case_id].extend(found)
    documents = []
    for case_id in case_ids:
        if case_id not in existing:
            continue
        unique = list(dict.fromkeys(entries[case_id]))  # the same value twice counts once
        columns = {column: [] for column in COLUMNS}
        for entry in unique:
            columns[entry.column].extend(entry_words(entry.column, entry.value))
        documents.append(
            {
                "case_id": case_id,
                **{column: " ".join(words) for column, words in columns.items()},
                "entries": [
                    {"column": e.column, "label": e.label, "value": e.value} for e in unique
                ],
            }
        )
    return documents


def _name_words(documents: Iterable[dict]) -> set[str]:
    return {
        word
        for document in documents
        for word in document["names"].split()
        if len(word) >= 3 and word.isalpha() and len(word) <= 100
    }


@transaction.atomic
def index_cases(case_ids: Iterable[int], *, batch: int = 2000) -> int:
    """Write (or rewrite) the index documents of these cases; returns how many were written.
    A case that no longer exists loses its document."""
    ids = sorted(set(case_ids))
    written = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        documents = build(chunk)
        SearchDocument.objects.filter(pk__in=chunk).delete()
        _insert(documents)
        SearchName.objects.bulk_create(
            [SearchName(word=word) for word in sorted(_name_words(documents))],
            ignore_conflicts=True,
            batch_size=batch,
        )
        written += len(documents)
    return written


def _insert(documents: list[dict]) -> None:
    """Write documents with one ``executemany`` (Django's bulk_create compiles every value,
    which was most of the time of a rebuild)."""
    if not documents:
        return
    names = ["case_id", *COLUMNS, "entries", "indexed_at"]
    now = timezone.now()
    rows = [
        [d["case_id"], *(d[c] for c in COLUMNS), json.dumps(d["entries"]), now] for d in documents
    ]
    table = SearchDocument._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608 (names are ours)
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def rebuild() -> int:
    """Rebuild the whole index from the cases (``heard search_index --rebuild``)."""
    SearchDocument.objects.all().delete()
    SearchName.objects.all().delete()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    return index_cases(ids, batch=5000)


def missing() -> list[int]:
    """Cases with no index document (written in bulk by something that did not index them)."""
    return list(
        Case.objects.filter(search_document__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
