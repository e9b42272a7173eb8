from django.apps import AppConfig


class GatheringsConfig(AppConfig):
    name = "hearth.gatherings"
    label = "gatherings"
    verbose_name = "Gatherings"

    def ready(self) -> None:
        from hearth.gatherings import subscribers  # noqa: F401  (registers event handlers)
