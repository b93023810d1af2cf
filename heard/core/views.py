from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from heard.accounts import roles
from heard.core.access import public_view, staff_view


@staff_view(roles.can_view_reports)
def home(request):
    """The first page after signing in: the user's own work, or the reports for viewers."""
    from heard.deadlines.calendar import council_calendar

    context = {"role": roles.role_of(request.user)}
    calendar, groups = None, None
    if roles.can_read_cases(request.user) or roles.can_administer(request.user):
        calendar = council_calendar()  # read once for both dashboards
    if roles.can_administer(request.user):
        from heard.cases.presenters import team_dashboard, team_groups

        # The team's figures by team and officer: the manager's own are sums of them too.
        groups = team_groups(request.user, calendar)
        context["team"] = team_dashboard(request.user, calendar, groups)
    if roles.can_read_cases(request.user):
        from heard.cases.presenters import work_summary

        context["work"] = work_summary(request.user, calendar, groups)
    if roles.can_run_casework(request.user):
        from heard.correspondence.presenters import inbox_summary
        from heard.public.presenters import new_online_submissions

        context["online"] = new_online_submissions(request.user)
        context["inbox"] = inbox_summary()
    return render(request, "heard/home.html", context)


@public_view
def health(request):
    """For load balancers and monitoring: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def forbidden(request, exception=None):
    from heard.core.access import PageRefused

    reason = str(exception) if isinstance(exception, PageRefused) else ""
    return render(request, "heard/403.html", {"reason": reason}, status=403)


def not_found(request, exception=None):
    return render(request, "heard/404.html", status=404)


def server_error(request):
    return render(request, "heard/500.html", status=500)
