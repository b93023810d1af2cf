"""What pages outside the correspondence app show of it."""

from django.urls import reverse

from heard.correspondence.models import Correspondence


def inbox_summary() -> dict:
    """The dashboard's count of e-mails that arrived with no reference Heard knows."""
    waiting = Correspondence.objects.filter(case__isnull=True, direction="in").count()
    return {"count": waiting, "url": reverse("correspondence:inbox")}


def triage_suggestions(item: Correspondence, user) -> list[dict]:
    """For an e-mail waiting for triage: the open cases, among those the user may see, of the
    person it came from (matched by the sender's address; every person with that address when
    several share it), newest first, to file it on with one button."""
    from heard.cases.models import Case
    from heard.correspondence.services import sender_address
    from heard.people.models import CaseLink, Person

    if item.person_id:
        people = [item.person_id]
    else:
        address = sender_address(item.correspondent)
        people = (
            list(
                Person.objects.current().filter(email__iexact=address).values_list("pk", flat=True)
            )
            if address
            else []
        )
    if not people:
        return []
    visible = Case.objects.visible_to(user).open().values("pk")
    links = (
        CaseLink.objects.filter(person_id__in=people, case__in=visible)
        .select_related("case", "person")
        .order_by("-case__received_on", "-case_id")
    )
    suggestions: dict[int, dict] = {}
    for link in links[:20]:
        found = suggestions.setdefault(
            link.case_id, {"case": link.case, "person": link.person, "roles": []}
        )
        found["roles"].append(link.get_role_display().lower())
    return list(suggestions.values())
