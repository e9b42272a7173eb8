from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "hearth.discovery"
    label = "discovery"
    verbose_name = "Discovery"

    def ready(self) -> None:
        from hearth.discovery import subscribers  # noqa: F401  (registers event handlers)
