from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "hearth.wellbeing"
    label = "wellbeing"
    verbose_name = "Wellbeing"
