"""Form helpers shared by every area."""
from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectChoice


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    """A filter that trims surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value
