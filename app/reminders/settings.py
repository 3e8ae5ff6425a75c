"""Reading and saving an athlete's reminder settings (the views only parse and render)."""
from __future__ import annotations

from datetime import datetime, time

from app.extensions import db
from app.models import ReminderSettings, utcnow
from app.reminders.schedule import minute_to_time, reschedule, settings_for, today_for, weekdays


def _minute(value: time) -> int:
    return value.hour * 60 + value.minute


def form_data(settings: ReminderSettings) -> dict:
    """The settings as the form's fields."""
    return {
        "checkin_on": settings.checkin_on, "checkin_time": minute_to_time(settings.checkin_minute),
        "next_morning_on": settings.next_morning_on, "nudge_on": settings.nudge_on,
        "training_on": settings.training_on, "training_time": minute_to_time(settings.training_minute),
        "training_days": [str(day) for day in sorted(weekdays(settings.training_days))],
        "quiet_start": minute_to_time(settings.quiet_start_minute),
        "quiet_end": minute_to_time(settings.quiet_end_minute),
        "email_on": settings.email_on, "push_on": settings.push_on,
    }


def save(user_id: int, form) -> None:
    settings = settings_for(user_id)
    settings.checkin_on = form.checkin_on.data
    settings.checkin_minute = _minute(form.checkin_time.data)
    settings.next_morning_on = form.next_morning_on.data
    settings.nudge_on = form.nudge_on.data
    settings.training_on = form.training_on.data
    settings.training_minute = _minute(form.training_time.data)
    settings.training_days = sum(1 << int(day) for day in form.training_days.data or ())
    settings.quiet_start_minute = _minute(form.quiet_start.data)
    settings.quiet_end_minute = _minute(form.quiet_end.data)
    settings.email_on = form.email_on.data
    settings.push_on = form.push_on.data
    _commit(settings)


def snooze(user_id: int, for_a_day: bool, now: datetime | None = None) -> None:
    """Snooze through the end of the athlete's today, or resume."""
    now = now or utcnow()
    settings = settings_for(user_id)
    settings.snoozed_until = today_for(user_id, now) if for_a_day else None
    _commit(settings, now)


def stop_emails(user_id: int) -> None:
    settings = settings_for(user_id)
    settings.email_on = False
    _commit(settings)


def profile_changed(user_id: int) -> None:
    """The time zone may have changed: move the due times to the new zone's wall clock."""
    settings = db.session.get(ReminderSettings, user_id)
    if settings is not None:
        _commit(settings)


def _commit(settings: ReminderSettings, now: datetime | None = None) -> None:
    db.session.flush()
    reschedule(settings, now or utcnow())
    db.session.commit()


def is_snoozed(settings: ReminderSettings, now: datetime | None = None) -> bool:
    if settings.snoozed_until is None:
        return False
    return settings.snoozed_until >= today_for(settings.user_id, now or utcnow())
