from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from heard.accounts import roles
from heard.audit import services as audit
from heard.cases import documents, independence, services, workflow
from heard.cases import learning as learning_services
from heard.cases.access import access_case
from heard.cases.actions import ACTIONS
from heard.cases.choices import Kind
from heard.cases.forms import (
    SHORT_FORMS,
    ActionEditForm,
    ChooseKindForm,
    CompleteActionForm,
    DocumentForm,
    LearningEditForm,
    LearningForm,
    LogCaseForm,
    RespondForm,
    StageDetailsForm,
    details_form_class,
)
from heard.cases.models import Action, Document, Learning
from heard.cases.presenters import case_page, today, tracker_rows
from heard.cases.trackers import tracker
from heard.core.access import staff_view
from heard.deadlines.calendar import council_calendar
from heard.jobs.kinds import trackers as trackers_kind
from heard.jobs.views import download_or_wait
from heard.people.services import people_step


@staff_view(roles.can_read_cases)
def case_list(request):
    """The trackers: open, mine, due soon, overdue, new; filtered, sorted and exported."""
    export = request.GET.get("format")
    if export in trackers_kind.FORMATS:
        # Made by `heard worker` like every other download; the fetch writes the audit entry.
        spec = trackers_kind.spec_for(request.user, request.GET, today(), export)
        back = request.GET.copy()
        back.pop("format", None)
        return download_or_wait(
            request, "tracker", spec, back=f"{reverse('cases:list')}?{back.urlencode()}"
        )
    found = tracker(request.user, request.GET, today(), council_calendar())
    page = Paginator(found.queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": tracker_rows(page.object_list),
        "tracker": found,
        "query": query.urlencode(),
        "can_log": roles.can_run_casework(request.user),
    }
    return render(request, "cases/list.html", context)


@staff_view(roles.can_run_casework)
def case_new(request):
    """The first screen of logging a case: what kind is it? It leads to that kind's form."""
    form = ChooseKindForm(request.POST if request.method == "POST" else (request.GET or None))
    if form.is_bound and form.is_valid():
        return redirect("cases:new-kind", kind=form.cleaned_data["kind"])
    return render(request, "cases/new_kind.html", {"form": form})


@staff_view(roles.can_run_casework)
def case_new_of_kind(request, kind):
    """Log a new case from the short form for its kind, warning of likely duplicates first.
    On any error the form comes back with every answer as it was typed."""
    if kind not in SHORT_FORMS:
        raise Http404("No such kind of case.")
    form = LogCaseForm(
        request.POST if request.method == "POST" else None, user=request.user, kind=kind
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        fields = form.case_fields()
        if not form.cleaned_data["log_anyway"]:
            duplicates = services.possible_duplicates(
                kind=fields["kind"],
                received_on=fields["received_on"],
                name=fields.get("complainant_name", ""),
                email=fields.get("complainant_email", ""),
                user=request.user,
            )
        if not duplicates:
            try:
                case = services.log_case(user=request.user, **fields)
            except workflow.TransitionRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"{case.reference} logged.")
                # If Heard knows people who may be those named, the officer says who they are.
                step = people_step(case, request.user)
                return redirect(step or reverse("cases:detail", args=[case.reference]))
    if not duplicates and "log_anyway" not in request.POST:
        form.fields.pop("log_anyway")  # asked only when a likely duplicate was shown
    context = {"form": form, "duplicates": duplicates, "kind": Kind(kind)}
    return render(request, "cases/new.html", context)


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
    if chosen.name == "allocate":
        independence.refuse_allocation_page(case, request.user)
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
    independence.refuse_later_stage_page(case, request.user, doing="record the response")
    parts = list(case.parts.order_by("number"))
    form = RespondForm(request.POST or None, parts=parts, initial={"version": case.version})
    if case.stage_number == 3:  # the council's response to the panel (decision 0028)
        form.fields["responded_on"].label = "Date of the council's response to the panel"
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


def _page(request, case, form, label, *, multipart=False):
    context = {"case": case, "form": form, "action": {"label": label}, "multipart": multipart}
    return render(request, "cases/action.html", context)


@staff_view(roles.can_run_casework)
def case_edit(request, reference):
    """Change the recorded details of a case (people, team, kind-specific details)."""
    case = access_case(request.user, reference)
    form_class = details_form_class(case.kind)
    form = form_class(request.POST or None, instance=case, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            return workflow.update_details(case, changes=form.changes(), **kw)

        done = _run_action(request, case, form, run, "Details saved.")
        if done:
            return done
    return _page(request, case, form, "Change details")


@staff_view(roles.can_record_response)
def case_stage(request, reference):
    """Record the latest stage's details: responder, investigation, panel, adjudication."""
    case = access_case(request.user, reference)
    stage = case.stages.order_by("-number").first()
    if stage is None:
        raise Http404("This case has no stage yet.")
    independence.refuse_later_stage_page(case, request.user, doing="change its details")
    form = StageDetailsForm(request.POST or None, stage=stage, initial={"version": case.version})
    if not roles.can_run_casework(request.user):
        form.fields.pop("responder", None)  # only the complaints team chooses who responds
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            return workflow.update_stage(case, changes=form.changes(), **kw)

        done = _run_action(request, case, form, run, f"Stage {stage.number} details saved.")
        if done:
            return done
    return _page(request, case, form, f"Stage {stage.number} details")


@staff_view(roles.can_record_response)
def case_learning(request, reference):
    """Record a lesson learned, with the first action of its plan."""
    case = access_case(request.user, reference)
    form = LearningForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            learning = workflow.add_learning(
                case,
                category=data["category"],
                lesson=data["lesson"],
                recommendation=data["recommendation"],
                publishable=data["publishable"],
                **kw,
            )
            if data["action"]:
                workflow.add_action(
                    learning,
                    description=data["action"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    shared_with_complainant=data["shared_with_complainant"],
                    user=kw["user"],
                )
            return learning

        done = _run_action(request, case, form, run, "Learning recorded.")
        if done:
            return done
    return _page(request, case, form, "Record learning")


@staff_view(roles.can_record_response)
def case_learning_edit(request, reference, pk):
    """Correct a lesson learned: its kind, wording, recommendation and publication."""
    case = access_case(request.user, reference)
    learning = get_object_or_404(Learning, pk=pk, case=case)
    form = LearningEditForm(
        request.POST or None, instance=learning, initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            return learning_services.change_learning(learning, changes=form.changes(), **kw)

        done = _run_action(request, case, form, run, "Learning saved.")
        if done:
            return done
    return _page(request, case, form, "Change learning")


@staff_view(roles.can_record_response)
def case_action_edit(request, reference, pk):
    """Correct an action of an action plan: what, who, when, and the evidence."""
    case = access_case(request.user, reference)
    action = get_object_or_404(Action, pk=pk, learning__case=case)
    form = ActionEditForm(request.POST or None, instance=action, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():

        def run(case, data, **kw):
            return learning_services.change_action(action, changes=form.changes(), **kw)

        done = _run_action(request, case, form, run, "Action saved.")
        if done:
            return done
    return _page(request, case, form, "Change action")


@staff_view(roles.can_record_response)
def case_complete_action(request, reference, pk):
    case = access_case(request.user, reference)
    action = get_object_or_404(Action, pk=pk, learning__case=case)
    form = CompleteActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.complete_action(
                action,
                completed_on=form.cleaned_data["completed_on"],
                evidence=form.cleaned_data["evidence"],
                user=request.user,
            )
        except workflow.TransitionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Action signed off.")
            return redirect("cases:detail", reference=case.reference)
    return _page(request, case, form, f"Sign off: {action.description}")


@staff_view(roles.can_record_response)
def case_documents(request, reference):
    """Upload a document to a case."""
    case = access_case(request.user, reference)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            documents.add_document(
                case,
                form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                user=request.user,
            )
        except documents.DocumentRefused as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, "Document added.")
            return redirect("cases:detail", reference=case.reference)
    return _page(request, case, form, "Add a document", multipart=True)


@staff_view(roles.can_read_cases)
def case_document(request, reference, pk):
    """Send a document, to someone who may see its case, as a download (never inline)."""
    case = access_case(request.user, reference)
    document = get_object_or_404(Document, pk=pk, case=case)
    audit.record("document.viewed", user=request.user, case=case, obj=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
