from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # registers the SQLite median() aggregate on every new connection
        from .rollups import dialect  # noqa: F401
