"""Demo history for the athlete's day: four weeks of check-ins and warm-ups per demo athlete.

Each knee status tells a different story (settling niggles, a comeback, a new runner who
sometimes forgets), with green, amber and red days and days without a check-in. Statuses are
judged by the real triage, and warm-ups are the routines really built for those days.
"""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.clock import local_today
from app.domain.triage import AGGRAVATORS, LOCATIONS, CheckinAnswers, triage
from app.domain.warmup import RunnerProfile, build_warmup
from app.extensions import db
from app.library import library
from app.models import AthleteProfile, CheckIn, WarmupLog, utcnow

DAYS = 28
# Per knee status: pain now on a usual day as the four weeks go by (it never creeps up from one
# usual day to the next, so the demo's pain-free sessions keep counting under the next-morning
# rule), the chance of missing a check-in, days ago of a
# flare-up (red, then amber the morning after), days ago of a stiff morning (amber), and
# whether today's check-in is done (one athlete leaves it for the person trying the demo).
STORIES = {
    "niggles": {"usual": (2, 2, 1, 1), "skip": 0.12, "flares": (13, 5), "stiff": (20,), "today": True},
    "returning": {"usual": (3, 2, 2, 1), "skip": 0.15, "flares": (19,), "stiff": (), "today": False},
    "none": {"usual": (1, 0, 0, 0), "skip": 0.3, "flares": (), "stiff": (8,), "today": True},
}
NOTES = {
    "red": "Sore after the long run, stairs were hard this morning.",
    "amber": "A bit achy going downhill yesterday.",
}


def add_daily_history(profile: AthleteProfile, today: date | None = None,
                      keep: frozenset[int] = frozenset()) -> None:
    """Four weeks of check-ins and warm-ups for one demo athlete, ending today (`keep`: days
    ago whose check-in is never skipped — training days and their mornings after, which the
    safety gate needs to count a session)."""
    today = today or local_today(profile)
    rng = random.Random(f"{profile.runner_type}-{profile.knee_status}")  # the same demo every run
    story = STORIES.get(profile.knee_status, STORIES["none"])
    recent: list[tuple[date, int]] = []
    for days_ago in range(DAYS - 1, -1 if story["today"] else 0, -1):
        day = today - timedelta(days=days_ago)
        eventful = days_ago in story["stiff"] or {days_ago, days_ago + 1} & set(story["flares"])
        if days_ago and not eventful and rng.random() < story["skip"] and days_ago not in keep:
            continue
        answers = _answers(rng, story, days_ago)
        week = [pain for d, pain in recent if (day - d).days <= 7]
        verdict = triage(answers, week)
        recent.append((day, answers.pain_now))
        db.session.add(_checkin(profile, day, answers, verdict.status))
        if days_ago and rng.random() < (0.3 if verdict.status == "red" else 0.55):
            db.session.add(_warmup(profile, day, verdict.status, rng))


def _answers(rng: random.Random, story: dict, days_ago: int) -> CheckinAnswers:
    """One morning's answers: a usual day, a stiff morning, or a flare-up and the day after it."""
    flares = story["flares"]
    usual = story["usual"]
    pain = usual[min(len(usual) - 1, (DAYS - 1 - days_ago) * len(usual) // DAYS)]
    if days_ago in flares:
        return CheckinAnswers(pain_now=6, worst_pain=7, stiffness="over_30", swelling="mild",
                              locations=frozenset({"front_kneecap"}), aggravators=frozenset({"stairs", "downhill"}))
    if days_ago + 1 in flares:
        return CheckinAnswers(pain_now=4, worst_pain=5, stiffness="under_30", swelling="none",
                              locations=frozenset({"front_kneecap"}), aggravators=frozenset({"stairs"}))
    stiffness = "over_30" if days_ago in story["stiff"] else ("under_30" if pain >= 2 else "none")
    return CheckinAnswers(pain_now=pain, worst_pain=min(10, pain + rng.choice((0, 1, 1, 2))),
                          stiffness=stiffness, swelling="none",
                          locations=frozenset({"below_kneecap"}) if pain else frozenset(),
                          aggravators=frozenset({"downhill"}) if pain >= 2 else frozenset())


def _checkin(profile: AthleteProfile, day: date, answers: CheckinAnswers, status: str) -> CheckIn:
    at = min(_utc(profile, day, time(7, 10)), utcnow())
    return CheckIn(
        athlete_id=profile.user_id, local_date=day, pain_now=answers.pain_now, worst_pain=answers.worst_pain,
        stiffness=answers.stiffness, swelling=answers.swelling, red_flags=[],
        locations=[key for key in LOCATIONS if key in answers.locations],
        aggravators=[key for key in AGGRAVATORS if key in answers.aggravators],
        note=NOTES.get(status, "") if (answers.worst_pain or 0) >= 5 else "", status=status, created_at=at, updated_at=at,
    )


def _warmup(profile: AthleteProfile, day: date, status: str, rng: random.Random) -> WarmupLog:
    """The routine really built for that day, mostly done, now and then one item skipped."""
    routine = build_warmup(RunnerProfile(profile.runner_type, profile.equipment), status, library())
    skipped = rng.randrange(len(routine.items)) if rng.random() < 0.3 else None
    items = [{"slug": item.exercise.slug, "done": i != skipped, "skip_reason": "no_time" if i == skipped else None}
             for i, item in enumerate(routine.items)]
    return WarmupLog(athlete_id=profile.user_id, local_date=day, built_for=status, routine_kind=routine.kind,
                     items=items, planned_seconds=routine.total_seconds,
                     duration_seconds=max(60, routine.total_seconds + rng.randint(-60, 90)),
                     finished_at=_utc(profile, day, time(17, 40)))


def _utc(profile: AthleteProfile, day: date, at: time) -> datetime:
    """A local wall-clock time on `day` as naive UTC."""
    local = datetime.combine(day, at, tzinfo=ZoneInfo(profile.timezone))
    return local.astimezone(UTC).replace(tzinfo=None)
