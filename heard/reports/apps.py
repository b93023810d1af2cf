from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "heard.reports"
    label = "reports"
    verbose_name = "Reports"
