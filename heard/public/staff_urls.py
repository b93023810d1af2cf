from django.urls import path

from heard.public import staff

app_name = "online"
urlpatterns = [
    path("<str:reference>/advocate/", staff.advocate_appointed, name="advocate-appointed"),
    path("<str:reference>/progress-link/stop/", staff.revoke_progress, name="revoke-progress"),
]
