"""Hostile text for forms: wrong types, out-of-range numbers, huge strings, unicode, HTML and SQL.

Every strategy here draws plain strings (what a form post carries); the endpoint specs in
tests/security/endpoints.py turn them into bodies that are invalid by construction.
"""
from __future__ import annotations

from hypothesis import strategies as st

# A field left out of the post altogether (as opposed to sent empty).
MISSING = None

SQL = (
    "' OR 1=1 --", "'; DROP TABLE users; --", "1; DROP TABLE checkins", '" OR ""="', "admin'--",
    "1' UNION SELECT password_hash FROM users --", "%' AND 1=0 --", "1)) OR pg_sleep(5)--",
    "'||(SELECT session_token FROM users LIMIT 1)||'", "\\'; --", "' AND extractvalue(1,version()) --",
)
HTML = (
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>', "</textarea><script>alert(1)</script>",
    "<iframe src=//evil.example>", "<b>bold</b>", "&lt;b&gt;", "&#x3C;script&#x3E;", "<!--", "]]>",
    "{{ 7*7 }}", "{% raw %}", "${7*7}", "javascript:alert(1)", "<style>*{display:none}</style>",
)
UNICODE = (
    "🦵🏃‍♀️🔥", "\u202eevil.exe\u202c", "مرحبا بالعالم", "עברית", "\u200b", "\u200d\u200c", "\ufeff",
    "e\u0301\u0301\u0301\u0301", "Z̴̢̛a̶l̷g̸o̵", "𝕂𝕟𝕖𝕖", "\U0010ffff", "ǅ", "ﬁ", "İı", "ß", "\u3000",
    "\u00a0", "\u2028", "Ω≈ç√∫", "日本語のテキスト", "\uffff", "\ud7ff",
)
CONTROL = ("\x00", "a\x00b", "\r\n", "\t", "\x1b[31m", "\x7f", "\x08", "\x0b\x0c")
NUMBERISH = (
    "-1", "11", "101", "1e3", "1.5", "0.0", "0x10", "NaN", "inf", "-0", "+5", "99999999999999999999999",
    "1_000", "٣", "３", "Ⅻ", "½", "true", "false", "null", "None", "[]", "{}", "[1, 2]", "1,5", "--1",
    "2147483648", "-2147483649", "9" * 5000,
)
FRAGMENTS = SQL + HTML + UNICODE + CONTROL + NUMBERISH


def words() -> st.SearchStrategy[str]:
    """Short hostile strings: the known fragments and arbitrary unicode text."""
    return st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(max_size=30),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12),
    )


def mixed() -> st.SearchStrategy[str]:
    """Fragments glued together, as an attacker's payload is."""
    return st.lists(words(), min_size=1, max_size=4).map("".join)


def huge(min_size: int = 2_001) -> st.SearchStrategy[str]:
    """Long strings, from just over a form's limit to past the 256 KB request limit."""
    return st.builds(
        lambda seed, size: ((seed or "x") * (size // max(len(seed), 1) + 1))[:size],
        st.one_of(st.sampled_from(FRAGMENTS), st.just("a")),
        st.sampled_from([min_size, min_size + 1, 5_000, 40_000, 300_000]),
    )


def hostile() -> st.SearchStrategy[str]:
    """Any hostile string: mostly short, sometimes huge."""
    return st.one_of(words(), mixed(), st.just(""), st.just("   "), huge(130))


def not_in(allowed, strategy=None) -> st.SearchStrategy[str]:
    """Hostile strings that are not one of `allowed`."""
    allowed = {str(value) for value in allowed}
    return (strategy if strategy is not None else hostile()).filter(lambda value: value not in allowed)


def as_int(value: str, strip: bool = True) -> int | None:
    """The whole number Python reads in `value`, or None (the rule the forms apply)."""
    try:
        return int(value.strip() if strip else value)
    except ValueError:
        return None


def bad_number(low: int, high: int) -> st.SearchStrategy[str]:
    """Strings that are not a whole number from low to high: wrong type or out of range."""
    out_of_range = st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1)).map(str)
    return st.one_of(out_of_range, hostile()).filter(
        lambda value: value.strip() != "" and not low <= (as_int(value) if as_int(value) is not None else low - 1) <= high
    )


def extra_names(known) -> st.SearchStrategy[str]:
    """Names of fields no form has (the app must ignore or refuse them, never choke)."""
    known = set(known) | {"csrf_token", "all_good"}
    return st.one_of(st.sampled_from(FRAGMENTS + ("admin", "is_coach", "athlete_id[]", "__proto__", "id")),
                     st.text(min_size=1, max_size=20)).filter(
        lambda name: name not in known and not name.startswith("skip-"))


def extras(known, multipart: bool = False) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Extra fields. In multipart bodies the test client writes names unescaped, so a quote,
    backslash or line break would garble the part's header (test_malformed.py sends those)."""
    names = extra_names(known)
    if multipart:
        names = names.filter(lambda name: not any(char in name for char in '"\\\r\n'))
    return st.lists(st.tuples(names, words()), max_size=3)
