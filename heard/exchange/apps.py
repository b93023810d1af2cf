from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "heard.exchange"
    verbose_name = "Import and export"
