"""The data model: typed SQLAlchemy 2 models with their constraints in the schema.

Datetimes are stored as naive UTC; `local_date` columns are the athlete's own calendar day.
"""
from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _between(column: str, low: int, high: int, nullable: bool = False) -> str:
    rule = f"{column} BETWEEN {low} AND {high}"
    return f"{column} IS NULL OR {rule}" if nullable else rule


RUNNER_TYPES = ("new", "long_distance", "trail", "general")
KNEE_STATUSES = ("none", "niggles", "returning")
STATUSES = ("green", "amber", "red")
STIFFNESS = ("none", "under_30", "over_30")
SWELLING = ("none", "mild", "obvious")
AFTER_SESSION = ("better", "same", "worse")
LINK_STATUSES = ("invited", "active", "declined", "revoked", "ended")
SESSION_KINDS = ("strength", "entry_test", "run")
SKIP_REASONS = ("hurt", "time", "equipment")  # why an exercise of a session was skipped
EXERCISE_KINDS = ("strength", "warmup", "recovery", "test")
COACH_ACTIONS = (
    "pause", "resume", "set_stage", "set_threshold", "set_sessions_to_advance",
    "note", "ack_red_flag", "set_outcome_interval", "request_outcomes",
)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("is_athlete OR is_coach", name="has_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Flask-Login's id for this user: replaced on a password change, signing out other sessions.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    is_athlete: Mapped[bool] = mapped_column(Boolean, default=True)
    is_coach: Mapped[bool] = mapped_column(Boolean, default=False)
    disclaimer_accepted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    profile: Mapped[AthleteProfile | None] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class OwnsEquipment:
    """What equipment an athlete has, from a profile's three yes/no columns (the ORM profile's
    and the signed-in one's, app/auth/signed_in.py)."""

    @property
    def equipment(self) -> frozenset[str]:
        owned = {"band": self.has_band, "foam_roller": self.has_foam_roller, "step": self.has_step}
        return frozenset(name for name, has in owned.items() if has)


class AthleteProfile(OwnsEquipment, db.Model):
    __tablename__ = "athlete_profiles"
    __table_args__ = (
        CheckConstraint(_in("runner_type", RUNNER_TYPES), name="runner_type"),
        CheckConstraint(_in("knee_status", KNEE_STATUSES), name="knee_status"),
        CheckConstraint(_between("pain_threshold", 0, 2), name="pain_threshold"),
        CheckConstraint(_between("sessions_to_advance", 2, 5), name="sessions_to_advance"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    runner_type: Mapped[str] = mapped_column(String(20))
    knee_status: Mapped[str] = mapped_column(String(20))
    has_band: Mapped[bool] = mapped_column(Boolean, default=False)
    has_foam_roller: Mapped[bool] = mapped_column(Boolean, default=False)
    has_step: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    pain_threshold: Mapped[int] = mapped_column(Integer, default=0)
    sessions_to_advance: Mapped[int] = mapped_column(Integer, default=3)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile")


class CoachLink(db.Model):
    """A coach's invitation and, once accepted, their link to one athlete."""

    __tablename__ = "coach_links"
    __table_args__ = (
        CheckConstraint(_in("status", LINK_STATUSES), name="status"),
        CheckConstraint("status = 'invited' OR status = 'revoked' OR athlete_id IS NOT NULL",
                        name="athlete_when_answered"),
        Index("ix_coach_links_coach_status", "coach_id", "status"),
        Index("ix_coach_links_athlete_status", "athlete_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="invited")
    invite_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    coach: Mapped[User] = relationship(foreign_keys=[coach_id])
    athlete: Mapped[User | None] = relationship(foreign_keys=[athlete_id])


class Exercise(db.Model):
    """One item of the exercise library, loaded from app/content/exercises.toml."""

    __tablename__ = "exercises"
    __table_args__ = (
        CheckConstraint(_in("kind", EXERCISE_KINDS), name="kind"),
        CheckConstraint(_between("stage", 1, 5, nullable=True), name="stage"),
        CheckConstraint("reps IS NOT NULL OR seconds IS NOT NULL", name="has_dose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    stage: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32))
    muscles: Mapped[list] = mapped_column(JSON, default=list)
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    sets: Mapped[int] = mapped_column(Integer, default=1)
    reps: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[int | None] = mapped_column(Integer)
    per_side: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    cues: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    focus: Mapped[list] = mapped_column(JSON, default=list)
    level: Mapped[str | None] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)


class CheckIn(db.Model):
    """One daily symptom check-in: one per athlete per local day, editable that day."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("athlete_id", "local_date"),
        CheckConstraint(_between("pain_now", 0, 10), name="pain_now"),
        CheckConstraint(_between("worst_pain", 0, 10, nullable=True), name="worst_pain"),
        CheckConstraint(_in("stiffness", STIFFNESS), name="stiffness"),
        CheckConstraint(_in("swelling", SWELLING), name="swelling"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(f"after_session IS NULL OR {_in('after_session', AFTER_SESSION)}",
                        name="after_session"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    pain_now: Mapped[int] = mapped_column(Integer)
    worst_pain: Mapped[int | None] = mapped_column(Integer)
    stiffness: Mapped[str] = mapped_column(String(16), default="none")
    swelling: Mapped[str] = mapped_column(String(16), default="none")
    locations: Mapped[list] = mapped_column(JSON, default=list)
    aggravators: Mapped[list] = mapped_column(JSON, default=list)
    red_flags: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(String(2000), default="")
    after_session: Mapped[str | None] = mapped_column(String(16))
    calf_breathless: Mapped[bool | None] = mapped_column(Boolean)  # the swollen-calf flag's follow-up
    status: Mapped[str] = mapped_column(String(8))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class WarmupLog(db.Model):
    """A finished warm-up: which items were done or skipped, and what it was built for."""

    __tablename__ = "warmup_logs"
    __table_args__ = (
        CheckConstraint(_in("built_for", STATUSES), name="built_for"),
        CheckConstraint("duration_seconds >= 0", name="duration"),
        Index("ix_warmup_logs_athlete_date", "athlete_id", "local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    built_for: Mapped[str] = mapped_column(String(8))
    routine_kind: Mapped[str] = mapped_column(String(16), default="run")
    items: Mapped[list] = mapped_column(JSON, default=list)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    planned_seconds: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TrainingSession(db.Model):
    """A strength session (or entry test, or walk-run ladder run) at the athlete's stage."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint(_between("stage", 1, 5), name="stage"),
        CheckConstraint(_in("kind", SESSION_KINDS), name="kind"),
        CheckConstraint(_between("run_level", 1, 8, nullable=True), name="run_level"),
        CheckConstraint(_between("run_pain", 0, 10, nullable=True), name="run_pain"),
        Index("ix_training_sessions_athlete_date", "athlete_id", "local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    stage: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="strength")
    run_level: Mapped[int | None] = mapped_column(Integer)
    # A walk–run has no exercises: its pain (0–10) is kept here; strength sessions log per exercise.
    run_pain: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    logs: Mapped[list[ExerciseLog]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ExerciseLog.position",
    )


class ExerciseLog(db.Model):
    """What was done of one exercise in a session, and the pain felt during it."""

    __tablename__ = "exercise_logs"
    __table_args__ = (
        UniqueConstraint("session_id", "exercise_id"),
        CheckConstraint(_between("sets", 0, 100, nullable=True), name="sets"),
        CheckConstraint(_between("reps", 0, 100, nullable=True), name="reps"),
        CheckConstraint(_between("seconds", 0, 3600, nullable=True), name="seconds"),
        CheckConstraint(_between("pain", 0, 10, nullable=True), name="pain"),
        CheckConstraint(f"skip_reason IS NULL OR {_in('skip_reason', SKIP_REASONS)}",
                        name="skip_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    sets: Mapped[int | None] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[int | None] = mapped_column(Integer)
    pain: Mapped[int | None] = mapped_column(Integer)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why it was skipped: "hurt" makes the session painful (it holds); "time" or "equipment"
    # mean the session neither counts nor holds (the safety gate, rule 4).
    skip_reason: Mapped[str | None] = mapped_column(String(16))

    session: Mapped[TrainingSession] = relationship(back_populates="logs")
    exercise: Mapped[Exercise] = relationship()


class CoachAction(db.Model):
    """A coach's act on an athlete's progression or day, recorded with who and when."""

    __tablename__ = "coach_actions"
    __table_args__ = (
        CheckConstraint(_in("kind", COACH_ACTIONS), name="kind"),
        Index("ix_coach_actions_athlete_created", "athlete_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    coach_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(String(2000))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IdempotencyKey(db.Model):
    """A write's Idempotency-Key and the result it got, so a replay stores nothing twice."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProgressSnapshot(db.Model):
    """The progression engine's answer for one athlete, kept so the coach's dashboard need not
    replay every athlete's whole history on each load (app/progress/snapshots.py).

    Every write to the athlete's history gives it a fresh `generation` (app/kept.py) and clears
    `state`; a snapshot is stored only if the generation it was computed from is still current.
    """

    __tablename__ = "progress_snapshots"

    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[dict | None] = mapped_column(JSON)
    computed_at: Mapped[datetime | None] = mapped_column(DateTime)


class BoardCard(db.Model):
    """One athlete's card on the coach's board, kept so a coach with thousands of athletes gets
    the first page from one ordered query (app/coach/kept_cards.py).

    `card` holds what the card shows; `tier`, `urgency`, `alerts` and `name_key` are its place
    in the board's order and what the name filter searches. Every write to anything the card
    shows gives it a fresh `generation` (app/kept.py) and clears `card`; a card is kept only if
    the generation it was built from is still current, and only until the athlete's day ends
    (`valid_until`, UTC). The athlete's own pages trust what they remember of the history under
    the same generation (app/progress/memory.py).
    """

    __tablename__ = "board_cards"

    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    rules: Mapped[str | None] = mapped_column(String(16))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime)
    tier: Mapped[int | None] = mapped_column(Integer)
    urgency: Mapped[int | None] = mapped_column(Integer)
    alerts: Mapped[int | None] = mapped_column(Integer)
    # Compared byte by byte, as the board sorts names (SQLite's default, BINARY; "C" on
    # PostgreSQL), so the board's order is its index's order and a page needs no sort.
    name_key: Mapped[str | None] = mapped_column(String(320).with_variant(String(320, collation="C"), "postgresql"))
    card: Mapped[dict | None] = mapped_column(JSON)


# The board's order: a page walks this index and stops after its cards (the order of
# app/coach/kept_cards.py), instead of sorting every athlete's row.
Index("ix_board_cards_order", BoardCard.tier, BoardCard.urgency, BoardCard.alerts.desc(), BoardCard.name_key,
      BoardCard.athlete_id)


class BoardCount(db.Model):
    """A coach's board counts, kept so a load of a big roster needs no pass over every athlete
    (app/coach/kept_cards.py): how many athletes the coach sees (`total`) and how many need
    attention, counted when every card was fit to show, until the first of those cards expires
    (`valid_until`, UTC). Every write that clears an athlete's card clears the counts of each
    coach linked to that athlete, with a fresh `generation`, in the same transaction (app/kept.py).
    """

    __tablename__ = "board_counts"

    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    rules: Mapped[str | None] = mapped_column(String(16))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime)
    total: Mapped[int | None] = mapped_column(Integer)
    attention: Mapped[int | None] = mapped_column(Integer)


RUN_TERRAINS = ("road", "trail", "track", "treadmill")
RUN_SOURCES = ("manual", "gpx", "tcx", "fit", "ladder")


class Run(db.Model):
    """One run in the athlete's log: typed by hand, imported from a watch's file, or a walk–run
    ladder session. Pain an hour after may be added later; a file is stored once (its sha256)."""

    __tablename__ = "runs"
    __table_args__ = (
        UniqueConstraint("athlete_id", "file_sha256"),
        CheckConstraint(_in("terrain", RUN_TERRAINS), name="terrain"),
        CheckConstraint(_in("source", RUN_SOURCES), name="source"),
        CheckConstraint("distance_m IS NULL OR distance_m BETWEEN 1 AND 150000", name="distance"),
        CheckConstraint("duration_s BETWEEN 60 AND 86400", name="duration"),
        CheckConstraint(_between("pain_during", 0, 10), name="pain_during"),
        CheckConstraint(_between("pain_after", 0, 10, nullable=True), name="pain_after"),
        CheckConstraint("elevation_loss_m IS NULL OR elevation_loss_m BETWEEN 0 AND 20000",
                        name="elevation_loss"),
        CheckConstraint(_between("avg_cadence", 60, 260, nullable=True), name="avg_cadence"),
        CheckConstraint(_between("ladder_level", 1, 8, nullable=True), name="ladder_level"),
        Index("ix_runs_athlete_date", "athlete_id", "local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    distance_m: Mapped[int | None] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)
    terrain: Mapped[str] = mapped_column(String(16), default="road")
    downhill: Mapped[bool] = mapped_column(Boolean, default=False)
    pain_during: Mapped[int] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8), default="manual")
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    elevation_loss_m: Mapped[int | None] = mapped_column(Integer)
    avg_cadence: Mapped[int | None] = mapped_column(Integer)
    ladder_level: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


OUTCOME_KINDS = ("akps", "psfs", "groc")


class OutcomeResponse(db.Model):
    """One answered outcome questionnaire (app/domain/outcomes.py): Kujala AKPS, PSFS or GROC.

    `answers` keeps what was chosen (AKPS: item → option index; PSFS: the activities and their
    ratings; GROC: the rating) so a score can always be recomputed; `score` is its total.
    """

    __tablename__ = "outcome_responses"
    __table_args__ = (
        UniqueConstraint("athlete_id", "kind", "local_date"),
        CheckConstraint(_in("kind", OUTCOME_KINDS), name="kind"),
        CheckConstraint("kind <> 'akps' OR score BETWEEN 0 AND 100", name="akps_score"),
        CheckConstraint("kind <> 'psfs' OR score BETWEEN 0 AND 10", name="psfs_score"),
        CheckConstraint("kind <> 'groc' OR score BETWEEN -7 AND 7", name="groc_score"),
        Index("ix_outcome_responses_athlete_date", "athlete_id", "local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    local_date: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(db.Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


REMINDER_KINDS = ("daily", "training")
REMINDER_CHANNELS = ("email", "push")
REMINDER_MESSAGES = ("checkin", "next_morning", "nudge", "training")
SEND_STATUSES = ("sending", "sent", "retry", "failed", "skipped")


class ReminderSettings(db.Model):
    """An athlete's reminder choices. Times are minutes after local midnight, in the profile's zone;
    training_days is a bit per weekday (1 = Monday … 64 = Sunday)."""

    __tablename__ = "reminder_settings"
    __table_args__ = (
        CheckConstraint(_between("checkin_minute", 0, 1439), name="checkin_minute"),
        CheckConstraint(_between("training_minute", 0, 1439), name="training_minute"),
        CheckConstraint(_between("quiet_start_minute", 0, 1439), name="quiet_start_minute"),
        CheckConstraint(_between("quiet_end_minute", 0, 1439), name="quiet_end_minute"),
        CheckConstraint(_between("training_days", 0, 127), name="training_days"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    checkin_on: Mapped[bool] = mapped_column(Boolean, default=True)
    checkin_minute: Mapped[int] = mapped_column(Integer, default=7 * 60 + 30)
    next_morning_on: Mapped[bool] = mapped_column(Boolean, default=True)
    nudge_on: Mapped[bool] = mapped_column(Boolean, default=True)
    training_on: Mapped[bool] = mapped_column(Boolean, default=True)
    training_minute: Mapped[int] = mapped_column(Integer, default=17 * 60 + 30)
    training_days: Mapped[int] = mapped_column(Integer, default=0b0010101)  # Mon, Wed, Fri
    quiet_start_minute: Mapped[int] = mapped_column(Integer, default=21 * 60)
    quiet_end_minute: Mapped[int] = mapped_column(Integer, default=7 * 60)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    email_on: Mapped[bool] = mapped_column(Boolean, default=True)
    push_on: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ReminderDue(db.Model):
    """The next time one kind of reminder is due for one athlete: the sweep reads only due rows."""

    __tablename__ = "reminder_due"
    __table_args__ = (
        CheckConstraint(_in("kind", REMINDER_KINDS), name="kind"),
        Index("ix_reminder_due_due_at", "due_at"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    local_day: Mapped[date] = mapped_column(Date)  # the athlete's day it is for


class ReminderSend(db.Model):
    """One reminder on one channel for one athlete's local day: unique, so it goes at most once.

    Claimed (inserted as 'sending') in the same transaction that moves the due row on; then
    'sent', or 'retry' at next_try_at with backoff, or 'failed' after the last try — never deleted
    by the worker. 'skipped' records a day on which there was nothing to say."""

    __tablename__ = "reminder_sends"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "local_day", "channel"),
        CheckConstraint(_in("kind", REMINDER_KINDS), name="kind"),
        CheckConstraint(_in("channel", REMINDER_CHANNELS), name="channel"),
        CheckConstraint(_in("status", SEND_STATUSES), name="status"),
        CheckConstraint(f"message IS NULL OR {_in('message', REMINDER_MESSAGES)}", name="message"),
        Index("ix_reminder_sends_status_next_try", "status", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    local_day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(8))
    message: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(8), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(DateTime)  # retry time, or the claim's lease
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class PushSubscription(db.Model):
    """One phone or browser's Web Push subscription: per device, so a person may have several."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (Index("ix_push_subscriptions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


DIGEST_STATUSES = ("sending", "sent", "retry", "failed", "skipped")


class CoachDigest(db.Model):
    """A coach's weekly digest email: off until the coach turns it on. It goes on the coach's
    local Monday at 08:00 (a coach has no running profile, so the zone is kept here); due_at is
    the next such time in naive UTC and week_of the local Monday it is for."""

    __tablename__ = "coach_digests"
    __table_args__ = (Index("ix_coach_digests_due_at", "due_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    weekly_on: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    due_at: Mapped[datetime | None] = mapped_column(DateTime)  # None while off
    week_of: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class DigestSend(db.Model):
    """One coach's digest for one week: unique, so it goes at most once (claimed as 'sending' in the
    transaction that moves due_at on; then 'sent', 'retry' with backoff, or 'failed'; 'skipped'
    when the coach had no athletes that week)."""

    __tablename__ = "digest_sends"
    __table_args__ = (
        UniqueConstraint("coach_id", "week_of"),
        CheckConstraint(_in("status", DIGEST_STATUSES), name="status"),
        Index("ix_digest_sends_status_next_try", "status", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_of: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
