from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heard.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from heard.accounts import throttle  # noqa: F401 - connects the sign-in signals
