"""Reminder settings and snooze: validation in one place."""
from __future__ import annotations

from datetime import time

from wtforms import BooleanField, TimeField
from wtforms.validators import InputRequired, ValidationError

from app.domain.reminders import WEEKDAYS
from app.forms import ChoiceChips, ChoiceRadio, Form

DAY_CHOICES = [(str(number), name) for number, name in enumerate(WEEKDAYS)]
TIME_MESSAGE = "Enter a time like 07:30."


class HouseTime(TimeField):
    """A 24-hour HH:MM time whose bad value gets one plain message."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0]:
            return  # InputRequired says so
        text = valuelist[0].strip()
        try:
            hours, minutes = text.split(":")
            if len(hours) > 2 or len(minutes) != 2 or not (hours + minutes).isascii():
                raise ValueError
            self.data = time(int(hours), int(minutes))
        except ValueError:
            raise ValueError(TIME_MESSAGE) from None


def _time(label: str, description: str | None = None) -> HouseTime:
    return HouseTime(label, description=description, validators=[InputRequired(TIME_MESSAGE)])


class ReminderSettingsForm(Form):
    checkin_on = BooleanField("Daily check-in reminder")
    checkin_time = _time("Check-in reminder time")
    next_morning_on = BooleanField("The morning after a session or run, ask how the knee took it")
    nudge_on = BooleanField("A nudge after 3 days with nothing logged")
    training_on = BooleanField("Training-day reminder")
    training_time = _time("Training reminder time")
    training_days = ChoiceChips("Training days", DAY_CHOICES, unknown_message="Not a day of the week: {}.")
    quiet_start = _time("Quiet from", "No reminder comes between these times.")
    quiet_end = _time("Quiet until")
    email_on = BooleanField("Email")
    push_on = BooleanField("Notifications on the phones and browsers you turn them on for")

    def validate_training_days(self, field) -> None:
        if self.training_on.data and len(field.data or ()) not in (2, 3):
            raise ValidationError("Pick 2 or 3 days: strength work needs a rest day between sessions.")


class SnoozeForm(Form):
    snooze = ChoiceRadio("Snooze", [("day", "Snooze for a day"), ("off", "Resume reminders")],
                         "Choose to snooze for a day or to resume.")
