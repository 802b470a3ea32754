"""Top-level URLs: the admin, the API and its schema, and the language switcher."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from poc_tracker.health import health_view

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", include(("api.urls", "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health_view(), name="health"),
]

handler404 = "api.views.not_found"
