"""What staff do with an online submission: record that an advocate was appointed, and stop a
progress link (for example when the person says someone else has seen it)."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from heard.accounts import roles
from heard.cases.access import access_case
from heard.cases.workflow import TransitionRefused
from heard.core.access import staff_view
from heard.core.forms import GovukDateField, GovukForm
from heard.public import services
from heard.public.models import OnlineSubmission


class AdvocateAppointedForm(GovukForm):
    appointed_on = GovukDateField(
        label="Date the advocate was appointed", label_lower="the date the advocate was appointed"
    )
    name = forms.CharField(
        label="Advocate's name", max_length=200,
        error_messages={"required": "Enter the advocate's name"},
    )  # fmt: skip


def _submission(user, reference: str) -> OnlineSubmission:
    case = access_case(user, reference)
    try:
        return case.online_submission
    except OnlineSubmission.DoesNotExist:
        raise Http404("This case did not come from the online form.") from None


@staff_view(roles.can_run_casework)
def advocate_appointed(request, reference):
    submission = _submission(request.user, reference)
    case = submission.case
    initial = {"appointed_on": submission.advocate_appointed_on, "name": submission.advocate_name}
    form = AdvocateAppointedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_advocate_appointed(
                submission,
                appointed_on=form.cleaned_data["appointed_on"],
                name=form.cleaned_data["name"],
                user=request.user,
            )
        except TransitionRefused as refused:
            form.add_error("appointed_on", str(refused))
        else:
            messages.success(request, "The advocate's appointment is recorded.")
            return redirect("cases:detail", case.reference)
    return render(
        request,
        "cases/action.html",
        {"case": case, "form": form, "action": {"label": "Record the advocate's appointment"}},
    )


@staff_view(roles.can_run_casework)
def revoke_progress(request, reference):
    submission = _submission(request.user, reference)  # first: a hidden case is "no such case"
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.revoke_progress_link(submission, user=request.user)
    messages.success(request, "The progress link no longer works.")
    return redirect("cases:detail", submission.case.reference)
