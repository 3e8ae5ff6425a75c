"""One small world in which every form endpoint's precondition holds at once.

Ada is a fresh athlete (no check-in today, no session: the quick check and starting a session
are open to her), linked to Coach Cass. Bo is mid-day: checked in green today (his warm-up is
built), finished a session yesterday (so the check-in asks how his knee took it), has a strength
session and a walk–run open, and a red check-in two days ago for his coach to acknowledge.
Olive belongs to nobody here: her ids are other people's data for everyone. Coach Pat has
invitations in every state.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain import training
from app.extensions import db
from app.library import library
from app.auth import reset
from app.models import AthleteProfile, CoachLink, Exercise, TrainingSession, User, utcnow
from app.training import service as sessions
from app.warmup import service as warmups
from tests.fixtures.coaching import PASSWORD, add_checkin, add_link, add_user, log_session

EMAILS = {"ada": "ada@example.com", "bo": "bo@example.com", "olive": "olive@example.com",
          "coach": "cass@example.com", "pat": "pat@example.com", "former": "former@example.com"}


@dataclass(frozen=True)
class World:
    today: date
    users: dict[str, int]  # ada, bo, olive, coach, pat, former
    ada_link: int  # coach ↔ ada, active
    bo_link: int  # coach ↔ bo, active
    former_link: int  # former ↔ bo, ended
    bo_session: int  # open strength session
    bo_reps_slug: str  # one of its exercises, dosed in reps
    bo_run: int  # open walk–run
    bo_finished: int  # yesterday's finished session
    olive_session: int
    bo_green: int  # today's check-in
    bo_red: int  # two days ago, not yet acknowledged
    olive_red: int
    warmup_slugs: tuple[str, ...]  # Bo's green warm-up, in order
    other_slugs: tuple[str, ...]  # exercises in the library but not in Bo's session
    coach_invitation: int  # Cass's own open invitation (Ada is already linked to Cass)
    coach_code: str
    pat_invitation: int
    codes: dict[str, str]  # open, revoked, expired, used: Pat's invitations by state
    reset_token: str = ""  # a live password-reset link's token, for Olive

    @property
    def password(self) -> str:
        return PASSWORD


def _invitation(coach: int, code: str, status: str = "invited", expires_in: int = 7, athlete=None) -> int:
    now = utcnow()
    link = CoachLink(coach_id=coach, athlete_id=athlete, status=status, invite_code=code, created_at=now,
                     expires_at=now + timedelta(days=expires_in),
                     responded_at=now if athlete else None, ended_at=now if status == "revoked" else None)
    db.session.add(link)
    db.session.flush()
    return link.id


def _open_strength_session(athlete_id: int, today: date) -> TrainingSession:
    profile = db.session.get(AthleteProfile, athlete_id)
    day = sessions.training_day(profile)
    plan = training.strength_plan(library(), day.state, profile.equipment, day.offer.why_not("impact"))
    return sessions.start_session(athlete_id, plan, today)


def build_world(app, password_hash: str, today: date) -> World:
    with app.app_context():
        users = {
            "ada": add_user(password_hash, EMAILS["ada"], "Ada Athlete"),
            "bo": add_user(password_hash, EMAILS["bo"], "Bo Busy"),
            "olive": add_user(password_hash, EMAILS["olive"], "Olive Other"),
            "coach": add_user(password_hash, EMAILS["coach"], "Coach Cass", athlete=False, coach=True),
            "pat": add_user(password_hash, EMAILS["pat"], "Coach Pat", athlete=False, coach=True),
            "former": add_user(password_hash, EMAILS["former"], "Coach Former", athlete=False, coach=True),
        }
        ada, bo, olive = users["ada"], users["bo"], users["olive"]
        ada_link, bo_link = add_link(users["coach"], ada), add_link(users["coach"], bo)
        former_link = add_link(users["former"], bo, status="ended")
        coach_invitation = _invitation(users["coach"], "C0ACHC0D")
        pat_invitation = _invitation(users["pat"], "7Q4MX2PD")
        _invitation(users["pat"], "REV0KED1", status="revoked")
        _invitation(users["pat"], "EXP1RED1", expires_in=-1)
        _invitation(users["pat"], "SPENT001", status="declined", athlete=olive)
        db.session.commit()

        finished = log_session(bo, today - timedelta(days=1), 1, [0, 0, 0])
        olives = log_session(olive, today - timedelta(days=1), 1, [0, 0])
        db.session.commit()
        bo_finished, olive_session = finished.id, olives.id
        bo_green = add_checkin(bo, today, pain_now=0, status="green")
        bo_red = add_checkin(bo, today - timedelta(days=2), pain_now=7, status="red")
        olive_red = add_checkin(olive, today - timedelta(days=1), pain_now=8, status="red")

        session = _open_strength_session(bo, today)
        reps_slug = next(log.exercise.slug for log in session.logs if log.exercise.reps is not None)
        run = TrainingSession(athlete_id=bo, local_date=today, stage=1, kind="run", run_level=1,
                              started_at=datetime.combine(today, datetime.min.time()))
        db.session.add(run)
        db.session.commit()

        in_session = {log.exercise.slug for log in session.logs}
        others = tuple(db.session.scalars(db.select(Exercise.slug).order_by(Exercise.slug)))
        routine = warmups.routine_for(db.session.get(AthleteProfile, bo), "green")
        return World(
            today=today, users=users, ada_link=ada_link, bo_link=bo_link, former_link=former_link,
            bo_session=session.id, bo_reps_slug=reps_slug, bo_run=run.id, bo_finished=bo_finished,
            olive_session=olive_session, bo_green=bo_green, bo_red=bo_red, olive_red=olive_red,
            warmup_slugs=tuple(item.exercise.slug for item in routine.items),
            other_slugs=tuple(slug for slug in others if slug not in in_session)[:12],
            coach_invitation=coach_invitation, coach_code="C0ACHC0D", pat_invitation=pat_invitation,
            codes={"open": "7Q4MX2PD", "revoked": "REV0KED1", "expired": "EXP1RED1", "used": "SPENT001"},
            reset_token=reset.make_token(db.session.get(User, users["olive"])),
        )
