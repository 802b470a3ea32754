"""The browser app's URLs: `/` the user's home, `/missions/<acronym>/…` a mission's pages."""

from django.urls import include, path

from .views import (
    commitments,
    dashboard,
    entry,
    home,
    records,
    secretariat,
    threats,
    validation,
)

app_name = "web"

mission_patterns = [
    path("", include(dashboard.urlpatterns)),
    path("threats/", include(threats.urlpatterns)),
    path("", include(records.urlpatterns)),
    path("log/", include(entry.urlpatterns)),
    path("validation/", include(validation.urlpatterns)),
    path("", include(commitments.urlpatterns)),
]

urlpatterns = [
    path("", include(home.urlpatterns)),
    path("missions/<str:mission>/", include(mission_patterns)),
    path("secretariat/", include(secretariat.urlpatterns)),
]
