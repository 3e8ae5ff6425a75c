"""From stored settings to the domain's Schedules, and the due rows the sweep reads."""
from __future__ import annotations

from datetime import date, datetime, time

from app.domain import reminders as rules
from app.extensions import db
from app.models import AthleteProfile, ReminderDue, ReminderSettings, utcnow


def minute_to_time(minute: int) -> time:
    return time(minute // 60, minute % 60)


def weekdays(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def schedules(settings: ReminderSettings, zone: str) -> dict[str, rules.Schedule]:
    """Each kind's Schedule; a kind is off when its choices, or every channel, are off."""
    quiet = (minute_to_time(settings.quiet_start_minute), minute_to_time(settings.quiet_end_minute))
    from app.reminders.delivery import channels

    any_channel = bool(channels(settings, has_device=True))
    daily_on = any_channel and (settings.checkin_on or settings.next_morning_on or settings.nudge_on)
    return {
        "daily": rules.Schedule(zone, minute_to_time(settings.checkin_minute), None, quiet,
                                settings.snoozed_until, daily_on),
        "training": rules.Schedule(zone, minute_to_time(settings.training_minute),
                                   weekdays(settings.training_days), quiet, settings.snoozed_until,
                                   any_channel and settings.training_on),
    }


def settings_for(user_id: int) -> ReminderSettings:
    """The athlete's settings, made with the defaults (and scheduled) the first time they are asked for."""
    settings = db.session.get(ReminderSettings, user_id)
    if settings is None:
        settings = ReminderSettings(user_id=user_id)
        db.session.add(settings)
        db.session.flush()
        reschedule(settings, now=utcnow())
    return settings


def stored_or_defaults(user_id: int) -> ReminderSettings:
    """The athlete's settings, or (not stored) the defaults they would get: for reading only."""
    return db.session.get(ReminderSettings, user_id) or with_defaults(ReminderSettings(user_id=user_id))


def with_defaults(settings: ReminderSettings) -> ReminderSettings:
    """Column defaults apply at INSERT; fill them in now so the schedule can be read first."""
    for column in ReminderSettings.__table__.columns:
        if getattr(settings, column.key) is None and column.default is not None and column.default.is_scalar:
            setattr(settings, column.key, column.default.arg)
    return settings


def zone_of(user_id: int) -> str:
    profile = db.session.get(AthleteProfile, user_id)
    return profile.timezone if profile is not None else "UTC"


def reschedule(settings: ReminderSettings, now: datetime, zone: str | None = None) -> None:
    """Set (or remove) each kind's due row from the settings as they are now. No commit."""
    zone = zone or zone_of(settings.user_id)
    for kind, schedule in schedules(settings, zone).items():
        found = rules.next_due(schedule, now)
        row = db.session.get(ReminderDue, (settings.user_id, kind))
        if found is None:
            if row is not None:
                db.session.delete(row)
            continue
        due_at, day = found
        if row is None:
            db.session.add(ReminderDue(user_id=settings.user_id, kind=kind, due_at=due_at, local_day=day))
        else:
            row.due_at, row.local_day = due_at, day


def today_for(user_id: int, now: datetime) -> date:
    return rules.local_day(now, zone_of(user_id))
