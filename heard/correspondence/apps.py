from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "heard.correspondence"
    verbose_name = "Letters and e-mails"
