"""The reference frame's texts in every language of the interface (django-modeltranslation).

Each field below gains a column per language (`label_en`, `label_fr`, ...); reading `label`
gives the active language's text, or the English one where a translation is missing.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import KeyElement, Paragraph, Phase, PriorityArea, Tier


@register(PriorityArea)
class PriorityAreaTranslation(TranslationOptions):
    fields = ("label",)


@register(Paragraph)
class ParagraphTranslation(TranslationOptions):
    fields = ("label", "summary")


@register(KeyElement)
class KeyElementTranslation(TranslationOptions):
    fields = ("label", "description")


@register(Tier)
class TierTranslation(TranslationOptions):
    fields = ("label", "description")


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("label", "description")
