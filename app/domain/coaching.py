"""Coaching rules as plain data: invitation codes, who needs attention first, and the geometry
of the pain charts the coach reads (shared/DOMAIN.md, "The people": a coach needs every athlete
at a glance — who is red today, who skipped warm-ups, who is stuck).

Decisions the issue leaves open, made here once:
- A red check-in stays "to acknowledge" for 14 days (the sparkline's window); older ones are
  history on the athlete's page, not alerts.
- "Stepped back" and "held" draw attention for 7 days after they happened; they stay shown
  (not highlighted as urgent) until a session counts again.
- An athlete with nothing logged for 3 days or more is "quiet" and needs attention.
- Strength sessions this week include entry tests; the target is 2–3 (the article's advice).
- A questionnaire score whose latest change since baseline is a drop of at least the MCID
  (Kujala 10, PSFS 2) ranks with a red check-in today: just after unacknowledged red flags.
"""
from __future__ import annotations

import secrets
from collections.abc import Sequence
from functools import lru_cache
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from app.domain.adherence import SESSION_TARGET
from app.domain.progression import ENTRY_TEST_STAGE, RUN_LEVELS, near_day
from app.domain.reminders import NUDGE_AFTER_DAYS
from app.domain.triage import URGENCY_TITLES, urgency_rank

# ── invitations ─────────────────────────────────────────────────────────────────────────────

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8  # 32**8 ≈ 1.1e12 codes, alive 7 days, looked up behind a rate limit
CODE_PREFIX = "KR"
INVITE_DAYS = 7
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -–—_.")
MAX_CODE_INPUT = 40

InviteState = Literal["open", "expired", "revoked", "used"]


def new_code() -> str:
    """A fresh random invitation code in its stored form, e.g. "7Q4MX2PD"."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str | None) -> str | None:
    """The stored form of a code as typed or linked ("kr-7q4m-x2pd" → "7Q4MX2PD"); None if malformed."""
    if not text or len(text) > MAX_CODE_INPUT:
        return None
    code = text.upper().translate(_SEPARATORS)
    if len(code) == CODE_LENGTH + len(CODE_PREFIX) and code.startswith(CODE_PREFIX):
        code = code[len(CODE_PREFIX):]
    code = code.translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


def display_code(code: str) -> str:
    """A stored code as people read it: "KR-7Q4M-X2PD"."""
    half = CODE_LENGTH // 2
    return f"{CODE_PREFIX}-{code[:half]}-{code[half:]}"


def invite_expiry(created: datetime) -> datetime:
    return created + timedelta(days=INVITE_DAYS)


def invite_state(status: str, expires_at: datetime | None, now: datetime) -> InviteState:
    """Whether an invitation can still be answered, and if not why."""
    if status == "revoked":
        return "revoked"
    if status != "invited":
        return "used"  # accepted (and maybe ended since) or declined: a code works once
    if expires_at is None or now >= expires_at:
        return "expired"
    return "open"


# ── progression settings a coach may choose ──────────────────────────────────────────────────

THRESHOLDS = (0, 1, 2)
SESSIONS_TO_ADVANCE = (2, 3, 4, 5)


def allowed_stages(returning: bool) -> tuple[int, ...]:
    """Stages a coach may set: 1–4, and 5 (the walk–run ladder) only for a returning runner."""
    return (1, 2, 3, 4, 5) if returning else (1, 2, 3, 4)


# ── the dashboard ───────────────────────────────────────────────────────────────────────────

ALERT_DAYS = 14
SPARK_DAYS = 14
AVERAGE_DAYS = 7
SETBACK_ATTENTION_DAYS = 7
QUIET_DAYS = NUDGE_AFTER_DAYS  # the same silence that sends the athlete a nudge


@dataclass(frozen=True)
class Setback:
    """The athlete's latest hold or step back, still current (no session has counted since)."""

    kind: Literal["hold", "step_back"]
    local_date: date
    reason: str

    @property
    def detail(self) -> str:
        """The reason without the "Held: " a badge beside it already says."""
        text = self.reason.removeprefix("Held: ")
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class AthleteDay:
    """What the dashboard knows of one athlete today, as plain data."""

    name: str
    today: date
    status_today: str | None  # "green" | "amber" | "red" | None (no check-in today)
    unacknowledged: int  # red check-ins within ALERT_DAYS nobody has acknowledged
    setback: Setback | None
    last_active: date | None
    urgency: str | None = None  # the most urgent red flag among those unacknowledged (triage.urgency_of)
    run_spikes: int = 0  # runs over the 10% ceiling within RUN_FLAG_DAYS (app/domain/running.py)
    pain_marked_runs: int = 0  # runs past La Trobe's pain limits within RUN_FLAG_DAYS
    outcome_drop: str | None = None  # "Kujala down 12 since the start", when the drop matters
    paused: bool = False  # the coach paused progression (step-backs still happen: gate rule 7)


def attention(day: AthleteDay) -> tuple[int, tuple[str, ...]]:
    """How urgent this athlete is (0 most urgent, 4 fine) and why, most urgent reason first."""
    reasons: list[tuple[int, str]] = []
    if day.unacknowledged and day.urgency in URGENCY_TITLES:
        reasons.append((0, URGENCY_TITLES[day.urgency]))  # "Emergency — now" leads the card
    if day.unacknowledged:
        count = day.unacknowledged
        reasons.append((0, f"{count} red check-in{'s' if count > 1 else ''} to acknowledge"))
    if day.status_today == "red":
        reasons.append((1, "Red today"))
    if day.outcome_drop:
        reasons.append((1, day.outcome_drop))
    recent_setback = day.setback and (day.today - day.setback.local_date).days < SETBACK_ATTENTION_DAYS
    if recent_setback and day.setback.kind == "step_back":
        # A pause freezes advancing only: a step back while paused goes to the top, since the
        # coach who paused may not be watching this athlete's progression.
        reasons.append((0, "Stepped back while paused") if day.paused else (2, "Stepped back"))
    if day.status_today == "amber":
        reasons.append((2, "Amber today"))
    if day.pain_marked_runs:
        count = day.pain_marked_runs
        reasons.append((2, f"{count} pain-marked run{'s' if count > 1 else ''}"))
    if day.run_spikes:
        reasons.append((3, f"{day.run_spikes} running spike{'s' if day.run_spikes > 1 else ''}"))
    if recent_setback and day.setback.kind == "hold":
        reasons.append((3, "Held"))
    quiet = quiet_days(day.last_active, day.today)
    if quiet is None:
        reasons.append((3, "Nothing logged yet"))
    elif quiet >= QUIET_DAYS:
        reasons.append((3, f"Nothing logged for {quiet} days"))
    reasons.sort(key=lambda item: item[0])
    return (reasons[0][0] if reasons else 4), tuple(text for _, text in reasons)


NEEDS_ATTENTION = 3  # tiers up to this one are shown under "Needs attention"


def sort_key(day: AthleteDay, athlete_id: int, tier: int | None = None) -> tuple:
    """Who needs attention first: by tier, then by how urgent their unacknowledged red flags are
    (emergency, urgent, soon, then red check-ins without a flag), then more alerts first, then by
    name."""
    tier = attention(day)[0] if tier is None else tier
    urgency = urgency_rank(day.urgency if day.unacknowledged else None)
    return tier, urgency, -day.unacknowledged, day.name.casefold(), athlete_id


def quiet_days(last_active: date | None, today: date) -> int | None:
    """Whole days since anything was logged (0 today), None if never."""
    return None if last_active is None else max(0, (today - last_active).days)


def silent_days(quiet: int | None) -> int | None:
    """Days of silence worth a badge: from the 3-day mark the reminders' nudge uses (None before,
    and for someone who never logged anything: the reasons already say "Nothing logged yet")."""
    return quiet if quiet is not None and quiet >= QUIET_DAYS else None


def daily_values(values: dict[date, int], today: date, days: int) -> list[int | None]:
    """One value per day for the last `days` days ending today, None where nothing was logged."""
    return [values.get(day) for day in _last_days(today, days)]


@lru_cache(maxsize=64)
def _last_days(today: date, days: int) -> tuple[date, ...]:
    first = today - timedelta(days=days - 1)
    return tuple(first + timedelta(days=offset) for offset in range(days))


def average(values: Sequence[int | None]) -> float | None:
    """Mean of the logged values, None when there are none."""
    logged = [value for value in values if value is not None]
    return round(sum(logged) / len(logged), 1) if logged else None


def target_label(done: int, target: tuple[int, int] = SESSION_TARGET) -> Literal["below", "met", "above"]:
    low, high = target
    return "below" if done < low else ("met" if done <= high else "above")


# ── words ────────────────────────────────────────────────────────────────────────────────────

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(day: date, today: date) -> str:
    """"today", "yesterday", "Mon 17 Nov" (with the year when it isn't this year's)."""
    if near := near_day(day, today):
        return near
    label = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return label if day.year == today.year else f"{label} {day.year}"


def since_label(quiet: int | None) -> str:
    """How long ago anything was logged: "today", "yesterday", "5 days ago", "never"."""
    if quiet is None:
        return "never"
    return {0: "today", 1: "yesterday"}.get(quiet, f"{quiet} days ago")


def pain_zone(pain: int) -> Literal["green", "amber", "red"]:
    """The pain-monitoring model's zone: 0–2 safe, 3–5 acceptable, 6+ high risk (as triage)."""
    return "green" if pain <= 2 else ("amber" if pain <= 5 else "red")


def describe_pains(values: Sequence[int | None], what: str = "Pain now") -> str:
    """A chart's text alternative: how many days were logged, lowest, highest and latest."""
    logged = [value for value in values if value is not None]
    if not logged:
        return f"{what}, last {len(values)} days: no check-ins."
    return (f"{what}, last {len(values)} days: {len(logged)} check-ins, lowest {min(logged)}/10, "
            f"highest {max(logged)}/10, latest {logged[-1]}/10.")


def progress_line(stage: int, run_level: int | None, streak: int, needed: int, top_stage: int) -> str:
    """Where the athlete stands, in a few words: "Stage 2 · 2 of 3 toward Stage 3"."""
    if run_level is not None:
        return f"Stage {stage} · walk–run level {run_level} of {RUN_LEVELS}"
    if stage >= top_stage:
        return f"Stage {stage} (top) · {streak} pain-free {'day' if streak == 1 else 'days'} in a row"
    if stage == ENTRY_TEST_STAGE and streak >= needed:
        return f"Stage {stage} · streak done, entry test next"
    return f"Stage {stage} · {streak} of {needed} toward Stage {stage + 1}"


def expires_label(expires_at: datetime, now: datetime) -> str:
    """"in 6 days", "in 5 hours", "within the hour", or "expired"."""
    left = expires_at - now
    if left <= timedelta(0):
        return "expired"
    if left >= timedelta(days=1):
        days = round(left / timedelta(days=1))
        return f"in {days} day{'s' if days > 1 else ''}"
    hours = int(left.total_seconds() // 3600)
    return f"in {hours} hour{'s' if hours > 1 else ''}" if hours else "within the hour"
