"""One page of the coach's board: the athletes who need attention most first, a name filter,
"show more" in steps, and the counts of each group. Pure: cards in, the page out.

A coach with 10,000 athletes gets the first fifty cards (the board's order: red check-ins by
urgency, then the rest of the attention order), not 10,000: the page's size and its rendering
stay bounded however many athletes there are.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

PAGE_SIZE = 50
NAME_MAX = 100
SHOWN_BACK_MAX = 1000  # of a name too long, what the box shows again, to be shortened
FILTERS = ("all", "attention")
NAME_TOO_LONG = f"Keep the name to {NAME_MAX} characters or fewer."


@dataclass(frozen=True)
class BoardPage:
    """What the board shows: its cards, the counts, and where "show more" leads."""

    shown: tuple  # the cards on this page, in the board's order
    show: str  # "all" | "attention"
    name: str  # the name filter, as typed (trimmed); "" for none
    upto: int  # how many cards this page may show
    athletes: int  # every linked athlete, whatever the filter
    everyone: int  # athletes matching the name
    attention: int  # of those, how many need attention
    problem: str | None = None  # what is wrong with the name filter, to show next to it
    entered: str = ""  # what the name box shows: the filter, or the too-long name to shorten

    @property
    def matching(self) -> int:
        """Cards in the chosen group (all, or needs attention) that match the name."""
        return self.attention if self.show == "attention" else self.everyone

    @property
    def more(self) -> int:
        """How many cards "show more" adds (0: everything is shown)."""
        return max(0, min(PAGE_SIZE, self.matching - len(self.shown)))


@dataclass(frozen=True)
class Asked:
    """What a coach asked the board for, made safe: the group, the name filter and how many cards."""

    show: str
    name: str  # as typed (trimmed); "" for none
    wanted: str  # the name as compared: casefolded
    upto: int | None  # as asked; fitted to the group's size by `fit`
    problem: str | None = None
    entered: str = ""


def ask(show: str | None = None, name: str | None = None, upto: int | None = None) -> Asked:
    """Anything malformed falls back to the first page of everyone; a name that is too long is named back."""
    show = show if show in FILTERS else "all"
    name = " ".join((name or "").split())
    problem, entered = None, name
    if len(name) > NAME_MAX:
        name, problem, entered = "", NAME_TOO_LONG, name[:SHOWN_BACK_MAX]
    return Asked(show, name, name.casefold(), upto, problem, entered)


def fit(upto: int | None, matching: int) -> int:
    """How many cards a page may show: whole steps of PAGE_SIZE, at least one, at most the group."""
    upto = PAGE_SIZE if upto is None or upto < PAGE_SIZE else -(-upto // PAGE_SIZE) * PAGE_SIZE
    return min(upto, max(PAGE_SIZE, -(-matching // PAGE_SIZE) * PAGE_SIZE))


def page_of(asked: Asked, shown: Sequence, athletes: int, everyone: int, attention: int) -> BoardPage:
    """The page, from the group's first cards and the counts."""
    matching = attention if asked.show == "attention" else everyone
    upto = fit(asked.upto, matching)
    return BoardPage(shown=tuple(shown[:upto]), show=asked.show, name=asked.name, upto=upto, athletes=athletes,
                     everyone=everyone, attention=attention, problem=asked.problem, entered=asked.entered)


def board_page(cards: Sequence, show: str | None = None, name: str | None = None,
               upto: int | None = None) -> BoardPage:
    """The page of `cards` (already in the board's order) a coach asked for, worked out in memory."""
    asked = ask(show, name, upto)
    named = [card for card in cards if asked.wanted in card.name.casefold()] if asked.wanted else list(cards)
    attention = [card for card in named if card.needs_attention]
    group = attention if asked.show == "attention" else named
    return page_of(asked, group, len(cards), len(named), len(attention))
