from django.urls import path

from heard.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/respond/", views.case_respond, name="respond"),
    path("<str:reference>/<slug:action>/", views.case_action, name="action"),
]
