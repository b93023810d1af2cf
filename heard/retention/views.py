"""Retention pages: the schedule (administrators and complaints managers), the review list
where a complaints manager approves anonymisation, legal hold on a case, and a person's subject
access export. Thin: the rules are in ``services``, ``anonymise`` and ``sar``."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.accounts import roles
from heard.cases.access import access_case
from heard.core.access import staff_view
from heard.people.access import MergedAway, access_person
from heard.retention import presenters, sar, services
from heard.retention.forms import ApproveForm, HoldForm, RuleForm
from heard.retention.models import RetentionRule, Review


@staff_view(roles.can_administer)
def schedule(request):
    """How long each kind of case is kept after it is closed."""
    form = RuleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "childrens" in request.POST:
        services.use_childrens_social_care_period(user=request.user)
        messages.success(request, "Children's statutory complaints are now kept 25 years.")
        return redirect("retention:schedule")
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rule(user=request.user, **form.cleaned_data)
        except services.RetentionRefused as refused:
            form.add_error("years", str(refused))
        else:
            messages.success(request, "Retention schedule saved.")
            return redirect("retention:schedule")
    return render(
        request,
        "retention/schedule.html",
        {"rows": presenters.schedule_rows(), "form": form},
    )


@staff_view(roles.can_administer)
@require_POST
def remove_rule(request, pk):
    rule = get_object_or_404(RetentionRule, pk=pk)
    try:
        services.remove_rule(rule, user=request.user)
    except services.RetentionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Rule removed.")
    return redirect("retention:schedule")


@staff_view(roles.can_administer)
def reviews(request):
    """Cases past their retention period: approve some or all for anonymisation."""
    lists = presenters.review_lists(request.user)
    choices = [
        (
            review.pk,
            f"{review.case.reference}: {review.case.get_kind_display().lower()}, closed "
            f"{review.case.closed_on:%-d %B %Y}, due {review.due_on:%-d %B %Y} ({review.rule})",
        )
        for review in lists["due"]
    ]
    form = ApproveForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = Review.objects.filter(pk__in=form.cleaned_data["reviews"])  # listed above
        try:
            count = services.approve(chosen, user=request.user)
        except services.RetentionRefused as refused:
            form.add_error("reviews", str(refused))
        else:
            messages.success(
                request, f"{count} case(s) approved: Heard anonymises them in the background."
            )
            return redirect("retention:reviews")
    return render(request, "retention/reviews.html", {**lists, "form": form})


@staff_view(roles.can_administer)
def hold(request, reference):
    """Place a legal hold on a case, or lift it."""
    case = access_case(request.user, reference)
    current = services.active_hold(case)
    form = HoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if current is None:
                services.place_hold(case, reason=reason, user=request.user)
                done = "Legal hold placed."
            else:
                services.lift_hold(case, reason=reason, user=request.user)
                done = "Legal hold lifted."
        except services.RetentionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, done)
            return redirect("cases:detail", reference=case.reference)
    label = "Lift the legal hold" if current else "Place a legal hold"
    return render(
        request,
        "retention/hold.html",
        {"case": case, "form": form, "action": {"label": label}, "current": current},
    )


@staff_view(roles.can_administer)
def person_export(request, pk):
    """Everything Heard holds about a person, as one zip archive (a subject access request)."""
    try:
        person = access_person(request.user, pk)
    except MergedAway as moved:
        return redirect("retention:person-export", pk=moved.kept.pk)
    if request.method != "POST":
        return render(request, "retention/person_export.html", {"person": person})
    name, data = sar.build(person, user=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
