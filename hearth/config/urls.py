from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("hearth.core.urls")),
    path("", include("hearth.accounts.urls")),
    path("", include("hearth.feeds.urls")),
    path("", include("hearth.posts.urls")),
    path("", include("hearth.kindness.urls")),
    path("", include("hearth.communities.urls")),
    path("", include("hearth.gatherings.urls")),
    path("", include("hearth.messaging.urls")),
    path("", include("hearth.support.urls")),
    path("", include("hearth.wellbeing.urls")),
    path("", include("hearth.discovery.urls")),
    path("", include("hearth.api.urls")),
    # For the server's staff: instance reports (hearth.moderation).
    path("admin/", admin.site.urls),
]

if not settings.PRODUCTION:
    # In production a reverse proxy or object storage serves uploads.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
