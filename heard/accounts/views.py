from django.contrib.auth import views as auth_views

from heard.accounts.forms import SignInForm
from heard.core.access import public_view


@public_view
def sign_in(request, *args, **kwargs):
    return auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )(request, *args, **kwargs)


@public_view
def sign_out(request, *args, **kwargs):
    return auth_views.LogoutView.as_view()(request, *args, **kwargs)
