"""Every form endpoint as data: who posts it, where, its fields, and what the person must read.

Each field has values the form accepts and values it must refuse, with the messages a refusal
may show. A hostile post breaks at least one field (or the URL's id or code), so the whole post
is invalid by construction; the other fields carry hostile-looking text the form does accept.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hypothesis import strategies as st

from app.domain.coaching import normalise_code
from app.profile.forms import timezone_choices
from tests.security.attack import NOT_ALLOWED, NOT_FOUND, segment
from tests.security.strategies import (
    MISSING, as_int, bad_number, extras, huge, hostile, mixed, not_in, words,
)
from tests.security.world import EMAILS, World

STIFFNESS, SWELLING, AFTER_SESSION = ("none", "under_30", "over_30"), ("none", "mild", "obvious"), ("better", "same", "worse")
RED_FLAGS = ("injury_pop_or_deformed", "cannot_bear_weight", "locks_or_gives_way", "cannot_move_or_deformed",
             "large_or_rapid_swelling", "hot_red_fever", "constant_or_night_pain", "numbness_tingling_cold_foot",
             "bone_tenderness_or_hop_pain", "swollen_tender_calf")
QUICK_RED_FLAGS = RED_FLAGS + ("swollen_tender_calf_breathless",)  # the quick check asks the calf follow-up as a choice
CALF_BREATHLESS = ("Answer yes or no: are you short of breath or do you have chest pain?",)
LOCATIONS = ("front_kneecap", "below_kneecap", "inner", "outer", "back")
AGGRAVATORS = ("stairs", "downhill", "sitting", "squatting", "running")
SKIP_REASONS = ("hurts", "no_kit", "no_time", "other")
SCORES = tuple(str(n) for n in range(11))
STRONG_PASSWORDS = ("Tr4il-runn3r knees!", "correct horse battery staple 42")
COMMON_PASSWORDS = ("password123", "1234567890", "qwertyuiop", "aaaaaaaaaaaa", "abababababab")
UNKNOWN = "Not one of the choices:"


class Pairs(tuple):
    """A field's value given as ready (name, value) pairs: a group of fields broken together."""


@dataclass(frozen=True)
class Field:
    valid: st.SearchStrategy  # values the form accepts: str, list[str] (repeated), Pairs or MISSING
    invalid: st.SearchStrategy | None = None  # values it must refuse
    messages: tuple[str, ...] = ()  # what a refusal of this field may say


def accepts(*values) -> st.SearchStrategy:
    return st.sampled_from(values)


def single(valid: tuple, invalid: st.SearchStrategy, messages: tuple[str, ...]) -> Field:
    """A one-valued field; a refused value may come first in a repeated field (the first counts)."""
    present = [value for value in valid if value is not MISSING]
    first_wins = st.tuples(invalid.filter(lambda value: value is not MISSING), accepts(*present)).map(list)
    return Field(accepts(*valid), st.one_of(invalid, first_wins), messages)


def choice(valid: tuple, messages: tuple[str, ...], optional: bool = False, required_blank: bool = True) -> Field:
    """Radio buttons: anything outside the choices is refused, and so is no answer unless optional."""
    allowed = set(valid) | ({""} if optional else set())
    blanks = [st.just(MISSING), st.just("")] if required_blank and not optional else []
    return single(tuple(valid) + (("", MISSING) if optional else ()),
                  st.one_of(not_in(allowed), *blanks), messages)


def chips(valid: tuple, messages: tuple[str, ...] = (UNKNOWN,)) -> Field:
    """Tick-any-that-apply: any unknown value among the ticked ones is refused."""
    ticked = st.lists(st.sampled_from(valid), max_size=3, unique=True)
    unknown = st.tuples(ticked, st.lists(not_in(valid, words()), min_size=1, max_size=2)).map(lambda t: t[0] + t[1])
    return Field(ticked, unknown, messages)


def text(max_length: int, required: bool, messages: tuple[str, ...]) -> Field:
    """Free text: anything up to its length is accepted; too long (or blank, if required) is not."""
    fits = mixed().filter(lambda value: (value.strip() != "" or not required) and len(value.strip()) <= max_length)
    too_long = huge(max_length + 1).filter(lambda value: len(value.strip()) > max_length)
    blank = [st.just(MISSING), st.sampled_from(["", "   ", "\t\r\n", "\u3000\u00a0"])] if required else []
    return Field(fits, st.one_of(too_long, *blank), messages)


def number(low: int, high: int, messages: tuple[str, ...], required: tuple[str, ...] = ()) -> Field:
    """A whole number from low to high; blank is refused only when `required` says why."""
    samples = tuple(str(n) for n in sorted({low, high, (low + high) // 2}))
    blank = [st.sampled_from([MISSING, "", "  "])] if required else []
    return single(samples + (() if required else ("", MISSING)), st.one_of(bad_number(low, high), *blank),
                  messages + required)


def hidden(valid: str, messages: tuple[str, ...]) -> Field:
    """A hidden field naming today or the owner: anything else is refused."""
    return single((valid, "", MISSING), not_in({valid, ""}, st.one_of(words(), st.just("0"))), messages)


# ── who, where and how to break the URL ─────────────────────────────────────────────────────

def foreign_ids(ids) -> st.SearchStrategy[str]:
    """Ids that name nothing of this visitor's: other people's rows, 0, past the id columns, text."""
    not_a_number = words().filter(lambda value: value != "" and not value.isdigit() and "/" not in value
                                  and value not in (".", ".."))
    return st.one_of(st.sampled_from([str(i) for i in ids]),
                     st.sampled_from(["0", "2147483648", "9" * 30, "99999"]),
                     not_a_number.map(segment))


def at(template: str, messages: tuple[str, ...], **ids) -> st.SearchStrategy:
    """Paths built from `template` with each {name} drawn from `ids` (strategies)."""
    return st.fixed_dictionaries(ids).map(lambda parts: (template.format(**parts), messages))


MISSING_PAGE = (NOT_FOUND, NOT_ALLOWED)


@dataclass(frozen=True)
class Form:
    route: str  # the URL rule, as the app spells it
    who: str | None  # who is signed in: a key of World.users, or None
    path: Callable[[World], str]
    fields: Callable[[World], dict[str, Field]] = lambda world: {}
    bad_paths: Callable[[World], st.SearchStrategy] | None = None  # (path, messages)
    refused_anyway: tuple[str, ...] = ()  # why even a well-formed post is refused in this world
    idempotent: bool = False
    examples: int = 30

    @property
    def id(self) -> str:
        return self.route


@dataclass(frozen=True)
class Hostile:
    """One hostile request, and the messages that may explain its refusal."""

    path: str
    pairs: list[tuple[str, str]]
    headers: dict[str, str]
    multipart: bool
    messages: tuple[str, ...]
    broken: tuple[str, ...]


def _pairs(name: str, value) -> list[tuple[str, str]]:
    if value is MISSING:
        return []
    if isinstance(value, Pairs):
        return list(value)
    if isinstance(value, list):
        return [(name, item) for item in value]
    return [(name, value)]


KEYS = st.one_of(
    st.none(), st.none(),
    st.from_regex(r"[A-Za-z0-9_-]{8,100}", fullmatch=True),
    st.sampled_from(["short", "x" * 101, "' OR 1=1 --", "<script>alert(1)</script>", "key with spaces",
                     "ключ-ключ-ключ", "../../etc/passwd", "%00%00%00%00%00", ""]),
    st.text(st.characters(min_codepoint=32, max_codepoint=255), min_size=1, max_size=120),
)


def hostile_posts(form: Form, world: World) -> st.SearchStrategy[Hostile]:
    """Posts to `form` that it must refuse (built once per world: strategies are costly to make)."""
    bad_paths = form.bad_paths(world) if form.bad_paths else None
    return _hostile_post(form, world, form.fields(world), bad_paths)


@st.composite
def _hostile_post(draw, form: Form, world: World, fields: dict[str, Field], bad_paths) -> Hostile:
    breakable = sorted(name for name, field in fields.items() if field.invalid is not None)
    break_path = bad_paths is not None and (not (breakable or form.refused_anyway) or draw(st.booleans()))
    broken = set()
    if break_path:
        path, messages = draw(bad_paths)
    elif breakable:
        path = form.path(world)
        # Mostly one broken field, so each field's own message is what must show.
        count = min(draw(st.sampled_from([1, 1, 1, 2, 3])), len(breakable))
        broken = draw(st.sets(st.sampled_from(breakable), min_size=count, max_size=count))
        messages = tuple(message for name in sorted(broken) for message in fields[name].messages)
    else:
        path, messages = form.path(world), form.refused_anyway
    pairs = []
    for name in sorted(fields):
        pairs += _pairs(name, draw(fields[name].invalid if name in broken else fields[name].valid))
    multipart = draw(st.booleans())
    pairs += draw(extras(fields, multipart))
    headers = {}
    if draw(st.booleans()):
        headers["HX-Request"] = "true"
    if form.idempotent:
        key = draw(KEYS)
        if key is not None:
            headers["Idempotency-Key"] = key
    return Hostile(path, pairs, headers, multipart, messages, tuple(sorted(broken)) or ("path",))


# ── the forms ────────────────────────────────────────────────────────────────────────────────

def _signup(world: World) -> dict[str, Field]:
    taken = [EMAILS["ada"], " ADA@example.com ", EMAILS["coach"].upper()]
    not_email = st.one_of(hostile().filter(lambda value: "@" not in value and value.strip() != ""),
                          st.sampled_from(["a@", "@example.com", "a@b", "a@@example.com", "a b@example.com",
                                           "<script>@x", "' OR 1=1 --@x"]))
    return {
        "email": single(("new.runner@example.com", "o'hara+knee@example.com", " Spaced@Example.com "),
                        st.one_of(st.sampled_from([MISSING, "", "   "] + taken), not_email,
                                  st.just("a" * 250 + "@example.com")),
                        ("Enter your email address.", "Enter an email address like name@example.com.",
                         "Keep it to 254 characters or fewer.", "An account with this email already exists.")),
        "display_name": Field(mixed().filter(lambda value: 0 < len(value.strip()) <= 80),
                              st.one_of(st.sampled_from([MISSING, "", "  \t "]), huge(81)),
                              ("Enter the name to show.", "Use 80 characters or fewer.")),
        "password": single(STRONG_PASSWORDS,
                           st.one_of(st.sampled_from([MISSING, "", *COMMON_PASSWORDS]),
                                     words().filter(lambda value: 0 < len(value) < 10), huge(129)),
                           ("Choose a password.", "Use at least 10 characters.", "Use at most 128 characters.",
                            "That password is too common")),
        "role": choice(("athlete", "coach", "both"), ("Choose how you'll use KneeReady.", "Choose one of the options.")),
        "accept_disclaimer": Field(st.sampled_from(["y", "on", "1", "0", "no", "<b>yes</b>"]),
                                   st.sampled_from([MISSING, "", "false"]),
                                   ("Please read and accept the medical disclaimer to continue.",)),
    }


def _signin(world: World) -> dict[str, Field]:
    known = {email.lower() for email in EMAILS.values()}
    unknown = mixed().filter(lambda value: value.strip() and len(value.strip()) <= 254
                             and value.strip().lower() not in known)
    wrong = mixed().filter(lambda value: value.strip() and len(value) <= 128 and value != world.password)
    return {
        "email": single((EMAILS["ada"], " ADA@EXAMPLE.COM "),
                        st.one_of(st.sampled_from([MISSING, "", "   "]), unknown, huge(255)),
                        ("Enter your email address.", "Keep it to 254 characters or fewer.",
                         "That email and password don't match an account.")),
        "password": single((world.password,), st.one_of(st.sampled_from([MISSING, "", "   "]), wrong, huge(129)),
                           ("Enter your password.", "Keep it to 128 characters or fewer.",
                            "That email and password don't match an account.")),
        "remember": Field(st.sampled_from([MISSING, "y", "' OR 1=1 --"])),
    }


def _forgot(world: World) -> dict[str, Field]:
    not_email = hostile().filter(lambda value: "@" not in value and value.strip() != "" and len(value.strip()) <= 254)
    return {"email": single((EMAILS["olive"], "nobody@example.com", " OLIVE@example.com "),
                            st.one_of(st.sampled_from([MISSING, "", "   ", "a@", "a@@example.com"]), not_email,
                                      st.just("a" * 250 + "@example.com")),
                            ("Enter your email address.", "Enter an email address like name@example.com.",
                             "Keep it to 254 characters or fewer."))}


def _invite_email(world: World) -> dict[str, Field]:
    not_email = hostile().filter(lambda value: "@" not in value and value.strip() != "" and len(value.strip()) <= 254)
    return {"email": single(("runner@example.com", " O'Hara+knee@Example.com ", EMAILS["olive"]),
                            st.one_of(st.sampled_from([MISSING, "", "   ", "a@", "a@@example.com", "<script>@x",
                                                       EMAILS["coach"], EMAILS["coach"].upper()]),
                                      not_email, st.just("a" * 250 + "@example.com")),
                            ("Enter the runner's email address.", "Enter an email address like name@example.com.",
                             "Keep it to 254 characters or fewer.", "That's your own address. Enter the runner's."))}


def _reset(world: World) -> dict[str, Field]:
    return {"new_password": single(STRONG_PASSWORDS, st.one_of(
        st.sampled_from([MISSING, "", *COMMON_PASSWORDS, EMAILS["olive"]]),
        words().filter(lambda value: 0 < len(value) < 10), huge(129)),
        ("Choose a new password.", "Use at least 10 characters.", "Use at most 128 characters.",
         "That password is too common", "Don't use your email"))}


def _reset_paths(world: World) -> st.SearchStrategy:
    garbled = hostile().filter(lambda value: value.strip() != "" and len(value) < 2000 and "/" not in value
                               and value not in (".", "..") and value != world.reset_token)
    return st.one_of(
        at("/password/reset/{token}", ("This link doesn't work any more",) + MISSING_PAGE,
           token=garbled.map(segment)),
        at("/password/reset/{token}", ("This link doesn't work any more",),
           token=st.just(world.reset_token[:-2] + ("AA" if not world.reset_token.endswith("AA") else "BB"))),
    )


TIME_MESSAGE = ("Enter a time like 07:30.",)
TIME_SHAPE = re.compile(r"\s*[0-9]{1,2}:[0-9]{2}\s*")


def _time() -> Field:
    not_a_time = st.one_of(st.sampled_from([MISSING, "", "   ", "24:00", "7.30", "25:61", "ab:cd", "12:5", "123:00",
                                            "07:30:00", "-1:30", "０７:３０"]),
                           hostile().filter(lambda value: not TIME_SHAPE.fullmatch(value)))
    return single(("07:30", "00:00", "23:59", " 6:05 "), not_a_time, TIME_MESSAGE)


def _reminders(world: World) -> dict[str, Field]:
    days = [str(day) for day in range(7)]
    two_or_three = st.lists(st.sampled_from(days), min_size=2, max_size=3, unique=True)
    wrong_count = st.one_of(st.just(MISSING), st.lists(st.sampled_from(days), min_size=1, max_size=1),
                            st.lists(st.sampled_from(days), min_size=4, max_size=7, unique=True))
    unknown = st.tuples(two_or_three, st.lists(not_in(set(days), words()), min_size=1, max_size=2)).map(
        lambda pair: pair[0] + pair[1])
    tick = Field(st.sampled_from([MISSING, "y", "on", "' OR 1=1 --"]))
    return {
        "checkin_on": tick, "next_morning_on": tick, "nudge_on": tick, "email_on": tick,
        "training_on": Field(st.sampled_from(["y", "on"])),
        "checkin_time": _time(), "training_time": _time(), "quiet_start": _time(), "quiet_end": _time(),
        "training_days": Field(two_or_three, st.one_of(wrong_count, unknown),
                               ("Pick 2 or 3 days", "Not a day of the week:")),
    }


def _unsubscribe_paths(world: World) -> st.SearchStrategy:
    garbled = hostile().filter(lambda value: value.strip() != "" and len(value) < 2000 and "/" not in value
                               and value not in (".", ".."))
    return st.one_of(
        at("/reminders/unsubscribe/{token}", ("This unsubscribe link isn't valid",) + MISSING_PAGE,
           token=garbled.map(segment)),
        at("/reminders/unsubscribe/{token}", ("This unsubscribe link isn't valid",),
           token=st.sampled_from(["MQ.forged", "Ig.EbJlOrD1Tq85NuOovU-0uAqQEKk", "OTk5OTk5.x"])),
    )


def _digest_unsubscribe_paths(world: World) -> st.SearchStrategy:
    """Garbled or forged tokens, and a real reminders token (an athlete's, other salt)."""
    from itsdangerous import URLSafeSerializer

    from app.reminders.delivery import UNSUBSCRIBE_SALT

    reminders_token = URLSafeSerializer("test-secret-key", salt=UNSUBSCRIBE_SALT).dumps(world.users["coach"])
    garbled = hostile().filter(lambda value: value.strip() != "" and len(value) < 2000 and "/" not in value
                               and value not in (".", ".."))
    invalid = ("This unsubscribe link isn't valid",)
    return st.one_of(
        at("/coach/digest/unsubscribe/{token}", invalid + MISSING_PAGE, token=garbled.map(segment)),
        at("/coach/digest/unsubscribe/{token}", invalid,
           token=st.sampled_from(["MQ.forged", "Ig.EbJlOrD1Tq85NuOovU-0uAqQEKk", "OTk5OTk5.x",
                                  reminders_token])),
    )


def _digest(world: World) -> dict[str, Field]:
    zones = tuple(choice.value for choice in timezone_choices())
    return {
        "timezone": single(("UTC", "Europe/London", "Pacific/Auckland"),
                           st.one_of(st.sampled_from([MISSING, ""]), not_in(zones)),
                           ("Choose your time zone.", "Choose one of the options.")),
        "weekly_on": Field(st.sampled_from([MISSING, "y", "", "false", "<b>yes</b>"])),
    }


def _wrong_password(world: World) -> st.SearchStrategy:
    return mixed().filter(lambda value: value.strip() != "" and value != world.password)


def _change_password(world: World) -> dict[str, Field]:
    return {
        "pw-current_password": single((world.password,), st.one_of(st.sampled_from([MISSING, "", "  "]),
                                                                   _wrong_password(world)),
                                      ("Enter your current password.", "That isn't your current password.")),
        "pw-new_password": single(STRONG_PASSWORDS, st.one_of(
            st.sampled_from([MISSING, "", *COMMON_PASSWORDS]), words().filter(lambda value: 0 < len(value) < 10),
            huge(129)), ("Choose a new password.", "Use at least 10 characters.", "Use at most 128 characters.",
                         "That password is too common")),
    }


def _delete_account(world: World) -> dict[str, Field]:
    return {
        "del-password": single((world.password,), st.one_of(st.sampled_from([MISSING, "", " "]),
                                                            _wrong_password(world)),
                               ("Enter your password to confirm.", "That isn't your password. Nothing was deleted.")),
        "del-confirm": Field(st.sampled_from(["y", "on", "0", "<i>sure</i>"]), st.sampled_from([MISSING, "", "false"]),
                             ("Tick the box to confirm you want to delete everything.",)),
    }


def _profile(world: World) -> dict[str, Field]:
    zones = tuple(choice.value for choice in timezone_choices())
    kit = Field(st.one_of(st.just(MISSING), words()))
    return {
        "runner_type": choice(("new", "long_distance", "trail", "general"),
                              ("Choose the closest match.", "Choose one of the options.")),
        "knee_status": choice(("none", "niggles", "returning"), ("Choose how your knees are.", "Choose one of the options.")),
        "timezone": single(("UTC", "Europe/London", "America/Argentina/Buenos_Aires"),
                           st.one_of(st.sampled_from([MISSING, ""]), not_in(zones)),
                           ("Choose your time zone.", "Choose one of the options.")),
        "has_band": kit, "has_foam_roller": kit, "has_step": kit,
    }


PAIN_NOW = ("Choose your pain right now, from 0 (none) to 10 (worst imaginable).",)
SWOLLEN = ("Choose how swollen your knee is.",)


def _checkin(world: World) -> dict[str, Field]:
    return {
        "pain_now": choice(SCORES, PAIN_NOW),
        "worst_pain": choice(SCORES, ("Choose your worst pain in your last run or activity",), optional=True),
        "stiffness": choice(STIFFNESS, ("Choose how long your knee felt stiff this morning.",)),
        "swelling": choice(SWELLING, SWOLLEN),
        "after_session": choice(AFTER_SESSION, ("Choose how your knee feels compared with before yesterday's session.",)),
        "red_flags": chips(RED_FLAGS), "locations": chips(LOCATIONS), "aggravators": chips(AGGRAVATORS),
        # Always answered when valid (a ticked calf flag requires it); any other non-blank value is refused
        # whether or not the calf flag is ticked.
        "calf_breathless": single(("yes", "no"), not_in({"yes", "no", ""}), CALF_BREATHLESS),
        "note": text(2000, False, ("Keep your note to 2,000 characters or fewer.",)),
        "local_date": hidden(world.today.isoformat(), ("Check-ins are for today only",)),
        "athlete_id": hidden(str(world.users["bo"]), ("You can only check in for yourself.",)),
    }


def _quick_check(world: World) -> dict[str, Field]:
    return {
        "pain_now": choice(SCORES, PAIN_NOW),
        "red_flag": choice(("none",) + QUICK_RED_FLAGS, ("Choose “None of these”, or the warning sign you have.",)),
        "swelling": choice(SWELLING, SWOLLEN),
        "local_date": hidden(world.today.isoformat(), ("Check-ins are for today only",)),
        "athlete_id": hidden(str(world.users["ada"]), ("You can only check in for yourself.",)),
    }


def _is_int(value: str) -> bool:
    return as_int(value) is not None


def _checklist(world: World) -> dict[str, Field]:
    first, others = world.warmup_slugs[0], world.warmup_slugs[1:]
    not_int = hostile().filter(lambda value: value.strip() != "" and not _is_int(value))
    routine_skips = st.lists(st.tuples(st.sampled_from(others), st.sampled_from(("",) + SKIP_REASONS)),
                             max_size=3, unique_by=lambda pair: pair[0])
    return {
        "built_for": hidden("green", ("Your check-in changed since this warm-up was built.",)),
        "local_date": hidden(world.today.isoformat(), ("This warm-up was for",)),
        "opened_at": Field(st.one_of(st.sampled_from([MISSING, "", "  ", "-99999999999999999999", "٣"]),
                                     st.integers().map(str)),
                           not_int, ("Enter a whole number, like 3.",)),
        "duration_seconds": single(("0", "600", "10800", "", MISSING), st.one_of(
            not_int, st.one_of(st.integers(max_value=-1), st.integers(min_value=10801)).map(str)),
            ("Enter a whole number, like 3.", "The warm-up time must be between 0 and 3 hours.")),
        "done": Field(st.just([first]), st.lists(not_in(world.warmup_slugs, words()), min_size=1, max_size=2)
                      .map(lambda unknown: [first, *unknown]), ("Not in today's routine:",)),
        "skips": Field(
            routine_skips.map(lambda pairs: Pairs((f"skip-{slug}", reason) for slug, reason in pairs)),
            st.one_of(
                st.sampled_from(SKIP_REASONS).map(lambda reason: Pairs([(f"skip-{first}", reason)])),
                st.tuples(st.sampled_from(world.warmup_slugs), not_in(("",) + SKIP_REASONS))
                .map(lambda pair: Pairs([(f"skip-{pair[0]}", pair[1])])),
                st.tuples(words().filter(lambda name: name and name not in world.warmup_slugs
                                         and not any(char in name for char in '"\\\r\n')), words())
                .map(lambda pair: Pairs([(f"skip-{pair[0]}", pair[1])])),
            ),
            ("Tick it done or skip it, not both.", "Choose a reason for skipping from the list.",
             "Not in today's routine:")),
    }


def _start(world: World) -> dict[str, Field]:
    today = world.today

    def malformed(value: str) -> bool:
        try:
            datetime.strptime(value, "%Y-%m-%d")
            return False
        except ValueError:
            return value.strip() != ""

    future = st.integers(1, 3000).map(lambda days: (today + timedelta(days=days)).isoformat())
    too_old = st.integers(8, 700_000).map(lambda days: (today - timedelta(days=days)).isoformat())
    return {
        "kind": single(("strength", "", MISSING), st.one_of(
            st.sampled_from(["entry_test", "run", " strength", "Strength"]),
            not_in({"strength", "entry_test", "run", ""}).filter(lambda value: value.strip() != "")),
            ("Choose a strength session, the entry test or a walk–run.", "The entry test opens once",
             "No walk–run today", "The walk–run is the last stage", "That session isn't on offer today.")),
        "day": single((today.isoformat(), (today - timedelta(days=7)).isoformat(), "", MISSING),
                      st.one_of(hostile().filter(malformed), future, too_old),
                      ("Enter a date, like 2026-11-24.", "A session can't be dated in the future.",
                       "You can log sessions from the last 7 days.")),
    }


PAIN_DURING = ("Pain is a whole number from 0 (none) to 10 (worst imaginable).",)


def _exercise(world: World) -> dict[str, Field]:
    return {
        "sets": number(0, 100, ("Sets are a whole number from 0 to 100.",), required=("Enter the sets you did.",)),
        "reps": number(0, 100, ("Reps are a whole number from 0 to 100.",), required=("Enter the reps you did.",)),
        "seconds": Field(st.one_of(st.just(MISSING), hostile())),  # a reps exercise has no seconds field
        "pain": number(0, 10, PAIN_DURING),
        "skipped": Field(st.sampled_from([MISSING, "", "false"])),
        "skip_reason": single((MISSING, ""), not_in({"", "hurt", "time", "equipment"}),
                              ("Choose why you skipped it: it hurt, no time, or no equipment.",)),
    }


FINISHED = ("This session is already finished",)
NOT_IN_SESSION = ("That exercise isn't in this session's program",)


def _session_paths(template: str, world: World, finished_ok: bool = True, **extra) -> st.SearchStrategy:
    """Other people's, impossible and (refused with 409) finished session ids."""
    own_finished = at(template, FINISHED + MISSING_PAGE, id=st.just(str(world.bo_finished)), **extra)
    others = at(template, MISSING_PAGE, id=foreign_ids([world.olive_session, world.bo_finished + 1000]), **extra)
    return st.one_of(others, own_finished) if finished_ok else others


def _exercise_paths(world: World) -> st.SearchStrategy:
    template = "/training/sessions/{id}/exercises/{slug}"
    slug = st.just(world.bo_reps_slug)
    wrong_slug = st.one_of(st.sampled_from(world.other_slugs), words().filter(bool).map(segment))
    return st.one_of(_session_paths(template, world, slug=slug),
                     at(template, NOT_IN_SESSION + MISSING_PAGE, id=st.just(str(world.bo_session)), slug=wrong_slug))


def _athlete_paths(template: str, world: World, **extra) -> st.SearchStrategy:
    users = world.users
    return at(template, MISSING_PAGE,
              athlete=foreign_ids([users["olive"], users["coach"], users["pat"], users["former"], 99999]), **extra)


def _code_paths(template: str, world: World) -> st.SearchStrategy:
    malformed = hostile().filter(lambda value: value.strip() != "" and len(value) < 2000 and "/" not in value
                                 and value not in (".", "..") and normalise_code(value) is None)
    codes = world.codes
    return st.one_of(
        at(template, ("Invitation codes look like KR-7Q4M-X2PD.",) + MISSING_PAGE, code=malformed.map(segment)),
        at(template, ("No invitation has that code.",), code=st.sampled_from(["KR-ZZZZ-ZZZZ", "00000000", "kr-0000-0001"])),
        at(template, ("Invitations last 7 days.",), code=st.just(codes["expired"])),
        at(template, ("Your coach withdrew this invitation.",), code=st.just(codes["revoked"])),
        at(template, ("Each invitation works once",), code=st.just(codes["used"])),
        at(template, ("You're already linked with Coach Cass",), code=st.just(world.coach_code)),
    )


def _setting(name: str, low: int, high: int, message: str) -> Callable[[World], dict[str, Field]]:
    return lambda world: {name: single(tuple(str(n) for n in range(low, high + 1)),
                                       st.one_of(st.sampled_from([MISSING, ""]), hostile().filter(
                                           lambda value: as_int(value) not in range(low, high + 1))),
                                       (message,))}


def _coach_path(suffix: str) -> Callable[[World], str]:
    return lambda world: f"/coach/athletes/{world.users['bo']}/{suffix}"


def _coach_form(suffix: str, fields=lambda world: {}, **kwargs) -> Form:
    return Form(f"/coach/athletes/<int:athlete_id>/{suffix}", "coach", _coach_path(suffix), fields,
                bad_paths=lambda world: _athlete_paths(f"/coach/athletes/{{athlete}}/{suffix}", world), **kwargs)


def _questionnaire(world: World) -> dict[str, Field]:
    """The baseline round (Ada has just started): 13 Kujala items, up to 3 activities rated 0–10."""
    from app.domain.outcomes import AKPS_ITEMS

    fields = {item.key: choice(tuple(str(n) for n in range(len(item.options))),
                               (f"Choose an answer for “{item.question}”.",)) for item in AKPS_ITEMS}
    for n in (1, 2, 3):
        fields[f"activity_{n}"] = text(80, False, ("Keep each activity to 80 characters or fewer.",))
        fields[f"rating_{n}"] = choice(SCORES, ("Choose a rating from 0 (unable) to 10 (as before).",), optional=True)
    return fields


FORMS = [
    Form("/signup", None, lambda world: "/signup", _signup, examples=30),
    Form("/signin", None, lambda world: "/signin", _signin, examples=20),
    Form("/account/password", "ada", lambda world: "/account/password", _change_password, examples=20),
    Form("/password/forgot", None, lambda world: "/password/forgot", _forgot, examples=20),
    Form("/password/reset/<token>", None, lambda world: f"/password/reset/{world.reset_token}", _reset,
         bad_paths=_reset_paths, examples=20),
    Form("/account/reminders", "ada", lambda world: "/account/reminders", _reminders, examples=40),
    Form("/account/reminders/snooze", "ada", lambda world: "/account/reminders/snooze",
         lambda world: {"snooze": choice(("day", "off"), ("Choose to snooze for a day or to resume.",))}),
    Form("/reminders/unsubscribe/<token>", None, lambda world: "", bad_paths=_unsubscribe_paths, examples=20),
    # JSON endpoints (static/js/push.js): a form post is never a subscription. Bad JSON: tests/reminders/.
    Form("/reminders/push/subscriptions", "ada", lambda world: "/reminders/push/subscriptions",
         refused_anyway=("Send the subscription as JSON.",), examples=15),
    Form("/reminders/push/unsubscribe", "ada", lambda world: "/reminders/push/unsubscribe",
         refused_anyway=("Send the subscription as JSON.",), examples=15),
    Form("/account/delete", "ada", lambda world: "/account/delete", _delete_account, examples=20),
    Form("/profile", "ada", lambda world: "/profile", _profile, idempotent=True),
    Form("/checkin", "bo", lambda world: "/checkin", _checkin, idempotent=True, examples=50),
    Form("/warmup/check", "ada", lambda world: "/warmup/check", _quick_check, idempotent=True),
    Form("/warmup/progress", "bo", lambda world: "/warmup/progress", _checklist, examples=40),
    Form("/warmup/finish", "bo", lambda world: "/warmup/finish", _checklist, idempotent=True, examples=40),
    Form("/training/sessions", "ada", lambda world: "/training/sessions", _start),
    Form("/training/sessions/<int:session_id>/exercises/<slug>", "bo",
         lambda world: f"/training/sessions/{world.bo_session}/exercises/{world.bo_reps_slug}", _exercise,
         bad_paths=_exercise_paths, idempotent=True, examples=50),
    Form("/training/sessions/<int:session_id>/run", "bo", lambda world: f"/training/sessions/{world.bo_run}/run",
         lambda world: {"pain": number(0, 10, PAIN_DURING,
                                       required=("Tap how much it hurt during the run (0 if not at all).",))},
         bad_paths=lambda world: st.one_of(
             _session_paths("/training/sessions/{id}/run", world),
             at("/training/sessions/{id}/run", MISSING_PAGE, id=st.just(str(world.bo_session)))),
         idempotent=True),
    Form("/training/sessions/<int:session_id>/finish", "bo", lambda world: f"/training/sessions/{world.bo_session}/finish",
         bad_paths=lambda world: _session_paths("/training/sessions/{id}/finish", world),
         refused_anyway=("Not finished yet.",), idempotent=True, examples=20),
    Form("/training/sessions/<int:session_id>/delete", "bo", lambda world: "",
         bad_paths=lambda world: _session_paths("/training/sessions/{id}/delete", world, finished_ok=False),
         examples=15),
    _coach_form("stage", _setting("stage", 1, 4, "Choose a stage from the list.")),
    _coach_form("threshold", _setting("threshold", 0, 2, "Choose 0, 1 or 2: the limit stays within the safe zone.")),
    _coach_form("sessions-to-advance", _setting("sessions_to_advance", 2, 5, "Choose between 2 and 5 days.")),
    _coach_form("note", lambda world: {"text": text(2000, True, ("Write the note first.",
                                                                 "Keep the note to 2,000 characters or fewer."))}),
    _coach_form("outcomes/interval", _setting("weeks", 2, 6, "Choose between 2 and 6 weeks.")),
    _coach_form("outcomes/request", examples=15),
    Form("/progress/questionnaire", "ada", lambda world: "/progress/questionnaire", _questionnaire,
         idempotent=True, examples=40),
    _coach_form("pause", examples=15),
    _coach_form("resume", examples=15),
    _coach_form("remove", examples=15),
    Form("/coach/athletes/<int:athlete_id>/checkins/<int:checkin_id>/acknowledge", "coach", lambda world: "",
         lambda world: {"back": Field(st.sampled_from([MISSING, "dashboard", "<script>"])),
                        "show": Field(st.one_of(st.just(MISSING), words()))},
         bad_paths=lambda world: st.one_of(
             at("/coach/athletes/{athlete}/checkins/{checkin}/acknowledge", MISSING_PAGE,
                athlete=st.just(str(world.users["bo"])),
                checkin=st.one_of(st.sampled_from([str(world.bo_green), str(world.olive_red)]),
                                  foreign_ids([world.olive_red + 1000]))),
             _athlete_paths("/coach/athletes/{athlete}/checkins/{checkin}/acknowledge", world,
                            checkin=st.sampled_from([str(world.bo_red), str(world.olive_red)])),
         ), examples=20),
    Form("/account/digest", "coach", lambda world: "/account/digest", _digest, examples=30),
    Form("/coach/digest/unsubscribe/<token>", None, lambda world: "", bad_paths=_digest_unsubscribe_paths,
         examples=20),
    Form("/coach/invitations/email", "coach", lambda world: "/coach/invitations/email", _invite_email, examples=30),
    Form("/coach/invitations/<int:link_id>/revoke", "coach", lambda world: "",
         bad_paths=lambda world: at("/coach/invitations/{id}/revoke", MISSING_PAGE,
                                    id=foreign_ids([world.pat_invitation, world.pat_invitation + 1000])),
         examples=15),
    Form("/coaches/<int:link_id>/leave", "ada", lambda world: "",
         bad_paths=lambda world: at("/coaches/{id}/leave", MISSING_PAGE,
                                    id=foreign_ids([world.bo_link, world.former_link, world.coach_invitation,
                                                    world.pat_invitation + 1000])),
         examples=15),
    Form("/invite", "ada", lambda world: "/invite", lambda world: {"code": single(
        ("KR-7Q4M-X2PD",),
        st.one_of(st.sampled_from([MISSING, "", "   "]),
                  hostile().filter(lambda value: value.strip() != "" and normalise_code(value.strip()) is None)),
        ("Enter the code your coach gave you.", "That's longer than any invitation code.",
         "That isn't an invitation code."))}),
    Form("/invite/<code>/accept", "ada", lambda world: "",
         bad_paths=lambda world: _code_paths("/invite/{code}/accept", world), examples=20),
    Form("/invite/<code>/decline", "ada", lambda world: "",
         bad_paths=lambda world: _code_paths("/invite/{code}/decline", world), examples=20),
]


# ── the run log (app/runs) ──────────────────────────────────────────────────────────────────

RUN_DATE = ("Enter a date, like 2026-11-24.", "Enter the date of the run.", "The run can't be in the future",
            "Enter a date from 2000 on.")
RUN_DISTANCE = ("Enter the distance in km, like 5.2.", "Enter a distance up to 150 km.",
                "Enter a distance above 0 km, or leave it empty.")
RUN_DURATION = ("Enter how long you ran, like 32 or 32:30.", "Enter the time as minutes (45), 45:30 or 1:05:00.",
                "Enter a time from 1 minute to 24 hours.")


def _run(world: World) -> dict[str, Field]:
    today = world.today
    future = st.integers(1, 3000).map(lambda days: (today + timedelta(days=days)).isoformat())
    not_a_date = hostile().filter(lambda value: value.strip() != "" and not _is_date(value))
    not_a_number = hostile().filter(lambda value: value.strip() != "" and not _is_decimal(value))
    return {
        "local_date": single((today.isoformat(), (today - timedelta(days=400)).isoformat()),
                             st.one_of(st.sampled_from([MISSING, "", "1999-12-31"]), future, not_a_date), RUN_DATE),
        "distance": single(("5.2", "10", "5,2", "", MISSING),
                           st.one_of(st.sampled_from(["200", "150.001", "0", "-3", "NaN", "Infinity", "1e9"]),
                                     not_a_number), RUN_DISTANCE),
        "duration": single(("30", "45:30", "1:05:00"),
                           st.one_of(st.sampled_from([MISSING, "", "0", "61:61", "24:00:01", "-5", "1:2:3:4"]),
                                     hostile().filter(lambda value: value.strip() != ""
                                                      and not value.strip().replace(":", "").replace(".", "").isdigit())),
                           RUN_DURATION),
        "terrain": choice(("road", "trail", "track", "treadmill"), ("Choose where you ran.",)),
        "pain_during": choice(SCORES, ("Choose your worst pain during the run",)),
        "pain_after": choice(SCORES, ("Choose your pain an hour after",), optional=True),
        "downhill": Field(st.sampled_from([MISSING, "y", "", "false", "<b>yes</b>"])),
    }


def _is_date(value: str) -> bool:
    try:
        datetime.strptime(value.strip(), "%Y-%m-%d")
        return True
    except ValueError:
        return False


def _is_decimal(value: str) -> bool:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(value.strip().replace(",", ".")).is_finite()
    except InvalidOperation:
        return False


FORMS += [
    Form("/runs", "bo", lambda world: "/runs", _run, idempotent=True, examples=50),
    Form("/runs/<int:run_id>", "bo", lambda world: "",
         bad_paths=lambda world: at("/runs/{id}", MISSING_PAGE, id=foreign_ids([99999])),
         idempotent=True, examples=15),
    # Hostile posts carry no file (their parts are text): the upload says what is missing.
    Form("/runs/import", "bo", lambda world: "/runs/import",
         refused_anyway=("Choose one or more GPX, TCX or FIT files first.",), examples=15),
    # A found run comes back in a signed token: anything else is refused before any answer is read.
    Form("/runs/import/confirm", "bo", lambda world: "/runs/import/confirm",
         lambda world: {"runs-0-token": Field(st.one_of(words(), st.just("eyJmaWxlX25hbWUiOiJ4In0.forged"))),
                        "runs-0-pain_during": Field(accepts(*SCORES)),
                        "runs-0-terrain": Field(accepts("road", "trail"))},
         refused_anyway=("That import could not be read back. Upload the files again.",),
         idempotent=True, examples=20),
]
