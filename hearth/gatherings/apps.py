from django.apps import AppConfig


class GatheringsConfig(AppConfig):
    name = "hearth.gatherings"
    label = "gatherings"
    verbose_name = "Gatherings"
