from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "hearth.discovery"
    label = "discovery"
    verbose_name = "Discovery"
