from django.urls import URLPattern, URLResolver, path

from hearth.discovery import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("communities/find", views.find_people, name="find_people"),
    path("people", views.people, name="people"),
    path("search", views.search, name="search"),
]
