from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "hearth.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from hearth.posts.readers import extra_readers_register
        from hearth.support import subscribers  # noqa: F401  (registers event handlers)
        from hearth.support.readers import SupportReaders

        extra_readers_register("support", SupportReaders())
