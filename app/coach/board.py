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


def board_page(cards: Sequence, show: str | None = None, name: str | None = None,
               upto: int | None = None) -> BoardPage:
    """The page of `cards` (already in the board's order) a coach asked for; anything malformed
    falls back to the first page of everyone, and a name that is too long is named back."""
    show = show if show in FILTERS else "all"
    name = " ".join((name or "").split())
    problem, entered = None, name
    if len(name) > NAME_MAX:
        name, problem, entered = "", NAME_TOO_LONG, name[:SHOWN_BACK_MAX]
    wanted = name.casefold()
    named = [card for card in cards if wanted in card.name.casefold()] if wanted else list(cards)
    attention = [card for card in named if card.needs_attention]
    group = attention if show == "attention" else named
    upto = PAGE_SIZE if upto is None or upto < PAGE_SIZE else -(-upto // PAGE_SIZE) * PAGE_SIZE
    upto = min(upto, max(PAGE_SIZE, -(-len(group) // PAGE_SIZE) * PAGE_SIZE))
    return BoardPage(shown=tuple(group[:upto]), show=show, name=name, upto=upto, athletes=len(cards),
                     everyone=len(named), attention=len(attention), problem=problem, entered=entered)
