"""Warm-ups in the database, and today's routine built by the pure tailoring module."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import Row, bindparam

from app.domain.warmup import Routine, RunnerProfile, build_warmup
from app.extensions import db
from app.library import library
from app.models import AthleteProfile, WarmupLog
from app.progress import remembered


def routine_for(profile: AthleteProfile, status: str | None) -> Routine:
    """Today's routine for this athlete and today's check-in status (the safety gate's)."""
    return _routine(RunnerProfile(profile.runner_type, profile.equipment), status)


@lru_cache(maxsize=256)  # runner types x equipment x statuses: a few dozen; built on every warm-up page
def _routine(runner: RunnerProfile, status: str | None) -> Routine:
    """build_warmup is a pure function of the runner, the status and the library, which is read
    once per process (library()); its Routine is frozen, so one is shared."""
    return build_warmup(runner, status, library())


def save_log(athlete_id: int, day: date, routine: Routine, items: list[dict], duration: int) -> WarmupLog:
    """Store a finished warm-up with what it was built for."""
    log = WarmupLog(athlete_id=athlete_id, local_date=day, built_for=routine.status,
                    routine_kind=routine.kind, items=items, duration_seconds=duration,
                    planned_seconds=routine.total_seconds)
    db.session.add(log)
    db.session.commit()
    return log


def logs_between(athlete_id: int, since: date, until: date) -> tuple[Row, ...]:
    """The athlete's warm-up logs from `since` to `until` inclusive, latest first, as rows with
    WarmupLog's columns (Today and the warm-up ask on every load: remembered between pages)."""
    return remembered(("warmups", since, until), athlete_id, lambda: tuple(
        db.session.execute(LOGS_BETWEEN, {"athlete_id": athlete_id, "since": since, "until": until})))


LOGS_BETWEEN = (  # built once
    db.select(*WarmupLog.__table__.columns)
    .where(WarmupLog.athlete_id == bindparam("athlete_id"), WarmupLog.local_date >= bindparam("since"),
           WarmupLog.local_date <= bindparam("until"))
    .order_by(WarmupLog.finished_at.desc(), WarmupLog.id.desc()))
