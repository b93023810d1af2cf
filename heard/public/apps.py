from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "heard.public"
    verbose_name = "Online form"
