"""State changes to people: link a case's people, choose who someone is, change a person's
details, merge two people, and decide, review and end contact arrangements.

Every function runs in one transaction and writes its audit events in it (decision 0003).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.audit import services as audit
from heard.cases.models import Case
from heard.people import linking, matching
from heard.people.models import CaseLink, ContactArrangement, Merge, Person, Role

PERSON_FIELDS = (
    "name", "date_of_birth", "email", "phone", "address", "representative_type",
    "organisation", "constituency",
)  # fmt: skip


class PeopleRefused(ValueError):
    """The change makes no sense or is not allowed; the message says why."""


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def link_case(case: Case, *, user=None, actor: str = "") -> list[CaseLink]:
    """Link the people a new case names to people already known (by the automatic rules in
    :mod:`heard.people.matching`) or to new people. Roles already linked are left alone."""
    row = {field: getattr(case, field) for field in linking.LINK_FIELDS}
    row["linked"] = dict(case.people_links.values_list("role", "person_id"))
    wanted = [(role, fields) for role, fields in linking.mentions(row) if role not in row["linked"]]
    if not wanted:
        return []
    matcher = linking.Matcher()
    keys = {matching.name_key(fields["name"]) for _, fields in linking.mentions(row)}
    linking.learn_known(matcher, Person, CaseLink, name_keys=keys)
    links = []
    for _, role, _, created in linking.link_cases([row], Person, CaseLink, matcher):
        link = CaseLink.objects.select_related("person").get(case=case, role=role)
        person = link.person
        # Recorded against the person, not the case: logging the case is the case's event,
        # and the person's history shows where they came from.
        if created:
            audit.record_created("person.created", person, user=user, actor=actor)
        audit.record(
            "person.linked",
            user=user,
            actor=actor,
            obj=person,
            changes=[{"field": Role(role).label.lower(), "old": None, "new": case.reference}],
        )
        links.append(link)
    return links


def link_cases_in_bulk(case_ids: Iterable[int]) -> int:
    """Link the people of cases written in bulk (the demo and the importer), with the same
    rules as one case; returns how many links were made. Audit events are not written one by
    one: the bulk writer's ``case.created`` events stand for them, as for parts and stages."""
    ids = list(case_ids)
    if not ids:
        return 0
    matcher = linking.Matcher()
    linking.learn_known(matcher, Person, CaseLink)
    made = 0
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = (
            Case.objects.filter(pk__in=chunk)
            .exclude(pk__in=CaseLink.objects.values("case_id"))
            .values(*linking.LINK_FIELDS)
            .order_by("received_on", "pk")
        )
        made += len(linking.link_cases(list(rows), Person, CaseLink, matcher))
    return made


def suggestions(case: Case, user, role: str) -> list[Person]:
    """People the user may see who might be the person named on the case in this role: the
    same name, or the same e-mail address, telephone, postcode or date of birth with the same
    surname. The officer chooses; nothing is linked by this."""
    row = {field: getattr(case, field) for field in linking.LINK_FIELDS}
    fields = dict(linking.mentions(row)).get(role)
    if not fields:
        return []
    key = matching.name_key(fields["name"])
    surname = key.split()[-1] if key else ""
    near = Q(name_key=key)
    email = matching.email_key(fields.get("email", ""))
    if email:
        near |= Q(email__iexact=email)
    code = matching.postcode(fields.get("address", ""))
    if code and surname:
        near |= Q(postcode=code, name_key__endswith=surname)
    current = CaseLink.objects.filter(case=case, role=role).values("person_id")
    people = (
        Person.objects.visible_to(user)
        .filter(near)
        .exclude(pk__in=current)
        .select_related("representative_type")
        .order_by("name", "pk")[:10]
    )
    return list(people)


def people_step(case: Case, user) -> str | None:
    """The "who are these people?" page for a case just logged, when Heard knows people who
    may be those it names (None when there is nobody to choose between)."""
    from django.urls import reverse

    if any(suggestions(case, user, role) for role in Role):
        return reverse("people:choose", args=[case.reference])
    return None


@transaction.atomic
def choose_person(case: Case, role: str, person: Person | None, *, user) -> CaseLink:
    """The officer says who the person named on the case in this role is: an existing person,
    or (``person=None``) someone not known before. A person created automatically moments
    earlier and now linked to nothing is removed, so that no empty record is left behind."""
    row = {field: getattr(case, field) for field in linking.LINK_FIELDS}
    fields = dict(linking.mentions(row)).get(role)
    if not fields:
        raise PeopleRefused(f"{case.reference} names no {Role(role).label.lower()}.")
    link = CaseLink.objects.select_for_update().filter(case=case, role=role).first()
    before = link.person if link else None
    if person is not None and person.merged_into_id:
        raise PeopleRefused(f"{person.name} was merged into another person: choose that one.")
    if person is None:
        person = Person(**fields)
        person.save()
        audit.record_created("person.created", person, case=case, user=user)
    if before is not None and before.pk == person.pk:
        return link
    if link is None:
        link = CaseLink(case=case, role=role)
    link.person = person
    link.save()
    audit.record(
        "person.linked",
        user=user,
        case=case,
        obj=person,
        changes=[
            {
                "field": Role(role).label.lower(),
                "old": before.name if before else None,
                "new": person.name,
            }
        ],
    )
    if before is not None and not _is_used(before):
        audit.record("person.removed", user=user, case=case, obj=before, note="Linked to nothing")
        before.delete()
    return link


def _is_used(person: Person) -> bool:
    return (
        person.links.exists()
        or person.merged_from.exists()
        or person.arrangements.exists()
        or Merge.objects.filter(Q(kept=person) | Q(merged=person)).exists()
    )


@transaction.atomic
def update_person(person: Person, *, changes: Mapping, user) -> Person:
    """Change a person's details; every field that changed is audited old → new."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise PeopleRefused(f"{', '.join(sorted(unknown))} cannot be changed here.")
    if "name" in changes and not matching.name_key(changes["name"] or ""):
        raise PeopleRefused("Enter the person's name.")
    if changes.get("date_of_birth") and changes["date_of_birth"] > _today():
        raise PeopleRefused("The date of birth cannot be in the future.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person, changes)
    for name, value in changes.items():
        setattr(person, name, value)
    moved = audit.diff(before, audit.snapshot(person, changes))
    if moved:
        person.save()
        audit.record("person.changed", user=user, obj=person, changes=moved)
    return person


def _all_cases_visible(person: Person, user) -> bool:
    visible = Case.objects.visible_to(user).values("pk")
    return not person.links.exclude(case__in=visible).exists()


@transaction.atomic
def merge(kept: Person, merged: Person, *, reason: str, user) -> Merge:
    """Merge ``merged`` into ``kept``: its case links, contact arrangements and the e-mails
    matched to it move to ``kept``; its row stays, pointing at ``kept``, and a :class:`Merge`
    keeps what it held. Refused when the user may not see every case either person is linked to."""
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise PeopleRefused("Choose two different people to merge.")
    if kept.merged_into_id or merged.merged_into_id:
        raise PeopleRefused("One of these people has already been merged into someone else.")
    if not reason.strip():
        raise PeopleRefused("Give the reason these are the same person.")
    if not (_all_cases_visible(kept, user) and _all_cases_visible(merged, user)):
        raise PeopleRefused(
            "One of these people is linked to cases you may not see, so you cannot merge them. "
            "Ask a complaints manager who can see every case."
        )
    moved, dropped = [], []
    kept_roles = set(kept.links.values_list("case_id", "role"))
    for link in merged.links.select_related("case"):
        if (link.case_id, link.role) in kept_roles:
            dropped.append(link.pk)
            link.delete()
        else:
            link.person = kept
            link.save(update_fields=["person"])
            moved.append(link.pk)
            audit.record(
                "person.merged",
                user=user,
                case=link.case,
                obj=kept,
                note=f"Person {merged.pk} merged into person {kept.pk}: {reason}",
            )
    arrangements = list(merged.arrangements.values_list("pk", flat=True))
    merged.arrangements.update(person=kept)
    # E-mails matched to the merged person by their sender (heard.correspondence) follow.
    emails = list(merged.correspondence.values_list("pk", flat=True))
    merged.correspondence.update(person=kept)
    snapshot = {
        **audit.snapshot(merged, PERSON_FIELDS),
        "links_moved": moved,
        "links_dropped_as_duplicates": dropped,
        "arrangements_moved": arrangements,
        "emails_moved": emails,
    }
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    record = Merge.objects.create(
        kept=kept, merged=merged, merged_by=user, reason=reason, snapshot=snapshot
    )
    audit.record(
        "person.merged",
        user=user,
        obj=kept,
        changes=[{"field": "merged person", "old": merged.name, "new": kept.name}],
        note=reason,
    )
    return record


@transaction.atomic
def decide_arrangement(
    person: Person,
    *,
    level: str,
    reason: str,
    channels: str,
    review_on: datetime.date,
    user,
    frequency: str = "",
    single_point_of_contact=None,
) -> ContactArrangement:
    """Record that a person is a persistent or unreasonably persistent complainant and how the
    council will be in contact with them, with the date the decision must be reviewed."""
    if person.arrangements.filter(ended_on__isnull=True).exists():
        raise PeopleRefused(
            f"{person.name} already has a contact arrangement: review or end it first."
        )
    if not reason.strip():
        raise PeopleRefused("Give the reason for the decision.")
    if not channels.strip():
        raise PeopleRefused("Say how they may contact the council.")
    if review_on <= _today():
        raise PeopleRefused("The review date must be in the future.")
    arrangement = ContactArrangement.objects.create(
        person=person,
        level=level,
        reason=reason,
        channels=channels,
        frequency=frequency,
        single_point_of_contact=single_point_of_contact,
        decided_by=user,
        decided_on=_today(),
        review_on=review_on,
    )
    audit.record_created("person.arrangement_decided", arrangement, user=user)
    return arrangement


@transaction.atomic
def review_arrangement(
    arrangement: ContactArrangement, *, next_review_on: datetime.date, note: str, user
) -> ContactArrangement:
    """Keep an arrangement after a review, until the next review date."""
    if not arrangement.is_active:
        raise PeopleRefused("This arrangement has ended.")
    if next_review_on <= _today():
        raise PeopleRefused("The next review date must be in the future.")
    if not note.strip():
        raise PeopleRefused("Say why the arrangement is still needed.")
    old = arrangement.review_on
    arrangement.review_on = next_review_on
    arrangement.save(update_fields=["review_on"])
    audit.record(
        "person.arrangement_reviewed",
        user=user,
        obj=arrangement,
        changes=[{"field": "review date", "old": old, "new": next_review_on}],
        note=note,
    )
    return arrangement


@transaction.atomic
def end_arrangement(arrangement: ContactArrangement, *, reason: str, user) -> ContactArrangement:
    if not arrangement.is_active:
        raise PeopleRefused("This arrangement has already ended.")
    if not reason.strip():
        raise PeopleRefused("Give the reason the arrangement ends.")
    arrangement.ended_on, arrangement.ended_reason = _today(), reason
    arrangement.save(update_fields=["ended_on", "ended_reason"])
    audit.record(
        "person.arrangement_ended",
        user=user,
        obj=arrangement,
        changes=[{"field": "ended", "old": None, "new": arrangement.ended_on}],
        note=reason,
    )
    return arrangement


def record_viewed(person: Person, user) -> None:
    audit.record("person.viewed", user=user, obj=person)
