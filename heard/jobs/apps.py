from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "heard.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
