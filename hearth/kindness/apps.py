from django.apps import AppConfig


class KindnessConfig(AppConfig):
    name = "hearth.kindness"
    label = "kindness"
