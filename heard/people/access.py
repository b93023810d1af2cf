"""The one way a view reaches a person: through the cases the user may see.

A person is visible to a user when they are linked to at least one case in the user's scope
(``Case.objects.visible_to``, the same scope ``heard.cases.access.access_case`` applies); every
other person answers 404, so nobody learns that a person they may not see exists.
"""

from django.http import Http404

from heard.people.models import Person


class MergedAway(Exception):
    """The person was merged into ``kept``: send the user there."""

    def __init__(self, kept: Person):
        self.kept = kept


def access_person(user, pk: int) -> Person:
    """The person if the user may see them; a merged person raises :class:`MergedAway` with
    the person they were merged into (if the user may see that one); 404 otherwise."""
    person = Person.objects.filter(pk=pk).select_related("representative_type").first()
    final = person
    for _ in range(20):  # merges form a chain; it is short
        if final is None or not final.merged_into_id:
            break
        final = Person.objects.filter(pk=final.merged_into_id).first()
    if final is None or not Person.objects.visible_to(user).filter(pk=final.pk).exists():
        raise Http404("No such person, or you may not see them.")
    if final.pk != person.pk:
        raise MergedAway(final)
    return person
