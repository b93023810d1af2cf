from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from heard.accounts import roles
from heard.core.access import staff_view
from heard.deadlines import services
from heard.deadlines.calendar import council_calendar
from heard.deadlines.forms import CalendarSettingsForm, ClosureDayForm, DeadlineForm
from heard.deadlines.models import CalendarSettings, ClosureDay


@staff_view(roles.can_view_reports)
def calculator(request):
    """Check a deadline in a second: start date plus working days or calendar months."""
    form = DeadlineForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        calendar = council_calendar()
        start = form.cleaned_data["start"]
        if form.cleaned_data["working_days"] is not None:
            due = calendar.add_working_days(start, form.cleaned_data["working_days"])
            counted = f"{form.cleaned_data['working_days']} working days"
        else:
            due = calendar.add_months(start, form.cleaned_data["months"])
            counted = f"{form.cleaned_data['months']} calendar month(s)"
        result = {
            "start": start,
            "due": due,
            "counted": counted,
            "skipped": calendar.non_working_days(start, due),
        }
    context = {"form": form, "result": result, "settings": CalendarSettings.current()}
    return render(request, "deadlines/calculator.html", context)


@staff_view(roles.can_administer)
def closures(request):
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.add_closure_day(
            form.cleaned_data["date"], form.cleaned_data["description"], user=request.user
        )
        if outcome.created:
            messages.success(
                request,
                f"Closure day added. {outcome.moved} open case(s) had their due dates moved.",
            )
        else:
            messages.info(request, "That day was already a closure day.")
        return redirect("deadlines:closures")
    context = {"form": form, "closures": ClosureDay.objects.all()}
    return render(request, "deadlines/closures.html", context)


@staff_view(roles.can_administer)
@require_POST
def remove_closure(request, pk):
    closure = get_object_or_404(ClosureDay, pk=pk)
    moved = services.remove_closure_day(closure, user=request.user)
    messages.success(
        request, f"Closure day removed. {moved} open case(s) had their due dates moved."
    )
    return redirect("deadlines:closures")


@staff_view(roles.can_administer)
def calendar_settings(request):
    current = CalendarSettings.current()
    initial = {
        "region": current.region,
        "stage2_clock_start": current.stage2_clock_start,
        "corporate_extensions": current.corporate_extensions,
        "corporate_stage1_max": current.corporate_stage1_max,
        "corporate_stage2_max": current.corporate_stage2_max,
    }
    form = CalendarSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        moved = services.change_settings(
            region=form.cleaned_data["region"],
            stage2_clock_start=form.cleaned_data["stage2_clock_start"],
            corporate_extensions=form.cleaned_data["corporate_extensions"] or None,
            corporate_stage1_max=form.cleaned_data["corporate_stage1_max"],
            corporate_stage2_max=form.cleaned_data["corporate_stage2_max"],
            user=request.user,
        )
        messages.success(
            request, f"Calendar settings saved. {moved} open case(s) had their due dates moved."
        )
        return redirect("deadlines:closures")
    return render(request, "deadlines/settings.html", {"form": form})
