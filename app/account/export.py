"""Everything an athlete has logged, as plain data they can take elsewhere (JSON or CSV)."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

from app.extensions import db
from app.models import (
    CheckIn, CoachAction, CoachLink, Exercise, ExerciseLog, OutcomeResponse, PushSubscription,
    ReminderSend, ReminderSettings, Run, TrainingSession, User, WarmupLog,
)
from app.progress import progress_for

CHECKIN_FIELDS = ("local_date", "status", "pain_now", "worst_pain", "stiffness", "swelling", "locations",
                  "aggravators", "red_flags", "calf_breathless", "after_session", "note", "created_at", "updated_at")
WARMUP_FIELDS = ("local_date", "built_for", "routine_kind", "duration_seconds", "planned_seconds", "items",
                 "finished_at")
SESSION_FIELDS = ("session_id", "local_date", "stage", "kind", "run_level", "started_at", "finished_at",
                  "exercise", "sets", "reps", "seconds", "pain", "skipped")
EVENT_FIELDS = ("local_date", "kind", "from_stage", "to_stage", "from_level", "to_level", "reason")
NOTE_FIELDS = ("created_at", "coach_name", "kind", "value", "text")
RUN_FIELDS = ("local_date", "distance_m", "duration_s", "terrain", "downhill", "pain_during", "pain_after",
              "source", "file_name", "elevation_loss_m", "avg_cadence", "ladder_level", "created_at",
              "updated_at")
QUESTIONNAIRE_FIELDS = ("local_date", "kind", "score", "answers", "created_at")
REMINDER_FIELDS = ("local_day", "kind", "channel", "message", "status", "attempts", "created_at", "sent_at")
REMINDER_SETTINGS = ("checkin_on", "checkin_minute", "next_morning_on", "nudge_on", "training_on",
                     "training_minute", "training_days", "quiet_start_minute", "quiet_end_minute",
                     "snoozed_until", "email_on", "push_on")


def _rows(model, fields, athlete_id, order):
    items = db.session.scalars(db.select(model).where(model.athlete_id == athlete_id).order_by(order))
    return [{field: getattr(item, field) for field in fields} for item in items]


def _session_rows(athlete_id: int) -> list[dict]:
    rows = db.session.execute(
        db.select(TrainingSession, ExerciseLog, Exercise.name)
        .outerjoin(ExerciseLog, ExerciseLog.session_id == TrainingSession.id)
        .outerjoin(Exercise, Exercise.id == ExerciseLog.exercise_id)
        .where(TrainingSession.athlete_id == athlete_id)
        .order_by(TrainingSession.local_date, TrainingSession.id, ExerciseLog.position)
    ).all()
    out = []
    for session, log, name in rows:
        out.append({
            "session_id": session.id, "local_date": session.local_date, "stage": session.stage,
            "kind": session.kind, "run_level": session.run_level, "started_at": session.started_at,
            "finished_at": session.finished_at, "exercise": name,
            "sets": log.sets if log else None, "reps": log.reps if log else None,
            "seconds": log.seconds if log else None, "pain": log.pain if log else None,
            "skipped": log.skipped if log else None,
        })
    return out


def _event_rows(user: User) -> list[dict]:
    if user.profile is None:
        return []
    events = progress_for(user.profile).events
    return [{field: getattr(event, field) for field in EVENT_FIELDS} for event in events]


def collect(user: User) -> dict:
    """All of one user's own data, as plain values."""
    profile = user.profile
    coaches = db.session.execute(
        db.select(User.display_name, CoachLink.status, CoachLink.responded_at, CoachLink.ended_at)
        .join(CoachLink, CoachLink.coach_id == User.id).where(CoachLink.athlete_id == user.id)
    ).all()
    return {
        "account": {"email": user.email, "display_name": user.display_name, "created_at": user.created_at,
                    "is_athlete": user.is_athlete, "is_coach": user.is_coach},
        "profile": None if profile is None else {
            "runner_type": profile.runner_type, "knee_status": profile.knee_status,
            "equipment": sorted(profile.equipment), "timezone": profile.timezone,
            "pain_threshold": profile.pain_threshold, "sessions_to_advance": profile.sessions_to_advance},
        "coaches": [{"coach": name, "status": status, "since": since, "ended_at": ended}
                    for name, status, since, ended in coaches],
        "checkins": _rows(CheckIn, CHECKIN_FIELDS, user.id, CheckIn.local_date),
        "warmups": _rows(WarmupLog, WARMUP_FIELDS, user.id, WarmupLog.finished_at),
        "sessions": _session_rows(user.id),
        "progression_events": _event_rows(user),
        "coach_actions": _rows(CoachAction, NOTE_FIELDS, user.id, CoachAction.created_at),
        "runs": _rows(Run, RUN_FIELDS, user.id, Run.local_date),
        "questionnaires": _rows(OutcomeResponse, QUESTIONNAIRE_FIELDS, user.id, OutcomeResponse.local_date),
        **_reminders(user.id),
    }


def _reminders(user_id: int) -> dict:
    """Reminder choices, the reminders sent, and how many devices get them (not their addresses)."""
    settings = db.session.get(ReminderSettings, user_id)
    sends = db.session.scalars(db.select(ReminderSend).where(ReminderSend.user_id == user_id)
                               .order_by(ReminderSend.local_day, ReminderSend.id))
    devices = db.session.scalar(db.select(db.func.count()).where(PushSubscription.user_id == user_id))
    return {
        "reminder_settings": None if settings is None else {f: getattr(settings, f) for f in REMINDER_SETTINGS},
        "reminder_devices": devices,
        "reminders_sent": [{field: getattr(send, field) for field in REMINDER_FIELDS} for send in sends],
    }


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def as_json(data: dict) -> str:
    return json.dumps(data, default=_plain, indent=2, ensure_ascii=False)


def _csv(rows: list[dict], fields: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else _cell(v)
                         for k, v in row.items()})
    return buffer.getvalue()


def _cell(value):
    text = _plain(value) if isinstance(value, (date, datetime)) else value
    # A spreadsheet would run a cell starting with = + - @ as a formula: neutralise it.
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def as_csv_zip(data: dict) -> bytes:
    """One CSV per kind of record, in a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("checkins.csv", _csv(data["checkins"], CHECKIN_FIELDS))
        archive.writestr("warmups.csv", _csv(data["warmups"], WARMUP_FIELDS))
        archive.writestr("sessions.csv", _csv(data["sessions"], SESSION_FIELDS))
        archive.writestr("progression_events.csv", _csv(data["progression_events"], EVENT_FIELDS))
        archive.writestr("coach_actions.csv", _csv(data["coach_actions"], NOTE_FIELDS))
        archive.writestr("runs.csv", _csv(data["runs"], RUN_FIELDS))
        archive.writestr("questionnaires.csv", _csv(data["questionnaires"], QUESTIONNAIRE_FIELDS))
        archive.writestr("reminders_sent.csv", _csv(data["reminders_sent"], REMINDER_FIELDS))
    return buffer.getvalue()
