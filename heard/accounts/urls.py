from django.urls import path

from heard.accounts import oidc, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("second-factor/", views.second_factor_check, name="second-factor"),
    path("second-factor/set-up/", views.second_factor_set_up, name="second-factor-set-up"),
    path(
        "second-factor/recovery-codes/",
        views.recovery_codes_page,
        name="second-factor-recovery-codes",
    ),
    path("single-sign-on/", oidc.start, name="oidc-start"),
    path("single-sign-on/callback/", oidc.callback, name="oidc-callback"),
]
