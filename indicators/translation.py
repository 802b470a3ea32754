"""The indicator catalogue's texts in every language of the interface (django-modeltranslation).

Everything a user reads about an indicator: its name, definition, where its figures come from
and the names of a ratio's two terms. Units, methods and the other settings are choices,
translated with the interface.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Indicator


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "data_source", "numerator_label", "denominator_label")
