from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from heard.accounts import roles
from heard.audit import services as audit
from heard.cases import services, workflow
from heard.cases.access import access_case
from heard.cases.actions import ACTIONS
from heard.cases.forms import LogCaseForm, RespondForm
from heard.cases.presenters import case_page, today
from heard.cases.trackers import as_csv, as_xlsx, tracker
from heard.core.access import staff_view
from heard.deadlines.calendar import council_calendar


@staff_view(roles.can_read_cases)
def case_list(request):
    """The trackers: open, mine, due soon, overdue, new; filtered, sorted and exported."""
    found = tracker(request.user, request.GET, today(), council_calendar())
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        audit.record("cases.exported", user=request.user, note=f"{found.title} ({export})")
        stamp = today().isoformat()
        if export == "csv":
            response = HttpResponse(as_csv(found.queryset), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                as_xlsx(found.queryset, found.title),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="heard-cases-{stamp}.{export}"'
        return response
    page = Paginator(found.queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "cases": page.object_list,
        "tracker": found,
        "query": query.urlencode(),
        "can_log": roles.can_run_casework(request.user),
    }
    return render(request, "cases/list.html", context)


@staff_view(roles.can_run_casework)
def case_new(request):
    """Log a new case of any kind from one form, warning of likely duplicates first."""
    form = LogCaseForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        fields = form.case_fields()
        if not form.cleaned_data["log_anyway"]:
            duplicates = services.possible_duplicates(
                kind=fields["kind"],
                received_on=fields["received_on"],
                name=fields.get("complainant_name", ""),
                email=fields.get("complainant_email", ""),
            )
        if not duplicates:
            case = services.log_case(user=request.user, **fields)
            messages.success(request, f"{case.reference} logged.")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/new.html", {"form": form, "duplicates": duplicates})


@staff_view(roles.can_read_cases)
def case_detail(request, reference):
    case = access_case(request.user, reference)
    audit.record("case.viewed", user=request.user, case=case, obj=case)
    context = case_page(case, request.user)
    return render(request, "cases/detail.html", context)


def _run_action(request, case, form, run, done):
    """Call the workflow; turn a refusal or an edit conflict into a message on the form."""
    try:
        run(
            case,
            form.cleaned_data,
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except workflow.TransitionRefused as refused:
        form.add_error(None, str(refused))
        return None
    except workflow.EditConflict as conflict:
        form.add_error(None, str(conflict))
        form.data = form.data.copy()
        form.data["version"] = str(case.__class__.objects.get(pk=case.pk).version)
        return None
    messages.success(request, done)
    return redirect("cases:detail", reference=case.reference)


@staff_view(roles.can_run_casework)
def case_action(request, reference, action):
    case = access_case(request.user, reference)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404("No such action.")
    form = chosen.form(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        done = _run_action(request, case, form, chosen.run, chosen.done)
        if done:
            return done
    return render(request, "cases/action.html", {"case": case, "form": form, "action": chosen})


@staff_view(roles.can_record_response)
def case_respond(request, reference):
    """Record the response with a finding for each part: open to the responding manager or
    investigator the case or stage is allocated to (``access_case`` limits them to those), as
    well as the complaints team."""
    case = access_case(request.user, reference)
    parts = list(case.parts.order_by("number"))
    form = RespondForm(request.POST or None, parts=parts, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            return workflow.respond(
                case,
                responded_on=data["responded_on"],
                findings=form.findings(),
                late_reason=data["late_reason"],
                late_reason_detail=data["late_reason_detail"],
                outcome_override=data["outcome_override"],
                override_reason=data["override_reason"],
                remedy_apology=data["remedy_apology"],
                remedy_financial=data["remedy_financial"],
                remedy_action=data["remedy_action"],
                **kw,
            )

        done = _run_action(request, case, form, run, "Response and findings recorded.")
        if done:
            return done
    action = {"label": "Record the response and findings"}
    return render(request, "cases/action.html", {"case": case, "form": form, "action": action})
