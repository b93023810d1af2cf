from django.urls import path

from heard.exchange import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.upload, name="import"),
    path("import/<str:token>/confirm/", views.confirm, name="import-confirm"),
    path("export/", views.export, name="export"),
]
