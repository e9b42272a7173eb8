from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class KindnessConfig(AppConfig):
    name = "hearth.kindness"
    label = "kindness"

    def ready(self) -> None:
        from hearth.kindness import subscribers  # noqa: F401  (registers event handlers)

        # A missing or corrupt model must stop Hearth at start-up: a judge
        # that silently passes everything would look like a kind instance.
        from hearth.kindness.judge import JudgeUnavailable, get_judge

        try:
            get_judge()
        except JudgeUnavailable as exc:
            raise ImproperlyConfigured(f"The reconsider judge cannot start: {exc}") from exc
