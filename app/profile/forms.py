"""The athlete profile: who this runner is and what they have to train with."""
from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import InputRequired

from app.forms import Form, choices

RUNNER_TYPE_CHOICES = [
    ("new", "New to running"),
    ("long_distance", "Long-distance — half marathon and up"),
    ("trail", "Trail — uneven ground and hills"),
    ("general", "General — a bit of everything"),
]
KNEE_STATUS_CHOICES = [
    ("none", "No pain — I want to prevent it"),
    ("niggles", "Niggles — it aches now and then"),
    ("returning", "Coming back from knee pain or an injury"),
]


@cache
def timezone_choices() -> tuple:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return tuple(choices([("UTC", "UTC")] + [(z, z.replace("_", " ")) for z in zones]))


class ProfileForm(Form):
    runner_type = RadioField("What kind of runner are you?", choices=choices(RUNNER_TYPE_CHOICES),
                             validators=[InputRequired("Choose the closest match.")])
    knee_status = RadioField("How are your knees?", choices=choices(KNEE_STATUS_CHOICES),
                             validators=[InputRequired("Choose how your knees are.")])
    has_band = BooleanField("Resistance band")
    has_foam_roller = BooleanField("Foam roller")
    has_step = BooleanField("Step or box")
    timezone = SelectField("Your time zone", default="UTC",
                           description="Your check-in day starts at midnight here.",
                           validators=[InputRequired("Choose your time zone.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = list(timezone_choices())
