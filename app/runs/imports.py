"""Importing run files: read each file of an upload on its own, so one bad file never stops the
others; hand what was found to the runner in a signed token; store once they confirm.

The token carries the file's facts (signed with the app's secret, so they come back unchanged)
and is judged again on confirm: the facts of a file are never taken from the form.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app.domain import running
from app.extensions import db
from app.models import Run, utcnow
from app.runs import service
from app.runs.parsers import FileProblem, ParsedRun, parse

FILE_LIMIT_MB = 10
REQUEST_LIMIT_MB = 25
MAX_FILES = 20
TOKEN_MAX_AGE = 24 * 3600
SALT = "runs-import"
CLOCK_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class Found:
    """A run read from a file, waiting to be confirmed."""

    file_name: str
    sha256: str
    local_date: date
    distance_m: int | None
    duration_s: int
    elevation_loss_m: int | None
    avg_cadence: int | None
    treadmill: bool
    source: str

    @property
    def pace(self) -> str | None:
        return running.format_pace(self.distance_m, self.duration_s)


def read_files(athlete_id: int, files, zone: str, today: date) -> tuple[list[Found], list[tuple[str, str]]]:
    """The runs found in the uploaded files, and a (file name, problem) for each file refused."""
    found, problems, seen = [], [], set()
    files = [f for f in files if f and f.filename]
    for storage in files[MAX_FILES:]:
        problems.append((_name(storage.filename), f"was not read: send up to {MAX_FILES} files at a time."))
    files = files[:MAX_FILES]
    blobs = [(storage, storage.read(FILE_LIMIT_MB * 1024 * 1024 + 1)) for storage in files]
    known = service.known_hashes(athlete_id, [service.sha256(data) for _, data in blobs])
    for storage, data in blobs:
        name = _name(storage.filename)
        digest = service.sha256(data)
        if len(data) > FILE_LIMIT_MB * 1024 * 1024:
            problems.append((name, f"is over {FILE_LIMIT_MB} MB."))
        elif digest in known or digest in seen:
            problems.append((name, "is already in your log: not added again."))
        else:
            try:
                found.append(_judge(name, digest, parse(name, data), zone, today))
                seen.add(digest)
            except FileProblem as problem:
                problems.append((name, str(problem)))
    return found, problems


def _judge(name: str, digest: str, parsed: ParsedRun, zone: str, today: date) -> Found:
    if parsed.started_at > utcnow() + CLOCK_SLACK:
        raise FileProblem("starts in the future: check the watch's clock.")
    day = running.local_day(parsed.started_at, zone)
    problems = running.run_problems(parsed.distance_m, parsed.duration_s, day, today)
    if problems:
        raise FileProblem(" ".join(problems.values()))
    return Found(name, digest, day, parsed.distance_m, parsed.duration_s,
                 _within(parsed.elevation_loss_m, 0, 20_000), _within(parsed.avg_cadence, 60, 260),
                 parsed.treadmill, parsed.source)


def _within(value: int | None, low: int, high: int) -> int | None:
    """A sensor's reading the schema accepts, or none: a barometer's or footpod's nonsense is
    dropped, not a reason to refuse the run."""
    return value if value is not None and low <= value <= high else None


def _name(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1][:120] or "A file"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def form_data(found: Found) -> dict:
    """The confirm form's starting answers for one found run."""
    payload = {**asdict(found), "local_date": found.local_date.isoformat()}
    return {"token": _serializer().dumps(payload), "terrain": "treadmill" if found.treadmill else "road",
            "pain_after": ""}


def load_token(token: str | None) -> Found | None:
    try:
        payload = _serializer().loads(token or "", max_age=TOKEN_MAX_AGE)
        return Found(**{**payload, "local_date": date.fromisoformat(payload["local_date"])})
    except (BadSignature, TypeError, ValueError, KeyError):
        return None


def store(athlete_id: int, form, today: date) -> tuple[int, list[str]]:
    """Store the confirmed runs in one transaction; a file already stored is named, not added."""
    rows = [(load_token(entry.form.token.data), entry.form) for entry in form.runs.entries]
    known = service.known_hashes(athlete_id, [found.sha256 for found, _ in rows if found])
    added, skipped = 0, []
    for found, answers in rows:
        if found is None or running.run_problems(found.distance_m, found.duration_s, found.local_date, today):
            continue
        if found.sha256 in known:
            skipped.append(found.file_name)
            continue
        known.add(found.sha256)
        db.session.add(Run(
            athlete_id=athlete_id, local_date=found.local_date, distance_m=found.distance_m,
            duration_s=found.duration_s, source=found.source, file_name=found.file_name,
            file_sha256=found.sha256, elevation_loss_m=found.elevation_loss_m,
            avg_cadence=found.avg_cadence, **answers.pain_values()))
        added += 1
    try:
        db.session.commit()
    except IntegrityError:  # the same file confirmed twice at once: the other copy stored it
        db.session.rollback()
        return 0, [found.file_name for found, _ in rows if found]
    return added, skipped
