from django.urls import path

from heard.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("closures/", views.closures, name="closures"),
    path("closures/<int:pk>/remove/", views.remove_closure, name="remove-closure"),
    path("settings/", views.calendar_settings, name="settings"),
]
