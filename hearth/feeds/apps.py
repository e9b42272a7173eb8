from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "hearth.feeds"
    label = "feeds"

    def ready(self) -> None:
        from hearth.feeds import subscribers  # noqa: F401  (registers event handlers)
