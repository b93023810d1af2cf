from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "heard.deadlines"
    label = "deadlines"
    verbose_name = "Working days and deadlines"
