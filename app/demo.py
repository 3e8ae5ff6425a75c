"""Demo data: a coach with three linked athletes, for trying KneeReady out."""
from __future__ import annotations

from app.auth.passwords import hash_password
from app.checkin.demo import add_daily_history
from app.coach.demo import add_coaching_demo
from app.extensions import db
from app.library.loader import sync_exercises
from app.models import AthleteProfile, CoachLink, User, utcnow
from app.training.demo import add_training_history, checked_in_days

COACH = ("coach@demo.kneeready.app", "Coach Sam")
ATHLETES = (
    # email, name, runner type, knee status, band, foam roller, step, time zone
    ("maya@demo.kneeready.app", "Maya Okafor", "long_distance", "niggles", True, True, False, "Europe/London"),
    ("leo@demo.kneeready.app", "Leo Martins", "trail", "returning", True, False, True, "Europe/Lisbon"),
    ("ana@demo.kneeready.app", "Ana Kowalski", "new", "none", False, False, False, "America/New_York"),
)


def _replace_user(email: str, name: str, password_hash: str, *, athlete: bool, coach: bool) -> User:
    """Start the demo account afresh: running the command twice gives the same demo."""
    old = db.session.scalar(db.select(User).where(User.email == email))
    if old is not None:
        db.session.delete(old)
        db.session.flush()
    user = User(email=email, display_name=name, password_hash=password_hash,
                is_athlete=athlete, is_coach=coach)
    db.session.add(user)
    db.session.flush()
    return user


def create_demo_data(password: str) -> list[tuple[str, str]]:
    sync_exercises()
    password_hash = hash_password(password)
    coach = _replace_user(*COACH, password_hash, athlete=False, coach=True)
    logins = [("coach", coach.email)]
    for email, name, runner_type, knee, band, roller, step, zone in ATHLETES:
        athlete = _replace_user(email, name, password_hash, athlete=True, coach=False)
        profile = AthleteProfile(user_id=athlete.id, runner_type=runner_type, knee_status=knee,
                                 has_band=band, has_foam_roller=roller, has_step=step, timezone=zone)
        db.session.add(profile)
        add_daily_history(profile, keep=checked_in_days(email))
        db.session.add(CoachLink(coach_id=coach.id, athlete_id=athlete.id, status="active",
                                 responded_at=utcnow()))
        logins.append(("athlete", email))
    db.session.commit()
    add_training_history(email for email, *_ in ATHLETES)
    add_coaching_demo(coach)  # last: it reads the other areas' demo history
    return logins
