"""Pages for restricting a case, recording a response's approval steps, and the approval
settings. Thin: access through ``access_case``, the rules in ``restriction`` and
``approvals``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from heard.accounts import roles
from heard.cases import approvals, independence, restriction
from heard.cases.access import access_case
from heard.cases.access_forms import ApprovalForm, ApprovalRuleForm, RestrictForm
from heard.cases.choices import Procedure
from heard.cases.workflow import TransitionRefused
from heard.core.access import PageRefused, staff_view

STEPS = {"check": approvals.Step.CHECK, "sign-off": approvals.Step.SIGN_OFF}


def _page(request, case, form, label, *, template="cases/action.html"):
    return render(request, template, {"case": case, "form": form, "action": {"label": label}})


@staff_view(roles.can_restrict_cases)
def restrict(request, reference):
    """Restrict a case to named people, change who they are, or lift the restriction."""
    case = access_case(request.user, reference)
    current = restriction.restriction_of(case)
    initial = {}
    if current is not None:
        initial = {"people": list(current.people.all()), "reason": current.reason}
    form = RestrictForm(request.POST or None, initial=initial, restricted=current is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("lift"):
                restriction.lift(case, reason=data["reason"], user=request.user)
                done = "Restriction lifted."
            else:
                restriction.restrict(
                    case, people=data["people"], reason=data["reason"], user=request.user
                )
                done = "Case restricted." if current is None else "Restriction changed."
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, done)
            return redirect("cases:detail", reference=case.reference)
    label = "Change or lift the restriction" if current else "Restrict this case to named people"
    return _page(request, case, form, label)


@staff_view(roles.can_read_cases)
def approval(request, reference, step):
    """The complaints team's check, or a senior manager's sign-off, of the open stage's
    response."""
    case = access_case(request.user, reference)
    if step not in STEPS:
        raise Http404("No such step.")
    stage = case.stages.filter(responded_on__isnull=True).order_by("-number").first()
    if stage is None:
        raise Http404("No stage is waiting for a response.")
    try:
        independence.check_may_work_on(case, stage, request.user, doing="check or sign it off")
    except independence.NotIndependent as refused:
        raise PageRefused(str(refused)) from None
    state = approvals.approval_of(stage, case.procedure)
    if STEPS[step] == approvals.Step.CHECK and not approvals.may_check(request.user):
        raise PageRefused("Only the complaints team can check a response.")
    if STEPS[step] == approvals.Step.SIGN_OFF and not approvals.may_sign_off(request.user, state):
        raise PageRefused(
            f"Only a senior manager named to sign off Stage {stage.number} responses can sign "
            "this one off."
        )
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approvals.record_step(
                case,
                step=STEPS[step],
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                user=request.user,
            )
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Approval step recorded.")
            return redirect("cases:detail", reference=case.reference)
    label = "Record the team's check" if step == "check" else "Sign off the response"
    return _page(request, case, form, f"{label}: Stage {stage.number}")


@staff_view(roles.can_administer)
def approval_settings(request):
    """Which responses need a check by the complaints team or a senior manager's sign-off."""
    return render(request, "cases/approval_settings.html", {"rows": approvals.settings_rows()})


@staff_view(roles.can_administer)
def approval_setting(request, procedure, stage):
    if procedure not in Procedure.values or not 1 <= stage <= approvals.STAGES.get(procedure, 1):
        raise Http404("There is no such stage.")
    rule = approvals.ApprovalRule.objects.filter(procedure=procedure, stage_number=stage).first()
    initial = {}
    if rule is not None:
        initial = {
            "team_check": rule.team_check,
            "sign_off": rule.sign_off,
            "signers": list(rule.signers.all()),
        }
    form = ApprovalRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            approvals.set_rule(procedure, stage, user=request.user, **form.cleaned_data)
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Approval settings saved.")
            return redirect("cases:approval-settings")
    title = f"{Procedure(procedure).label}, Stage {stage}"
    return render(request, "cases/approval_setting.html", {"form": form, "title": title})
