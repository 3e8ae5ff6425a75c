"""The run forms: log a run by hand (or edit it, adding pain an hour after), and confirm the
runs read from uploaded files. Plausibility is judged once, by running.run_problems."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DateField, FieldList, FormField, HiddenField, StringField
from wtforms.validators import InputRequired, ValidationError

from app.domain import running
from app.forms import ChoiceRadio, Form, strip

PAIN_SCORES = [(str(n), str(n)) for n in range(11)]
NOT_YET = ("", "Not yet")
PAIN_DURING_MESSAGE = "Choose your worst pain during the run, from 0 (none) to 10."
PAIN_AFTER_MESSAGE = "Choose your pain an hour after, from 0 to 10, or “Not yet”."
TERRAIN_MESSAGE = "Choose where you ran."


def parse_duration(text: str) -> int | None:
    """Seconds from "45" (minutes), "45:30" (min:s) or "1:05:00" (h:min:s); None if unreadable."""
    text = text.strip().replace(".", ":")
    parts = text.split(":")
    if not text or len(parts) > 3 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        return None
    numbers = [int(p) for p in parts]
    if len(numbers) == 1:
        return numbers[0] * 60
    if any(n >= 60 for n in numbers[1:]):
        return None
    if len(numbers) == 2:
        return numbers[0] * 60 + numbers[1]
    return numbers[0] * 3600 + numbers[1] * 60 + numbers[2]


def parse_km(text: str) -> int | None:
    """Metres from "5", "5.2" or "5,2" km; raises ValueError if it is not a number."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError from error
    if not value.is_finite() or len(text) > 10:
        raise ValueError
    return int((value * 1000).to_integral_value())


class PainAnswers(Form):
    """Pain during (required) and an hour after (may come later)."""

    pain_during = ChoiceRadio("Worst pain during the run", PAIN_SCORES, PAIN_DURING_MESSAGE,
                              description="Keep it at 2 or less.")
    pain_after = ChoiceRadio("Pain an hour after", PAIN_SCORES + [NOT_YET], PAIN_AFTER_MESSAGE,
                             optional=True, description="Add it later if the hour isn't up yet.")
    terrain = ChoiceRadio("Where", running.TERRAINS.items(), TERRAIN_MESSAGE)
    downhill = BooleanField("A lot of downhill")

    def pain_values(self) -> dict:
        after = self.pain_after.data
        return {"pain_during": int(self.pain_during.data),
                "pain_after": int(after) if after not in (None, "") else None,
                "terrain": self.terrain.data, "downhill": bool(self.downhill.data)}


class RunForm(PainAnswers):
    """A run typed by hand, or an existing run edited."""

    local_date = DateField("Date", validators=[InputRequired("Enter the date of the run.")])
    distance = StringField("Distance (km)", filters=[strip],
                           description="Empty if you don't know.")
    duration = StringField("Time", filters=[strip],
                           description="45, 45:30 or 1:05:00")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.metres: int | None = None
        self.seconds: int | None = None

    def validate_distance(self, field) -> None:
        try:
            self.metres = parse_km(field.data or "")
        except ValueError:
            raise ValidationError("Enter the distance in km, like 5.2.") from None

    def validate_duration(self, field) -> None:
        if not field.data:
            raise ValidationError("Enter how long you ran, like 32 or 32:30.")
        self.seconds = parse_duration(field.data)
        if self.seconds is None:
            raise ValidationError("Enter the time as minutes (45), 45:30 or 1:05:00.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problems = running.run_problems(self.metres, self.seconds, self.local_date.data, self.today)
        for name, message in problems.items():
            field = {"distance": self.distance, "duration": self.duration, "date": self.local_date}[name]
            if not field.errors:
                field.errors.append(message)
                valid = False
        return valid

    def values(self) -> dict:
        return {"local_date": self.local_date.data, "distance_m": self.metres, "duration_s": self.seconds,
                **self.pain_values()}


class UploadForm(Form):
    files = MultipleFileField("Run files (GPX, TCX or FIT)")


class FoundRun(PainAnswers):
    """One run read from a file, waiting for the runner's pain answers. Its file's facts come
    back in hidden fields and are judged again as if typed: they are never trusted."""

    token = HiddenField()


class ConfirmForm(Form):
    runs = FieldList(FormField(FoundRun), min_entries=0, max_entries=20)
