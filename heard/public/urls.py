from django.urls import path

from heard.public import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.check_answers, name="check"),
    path("sent/", views.sent, name="sent"),
    path("start-again/", views.start_again, name="start-again"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("progress/<str:token>/", views.progress, name="progress"),
    path("progress/<str:token>/stop/", views.stop_progress_link, name="stop-progress"),
    path("<slug:name>/", views.step, name="step"),
]
