"""The daily check-in and the warm-up's quick check: validation written once, here.

The choices come from app/domain/triage.py, so the form can only ever accept what triage
understands. Neither form takes a date or an athlete from the client: the day is always the
athlete's own today, and a posted `local_date` or `athlete_id` that says otherwise is refused.
"""
from __future__ import annotations

from datetime import date

from wtforms import HiddenField
from wtforms.validators import Length, ValidationError

from app.domain.triage import (
    AFTER_SESSION, AGGRAVATORS, CALF_BREATHLESS, CALF_BREATHLESS_MESSAGE, CALF_FLAG, CALF_QUESTION, LOCATIONS,
    RED_FLAGS, STIFFNESS, SWELLING, CheckinAnswers,
)
from app.forms import ChoiceChips, ChoiceRadio, Form, TextField, strip

NOTE_MAX = 2000
PAIN_SCORES = [(str(n), str(n)) for n in range(11)]
NO_ACTIVITY = ("", "No run or activity")
NO_RED_FLAG = "none"
ANSWER_FIELDS = ("after_session", "pain_now", "worst_pain", "stiffness", "swelling", "red_flags",
                 "locations", "aggravators")
# The quick check is one radio group, so the calf flag's follow-up is a choice of its own there.
CALF_EMERGENCY = "swollen_tender_calf_breathless"
QUICK_RED_FLAGS = [(NO_RED_FLAG, "None of these")] + [
    pair for key, label in RED_FLAGS.items()
    for pair in ([(CALF_EMERGENCY, f"{label}, with breathlessness or chest pain"), (key, f"{label}, breathing normally")]
                 if key == CALF_FLAG else [(key, label)])
]

PAIN_NOW_MESSAGE = "Choose your pain right now, from 0 (none) to 10 (worst imaginable)."
WORST_PAIN_MESSAGE = "Choose your worst pain in your last run or activity, from 0 to 10, or “No run or activity”."
STIFFNESS_MESSAGE = "Choose how long your knee felt stiff this morning."
SWELLING_MESSAGE = "Choose how swollen your knee is."
AFTER_SESSION_MESSAGE = "Choose how your knee feels compared with before yesterday's session."
RED_FLAG_MESSAGE = "Choose “None of these”, or the warning sign you have."


class DayForm(Form):
    """A form about the athlete's own today; it refuses any other day or athlete."""

    local_date = HiddenField()
    athlete_id = HiddenField()  # never rendered: present only in forged posts

    def __init__(self, *args, today: date, athlete_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.owner_id = athlete_id

    def validate_local_date(self, field) -> None:
        if field.data and field.data != self.today.isoformat():
            raise ValidationError(
                f"Check-ins are for today only ({self.today:%A %-d %B}). "
                "Check your answers and save again."
            )

    def validate_athlete_id(self, field) -> None:
        if field.data and field.data != str(self.owner_id):
            raise ValidationError("You can only check in for yourself.")

    def hidden_errors(self) -> list[str]:
        """Errors of the fields the athlete cannot see, to show at the top of the form."""
        return [*self.local_date.errors, *self.athlete_id.errors]


class CheckinForm(DayForm):
    """The full daily check-in (shared/DOMAIN.md, "The three daily flows")."""

    after_session = ChoiceRadio("Compared with before yesterday's session, your knee is…",
                                AFTER_SESSION.items(), AFTER_SESSION_MESSAGE)
    pain_now = ChoiceRadio("Knee pain right now", PAIN_SCORES, PAIN_NOW_MESSAGE,
                           description="0 = no pain, 10 = worst imaginable.")
    worst_pain = ChoiceRadio("Worst pain in your last run or activity", PAIN_SCORES + [NO_ACTIVITY],
                             WORST_PAIN_MESSAGE, optional=True)
    stiffness = ChoiceRadio("Morning stiffness", STIFFNESS.items(), STIFFNESS_MESSAGE)
    swelling = ChoiceRadio("Swelling", SWELLING.items(), SWELLING_MESSAGE)
    red_flags = ChoiceChips("Any of these warning signs?", RED_FLAGS.items(),
                            description="Tick any that apply. Each one means: see a clinician — "
                                        "your verdict says how soon and where.")
    calf_breathless = ChoiceRadio(CALF_QUESTION, CALF_BREATHLESS.items(), CALF_BREATHLESS_MESSAGE, optional=True,
                                  description="Only if you ticked “Swollen, tender calf”.")
    locations = ChoiceChips("Where does it hurt?", LOCATIONS.items(), description="Tick any that apply.")
    aggravators = ChoiceChips("What makes it worse?", AGGRAVATORS.items(), description="Tick any that apply.")
    note = TextField("Anything else? (optional)", filters=[strip],
                         description=f"For you and your coach. {NOTE_MAX:,} characters at most.",
                         validators=[Length(max=NOTE_MAX, message=f"Keep your note to {NOTE_MAX:,} characters or fewer.")])

    def __init__(self, *args, ask_after_session: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_after_session:
            del self.after_session
        obj = kwargs.get("obj")
        if obj is not None and obj.worst_pain is None and not self.is_submitted():
            self.worst_pain.data = ""  # a saved "no activity" shows as chosen
        if obj is not None and not self.is_submitted():
            self.calf_breathless.data = {True: "yes", False: "no"}.get(obj.calf_breathless)

    def validate_calf_breathless(self, field) -> None:
        """The swollen-calf flag needs its follow-up: breathlessness makes it an emergency."""
        if CALF_FLAG in (self.red_flags.data or ()) and field.data in (None, ""):
            raise ValidationError(CALF_BREATHLESS_MESSAGE)

    def fill_all_good(self) -> None:
        """The good-day shortcut: no pain, no stiffness or swelling, no warning signs."""
        self.pain_now.data = self.worst_pain.data = "0"
        self.stiffness.data = self.swelling.data = "none"
        self.red_flags.data, self.locations.data, self.aggravators.data = [], [], []
        self.calf_breathless.data = None

    def answers(self) -> CheckinAnswers:
        """The validated answers, for triage."""
        after = self.after_session.data if "after_session" in self else None
        return CheckinAnswers(
            pain_now=int(self.pain_now.data), worst_pain=_score(self.worst_pain.data),
            stiffness=self.stiffness.data, swelling=self.swelling.data,
            red_flags=frozenset(self.red_flags.data), locations=frozenset(self.locations.data),
            aggravators=frozenset(self.aggravators.data), after_session=after,
            calf_breathless=_yes_no(self.calf_breathless.data) if CALF_FLAG in self.red_flags.data else None,
        )

    def answers_so_far(self) -> tuple[CheckinAnswers | None, bool]:
        """A live preview from the valid answers given so far, and whether all are in.

        Without pain now only a red verdict can be given yet (a warning sign decides alone).
        """
        fields = [self[name] for name in ANSWER_FIELDS if name in self]
        checked = {field.name: field.validate(self) for field in fields}
        valid = {name for name, ok in checked.items() if ok and self[name].data not in (None, "")}
        flags = frozenset(self.red_flags.data) if "red_flags" in valid else frozenset()
        swelling = self.swelling.data if "swelling" in valid else "none"
        # Unanswered, the calf follow-up previews as "urgent"; saving still asks for the answer.
        # (Read, not re-validated: validating again would drop the form-level "answer this" message.)
        calf = _yes_no(self.calf_breathless.data) if CALF_FLAG in flags else None
        if "pain_now" not in valid and not flags and swelling != "obvious":
            return None, False
        answers = CheckinAnswers(
            pain_now=int(self.pain_now.data) if "pain_now" in valid else 0,
            worst_pain=_score(self.worst_pain.data) if "worst_pain" in valid else None,
            stiffness=self.stiffness.data if "stiffness" in valid else "none",
            swelling=swelling, red_flags=flags, calf_breathless=calf,
        )
        calf_unanswered = CALF_FLAG in flags and calf is None
        return answers, all(checked.values()) and not calf_unanswered

    def clear_errors(self) -> None:
        """Forget validation messages: a form being filled in is not yet wrong."""
        for field in self:
            field.errors = []
        self.form_errors = []


class QuickCheckForm(DayForm):
    """Three one-tap questions before a warm-up when there is no check-in yet today."""

    pain_now = ChoiceRadio("Knee pain right now", PAIN_SCORES, PAIN_NOW_MESSAGE,
                           description="0 = no pain, 10 = worst imaginable.")
    red_flag = ChoiceRadio("Any of these warning signs?", QUICK_RED_FLAGS, RED_FLAG_MESSAGE)
    swelling = ChoiceRadio("Swelling", SWELLING.items(), SWELLING_MESSAGE)

    def answers(self) -> CheckinAnswers:
        """Today's check-in from three answers; the other questions keep their defaults."""
        flag = CALF_FLAG if self.red_flag.data == CALF_EMERGENCY else self.red_flag.data
        flags = frozenset() if flag == NO_RED_FLAG else frozenset({flag})
        calf = (self.red_flag.data == CALF_EMERGENCY) if flag == CALF_FLAG else None
        return CheckinAnswers(pain_now=int(self.pain_now.data), worst_pain=None, stiffness="none",
                              swelling=self.swelling.data, red_flags=flags, calf_breathless=calf)


def _yes_no(value: str | None) -> bool | None:
    """A validated yes/no answer as a bool; None when unanswered."""
    return {"yes": True, "no": False}.get(value or "")


def _score(value: str | None) -> int | None:
    """A validated 0–10 answer as a number; None for "no run or activity"."""
    return int(value) if value not in (None, "") else None
