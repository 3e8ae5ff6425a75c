"""Training forms: start a session, log one exercise or a walk–run, finish or delete."""
from __future__ import annotations

from wtforms import BooleanField, DateField, IntegerField, RadioField
from wtforms.validators import Optional, ValidationError

from app.domain.progression import SKIP_REASONS as SKIP_LABELS
from app.forms import Form, choices

SKIP_REASONS = tuple(SKIP_LABELS)
SKIP_CHOICES = tuple(SKIP_LABELS.items())

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
    skip_reason = RadioField("Skip it", choices=choices([("", "Not skipped"), *SKIP_CHOICES]),
                             validators=[Optional()], validate_choice=False)
    skipped = BooleanField("Skipped")  # sent by pages from before skip reasons: read as "no time"

    def validate_skip_reason(self, field):
        if field.data not in (None, "", *SKIP_REASONS):
            raise ValidationError("Choose why you skipped it: it hurt, no time, or no equipment.")

    def skip_reason_given(self) -> str | None:
        """Why it was skipped ("hurt", "time", "equipment"), or None when it was done."""
        if self.skip_reason.data in SKIP_REASONS:
            return self.skip_reason.data
        return "time" if self.skipped.data else None

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        del self["seconds" if exercise.reps is not None else "reps"]

    @property
    def amount(self) -> BoundedInt:
        """The reps or the seconds field, whichever this exercise is counted in."""
        return self["reps"] if "reps" in self else self["seconds"]

    def check_dose(self) -> bool:
        """Sets and reps (or seconds) are required for an exercise that was done."""
        if self.skip_reason_given():
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
