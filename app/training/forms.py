"""Training forms: start a session, log one exercise or a walk–run, finish or delete."""
from __future__ import annotations

from wtforms import BooleanField, DateField, IntegerField, RadioField
from wtforms.validators import Optional, ValidationError

from app.forms import Form, choices

PAIN_MESSAGE = "Pain is a whole number from 0 (none) to 10 (worst imaginable)."
PAIN_SCALE = tuple(range(11))


class BoundedInt(IntegerField):
    """A whole number within bounds, or empty; one clear message for anything else."""

    def __init__(self, label: str, low: int, high: int, message: str, **kwargs):
        super().__init__(label, **kwargs)
        self.low, self.high, self.message = low, high, message

    def process_formdata(self, valuelist):
        self.data = None
        raw = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        if not raw:
            return
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(self.message) from None
        if not self.low <= value <= self.high:
            raise ValueError(self.message)
        self.data = value


class StartForm(Form):
    """Start a session today, or on a recent day it was done but not logged."""

    kind = RadioField("Session", choices=choices([("strength", "Strength session"),
                                                  ("entry_test", "Entry test"), ("run", "Walk–run")]),
                      validators=[Optional()], validate_choice=False)
    day = DateField("Done on an earlier day?", validators=[Optional()],
                    description="Leave as today unless you're logging a session you already did.")

    def validate_kind(self, field):
        if field.data not in (None, "", "strength", "entry_test", "run"):
            raise ValidationError("Choose a strength session, the entry test or a walk–run.")


class ExerciseLogForm(Form):
    """What was done of one exercise, and the pain felt during it.

    An exercise is counted in reps or in seconds: the form has only the one its dose uses, so a
    value posted for the other is ignored like any unknown field (its error had no place to show).
    """

    sets = BoundedInt("Sets", 0, 100, "Sets are a whole number from 0 to 100.")
    reps = BoundedInt("Reps", 0, 100, "Reps are a whole number from 0 to 100.")
    seconds = BoundedInt("Seconds", 0, 3600, "Seconds are a whole number from 0 to 3600.")
    pain = BoundedInt("Pain during it", 0, 10, PAIN_MESSAGE)
    skipped = BooleanField("Skipped")

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        del self["seconds" if exercise.reps is not None else "reps"]

    @property
    def amount(self) -> BoundedInt:
        """The reps or the seconds field, whichever this exercise is counted in."""
        return self["reps"] if "reps" in self else self["seconds"]

    def check_dose(self) -> bool:
        """Sets and reps (or seconds) are required for an exercise that was done."""
        if self.skipped.data:
            return True
        fields = (self.sets, self.amount)
        for field in fields:
            if field.data is None and not field.errors:
                field.errors = [*field.errors, f"Enter the {field.label.text.lower()} you did."]
        return not any(field.errors for field in fields)


class RunLogForm(Form):
    """The pain felt during a walk–run."""

    pain = BoundedInt("Pain during the run", 0, 10, PAIN_MESSAGE)


class ButtonForm(Form):
    """A button-only POST (finish, delete): just the CSRF token."""
