from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heard.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from heard.accounts import second_factor, throttle  # noqa: F401 - connect signals
