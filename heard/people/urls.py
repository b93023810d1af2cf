from django.urls import path

from heard.people import views

app_name = "people"
urlpatterns = [
    path("representatives/", views.representative_list, name="representatives"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/merge/<int:other>/", views.merge, name="merge"),
    path("<int:pk>/arrangement/", views.arrangement_new, name="arrangement-new"),
    path("arrangements/<int:pk>/review/", views.arrangement_review, name="arrangement-review"),
    path("arrangements/<int:pk>/end/", views.arrangement_end, name="arrangement-end"),
    path("cases/<str:reference>/", views.choose, name="choose"),
]
