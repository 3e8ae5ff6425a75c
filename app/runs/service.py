"""The run log's data: store runs, read an athlete's runs and check-ins as the running rules'
plain facts, and put together what the runs page, Today and the coach show."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam

from app.domain import running
from app.domain.running import DayHealth, RunFacts
from app.extensions import db
from app.models import AthleteProfile, CheckIn, Run, TrainingSession
from app.progress import offer_for, remembered

HISTORY_DAYS = 7 * running.WEEKS + running.WINDOW_DAYS + 7  # every ceiling the chart needs
LIST_LIMIT = 30
METRES_PER_MILE = 1609.344


@dataclass(frozen=True)
class Entry:
    """A logged run as the list shows it, with its verdict and the ceiling it was judged against."""

    run: Run
    verdict: running.Verdict
    ceiling: running.Ceiling
    next_time: str | None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def add(athlete_id: int, **values) -> Run:
    run = Run(athlete_id=athlete_id, **values)
    db.session.add(run)
    db.session.commit()
    return run


def update(run: Run, values: dict) -> Run:
    for name, value in values.items():
        setattr(run, name, value)
    db.session.commit()
    return run


def get_own(athlete_id: int, run_id: int) -> Run | None:
    """The athlete's own run, or None (someone else's run is as missing as one that never was)."""
    return db.session.scalar(db.select(Run).where(Run.id == run_id, Run.athlete_id == athlete_id))


def known_hashes(athlete_id: int, hashes: list[str]) -> set[str]:
    if not hashes:
        return set()
    return set(db.session.scalars(db.select(Run.file_sha256).where(
        Run.athlete_id == athlete_id, Run.file_sha256.in_(hashes))))


def runs_between(athlete_id: int, since: date, until: date) -> list[Run]:
    return list(db.session.scalars(RUNS_BETWEEN, {"athlete_id": athlete_id, "since": since, "until": until}))


def log_between(athlete_id: int, since: date, until: date) -> list[Run]:
    """The run log: runs stored here and finished walk–run ladder sessions (as unsaved Run rows
    with their level, never added to the session), by date."""
    rows = runs_between(athlete_id, since, until) + ladder_runs(athlete_id, since, until)
    return sorted(rows, key=lambda r: (r.local_date, r.id or 0))


def ladder_runs(athlete_id: int, since: date, until: date) -> list[Run]:
    """Finished walk–run sessions with their pain: the ladder's distance, the session's time."""
    from app.library import library

    levels = {level.level: level for level in library().run_levels()}
    sessions = db.session.scalars(LADDER_SESSIONS, {"athlete_id": athlete_id, "since": since, "until": until})
    runs = []
    for session in sessions:
        level = levels.get(session.run_level)
        seconds = (session.finished_at - session.started_at).total_seconds()
        runs.append(Run(athlete_id=athlete_id, local_date=session.local_date, source="ladder",
                        distance_m=round(level.total_miles * METRES_PER_MILE) if level else None,
                        duration_s=int(min(max(seconds, 60), 86_400)), terrain="road", downhill=False,
                        pain_during=session.run_pain, ladder_level=session.run_level))
    return runs


# Today's run card, the run log and every run saved ask these: built once, not on each request.
RUNS_BETWEEN = (db.select(Run).where(Run.athlete_id == bindparam("athlete_id"), Run.local_date >= bindparam("since"),
                                     Run.local_date <= bindparam("until"))
                .order_by(Run.local_date, Run.id))
LADDER_SESSIONS = db.select(TrainingSession).where(
    TrainingSession.athlete_id == bindparam("athlete_id"), TrainingSession.kind == "run",
    TrainingSession.finished_at.is_not(None), TrainingSession.run_pain.is_not(None),
    TrainingSession.local_date >= bindparam("since"), TrainingSession.local_date <= bindparam("until"))


def facts(run: Run) -> RunFacts:
    return RunFacts(run.local_date, run.distance_m, run.duration_s, run.terrain,
                    run.pain_during, run.pain_after, run.avg_cadence, run.id)


def health_between(athlete_id: int, since: date, until: date) -> dict[date, DayHealth]:
    rows = db.session.execute(db.select(CheckIn.local_date, CheckIn.pain_now, CheckIn.after_session).where(
        CheckIn.athlete_id == athlete_id, CheckIn.local_date >= since, CheckIn.local_date <= until))
    return {day: DayHealth(pain, after) for day, pain, after in rows}


def overview(athlete_id: int, today: date) -> dict:
    """The runs page and the coach's view: the 12 weeks, the recent runs judged, today's ceiling."""
    since = today - timedelta(days=HISTORY_DAYS)
    rows = log_between(athlete_id, since, today)
    plain = [facts(r) for r in rows]
    health = health_between(athlete_id, since, today + timedelta(days=1))
    verdicts = running.judge(plain, health)
    weeks = running.weekly(plain, verdicts, health, today)
    entries = []
    for index in range(len(rows) - 1, max(-1, len(rows) - 1 - LIST_LIMIT), -1):
        ceiling = running.ceiling_for(plain, plain[index].local_date)
        verdict = verdicts[index]
        advice = running.next_time(plain[index], ceiling) if verdict.spike else None
        entries.append(Entry(rows[index], verdict, ceiling, advice))
    return {"weeks": weeks, "entries": entries, "ceiling": running.ceiling_for(plain, today),
            "spikes": sum(w.spikes for w in weeks), "pain_marked": sum(w.pain_marked for w in weeks)}


def spike_message(run: Run) -> str | None:
    """What to tell the runner when the run just logged broke its ceiling, or None."""
    rows = log_between(run.athlete_id, run.local_date - timedelta(days=running.WINDOW_DAYS), run.local_date)
    ceiling = running.ceiling_for([facts(r) for r in rows], run.local_date)
    spike, over = running.is_spike(facts(run), ceiling)
    if not spike:
        return None
    return (f"That run was {round(over * 100)}% longer than your longest of the 30 days before: a spike. "
            + running.next_time(facts(run), ceiling))


def offer_today(profile: AthleteProfile, today: date) -> running.Offer:
    """Today's running offer for this athlete: the safety gate's answer, with the ceiling."""
    since = today - timedelta(days=running.WINDOW_DAYS)
    recent = remembered(("run-facts", since, today), profile.user_id,
                        lambda: tuple(facts(r) for r in log_between(profile.user_id, since, today)))
    return running.run_offer_today(offer_for(profile, today), recent, today)


RUN_FLAG_DAYS = 14


def board_flags(linked, todays: dict[int, date], checkins: dict[int, list[tuple]]) -> dict[int, tuple[int, int]]:
    """{athlete id: (spikes, pain-marked runs)} of the last RUN_FLAG_DAYS days, for every athlete
    in the `linked` id subquery, in one query whatever their number (the coach board).

    `checkins` are the board's own rows, (day, pain now, status, after session) per athlete, of
    at least the last RUN_FLAG_DAYS days: the days the pain rules read.
    """
    if not todays:
        return {}
    earliest = min(todays.values()) - timedelta(days=RUN_FLAG_DAYS + running.WINDOW_DAYS)
    runs: dict[int, list[RunFacts]] = {}
    for row in db.session.execute(
            db.select(Run.athlete_id, Run.local_date, Run.distance_m, Run.duration_s, Run.terrain,
                      Run.pain_during, Run.pain_after, Run.avg_cadence)
            .where(Run.athlete_id.in_(linked), Run.local_date >= earliest)):
        runs.setdefault(row[0], []).append(RunFacts(*row[1:]))
    flags = {}
    for athlete_id, plain in runs.items():
        today = todays.get(athlete_id)
        if today is None:
            continue
        health = {day: DayHealth(pain, after) for day, pain, _status, after in checkins.get(athlete_id, ())}
        verdicts = running.judge(plain, health)
        since = today - timedelta(days=RUN_FLAG_DAYS - 1)
        recent = [verdicts[i] for i, run in enumerate(plain) if since <= run.local_date <= today]
        flags[athlete_id] = (sum(v.spike for v in recent), sum(v.pain_marked for v in recent))
    return flags
