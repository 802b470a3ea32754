"""Top-level URLs: the browser app, its sign-in, the admin, the API and its schema, and the
language switcher."""

from django.contrib import admin
from django.urls import include, path

from poc_tracker.health import health_view

urlpatterns = [
    path("", include("web.urls")),
    path("accounts/", include("web.views.accounts")),
    path("admin/", admin.site.urls),
    path("api/", include(("api.urls", "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health_view(), name="health"),
]

handler404 = "api.views.not_found"
handler500 = "api.views.server_error"
