from django.core.paginator import Paginator
from django.shortcuts import render

from heard.accounts import roles
from heard.audit import services as audit
from heard.cases.access import access_case
from heard.cases.choices import Status
from heard.cases.presenters import history, today
from heard.cases.queries import list_queryset
from heard.core.access import staff_view


@staff_view(roles.can_read_cases)
def case_list(request):
    cases = list_queryset(request.user)
    if request.GET.get("mine"):
        cases = cases.filter(allocated_to=request.user)
    status = request.GET.get("status")
    if status in Status.values:
        cases = cases.filter(status=status)
    if request.GET.get("overdue"):
        cases = cases.filter(stage_response_due__lt=today(), stage_responded_on__isnull=True)
    page = Paginator(cases.order_by("-received_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {"page": page, "cases": page.object_list})


@staff_view(roles.can_read_cases)
def case_detail(request, reference):
    case = access_case(request.user, reference)
    audit.record("case.viewed", user=request.user, case=case, obj=case)
    stages = list(case.stages.prefetch_related("findings__part", "extensions", "suspensions"))
    context = {
        "case": case,
        "parts": list(case.parts.select_related("category")),
        "stages": stages,
        "categories": list(case.categories.all()),
        "history": history(case),
        "today": today(),
    }
    return render(request, "cases/detail.html", context)
