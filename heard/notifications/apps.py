from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "heard.notifications"
    verbose_name = "E-mail outbox"
    default_auto_field = "django.db.models.BigAutoField"
