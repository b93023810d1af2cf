from django.urls import path

from heard.correspondence import views

app_name = "correspondence"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.file_on_case, name="file"),
    path("<str:reference>/write/", views.write, name="write"),
    path("<str:reference>/upload/", views.upload, name="upload"),
    path("<str:reference>/log/", views.log, name="log"),
    path("<str:reference>/files/<int:pk>/", views.attachment, name="attachment"),
]
