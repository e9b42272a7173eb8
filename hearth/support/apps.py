from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "hearth.support"
    label = "support"
    verbose_name = "Support"
