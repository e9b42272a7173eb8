from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "hearth.messaging"
    label = "messaging"
    verbose_name = "Messaging"
