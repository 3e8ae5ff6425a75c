"""The exercise library, read once per process (the lead folds this into a shared accessor)."""
from __future__ import annotations

from functools import cache

from app.domain.content import Library, load_library


@cache
def library() -> Library:
    """The validated library from app/content/exercises.toml."""
    return load_library()
