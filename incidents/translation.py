"""The grave violations' names in every language of the interface (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import GraveViolation


@register(GraveViolation)
class GraveViolationTranslation(TranslationOptions):
    fields = ("label",)
