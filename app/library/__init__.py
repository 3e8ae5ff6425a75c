"""The exercise library: the reviewed content file, loaded once per process."""
from __future__ import annotations

from functools import cache

from app.domain.content import Library, load_library


@cache
def library() -> Library:
    """The validated exercise library, read from app/content/exercises.toml on first use."""
    return load_library()
