from django.contrib import admin
from django.urls import include, path

from heard.api.api import api
from heard.jobs.views import healthz

admin.site.site_header = "Heard administration"
admin.site.site_title = "Heard administration"

urlpatterns = [
    path("", include("heard.core.urls")),
    path("healthz", healthz, name="healthz"),
    path("jobs/", include("heard.jobs.urls")),
    path("accounts/", include("heard.accounts.urls")),
    path("cases/", include("heard.cases.urls")),
    path("deadlines/", include("heard.deadlines.urls")),
    path("exchange/", include("heard.exchange.urls")),
    path("reports/", include("heard.reports.urls")),
    path("people/", include("heard.people.urls")),
    path("search/", include("heard.search.urls")),
    path("tell-us/", include("heard.public.urls")),
    path("correspondence/", include("heard.correspondence.urls")),
    path("retention/", include("heard.retention.urls")),
    path("online-form/", include("heard.public.staff_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = "heard.core.views.forbidden"
handler404 = "heard.core.views.not_found"
handler500 = "heard.core.views.server_error"
