"""The questionnaire round's form, built for the round: AKPS always, PSFS activities at baseline
only (later rounds rate the same ones), GROC after the baseline. Choices come from
app/domain/outcomes.py, so the form accepts only what the scoring understands."""
from __future__ import annotations

from wtforms import StringField
from wtforms.validators import Length

from app.domain import outcomes
from app.forms import ChoiceRadio, Form, strip

RATINGS = [(str(n), str(n)) for n in range(11)]
GROC_CHOICES = [(str(v), f"{v:+d} · {outcomes.GROC_LABELS[v]}" if v else f"0 · {outcomes.GROC_LABELS[0]}")
                for v in range(7, -8, -1)]
TOO_LONG = f"Keep each activity to {outcomes.PSFS_ACTIVITY_MAX_CHARS} characters or fewer."


class RoundForm(Form):
    """Filled in by make_round_form."""

    def akps_fields(self):
        return [self[key] for key in outcomes.AKPS_KEYS]

    def activity_fields(self):
        return [self[f"activity_{n}"] for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1) if f"activity_{n}" in self]

    def rating_fields(self):
        return [self[f"rating_{n}"] for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1) if f"rating_{n}" in self]


def make_round_form(baseline: bool, activities: list[str], **kwargs) -> RoundForm:
    """The form of one round; `activities` are the baseline's (ignored at baseline)."""

    class _Round(RoundForm):
        pass

    for n, item in enumerate(outcomes.AKPS_ITEMS, 1):
        options = [(str(i), label) for i, (label, _) in enumerate(item.options)]
        setattr(_Round, item.key, ChoiceRadio(f"{n}. {item.question}", options,
                                              f"Choose an answer for “{item.question}”."))
    if baseline:
        for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1):
            setattr(_Round, f"activity_{n}", StringField(
                f"Activity {n}" + ("" if n == 1 else " (optional)"), filters=[strip],
                validators=[Length(max=outcomes.PSFS_ACTIVITY_MAX_CHARS, message=TOO_LONG)]))
            setattr(_Round, f"rating_{n}", ChoiceRadio(
                f"How well can you do activity {n} today?", RATINGS,
                "Choose a rating from 0 (unable) to 10 (as before).", optional=True))
    else:
        for n, name in enumerate(activities, 1):
            setattr(_Round, f"rating_{n}", ChoiceRadio(
                f"How well can you do this today: {name}?", RATINGS,
                "Choose a rating from 0 (unable) to 10 (as before)."))
        setattr(_Round, "groc", ChoiceRadio(
            "Compared with when you started, your knee is…", GROC_CHOICES,
            "Choose how your knee is now compared with when you started."))
    return _Round(**kwargs)
