from django.urls import path

from heard.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.job, name="job"),
    path("<uuid:pk>/download/", views.download, name="download"),
]
