"""Public pages, the layout, the exercise library, and error pages."""
from __future__ import annotations

import re

import pytest

from app.domain.content import load_library


def test_landing_page_for_visitors(client):
    page = client.get("/").get_data(as_text=True)
    assert "Run without knee pain" in page
    assert 'href="/signup"' in page and 'href="/signin"' in page
    assert 'href="/disclaimer"' in page


def test_signed_in_home_goes_to_today(client, make_user, auth):
    make_user()
    auth.signin()
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/today"


def test_disclaimer_is_public_and_linked_from_every_page(client, make_user, auth):
    assert "not a substitute" in client.get("/disclaimer").get_data(as_text=True)
    make_user()
    auth.signin()
    for path in ("/today", "/profile", "/account", "/exercises/"):
        assert 'href="/disclaimer"' in client.get(path).get_data(as_text=True), path


def test_layout_vendors_htmx_and_sends_csrf_from_body(client):
    page = client.get("/signin").get_data(as_text=True)
    assert "/static/vendor/htmx-2.0.11.min.js" in page
    assert 'hx-boost="true"' in page and '"X-CSRFToken": "' in page
    assert "<script>" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_htmx_post_with_the_header_token_is_accepted(client, make_user, auth, app):
    make_user()
    auth.signin()
    token = client.csrf_token()
    response = client.post("/profile", csrf=False, headers={"HX-Request": "true", "X-CSRFToken": token},
                           data={"runner_type": "trail", "knee_status": "none", "timezone": "UTC"})
    assert response.status_code == 303


@pytest.mark.parametrize("method, path, data, status", [
    ("GET", "/", None, 200),
    ("GET", "/signin", None, 200),
    ("GET", "/today", None, 302),
    ("GET", "/no-such-page", None, 404),
    ("GET", "/signout", None, 405),
    ("POST", "/signin", {"email": "a\x00b@example.com", "password": "x"}, 400),
    ("POST", "/signin", {"email": "nobody@example.com", "password": "wrong password"}, 422),
    ("GET", "/static/css/app.css", None, 200),
    ("GET", "/sw.js", None, 200),
    ("GET", "/manifest.webmanifest", None, 200),
    ("GET", "/healthz", None, 200),
])
def test_every_kind_of_response_carries_the_security_headers(client, method, path, data, status):
    response = getattr(client, method.lower())(path, data=data)  # the test client adds the CSRF token to posts
    assert response.status_code == status
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP in development: HSTS would stick


def test_production_sends_hsts_and_secure_cookies(production_config, _schema):
    from app import create_app
    from tests.conftest import _test_config

    response = create_app(_test_config(_schema)).test_client().get("/signin")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)


def test_navigation_shows_only_what_this_user_can_use(client, make_user, auth):
    make_user()
    auth.signin()
    page = client.get("/today").get_data(as_text=True)
    assert 'aria-label="Main"' in page and 'aria-current="page"' in page
    assert ">Coach<" not in page


def _tabs(page: str) -> list[tuple[str, bool]]:
    """The tab bar's labels, each with whether it is marked as the current page."""
    bar = re.search(r'<nav class="tabbar".*?</nav>', page, re.S)
    return [] if bar is None else [(label, " aria-current" in attrs) for attrs, label in
                                   re.findall(r"<a ([^>]*)>.*?<span>([^<]+)</span></a>", bar.group(0))]


def test_each_person_and_page_gets_its_own_bars(app, client, make_user, auth):
    """The top and tab bars are rendered once per process for what they show (app/fragments.py):
    in one process, each page marks its own tab, a coach sees the coach's tabs, and a visitor
    signed out sees neither the tabs nor the Account link."""
    make_user()
    make_user(email="coach@example.com", athlete=False, coach=True, profile=False)
    auth.signin()
    tabs = ["Today", "Warm-up", "Check-in", "Training"]
    for path, current in (("/today", "Today"), ("/checkin", "Check-in"), ("/training", "Training"),
                          ("/warmup", "Warm-up"), ("/today", "Today"), ("/disclaimer", None)):
        page = client.get(path).get_data(as_text=True)
        assert _tabs(page) == [(tab, tab == current) for tab in tabs], path
        assert ">Account<" in page
    coach = app.test_client()
    coach.post("/signin", data={"email": "coach@example.com", "password": "correct horse battery"})
    assert _tabs(coach.get("/coach").get_data(as_text=True)) == [("Coach", True)]
    signed_out = app.test_client().get("/disclaimer").get_data(as_text=True)
    assert _tabs(signed_out) == [] and ">Account<" not in signed_out and 'class="brand"' in signed_out
    assert client.get("/today").get_data(as_text=True).count('aria-current="page"') == 1


def test_exercise_library_lists_every_stage_and_warmup(client):
    page = client.get("/exercises/").get_data(as_text=True)
    for heading in ("Stage 1 · Calm &amp; activate", "Stage 4 · Return to impact", "Pre-run warm-up"):
        assert heading in page
    library = load_library()
    for exercise in library.exercises:
        assert f'href="/exercises/{exercise.slug}"' in page


@pytest.mark.parametrize("slug", [e.slug for e in load_library().exercises])
def test_every_exercise_has_a_page_with_dose_and_cues(client, slug):
    exercise = load_library().by_slug[slug]
    response = client.get(f"/exercises/{slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    from markupsafe import escape

    assert str(escape(exercise.name)) in page
    assert str(escape(exercise.dose_label)) in page
    for cue in exercise.cues:
        assert str(escape(cue)) in page


def test_high_impact_exercise_page_warns(client):
    page = client.get("/exercises/pogo-hops").get_data(as_text=True)
    assert "High impact: left out while your knee hurts" in page


@pytest.mark.parametrize("path", ["/exercises/no-such-thing", "/nowhere", "/exercises/%E2%9C%93"])
def test_unknown_pages_get_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_protected_pages_send_visitors_to_sign_in(client):
    for path in ("/today", "/profile", "/account"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/signin?next=")


@pytest.mark.parametrize("path", ["/signin?next=%00", "/exercises/a%00b"])
def test_nul_bytes_in_the_url_are_refused_cleanly(client, path):
    assert client.get(path).status_code == 400


def test_nul_bytes_in_a_form_are_refused_and_nothing_is_created(client, app):
    from app.extensions import db
    from app.models import User

    response = client.post("/signup", data={"email": "a@example.com", "display_name": "Nul\x00Name",
                                            "password": "a long enough passphrase", "role": "athlete",
                                            "accept_disclaimer": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_static_urls_are_versioned_and_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    import re

    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    with client.get(css) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get("/static/css/app.css") as response:
        assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


def test_pages_and_static_files_are_gzipped(client):
    for path in ("/", "/static/vendor/htmx-2.0.11.min.js", "/static/css/app.css"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("Content-Encoding") == "gzip", path
        import gzip

        assert len(gzip.decompress(response.get_data())) > len(response.get_data())


def test_static_files_set_no_cookie(client):
    client.get("/")
    with client.get("/static/css/app.css") as response:
        assert "Set-Cookie" not in response.headers


def test_static_files_do_not_vary_by_cookie(client):
    """Else a browser asks the server again for every cached file each time the session changes."""
    for path in ("/static/css/app.css", "/static/css/app.css?v=1"):
        with client.get(path, headers={"Accept-Encoding": "gzip"}) as response:  # a first visit, too
            assert "Set-Cookie" not in response.headers, path
            assert response.headers["Vary"] == "Accept-Encoding", path
    assert "Cookie" in client.get("/").headers["Vary"]  # pages do


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
