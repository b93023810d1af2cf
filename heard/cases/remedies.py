"""Ombudsman remedies on the case page: record one that was agreed, and record that it was
complied with (with the evidence). Thin views over ``workflow.add_remedy`` and
``workflow.comply_remedy``; the case is reached through the access helper."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render

from heard.accounts import roles
from heard.cases import workflow
from heard.cases.access import access_case
from heard.cases.choices import Kind, RemedyKind
from heard.cases.forms import ActionForm
from heard.core.access import staff_view
from heard.core.forms import GovukDateField


class RemedyForm(ActionForm):
    kind = forms.ChoiceField(
        label="What was agreed?", choices=RemedyKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what was agreed"},
    )  # fmt: skip
    amount = forms.DecimalField(
        label="Amount (£)", required=False, min_value=0, decimal_places=2, max_digits=9,
        help_text="For a payment.",
        error_messages={"invalid": "Enter the amount as a number, like 250.00"},
    )  # fmt: skip
    description = forms.CharField(
        label="What the council will do", widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )  # fmt: skip
    due_on = GovukDateField(label="Due by", label_lower="the date it is due")

    def clean(self):
        data = super().clean()
        if data.get("kind") == RemedyKind.PAYMENT and data.get("amount") is None:
            self.add_error("amount", "Enter the amount of the payment")
        return data


class RemedyComplianceForm(ActionForm):
    complied_on = GovukDateField(label="Date complied with", label_lower="the date")
    evidence = forms.CharField(
        label="Evidence sent to the Ombudsman", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the evidence that the remedy was complied with"},
    )  # fmt: skip


def _ombudsman_case(request, reference):
    case = access_case(request.user, reference)
    if case.kind != Kind.OMBUDSMAN:
        raise Http404("Remedies are recorded on Ombudsman cases.")
    return case


def _page(request, case, form, label):
    context = {"case": case, "form": form, "action": {"label": label}}
    return render(request, "cases/action.html", context)


@staff_view(roles.can_run_casework)
def remedy_new(request, reference):
    from heard.cases.views import _run_action

    case = _ombudsman_case(request, reference)
    form = RemedyForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            return workflow.add_remedy(
                case, kind=data["kind"], due_on=data["due_on"], amount=data["amount"],
                description=data["description"], **kw,
            )  # fmt: skip

        done = _run_action(request, case, form, run, "Remedy recorded.")
        if done:
            return done
    return _page(request, case, form, "Record an agreed remedy")


@staff_view(roles.can_run_casework)
def remedy_comply(request, reference, pk):
    from heard.cases.views import _run_action

    case = _ombudsman_case(request, reference)
    remedy = case.remedies.filter(pk=pk).first()
    if remedy is None:
        raise Http404("No such remedy.")
    form = RemedyComplianceForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            return workflow.comply_remedy(
                case, remedy_id=remedy.pk, complied_on=data["complied_on"],
                evidence=data["evidence"], **kw,
            )  # fmt: skip

        done = _run_action(request, case, form, run, "Compliance recorded.")
        if done:
            return done
    return _page(request, case, form, f"Record compliance: {remedy}")
