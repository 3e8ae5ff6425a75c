"""Coach and invitation forms: each rule on a value is written here once."""
from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from app.domain.coaching import MAX_CODE_INPUT, SESSIONS_TO_ADVANCE, THRESHOLDS, allowed_stages, normalise_code
from app.domain.progression import STAGES
from app.forms import Form, TextField, choices, strip

NOTE_MAX = 2000
THRESHOLD_LABELS = {
    0: "0/10 — pain-free only (default)",
    1: "1/10 — a flicker allowed",
    2: "2/10 — top of the safe zone",
}


class ButtonForm(Form):
    """A button that changes something: CSRF protection and nothing else."""


class CodeForm(Form):
    code = StringField(
        "Invitation code", filters=[strip], description="It looks like KR-7Q4M-X2PD. Capitals and dashes are optional.",
        validators=[DataRequired("Enter the code your coach gave you."),
                    Length(max=MAX_CODE_INPUT, message="That's longer than any invitation code.")],
    )

    def validate_code(self, field) -> None:
        if normalise_code(field.data) is None:
            raise ValidationError("That isn't an invitation code. Check it against the one your coach sent.")


class InviteEmailForm(Form):
    """The runner's address: the invitation's link and code go to it by email (it is not stored)."""

    email = EmailField(
        "Runner's email", filters=[strip],
        description="We email them the link and the code. The address isn't kept.",
        validators=[DataRequired("Enter the runner's email address."),
                    Length(max=254, message="Keep it to 254 characters or fewer."),
                    Email("Enter an email address like name@example.com.")],
    )

    def __init__(self, own_email: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.own_email = own_email

    def validate_email(self, field) -> None:
        if self.own_email and field.data and field.data.lower() == self.own_email.lower():
            raise ValidationError("That's your own address. Enter the runner's.")


class DigestForm(Form):
    weekly_on = BooleanField("Email me a summary of my athletes every Monday morning")
    timezone = SelectField("Your time zone", default="UTC", description="The summary comes on Mondays at 08:00 here.",
                           validators=[InputRequired("Choose your time zone.")])

    def __init__(self, *args, **kwargs):
        from app.profile.forms import timezone_choices

        super().__init__(*args, **kwargs)
        self.timezone.choices = list(timezone_choices())


def _int_or_none(value):
    """Coerce a select's value to int; anything else becomes None (and fails the choice check)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _one_of_choices(message: str):
    def check(form, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(message)
    return check


def _choice_field(label: str, pairs, message: str, description: str | None = None) -> SelectField:
    return SelectField(label, choices=choices(pairs), coerce=_int_or_none, validate_choice=False, description=description,
                       validators=[InputRequired(message), _one_of_choices(message)])


class StageForm(Form):
    stage = _choice_field("Stage", [], "Choose a stage from the list.",
                          "Sets the stage from now on; the streak starts again.")

    def __init__(self, returning: bool, **kwargs):
        super().__init__(**kwargs)
        self.stage.choices = choices((stage, f"Stage {stage} · {STAGES[stage][0]}") for stage in allowed_stages(returning))
        if not returning:
            self.stage.description += " Stage 5 (return to run) is only for runners coming back from pain."


class ThresholdForm(Form):
    threshold = _choice_field(
        "Pain limit for a counting session", [(value, THRESHOLD_LABELS[value]) for value in THRESHOLDS],
        "Choose 0, 1 or 2: the limit stays within the safe zone.",
        "A session counts toward the next stage only if no exercise hurt more than this.",
    )


class SessionsForm(Form):
    sessions_to_advance = _choice_field(
        "Pain-free days to unlock the next stage",
        [(value, f"{value} days" + (" (default)" if value == 3 else "")) for value in SESSIONS_TO_ADVANCE],
        "Choose between 2 and 5 days.",
    )


class NoteForm(Form):
    text = TextField(
        "Note", filters=[strip], description="Shown to the athlete on their Today page. 2,000 characters at most.",
        validators=[DataRequired("Write the note first."),
                    Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX:,} characters or fewer.")],
    )
