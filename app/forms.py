"""Form helpers shared by every area."""
from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import RadioField, SelectChoice, SelectMultipleField, TextAreaField
from wtforms.fields.core import Flags, Label
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, RadioInput, TextArea, html_params

from app import refusals


class HouseMessages:
    """WTForms' built-in messages in the app's plain voice. WTForms asks a form's translations for
    every message it makes itself (a field left empty, a number that isn't one, text too long)."""

    MESSAGES = {
        "This field is required.": "Fill this in.",
        "Not a valid choice.": "Choose one of the options.",
        "Invalid Choice: could not coerce.": "Choose one of the options.",
        "Not a valid integer value.": "Enter a whole number, like 3.",
        "Not a valid float value.": "Enter a number, like 2.5.",
        "Not a valid decimal value.": "Enter a number, like 2.5.",
        "Not a valid date value.": "Enter a date, like 2026-11-24.",
        "Invalid email address.": "Enter an email address, like name@example.com.",
        "Number must be at least %(min)s.": "Enter %(min)s or more.",
        "Number must be at most %(max)s.": "Enter %(max)s or less.",
        "Number must be between %(min)s and %(max)s.": "Enter a number from %(min)s to %(max)s.",
        "Field cannot be longer than %(max)d character.": "Keep it to %(max)d character.",
        "Field cannot be longer than %(max)d characters.": "Keep it to %(max)d characters or fewer.",
        "Field must be at least %(min)d character long.": "Use at least %(min)d character.",
        "Field must be at least %(min)d characters long.": "Use at least %(min)d characters.",
        "Field must be between %(min)d and %(max)d characters long.": "Use %(min)d to %(max)d characters.",
    }

    def gettext(self, string: str) -> str:
        return self.MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


HOUSE_MESSAGES = HouseMessages()


class Form(FlaskForm):
    """Every form of the app: Flask-WTF's, speaking in the house voice. Its errors are what a
    refused write from the phone's outbox is told (app/refusals.py).

    A form has no CSRF field of its own: CSRFProtect (app/extensions.py) checks the token of every
    POST before any view runs, and a template puts the token in the form itself
    (`<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">`). A field would check it
    a second time, and sign a new token for every form built, even for a save that answers 303."""

    class Meta:
        csrf = False

        def get_translations(self, form):
            return HOUSE_MESSAGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refusals.note_form(self)


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs. A form's fields are built anew for every request
    from the same pairs; each distinct list of pairs is made into choices once."""
    return list(_choices(tuple(pairs)))


@functools.lru_cache(maxsize=256)  # the forms' fixed lists, and a few per athlete (their routine)
def _choices(pairs: tuple[tuple[str, str], ...]) -> tuple[SelectChoice, ...]:
    return tuple(SelectChoice(value, label) for value, label in pairs)


def strip(value):
    """A filter that trims surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value


class RememberedOption:
    """An option widget (one radio button or checkbox) that renders each distinct option once
    per process. Its HTML depends only on the option's name, id, value, whether it is checked
    and its validation flags, all drawn from the form's definition: a check-in page renders about
    fifty of them, and building each through WTForms' attribute formatting was most of the page's
    time. Anything else (extra attributes, render_kw) goes through WTForms as before."""

    LIMIT = 4096  # the forms' own options fit many times over; never grows past it

    def __init__(self, widget):
        self.widget = widget
        self.rendered: dict[tuple, str] = {}

    def __call__(self, field, **kwargs):
        if kwargs or field.render_kw:
            return self.widget(field, **kwargs)
        key = (field.name, field.id, field._value(), bool(getattr(field, "checked", field.data)),
               tuple(sorted(vars(field.flags).items())))
        html = self.rendered.get(key)
        if html is None:
            html = self.widget(field)
            if len(self.rendered) < self.LIMIT:
                self.rendered[key] = html
        return html


class RememberedTextArea(TextArea):
    """WTForms' textarea with its opening tag formatted once per process for each field and set of
    attributes, all drawn from the form's definition and the template. The text inside, the
    person's own, is escaped afresh every time and never kept. Formatting the attributes
    through WTForms (dir() of the flags, then one Markup.format an attribute) was a twelfth of
    the check-in page."""

    LIMIT = 1024  # the forms' few text areas, in their few states (hint, error); never grows past it

    def __init__(self):
        self.openings: dict[tuple, Markup] = {}

    def __call__(self, field, **kwargs):
        try:
            key = (field.name, field.id, tuple(sorted(vars(field.flags).items())), tuple(sorted(kwargs.items())))
            opening = self.openings.get(key)
        except TypeError:  # an attribute that is no plain value: as WTForms does it
            return super().__call__(field, **kwargs)
        if opening is None:
            kwargs.setdefault("id", field.id)  # what TextArea.__call__ does, but for the text
            flags = vars(field.flags)
            kwargs.update({name: flags[name] for name in self.validation_attrs if name in flags and name not in kwargs})
            opening = Markup(f"<textarea {html_params(name=field.name, **kwargs)}>\r\n")
            if len(self.openings) < self.LIMIT:
                self.openings[key] = opening
        return opening + field._value() + Markup("</textarea>")


class TextField(TextAreaField):
    """A multi-line text answer (a note): WTForms' TextAreaField, its HTML built lighter."""

    widget = RememberedTextArea()


class Option:
    """One radio button or checkbox of a choice field, as the templates and WTForms' widgets read
    it: id, name, data, checked, label, flags; calling it gives the input's HTML. WTForms builds
    a whole Field for each option (meta, translations, filters, processing) every time a field is
    iterated; the check-in page iterates fifty-odd options, and that was a fifth of its time."""

    __slots__ = ("id", "name", "data", "checked", "label", "flags", "render_kw", "widget", "choice", "meta")

    def __init__(self, field, index: int, choice, flags: Flags):
        self.id = f"{field.id}-{index}"
        self.name = field.name
        self.data = choice.value
        self.checked = choice.selected
        self.label = Label(self.id, choice.label or choice.value)
        self.flags = flags
        self.render_kw = field.render_kw
        self.widget = field.option_widget
        self.choice = choice
        self.meta = field.meta

    def _value(self) -> str:
        return str(self.data)

    def __call__(self, **kwargs) -> Markup:
        if kwargs or self.render_kw:
            return self.meta.render_field(self, kwargs)
        return self.widget(self)  # what render_field does with nothing to add

    __html__ = __str__ = __call__


class LightOptions:
    """Iterating the field gives Options: the same HTML as WTForms' option fields, built lighter."""

    def __iter__(self):
        flags = Flags()  # what WTForms gives each option: its validators' flags, then its widget's
        for source in itertools.chain(self.validators, [self.option_widget]):
            for key, value in getattr(source, "field_flags", {}).items():
                setattr(flags, key, value)
        for index, choice in enumerate(self._iter_choices_normalized()):
            yield Option(self, index, choice, flags)


class ChoiceRadio(LightOptions, RadioField):
    """Radio buttons whose missing, unknown or malformed answer gets one plain message."""

    option_widget = RememberedOption(RadioInput())

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


class ChoiceChips(LightOptions, SelectMultipleField):
    """Tick-any-that-apply chips; an unknown key is named back to the sender."""

    widget = ListWidget(prefix_label=False)
    option_widget = RememberedOption(CheckboxInput())

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
