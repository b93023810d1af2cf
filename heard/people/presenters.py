"""What the people pages show: a person's cases and timeline, within the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from heard.accounts import roles
from heard.cases.models import Case, Stage
from heard.people.models import CaseLink, Merge, Person


@dataclass
class Event:
    on: datetime.date
    what: str
    case: Case | None = None


def _visible_links(person: Person, user):
    visible = Case.objects.visible_to(user).values("pk")
    return (
        CaseLink.objects.filter(person=person, case__in=visible)
        .select_related("case")
        .order_by("-case__received_on", "-case_id")
    )


def person_page(person: Person, user) -> dict:
    """Every case the user may see that names this person, and one timeline of them: received,
    each stage's response, closed; every letter, e-mail and contact-log entry on them;
    contact arrangements and merges. Cases the user may not see
    are left out entirely, not counted."""
    links = list(_visible_links(person, user))
    cases = {link.case_id: link.case for link in links}
    timeline: list[Event] = []
    for link in links:
        case = link.case
        timeline.append(
            Event(
                case.received_on,
                f"{case.get_kind_display()} received ({link.get_role_display().lower()})",
                case,
            )
        )
        if case.closed_on:
            timeline.append(Event(case.closed_on, f"{case.get_kind_display()} closed", case))
    responded = Stage.objects.filter(case_id__in=cases, responded_on__isnull=False)
    for case_id, number, on in responded.values_list("case_id", "number", "responded_on"):
        timeline.append(Event(on, f"Stage {number} response sent", cases[case_id]))
    arrangements = list(person.arrangements.select_related("decided_by", "single_point_of_contact"))
    for arrangement in arrangements:
        timeline.append(
            Event(
                arrangement.decided_on,
                f"Decided: {arrangement.get_level_display().lower()} complainant",
            )
        )
        if arrangement.ended_on:
            timeline.append(Event(arrangement.ended_on, "Contact arrangement ended"))
    timeline += _correspondence(person, cases, user)
    merges = list(Merge.objects.filter(kept=person).select_related("merged_by"))
    for merge in merges:
        timeline.append(
            Event(timezone.localdate(merge.merged_at), "Another record of this person merged in")
        )
    timeline.sort(key=lambda event: (event.on, event.case.pk if event.case else 0), reverse=True)
    active = next((a for a in arrangements if a.is_active), None)
    return {
        "person": person,
        "links": links,
        "timeline": timeline,
        "arrangement": active,
        "past_arrangements": [a for a in arrangements if not a.is_active],
        "merges": merges,
        "review_due": bool(active and active.review_on <= timezone.localdate()),
        "duplicates": possible_duplicates(person, user) if roles.can_run_casework(user) else [],
        "can_edit": roles.can_run_casework(user),
        "can_decide": roles.can_decide_contact_arrangements(user),
    }


def _correspondence(person: Person, cases: dict[int, Case], user) -> list[Event]:
    """Every letter, e-mail and contact-log entry on the person's cases the user may see, read
    from heard.correspondence (the one place they are kept); and, for those who triage the
    mailbox, e-mails from this person still waiting to be filed on a case."""
    from heard.correspondence.models import Correspondence

    items = Correspondence.objects.filter(case_id__in=list(cases))
    if roles.can_run_casework(user):
        items = items | Correspondence.objects.filter(person=person, case__isnull=True)
    events = []
    for item in items.order_by("-on", "-pk"):
        what = item.what
        if item.correspondent and item.direction != Correspondence.Direction.NONE:
            what += f" {'to' if item.direction == Correspondence.Direction.OUT else 'from'} "
            what += item.correspondent
        if item.subject:
            what += f": {item.subject}"
        if item.case_id is None:
            what += " (waiting for triage)"
        events.append(Event(timezone.localdate(item.on), what, cases.get(item.case_id)))
    return events


def possible_duplicates(person: Person, user) -> list[Person]:
    """Other people the user may see with the same name, or the same e-mail address or date
    of birth and surname: candidates for a merge, never merged automatically."""
    near = Q(name_key=person.name_key)
    if person.email:
        near |= Q(email__iexact=person.email)
    surname = person.name_key.split()[-1] if person.name_key else ""
    if person.date_of_birth and surname:
        near |= Q(date_of_birth=person.date_of_birth, name_key__endswith=surname)
    return list(
        Person.objects.visible_to(user)
        .filter(near)
        .exclude(pk=person.pk)
        .order_by("name", "pk")[:10]
    )


def representatives(user) -> list[dict]:
    """Representatives named on cases the user may see, with how many of those cases each has,
    by kind of representative (MPs first) then name."""
    visible = Case.objects.visible_to(user).values("pk")
    people = (
        Person.objects.current()
        .filter(representative_type__isnull=False, links__case__in=visible)
        .annotate(cases=Count("links", filter=Q(links__case__in=visible), distinct=True))
        .select_related("representative_type")
        .order_by("representative_type__order", "name", "pk")
    )
    return list(people)


def case_people(case: Case, *, arrangements: bool = True) -> list[CaseLink]:
    """The people linked to a case (the case itself was reached through access_case), with
    their contact arrangements (and who decided them) unless ``arrangements`` is False: none
    of them has one (``heard.cases.presence``)."""
    from django.db.models import Prefetch

    from heard.people.models import ContactArrangement

    links = CaseLink.objects.filter(case=case).select_related("person").order_by("role")
    if arrangements:
        decided = ContactArrangement.objects.select_related("decided_by", "single_point_of_contact")
        links = links.prefetch_related(Prefetch("person__arrangements", queryset=decided))
    return list(links)


def arrangement_warnings(links: list[CaseLink]) -> list[tuple[str, object]]:
    """(name, arrangement) for each current contact arrangement of the people of ``links``
    (from ``case_people`` with their arrangements), for the case page's warnings."""
    return [
        (link.person.name, arrangement)
        for link in links
        for arrangement in link.person.arrangements.all()
        if arrangement.is_active
    ]
