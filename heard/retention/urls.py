from django.urls import path

from heard.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("rules/<int:pk>/remove/", views.remove_rule, name="remove-rule"),
    path("review/", views.reviews, name="reviews"),
    path("cases/<str:reference>/hold/", views.hold, name="hold"),
    path("people/<int:pk>/export/", views.person_export, name="person-export"),
]
