"""API tokens: knox's hashed tokens, with the name and reach their owner gave them."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A token a user issued to a script of theirs, stored hashed and shown once.

    It acts as its owner, within the owner's own rights; a read-only token may only read. The
    public `uuid` names it in the API, so neither the secret nor its digest ever leaves the
    server after creation.
    """

    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("A read-only token is refused every write.")
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="%(app_label)s_%(class)s_name_not_blank"
            )
        ]

    def __str__(self) -> str:
        return self.name
