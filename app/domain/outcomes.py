"""Outcome measures (shared/DOMAIN.md, "Outcome measures"): Kujala AKPS, PSFS, GROC and the
pain trend, scored item by item, with the smallest change that matters (MCID) applied
everywhere a change is shown.

Pure module: plain answers and dates in, plain numbers and sentences out.

The AKPS response options and their points follow Kujala et al. 1993 (Arthroscopy 9:159–163),
as reproduced item by item in the original's table in PMC10362729 (J Orthop 2023;42:54). The
option wording here is our own plain-language paraphrase; only the points are the scale's.
Some web reproductions give "constant limp" 2 points and "squatting with partial weight
bearing" 1 point; those are later variants, not the 1993 scoring, and are not used.

Decisions the rules leave open, made here once:
- A questionnaire round holds AKPS and PSFS, plus GROC after the baseline (GROC compares with
  the start, so it has nothing to say at baseline). All three are answered on one page and
  stored together under the athlete's local day.
- Baseline is due from the first day of the program and stays due until answered; it is
  called "late" after the first week but is still the baseline.
- Follow-ups are due `interval` weeks after the last round (not on a fixed grid from the
  start), so a late round does not bring the next one forward. A coach's request makes one
  due at once, until a round is answered on or after the day of the request.
- A change is meaningful when its size is at least the MCID: AKPS 10 points (Crossley 2004),
  PSFS 2 points, NPRS 1.2 points (Piva 2009: 1.16, rounded up so a 1.1 wobble never counts).
- The pain trend is the mean of each 7-day week (ending today) with at least 3 check-ins;
  a week is marked when it differs from the first such week (the starting level) by 1.2 or
  more. Weeks are compared with the start, not with each other, so slow steady progress
  shows and week-to-week noise does not.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

# ── the smallest change that matters ────────────────────────────────────────────────────────

MCID = {"akps": Fraction(10), "psfs": Fraction(2), "nprs": Fraction(6, 5)}
DEFAULT_INTERVAL_WEEKS = 4
INTERVAL_WEEKS = (2, 3, 4, 5, 6)
BASELINE_DAYS = 7


class AnswerError(ValueError):
    """An answer that cannot be scored; `field` names the item it belongs beside."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# ── Kujala Anterior Knee Pain Scale ─────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Item:
    key: str
    question: str
    options: tuple[tuple[str, int], ...]  # (our wording, the original points), best first

    @property
    def maximum(self) -> int:
        return max(points for _, points in self.options)


AKPS_ITEMS: tuple[Item, ...] = (
    Item("limp", "Do you limp when you walk?", (
        ("No", 5), ("A little, or now and then", 3), ("All the time", 0))),
    Item("support", "Can you put your full weight on the leg?", (
        ("Yes, without pain", 5), ("Yes, but it hurts", 3), ("No, I can't stand on it", 0))),
    Item("walking", "How far can you walk?", (
        ("As far as I like", 5), ("More than 2 km", 3), ("1 to 2 km", 2), ("I can't walk", 0))),
    Item("stairs", "Going up and down stairs", (
        ("No trouble", 10), ("A little pain coming down", 8), ("Pain both coming down and going up", 5),
        ("I can't", 0))),
    Item("squatting", "Squatting", (
        ("No trouble", 5), ("It hurts when I squat again and again", 4), ("It hurts every time", 3),
        ("Only with some weight taken off the leg", 2), ("I can't", 0))),
    Item("running", "Running", (
        ("No trouble", 10), ("It hurts after more than 2 km", 8), ("A little pain from the start", 6),
        ("Bad pain", 3), ("I can't", 0))),
    Item("jumping", "Jumping", (
        ("No trouble", 10), ("A little difficult", 7), ("It hurts every time", 2), ("I can't", 0))),
    Item("sitting", "Sitting for a long time with your knees bent", (
        ("No trouble", 10), ("It hurts after exercise", 8), ("It hurts all the time", 6),
        ("The pain makes me straighten my knees now and then", 4), ("I can't", 0))),
    Item("pain", "Knee pain in general", (
        ("None", 10), ("A little, now and then", 8), ("It disturbs my sleep", 6),
        ("Now and then it is bad", 3), ("Bad and constant", 0))),
    Item("swelling", "Swelling of the knee", (
        ("None", 10), ("Only after hard effort", 8), ("After everyday activities", 6), ("Every evening", 4),
        ("All the time", 0))),
    Item("kneecap", "Painful, unusual movements of the kneecap (it slips or shifts)", (
        ("None", 10), ("Sometimes during sport", 6), ("Sometimes in everyday life", 4),
        ("It has dislocated at least once (seen by a clinician)", 2), ("It has dislocated more than twice", 0))),
    Item("thigh", "Has the thigh muscle above the knee wasted (become thinner)?", (
        ("No", 5), ("A little", 3), ("A lot", 0))),
    Item("flexion", "Can you bend the knee fully?", (
        ("Yes", 5), ("Not quite", 3), ("Far from it", 0))),
)
AKPS_KEYS = tuple(item.key for item in AKPS_ITEMS)
AKPS_BY_KEY = {item.key: item for item in AKPS_ITEMS}


def akps_item_points(answers: Mapping[str, object]) -> dict[str, int]:
    """The points of each item, from the index of the option chosen (0 = the first, best one)."""
    points = {}
    for item in AKPS_ITEMS:
        choice = answers.get(item.key)
        if choice is None or choice == "":
            raise AnswerError(item.key, f"Choose an answer for “{item.question}”.")
        index = _index(choice)
        if index is None or not 0 <= index < len(item.options):
            raise AnswerError(item.key, f"Choose one of the {len(item.options)} answers for “{item.question}”.")
        points[item.key] = item.options[index][1]
    unknown = set(answers) - set(AKPS_KEYS)
    if unknown:
        raise AnswerError(sorted(unknown)[0][:40], "That is not a Kujala question.")
    return points


def score_akps(answers: Mapping[str, object]) -> int:
    """The Kujala AKPS total, 0–100 (higher is better)."""
    return sum(akps_item_points(answers).values())


def _index(choice: object) -> int | None:
    if isinstance(choice, bool):
        return None
    if isinstance(choice, int):
        return choice
    if isinstance(choice, str) and choice.isascii() and choice.isdigit() and len(choice) <= 2:
        return int(choice)
    return None


# ── Patient-Specific Functional Scale and Global Rating of Change ───────────────────────────

PSFS_MAX_ACTIVITIES = 3
PSFS_ACTIVITY_MAX_CHARS = 80

GROC_LABELS = {
    7: "A very great deal better", 6: "A great deal better", 5: "Quite a bit better",
    4: "Moderately better", 3: "Somewhat better", 2: "A little better", 1: "A tiny bit better",
    0: "About the same",
    -1: "A tiny bit worse", -2: "A little worse", -3: "Somewhat worse", -4: "Moderately worse",
    -5: "Quite a bit worse", -6: "A great deal worse", -7: "A very great deal worse",
}


def clean_activities(names: Sequence[str | None]) -> list[str]:
    """The runner's 1–3 PSFS activities, trimmed; blank ones dropped."""
    activities = [" ".join(name.split()) for name in names if name and name.strip()]
    if not activities:
        raise AnswerError("activity_1", "Name at least one activity your knee makes hard, like “running downhill”.")
    if len(activities) > PSFS_MAX_ACTIVITIES:
        raise AnswerError("activity_1", f"Name {PSFS_MAX_ACTIVITIES} activities at most.")
    for n, name in enumerate(activities, 1):
        if len(name) > PSFS_ACTIVITY_MAX_CHARS:
            raise AnswerError(f"activity_{n}", f"Keep each activity to {PSFS_ACTIVITY_MAX_CHARS} characters or fewer.")
    return activities


def score_psfs(ratings: Sequence[object], activities: int) -> Fraction:
    """The PSFS score: the mean of one 0–10 rating per activity (0 = unable, 10 = as before)."""
    if len(ratings) != activities or not 1 <= activities <= PSFS_MAX_ACTIVITIES:
        raise AnswerError("rating_1", "Rate each of your activities from 0 to 10.")
    values = []
    for n, rating in enumerate(ratings, 1):
        value = _index(rating)
        if value is None or not 0 <= value <= 10:
            raise AnswerError(f"rating_{n}", "Choose a rating from 0 (unable) to 10 (as before).")
        values.append(value)
    return Fraction(sum(values), len(values))


def score_groc(answer: object) -> int:
    """The GROC answer, −7 (a very great deal worse) to +7 (a very great deal better)."""
    value = answer if isinstance(answer, int) and not isinstance(answer, bool) else None
    if isinstance(answer, str) and answer.lstrip("-+").isdigit() and len(answer) <= 3:
        value = int(answer)
    if value is None or value not in GROC_LABELS:
        raise AnswerError("groc", "Choose how your knee is now compared with when you started.")
    return value


# ── when a questionnaire is due ─────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Due:
    """A round to answer today: the baseline or a follow-up, due since a day."""

    baseline: bool
    since: date
    late: bool = False
    requested: bool = False


def due(start: date, rounds: Sequence[date], today: date, interval_weeks: int = DEFAULT_INTERVAL_WEEKS,
        requested_on: date | None = None) -> Due | None:
    """The round due today, if any, from the program's start, the days rounds were answered,
    the interval and a coach's request."""
    if interval_weeks not in INTERVAL_WEEKS:
        raise ValueError(f"interval {interval_weeks!r} is not one of {INTERVAL_WEEKS}")
    done = sorted(d for d in rounds if d <= today)
    if not done:
        return Due(baseline=True, since=start, late=today >= start + timedelta(days=BASELINE_DAYS))
    last = done[-1]
    if requested_on is not None and last < requested_on <= today:
        return Due(baseline=False, since=requested_on, requested=True)
    next_day = last + timedelta(weeks=interval_weeks)
    return Due(baseline=False, since=next_day) if today >= next_day else None


def next_due_day(rounds: Sequence[date], interval_weeks: int) -> date | None:
    """The day the next follow-up falls due (None before the baseline)."""
    return max(rounds) + timedelta(weeks=interval_weeks) if rounds else None


# ── changes against the MCID ────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class ScorePoint:
    local_date: date
    score: Fraction
    change: Fraction  # since the baseline (the first point)
    meaningful: bool  # |change| ≥ the MCID


def changes(series: Sequence[tuple[date, Fraction | int]], mcid: Fraction) -> list[ScorePoint]:
    """Each score with its change since the first, and whether that change matters."""
    ordered = sorted(series)
    if not ordered:
        return []
    base = Fraction(ordered[0][1])
    return [ScorePoint(day, Fraction(score), Fraction(score) - base, abs(Fraction(score) - base) >= mcid)
            for day, score in ordered]


def latest_change(series: Sequence[tuple[date, Fraction | int]], mcid: Fraction) -> ScorePoint | None:
    """The newest score's change since baseline; None with fewer than two scores."""
    points = changes(series, mcid)
    return points[-1] if len(points) >= 2 else None


def is_meaningful_drop(point: ScorePoint | None) -> bool:
    return point is not None and point.meaningful and point.change < 0


def fmt(value: Fraction | float | int) -> str:
    """A score as people read it: whole numbers plain, others to one decimal ("5.7")."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.1f}"


NAMES = {"akps": "Kujala", "psfs": "Your activities score", "nprs": "Average pain"}
UNITS = {"akps": "points", "psfs": "points", "nprs": "points"}


def reading(measure: str, series: Sequence[tuple[date, Fraction | int]], for_runner: bool = True) -> str:
    """One plain sentence about a measure since the start ("Kujala up 14 points since you
    started — a change that matters"). Higher is better for AKPS and PSFS, worse for pain.
    For a coach or physio (`for_runner=False`) it speaks of "the start" instead."""
    text = _reading(measure, series)
    if for_runner:
        return text
    return (text.replace("since you started", "since the start").replace("when you started", "at the start")
            .replace(": tell your coach or physio", ""))


def _reading(measure: str, series: Sequence[tuple[date, Fraction | int]]) -> str:
    points = changes(series, MCID[measure])
    name = NAMES[measure]
    if not points:
        return f"{name}: no answers yet."
    if len(points) == 1:
        return f"{name}: {fmt(points[0].score)} at the start. Later answers are compared with it."
    last = points[-1]
    if last.change == 0:
        return f"{name} is the same as when you started."
    size = fmt(abs(last.change))
    direction = "up" if last.change > 0 else "down"
    unit = "point" if abs(last.change) == 1 else UNITS[measure]
    better = (last.change > 0) != (measure == "nprs")
    if last.meaningful:
        verdict = "a change that matters" if better else "a drop that matters: tell your coach or physio"
        if not better and measure == "nprs":
            verdict = "a rise that matters: tell your coach or physio"
    else:
        verdict = f"less than the {fmt(MCID[measure])} {UNITS[measure]} that count as a real change"
    return f"{name} {direction} {size} {unit} since you started — {verdict}."


# ── the 7-day average pain trend ────────────────────────────────────────────────────────────

MIN_CHECKINS_PER_WEEK = 3


@dataclass(frozen=True)
class PainWeek:
    end: date  # the last day of the 7-day week
    average: Fraction | None  # None with fewer than MIN_CHECKINS_PER_WEEK check-ins
    checkins: int
    change: Fraction | None  # since the first week with an average
    meaningful: bool  # |change| ≥ 1.2


def pain_weeks(pains: Mapping[date, int], start: date, end: date) -> list[PainWeek]:
    """The 7-day averages of daily pain (0–10) in weeks ending on `end`, back to `start`."""
    if end < start:
        raise ValueError("the trend ends before it starts")
    weeks, week_end = [], end
    while week_end >= start:
        days = [week_end - timedelta(days=n) for n in range(7)]
        scores = [pains[d] for d in days if d in pains and d >= start]
        average = Fraction(sum(scores), len(scores)) if len(scores) >= MIN_CHECKINS_PER_WEEK else None
        weeks.append((week_end, average, len(scores)))
        week_end -= timedelta(days=7)
    weeks.reverse()
    base = next((average for _, average, _ in weeks if average is not None), None)
    return [PainWeek(day, average, count,
                     None if average is None or base is None else average - base,
                     average is not None and base is not None and abs(average - base) >= MCID["nprs"])
            for day, average, count in weeks]
