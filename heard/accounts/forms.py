from django import forms
from django.contrib.auth.forms import AuthenticationForm

from heard.accounts import recovery_codes
from heard.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK pages do not autofocus a field: it skips the page's heading and skip link
        # for screen reader and keyboard users.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-password-input__input",
                "autocomplete": "current-password",
            }
        )


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits your app shows now.",
        max_length=10,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code


class SecondFactorForm(CodeForm):
    """The code at sign-in: the app's 6 digits, or one of the person's recovery codes."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits your app shows now. If you cannot use your app, enter one of "
        "your recovery codes instead.",
        max_length=40,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def clean_code(self):
        text = self.cleaned_data["code"]
        code = text.replace(" ", "")
        if code.isdigit() and len(code) == 6:
            return code
        if recovery_codes.normalise(text) is not None:
            return text
        raise forms.ValidationError(
            "Enter the code as 6 digits, like 123456, or a recovery code as 10 letters and "
            "numbers, like abcde-23456"
        )
