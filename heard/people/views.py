from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from heard.accounts import roles
from heard.cases.access import access_case
from heard.core.access import staff_view
from heard.people import presenters, services
from heard.people.access import MergedAway, access_person
from heard.people.forms import (
    NEW,
    ArrangementForm,
    ChoosePersonForm,
    EndArrangementForm,
    MergeForm,
    PersonForm,
    ReviewArrangementForm,
)
from heard.people.models import CaseLink, ContactArrangement, Role


def _person_or_redirect(request, pk):
    try:
        return access_person(request.user, pk), None
    except MergedAway as merged:
        messages.info(request, "That person was merged into this one.")
        return None, redirect("people:detail", pk=merged.kept.pk)


@staff_view(roles.can_read_cases)
def detail(request, pk):
    """A person: every case the user may see that names them, in one timeline."""
    person, elsewhere = _person_or_redirect(request, pk)
    if elsewhere:
        return elsewhere
    services.record_viewed(person, request.user)
    return render(request, "people/detail.html", presenters.person_page(person, request.user))


def _form_page(request, form, title, person=None, back=None, submit="Save"):
    context = {"form": form, "title": title, "person": person, "back": back, "submit": submit}
    return render(request, "people/form.html", context)


@staff_view(roles.can_run_casework)
def edit(request, pk):
    person, elsewhere = _person_or_redirect(request, pk)
    if elsewhere:
        return elsewhere
    form = PersonForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person, changes=form.changes(), user=request.user)
        except services.PeopleRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Details saved.")
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, form, f"Change {person.name}'s details", person)


@staff_view(roles.can_run_casework)
def merge(request, pk, other):
    """Merge ``other`` into this person, after saying why they are the same."""
    person, elsewhere = _person_or_redirect(request, pk)
    if elsewhere:
        return elsewhere
    try:
        duplicate = access_person(request.user, other)
    except MergedAway:
        messages.info(request, "That person has already been merged.")
        return redirect("people:detail", pk=person.pk)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.merge(person, duplicate, reason=form.cleaned_data["reason"], user=request.user)
        except services.PeopleRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"{duplicate.name} (person {duplicate.pk}) merged into this person."
            )
            return redirect("people:detail", pk=person.pk)
    context = {
        "form": form, "person": person, "duplicate": duplicate,
        "title": f"Merge person {duplicate.pk} into person {person.pk}", "back": person,
        "submit": "Merge",
    }  # fmt: skip
    return render(request, "people/merge.html", context)


@staff_view(roles.can_run_casework)
def choose(request, reference):
    """Who is named on this case? The officer picks a suggested person or someone new: the step
    after logging a case when Heard knows people who may be the same."""
    case = access_case(request.user, reference)
    linked = {
        link.role: link for link in CaseLink.objects.filter(case=case).select_related("person")
    }
    choices_by_role, people = {}, {}
    for role in Role:
        current = linked.get(role)
        suggested = services.suggestions(case, request.user, role)
        if current is None and not suggested:
            continue
        options = []
        if current is not None:
            options.append((str(current.person_id), _describe(current.person, "linked now")))
            people[current.person_id] = current.person
        for person in suggested:
            options.append((str(person.pk), _describe(person)))
            people[person.pk] = person
        options.append((NEW, "Someone not recorded before"))
        initial = str(current.person_id) if current else NEW
        choices_by_role[role.value] = (role.label, options, initial)
    if not choices_by_role:  # nobody named on the case
        return redirect("cases:detail", reference=case.reference)
    form = ChoosePersonForm(request.POST or None, choices_by_role=choices_by_role)
    if request.method == "POST" and form.is_valid():
        try:
            for role, value in form.cleaned_data.items():
                chosen = None if value == NEW else people[int(value)]
                current = linked.get(role)
                if current is not None and chosen is not None and current.person_id == chosen.pk:
                    continue
                services.choose_person(case, role, chosen, user=request.user)
        except services.PeopleRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "People saved.")
            return redirect("cases:detail", reference=case.reference)
    context = {"form": form, "case": case, "title": "Who are the people on this case?"}
    return render(request, "people/choose.html", context)


def _describe(person, note: str = "") -> str:
    bits = [person.name]
    if person.date_of_birth:
        bits.append(f"born {person.date_of_birth:%-d %B %Y}")
    if person.postcode:
        bits.append(person.postcode)
    if person.email:
        bits.append(person.email)
    bits.append(f"person {person.pk}")
    if note:
        bits.append(note)
    return ", ".join(bits)


@staff_view(roles.can_decide_contact_arrangements)
def arrangement_new(request, pk):
    person, elsewhere = _person_or_redirect(request, pk)
    if elsewhere:
        return elsewhere
    form = ArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_arrangement(
                person, level=data["level"], reason=data["reason"], channels=data["channels"],
                frequency=data["frequency"], review_on=data["review_on"],
                single_point_of_contact=data["single_point_of_contact"], user=request.user,
            )  # fmt: skip
        except services.PeopleRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Contact arrangement recorded.")
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, form, "Persistent complainant: contact arrangement", person)


def _arrangement(request, pk):
    arrangement = get_object_or_404(ContactArrangement, pk=pk)
    person, elsewhere = _person_or_redirect(request, arrangement.person_id)
    return arrangement, person, elsewhere


@staff_view(roles.can_decide_contact_arrangements)
def arrangement_review(request, pk):
    arrangement, person, elsewhere = _arrangement(request, pk)
    if elsewhere:
        return elsewhere
    form = ReviewArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_arrangement(
                arrangement, next_review_on=form.cleaned_data["next_review_on"],
                note=form.cleaned_data["note"], user=request.user,
            )  # fmt: skip
        except services.PeopleRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Review recorded.")
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, form, "Review the contact arrangement", person)


@staff_view(roles.can_decide_contact_arrangements)
def arrangement_end(request, pk):
    arrangement, person, elsewhere = _arrangement(request, pk)
    if elsewhere:
        return elsewhere
    form = EndArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_arrangement(
                arrangement, reason=form.cleaned_data["reason"], user=request.user
            )
        except services.PeopleRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Contact arrangement ended.")
            return redirect("people:detail", pk=person.pk)
    return _form_page(request, form, "End the contact arrangement", person, submit="End it")


@staff_view(roles.can_read_cases)
def representative_list(request):
    """MPs, councillors, advocates and solicitors, with their cases (those the user may see)."""
    people = presenters.representatives(request.user)
    return render(request, "people/representatives.html", {"people": people})
