"""How many hostile requests the suite sent, to which endpoints, and how many got a server error."""
from __future__ import annotations

from collections import Counter

# (method, route) → requests sent; route is the URL rule attacked, e.g. "/coach/athletes/<int:athlete_id>/note".
REQUESTS: Counter[tuple[str, str]] = Counter()
SERVER_ERRORS: Counter[tuple[str, str]] = Counter()  # 5xx answers, or exceptions escaping the app
FORMS: set[str] = set()  # routes that took a POST (a 405 means the route doesn't take one)


def count(method: str, route: str, status: int | None) -> None:
    REQUESTS[method, route] += 1
    if method == "POST" and status != 405:
        FORMS.add(route)
    if status is None or status >= 500:
        SERVER_ERRORS[method, route] += 1


def summary() -> str | None:
    if not REQUESTS:
        return None
    routes = {route for _, route in REQUESTS}
    return (f"hostile input: {sum(REQUESTS.values()):,} requests over {len(routes)} endpoints "
            f"({len(FORMS)} of them posted to), {sum(SERVER_ERRORS.values())} server errors")
