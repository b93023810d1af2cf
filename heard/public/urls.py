from django.urls import path

from heard.public import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.check_answers, name="check"),
    path("sent/", views.sent, name="sent"),
    path("start-again/", views.start_again, name="start-again"),
    path("<slug:name>/", views.step, name="step"),
]
