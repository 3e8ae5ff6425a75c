"""The warm-up checklist as a form built from today's routine: only its items can be logged."""
from __future__ import annotations

import functools
from datetime import date

from flask import request
from wtforms import HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional, ValidationError

from app.domain.warmup import Routine
from app.forms import ChoiceChips, ChoiceRadio, Form, choices

MAX_SECONDS = 3 * 60 * 60  # a warm-up log longer than this is a tab left open, not a warm-up
SKIP_PREFIX = "skip-"
SKIP_REASONS = {
    "hurts": "It hurt",
    "no_kit": "No kit or space here",
    "no_time": "Short of time",
    "other": "Another reason",
}
NOT_SKIPPED = ("", "Not skipped")
SKIP_CHOICES = (NOT_SKIPPED, *SKIP_REASONS.items())  # a skip field's options, in order
SKIP_MESSAGE = "Choose a reason for skipping from the list."


class ChecklistForm(Form):
    """Ticks, skips and time of one warm-up; subclassed per routine by checklist_form()."""

    built_for = HiddenField()
    local_date = HiddenField()
    opened_at = IntegerField(validators=[Optional()])
    duration_seconds = IntegerField(validators=[
        Optional(), NumberRange(0, MAX_SECONDS, "The warm-up time must be between 0 and 3 hours.")])
    done = ChoiceChips("Done", [], unknown_message="Not in today's routine: {}.")

    def __init__(self, *args, routine: Routine, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.routine = routine
        self.today = today
        self.done.choices = choices((i.exercise.slug, i.exercise.name) for i in routine.items)

    def validate_built_for(self, field) -> None:
        if field.data and field.data != self.routine.status:
            raise ValidationError("Your check-in changed since this warm-up was built. "
                                  "Here is today's routine — tick it again.")

    def validate_local_date(self, field) -> None:
        """A checklist sent later (a phone that was offline overnight) belongs to its own day."""
        if not field.data or self.today is None or field.data == self.today.isoformat():
            return
        try:
            day = date.fromisoformat(field.data).strftime("%A %-d %B")
        except ValueError:
            day = "another day"
        raise ValidationError(f"This warm-up was for {day}, so it can't be logged today. "
                              "Here is today's routine.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        stray = [key[len(SKIP_PREFIX):] for key in request.form if key.startswith(SKIP_PREFIX) and key not in self]
        if stray:
            self.form_errors.append(f"Not in today's routine: {', '.join(s[:40] for s in stray[:5])}.")
        for item in self.routine.items:
            skip = self.skip_field(item.exercise.slug)
            if skip.data and item.exercise.slug in (self.done.data or ()):
                skip.errors.append("Tick it done or skip it, not both.")
        return ok and not stray and not any(self.skip_field(i.exercise.slug).errors for i in self.routine.items)

    def skip_field(self, slug: str) -> ChoiceRadio:
        return self[SKIP_PREFIX + slug]

    def item_values(self, item) -> dict:
        """What templates/warmup/_item.html shows of one item: all of it (app/fragments.py)."""
        skip = self.skip_field(item.exercise.slug)
        return {"item": item, "done": item.exercise.slug in (self.done.data or ()), "skipped": skip.data,
                "errors": tuple(skip.errors), "reasons": SKIP_CHOICES}

    def outcome(self) -> list[dict]:
        """The log's items, in routine order: done, or skipped with a reason, or neither."""
        done = set(self.done.data or ())
        return [{"slug": i.exercise.slug, "done": i.exercise.slug in done,
                 "skip_reason": self.skip_field(i.exercise.slug).data or None} for i in self.routine.items]

    def skipped_slugs(self) -> list[str]:
        return [i.exercise.slug for i in self.routine.items if self.skip_field(i.exercise.slug).data]

    def anything_logged(self) -> bool:
        return any(item["done"] or item["skip_reason"] for item in self.outcome())

    def item_errors(self) -> list[str]:
        """Each exercise's skip errors, named: for the progress line an htmx tick updates
        without the list (where they show next to their exercise)."""
        return [f"{item.exercise.name}: {message}" for item in self.routine.items
                for message in self.skip_field(item.exercise.slug).errors]

    def hidden_errors(self) -> list[str]:
        """Errors of the hidden fields and of the form as a whole, shown above the list."""
        fields = (self.built_for, self.local_date, self.opened_at, self.duration_seconds)
        return [message for field in fields for message in field.errors] + list(self.form_errors)


def checklist_form(routine: Routine, **kwargs) -> ChecklistForm:
    """A checklist form whose done and skip fields are exactly today's routine items."""
    return _form_class(tuple((item.exercise.slug, item.exercise.name) for item in routine.items))(
        routine=routine, **kwargs)


@functools.lru_cache(maxsize=64)  # one per distinct list of items: a few dozen routines at most
def _form_class(items: tuple[tuple[str, str], ...]) -> type[ChecklistForm]:
    """The checklist form class for a routine's items (slug, name), made once: WTForms works out a
    class's fields on its first use, so a class made per request did that on every load."""
    fields = {SKIP_PREFIX + slug: ChoiceRadio(f"Skip {name}", SKIP_CHOICES, SKIP_MESSAGE, optional=True)
              for slug, name in items}
    return type("RoutineChecklistForm", (ChecklistForm,), fields)
