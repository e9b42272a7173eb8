from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "hearth.posts"
    label = "posts"
