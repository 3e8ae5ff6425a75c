"""Form helpers shared by every area."""
from __future__ import annotations

from collections.abc import Iterable

from wtforms import RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    """A filter that trims surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value


class ChoiceRadio(RadioField):
    """Radio buttons whose missing, unknown or malformed answer gets one plain message."""

    def __init__(self, label, options, message: str, optional: bool = False, **kwargs):
        super().__init__(label, choices=choices(options), **kwargs)
        self.message = message
        self.optional = optional

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else None

    def pre_validate(self, form):
        if self.optional and self.data in (None, ""):
            return
        if self.data not in {choice.value for choice in self.choices}:
            raise StopValidation(self.message)


class ChoiceChips(SelectMultipleField):
    """Tick-any-that-apply chips; an unknown key is named back to the sender."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label, options, unknown_message: str = "Not one of the choices: {}.", **kwargs):
        super().__init__(label, choices=choices(options), **kwargs)
        self.unknown_message = unknown_message

    def process_formdata(self, valuelist):
        self.data = list(dict.fromkeys(valuelist))  # a repeated key counts once

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        unknown = [value for value in self.data or () if value not in known]
        if unknown:
            named = ", ".join(value[:40] for value in unknown[:5])  # echo back briefly, never in bulk
            raise StopValidation(self.unknown_message.format(named))
