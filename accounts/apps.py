from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # connects the sign-in receiver that decides who must confirm with a second factor
        from . import middleware  # noqa: F401
