from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "hearth.communities"
    label = "communities"
    verbose_name = "Communities"

    def ready(self) -> None:
        from hearth.communities.rules import Rules
        from hearth.posts.community import community_rules_register

        community_rules_register(Rules())
