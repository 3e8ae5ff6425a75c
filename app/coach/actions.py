"""A coach's acts on an athlete, each recorded as a CoachAction with who and when.

The progression engine replays pause, resume, set_stage, set_threshold and
set_sessions_to_advance from these rows; threshold and N are also mirrored onto the athlete's
profile in the same transaction, so forms and other readers see the current values.
Every function here expects an athlete that app.coach.access has already let through.
"""
from __future__ import annotations

from app.domain.coaching import SESSIONS_TO_ADVANCE, THRESHOLDS, allowed_stages
from app.extensions import db
from app.models import AthleteProfile, CheckIn, CoachAction, User, utcnow


def _record(coach: User, athlete: User, kind: str, value: int | None = None, text: str | None = None,
            checkin_id: int | None = None) -> CoachAction:
    action = CoachAction(athlete_id=athlete.id, coach_id=coach.id, coach_name=coach.display_name, kind=kind,
                         value=value, text=text, checkin_id=checkin_id, created_at=utcnow())
    db.session.add(action)
    return action


def _check(value: int, allowed, what: str) -> None:
    """The forms validate first; this refuses anything that slipped past them."""
    if isinstance(value, bool) or value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {tuple(allowed)}")


def set_paused(coach: User, athlete: User, paused: bool) -> None:
    _record(coach, athlete, "pause" if paused else "resume")
    db.session.commit()


def set_stage(coach: User, athlete: User, profile: AthleteProfile, stage: int) -> None:
    _check(stage, allowed_stages(profile.knee_status == "returning"), "Stage")
    _record(coach, athlete, "set_stage", value=stage)
    db.session.commit()


def set_threshold(coach: User, athlete: User, profile: AthleteProfile, threshold: int) -> None:
    _check(threshold, THRESHOLDS, "Pain threshold")
    _record(coach, athlete, "set_threshold", value=threshold)
    profile.pain_threshold = threshold
    db.session.commit()


def set_sessions_to_advance(coach: User, athlete: User, profile: AthleteProfile, sessions: int) -> None:
    _check(sessions, SESSIONS_TO_ADVANCE, "Sessions to advance")
    _record(coach, athlete, "set_sessions_to_advance", value=sessions)
    profile.sessions_to_advance = sessions
    db.session.commit()


def leave_note(coach: User, athlete: User, text: str) -> None:
    _record(coach, athlete, "note", text=text)
    db.session.commit()


def acknowledge(coach: User, athlete: User, checkin: CheckIn) -> bool:
    """Mark a red check-in as seen; False when someone already had (nothing is written)."""
    if checkin.status != "red" or checkin.athlete_id != athlete.id:
        raise ValueError("Only the athlete's own red check-ins can be acknowledged")
    result = db.session.execute(
        db.update(CheckIn).where(CheckIn.id == checkin.id, CheckIn.acknowledged_at.is_(None))
        .values(acknowledged_at=utcnow(), acknowledged_by_id=coach.id)
        # An acknowledgement leaves the progression as it was: no snapshot to invalidate.
        .execution_options(synchronize_session=False, progress_athletes=(), board_athletes=[athlete.id])
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    _record(coach, athlete, "ack_red_flag", checkin_id=checkin.id)
    db.session.commit()
    return True


def set_outcome_interval(coach: User, athlete: User, weeks: int) -> None:
    """Weeks between outcome questionnaires (app/domain/outcomes.py)."""
    from app.domain.outcomes import INTERVAL_WEEKS

    _check(weeks, INTERVAL_WEEKS, "Questionnaire interval")
    _record(coach, athlete, "set_outcome_interval", value=weeks)
    db.session.commit()


def request_outcomes(coach: User, athlete: User) -> None:
    """Ask for a questionnaire round now: due until one is answered."""
    _record(coach, athlete, "request_outcomes")
    db.session.commit()
