"""Linking the people named on cases to person records, many cases at a time.

One code path serves the data migration (with historical models), the bulk writers (the demo
and the importer) and a single new case: a :class:`Matcher` learns the people already known,
then each case's mentions (complainant, child, representative) are matched with the rules in
:mod:`heard.people.matching` or become new people.
"""

from __future__ import annotations

from collections.abc import Iterable

from heard.people import matching

#: The case columns a link is made from.
CASE_FIELDS = (
    "id", "anonymous", "complainant_name", "complainant_email", "complainant_phone",
    "complainant_address", "child_name", "representative_name", "representative_type_id",
)  # fmt: skip

#: ``CASE_FIELDS`` and the fields added to cases since the data migration that first linked
#: people (which reads ``CASE_FIELDS`` from the cases as they were then).
LINK_FIELDS = (*CASE_FIELDS, "complainant_postcode")


def full_address(address: str, postcode: str) -> str:
    """The complainant's address as a person record holds it: the case's address with its
    postcode (the case keeps the postcode apart; a person's is read from the address, so
    that both give the same ``Person.postcode``)."""
    address, postcode = (address or "").strip(), (postcode or "").strip()
    if postcode and matching.postcode(address) != matching.postcode(postcode):
        return f"{address}\n{postcode}" if address else postcode
    return address


def mentions(case: dict) -> list[tuple[str, dict]]:
    """The people a case names, as (role, person fields), complainant first."""
    found = []
    name = (case["complainant_name"] or "").strip()
    if name and not case["anonymous"] and matching.name_key(name):
        found.append(
            (
                "complainant",
                {
                    "name": name,
                    "email": (case["complainant_email"] or "").strip(),
                    "phone": (case["complainant_phone"] or "").strip(),
                    "address": full_address(
                        case["complainant_address"], case.get("complainant_postcode", "")
                    ),
                },
            )
        )
    name = (case["child_name"] or "").strip()
    if name and matching.name_key(name):
        found.append(("child", {"name": name}))
    name = (case["representative_name"] or "").strip()
    if name and matching.name_key(name):
        found.append(
            (
                "representative",
                {"name": name, "representative_type_id": case["representative_type_id"]},
            )
        )
    return found


def _idents(fields: dict) -> set:
    return matching.identifiers(
        email=fields.get("email", ""),
        phone=fields.get("phone", ""),
        address=fields.get("address", ""),
        date_of_birth=fields.get("date_of_birth"),
    )


class Matcher:
    """Who is already known, by the keys that identify them automatically."""

    def __init__(self):
        # Each maps a key to a person's id, or to a person not yet written (see link_cases).
        self.by_identifier: dict[tuple, object] = {}
        self.representatives: dict[tuple, object] = {}
        self.children: dict[tuple, object] = {}

    def learn(self, person_id, fields: dict) -> None:
        key = matching.name_key(fields["name"])
        if fields.get("representative_type_id"):
            self.representatives.setdefault((key, fields["representative_type_id"]), person_id)
        for ident in _idents(fields):
            self.by_identifier.setdefault((key, ident), person_id)

    def learn_child(self, person_id, name: str, complainant_id) -> None:
        self.children.setdefault((matching.name_key(name), _token(complainant_id)), person_id)

    def match(self, role: str, fields: dict, complainant_id):
        key = matching.name_key(fields["name"])
        if role == "child":
            if complainant_id is None:
                return None
            return self.children.get((key, _token(complainant_id)))
        if role == "representative" and fields.get("representative_type_id"):
            return self.representatives.get((key, fields["representative_type_id"]))
        for ident in sorted(_idents(fields)):
            if (key, ident) in self.by_identifier:
                return self.by_identifier[(key, ident)]
        return None


def learn_known(matcher: Matcher, Person, CaseLink, name_keys: set[str] | None = None) -> None:
    """Teach the matcher the people already recorded (only those with these name keys, when
    given, so that linking one case reads a handful of rows)."""
    people = Person.objects.filter(merged_into__isnull=True)
    if name_keys is not None:
        people = people.filter(name_key__in=name_keys)
    rows = people.values(
        "id", "name", "email", "phone", "address", "date_of_birth", "representative_type_id"
    )
    known = set()
    for row in rows.iterator(chunk_size=5000):
        matcher.learn(row["id"], row)
        known.add(row["id"])
    children = (
        CaseLink.objects.filter(role="child", person_id__in=known)
        if name_keys
        else (CaseLink.objects.filter(role="child"))
    )
    child_cases = dict(children.values_list("case_id", "person_id"))
    if not child_cases:
        return
    names = dict(Person.objects.filter(pk__in=set(child_cases.values())).values_list("id", "name"))
    complainants = CaseLink.objects.filter(role="complainant", case_id__in=list(child_cases))
    for case_id, complainant_id in complainants.values_list("case_id", "person_id"):
        child_id = child_cases[case_id]
        matcher.learn_child(child_id, names[child_id], complainant_id)


def link_cases(cases: Iterable[dict], Person, CaseLink, matcher: Matcher) -> list[tuple]:
    """Link each case's people, creating people who are not known yet. ``cases`` are dicts of
    ``LINK_FIELDS``, with ``linked`` ({role: person id}) for roles linked before. People
    and links are written in bulk; a person new in this batch is matched by later cases of
    the same batch. Returns (case id, role,
    person, created) for each link made."""
    new_people = []
    made = []
    for case in cases:
        complainant = None
        already = case.get("linked", {})
        for role, fields in mentions(case):
            if role in already:  # linked before: used only to match the child
                complainant = already[role] if role == "complainant" else complainant
                continue
            person = matcher.match(role, fields, complainant)
            created = person is None
            if created:
                person = Person(
                    **fields,
                    name_key=matching.name_key(fields["name"]),
                    postcode=matching.postcode(fields.get("address", "")),
                )
                new_people.append(person)
                matcher.learn(person, fields)
                if role == "child" and complainant is not None:
                    matcher.learn_child(person, fields["name"], complainant)
            if role == "complainant":
                complainant = person
            made.append((case["id"], role, person, created))
    Person.objects.bulk_create(new_people, batch_size=2000)
    CaseLink.objects.bulk_create(
        [
            CaseLink(case_id=case_id, person_id=_pk(person), role=role)
            for case_id, role, person, _ in made
        ],
        batch_size=2000,
    )
    return [(case_id, role, _pk(person), created) for case_id, role, person, created in made]


def _token(person) -> tuple:
    """A hashable stand-in for a person known by id or not yet written (which has no pk)."""
    return ("id", person) if isinstance(person, int) else ("new", id(person))


def _pk(person) -> int:
    """A person known by id, or one just written in bulk."""
    return person if isinstance(person, int) else person.pk
