"""Load the reviewed content file into the exercises table (insert or update by slug)."""
from __future__ import annotations

from dataclasses import asdict

from app.domain.content import Library, load_library
from app.extensions import db
from app.models import Exercise

COLUMNS = ("name", "kind", "stage", "category", "muscles", "equipment", "sets", "reps", "seconds",
           "per_side", "summary", "cues", "tags", "focus", "level")


def _row_values(item, position: int) -> dict:
    values = asdict(item)
    row = {column: values.get(column) for column in COLUMNS}
    for column in ("muscles", "equipment", "cues", "tags", "focus"):
        row[column] = list(row[column] or ())
    row["position"] = position
    return row


def sync_exercises(library: Library | None = None) -> tuple[int, int]:
    """Make the table match the content file; returns (added, updated). Nothing is deleted,
    so logs of an exercise that left the library keep their history."""
    library = library or load_library()
    existing = {e.slug: e for e in db.session.scalars(db.select(Exercise))}
    added = updated = 0
    for position, item in enumerate(library.exercises):
        values = _row_values(item, position)
        row = existing.get(item.slug)
        if row is None:
            db.session.add(Exercise(slug=item.slug, **values))
            added += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            updated += 1
    db.session.commit()
    return added, updated
