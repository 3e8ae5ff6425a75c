"""axe on every page: each HTML page of the app, opened by the person who sees it, in the light
and the dark colour scheme at 390×844, with no violation, no tap target under 44 px, no
sideways scroll at 390 and 320 px and no form that posts without its CSRF token, and
screenshots of both widths in test-artifacts/.

"Every page" is checked, not assumed: one test walks the app's URL map and fails when a GET
route is neither visited here nor in the commented list of routes that are not pages; the
browser test fails when a page template was never rendered.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import template_rendered
from playwright.sync_api import expect

from app.extensions import db
from tests.e2e.conftest import NARROW, PASSWORD, PHONE, sideways_scroll, sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The demo's people (app/demo.py) and three more for states the demo doesn't have.
EMAILS = {
    "maya": "maya@demo.kneeready.app",  # checked in today, weeks of history, a coach
    "leo": "leo@demo.kneeready.app",  # no check-in yet today, a session half logged
    "ana": "ana@demo.kneeready.app",  # a walk–run session open
    "coach": "coach@demo.kneeready.app",  # Coach Sam, coaching the three of them
    "red": "red@example.com",  # a red day: the recovery routine
    "new": "new@example.com",  # signed up, no running profile yet
}


@dataclass(frozen=True)
class Visit:
    name: str
    who: str | None  # a key of EMAILS, or None: signed out
    path: str  # formatted with the ids of the cast (see build_cast)
    status: int = 200


PAGES = (
    # Signed out
    Visit("landing", None, "/"),
    Visit("sign-in", None, "/signin"),
    Visit("sign-up", None, "/signup"),
    Visit("disclaimer", None, "/disclaimer"),
    Visit("offline", None, "/offline"),
    Visit("exercise-library", None, "/exercises/"),
    Visit("exercise", None, "/exercises/glute-bridge"),
    Visit("enter-a-code", None, "/invite"),
    Visit("invitation-signed-out", None, "/invite/{code}"),
    Visit("invitation-unknown", None, "/invite/KR-0000-0000", 404),
    Visit("not-found", None, "/no-such-page", 404),
    Visit("forgot-password", None, "/password/forgot"),
    Visit("forgot-password-sent", None, "/password/forgot/sent"),
    Visit("reset-password", None, "/password/reset/{reset}"),
    Visit("reset-password-used", None, "/password/reset/no-longer-valid", 400),
    Visit("unsubscribe", None, "/reminders/unsubscribe/{unsubscribe}"),
    Visit("unsubscribe-invalid", None, "/reminders/unsubscribe/not-a-token", 400),
    Visit("digest-unsubscribe", None, "/coach/digest/unsubscribe/{digest_unsubscribe}"),
    Visit("digest-unsubscribe-invalid", None, "/coach/digest/unsubscribe/not-a-token", 400),
    # An athlete on a checked-in day
    Visit("today", "maya", "/today"),
    Visit("check-in-edit", "maya", "/checkin"),
    Visit("check-in-result", "maya", "/checkin/result"),
    Visit("history", "maya", "/checkin/history"),
    Visit("warm-up", "maya", "/warmup"),
    Visit("training", "maya", "/training"),
    Visit("session-verdict", "maya", "/training/sessions/{maya_finished}"),
    Visit("timeline", "maya", "/training/timeline"),
    Visit("account", "maya", "/account"),
    Visit("reminders", "maya", "/account/reminders"),
    Visit("profile", "maya", "/profile"),
    Visit("coaches", "maya", "/coaches"),
    Visit("invitation", "maya", "/invite/{code}"),
    Visit("offline-signed-in", "maya", "/offline"),
    Visit("exercise-signed-in", "maya", "/exercises/single-leg-squat-test"),
    Visit("not-found-signed-in", "maya", "/training/sessions/999999", 404),
    # Other days
    Visit("today-no-check-in", "leo", "/today"),
    Visit("check-in-new", "leo", "/checkin"),
    Visit("warm-up-quick-check", "leo", "/warmup"),
    Visit("session-logging", "leo", "/training/sessions/{leo_open}"),
    Visit("walk-run-logging", "ana", "/training/sessions/{ana_run}"),
    Visit("today-red", "red", "/today"),
    Visit("recovery", "red", "/warmup"),
    Visit("onboarding", "new", "/profile?welcome=1"),
    Visit("questionnaire", "maya", "/progress/questionnaire"),
    Visit("progress", "maya", "/progress"),
    Visit("runs", "maya", "/runs"),
    Visit("run-edit", "maya", "/runs/{maya_run}"),
    Visit("physio-report", "maya", "/progress/report"),
    # A coach
    Visit("coach-today", "coach", "/today"),
    Visit("coach-dashboard", "coach", "/coach"),
    Visit("coach-dashboard-search", "coach", "/coach?q=maya"),
    Visit("coach-dashboard-name-too-long", "coach", "/coach?q=" + "x" * 101, status=422),
    Visit("coach-invitations", "coach", "/coach/invitations"),
    Visit("coach-athlete", "coach", "/coach/athletes/{maya}"),
    Visit("coach-outcomes", "coach", "/coach/athletes/{maya}/outcomes"),
    Visit("coach-physio-report", "coach", "/coach/athletes/{maya}/outcomes/report"),
    Visit("coach-account", "coach", "/account"),
)

# GET routes that are not pages, each with a sample URL: the route test checks that none answers
# with HTML (a redirect is fine), so a page can't hide in this list.
NOT_PAGES = {
    "static": "/static/css/app.css",  # static files
    "pwa.service_worker": "/sw.js",  # JavaScript
    "pwa.manifest": "/manifest.webmanifest",  # the web app manifest (JSON)
    "pwa.session": "/pwa/session",  # JSON for the phone's outbox
    "main.healthz": "/healthz",  # plain text for uptime checks
    "account.export_json": "/account/export.json",  # downloads
    "account.export_csv": "/account/export.zip",
    "coaches.answer_page": "/invite/{code}/accept",  # redirects to the invitation (after sign-in)
}
SAMPLE_IDS = {"code": "KR-7Q4M-X2PD", "maya": 1, "maya_finished": 1, "leo_open": 1, "ana_run": 1,
              "maya_run": 1,
              "reset": "token", "unsubscribe": "token", "digest_unsubscribe": "token"}

# Tap targets: everything a finger can press. A link inside a sentence is exempt (WCAG 2.5.8's
# inline exception), not a link standing alone; a radio or checkbox is measured by its label,
# which is what is tapped.
SMALL_TARGETS = """() => {
  const found = [], seen = new Set();
  const selector = "a[href], button, select, textarea, summary, input:not([type=hidden]), [role=button]";
  for (const element of document.querySelectorAll(selector)) {
    let target = element;
    if (element.matches("input[type=radio], input[type=checkbox]")) {
      target = element.closest("label") || document.querySelector('label[for="' + element.id + '"]') || element;
    }
    if (seen.has(target) || target.closest(".skip-link")) { continue; }
    seen.add(target);
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (!box.width || !box.height || style.visibility === "hidden") { continue; }
    const alone = target.parentElement.textContent.trim() === target.textContent.trim();
    if (target.matches("a") && style.display === "inline" && !alone) { continue; }
    if (box.width < 43.5 || box.height < 43.5) {
      const text = (target.textContent || target.value || target.getAttribute("aria-label") || "").trim();
      found.push(target.tagName.toLowerCase() + (target.className ? "." + String(target.className).trim().replace(/ +/g, ".") : "") +
        " '" + text.replace(/\\s+/g, " ").slice(0, 40) + "' " + Math.round(box.width) + "×" + Math.round(box.height));
    }
  }
  return found;
}"""

# Forms that post without their CSRF token: refused for a runner without JavaScript (htmx sends
# the page's token as a header; a plain form has only its own hidden field).
TOKENLESS_FORMS = """() => Array.from(document.querySelectorAll("form"))
  .filter((form) => form.method === "post")
  .filter((form) => Array.from(form.querySelectorAll('input[name="csrf_token"]')).filter((input) => input.value).length !== 1)
  .map((form) => form.getAttribute("action") || "(this page)")"""


def csrf_exempt(app, action: str) -> bool:
    """Whether a POST to this form action skips the CSRF check (@csrf.exempt: the one-click
    unsubscribes, whose signed link is their proof)."""
    from app.extensions import csrf

    endpoint = app.url_map.bind("localhost").match(action.partition("?")[0], method="POST")[0]
    view = app.view_functions[endpoint]
    return f"{view.__module__}.{view.__name__}" in csrf._exempt_views


def endpoint_of(app, path: str) -> str | None:
    """The endpoint a GET of this path reaches, or None for a path no route matches."""
    from werkzeug.exceptions import NotFound

    try:
        return app.url_map.bind("localhost").match(path.partition("?")[0], method="GET")[0]
    except NotFound:
        return None


def test_every_get_route_is_a_visited_page_or_listed_as_not_a_page(app, client, make_user, auth):
    get_routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    visited = {endpoint_of(app, visit.path.format(**SAMPLE_IDS)) for visit in PAGES} - {None}
    assert sorted(get_routes - visited - set(NOT_PAGES)) == [], "pages no browser test opens"
    assert sorted(set(NOT_PAGES) - get_routes) == [], "stale entries in NOT_PAGES"
    assert sorted(set(NOT_PAGES) & visited) == []
    make_user()
    auth.signin()
    for endpoint, sample in NOT_PAGES.items():
        path = sample.format(**SAMPLE_IDS)
        assert endpoint_of(app, path) == endpoint, path
        response = client.get(path)
        if response.status_code == 302:
            continue  # a redirect (its little HTML body is Werkzeug's, never a page of ours)
        assert response.status_code == 200, path
        assert response.mimetype != "text/html", f"{path} is a page: visit it in PAGES"


# Pages only a POST reaches, with the browser test that runs axe on them instead.
POSTED_PAGES = {"runs/confirm.html": "tests/e2e/test_runs.py (an uploaded file's confirm page)"}


def page_templates() -> set[str]:
    """Every page template: templates/<area>/<view>.html; fragments start with "_". Email
    bodies (templates/email/) are messages, not pages."""
    return {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.glob("*/*.html")
            if not path.name.startswith("_") and path.parent.name != "email"} - set(POSTED_PAGES)


def build_cast(app, make_user) -> dict:
    """The demo, plus a red day, a new account, open sessions and invitations; ids for PAGES."""
    from app.auth import reset
    from app.coach import invites
    from app.demo import create_demo_data
    from app.domain import training
    from app.domain.coaching import display_code
    from app.library import library
    from app.models import AthleteProfile, CheckIn, Run, TrainingSession, User
    from app.clock import local_today
    from app.progress import progress_for
    from app.coach.digest import unsubscribe_token as digest_unsubscribe_token
    from app.reminders.delivery import unsubscribe_token
    from app.training import service

    red = make_user(email=EMAILS["red"], name="Rae Red")
    make_user(email=EMAILS["new"], name="Nova New", profile=False)
    pending = make_user(email="pending@example.com", name="Coach Pat", athlete=False, coach=True)
    with app.app_context():
        create_demo_data(PASSWORD)
        ids = {key: db.session.scalar(db.select(User.id).where(User.email == email)) for key, email in EMAILS.items()}
        db.session.add(CheckIn(athlete_id=red, local_date=local_today(None), pain_now=7, worst_pain=7, status="red"))
        db.session.commit()
        for key, kind in (("leo", "strength"), ("ana", "run")):
            profile = db.session.get(AthleteProfile, ids[key])
            # Opened as the cast needs them, whatever today's gate would offer.
            plan = (training.strength_plan(library(), progress_for(profile), profile.equipment)
                    if kind == "strength" else training.Plan("run", 5, (), run_level=1))
            ids[f"{key}_{'open' if kind == 'strength' else 'run'}"] = service.start_session(
                profile.user_id, plan, local_today(profile)).id
        ids["maya_finished"] = db.session.scalar(
            db.select(TrainingSession.id).where(TrainingSession.athlete_id == ids["maya"])
            .order_by(TrainingSession.local_date.desc()).limit(1))
        ids["code"] = display_code(invites.create_invitation(pending).invite_code)
        invites.create_invitation(ids["coach"])
        ids["reset"] = reset.make_token(db.session.get(User, ids["maya"]))
        ids["unsubscribe"] = unsubscribe_token(ids["maya"])
        ids["digest_unsubscribe"] = digest_unsubscribe_token(ids["coach"])
        run = Run(athlete_id=ids["maya"], local_date=local_today(None), distance_m=5000,
                  duration_s=1800, terrain="road", pain_during=0, source="manual")
        db.session.add(run)
        db.session.commit()
        ids["maya_run"] = run.id
    return ids


def fits(page, label: str) -> list[str]:
    """What is wrong with the page's layout at the current width: sideways scroll, small targets."""
    problems = []
    overflow = sideways_scroll(page)
    if overflow > 0:
        problems.append(f"{label}: scrolls sideways by {overflow}px")
    problems += [f"{label}: tap target under 44 px: {target}" for target in page.evaluate(SMALL_TARGETS)]
    return problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_and_fits_a_phone(new_context, app, make_user, axe_check, screenshot, scheme):
    ids = build_cast(app, make_user)
    rendered = set()

    def record(sender, template, context, **extra):
        rendered.add(template.name)

    template_rendered.connect(record)
    pages = {}
    problems = []
    try:
        for visit in PAGES:
            if visit.who not in pages:
                # No service worker: it would fetch pages in the background, and offline is tested elsewhere.
                pages[visit.who] = new_context(service_workers="block").new_page()
                pages[visit.who].emulate_media(color_scheme=scheme)
                if visit.who:
                    sign_in(pages[visit.who], EMAILS[visit.who], lands_on=None)
            page = pages[visit.who]
            response = page.goto(visit.path.format(**ids))
            assert response.status == visit.status, f"{visit.name}: {visit.path} answered {response.status}"
            expect(page.locator("main h1").first).to_be_visible()
            page.wait_for_load_state("networkidle")  # htmx has loaded what the page asks for
            axe_check(page, f"{visit.name} ({scheme})")
            problems += [f"{visit.name}: a form posting to {action} carries no CSRF token of its own"
                         for action in page.evaluate(TOKENLESS_FORMS) if not csrf_exempt(app, action)]
            problems += fits(page, f"{visit.name} at 390 px {scheme}")
            screenshot(page, f"{scheme}-390-{visit.name}")
            page.set_viewport_size(NARROW)
            problems += fits(page, f"{visit.name} at 320 px {scheme}")
            screenshot(page, f"{scheme}-320-{visit.name}")
            page.set_viewport_size(PHONE)
    finally:
        template_rendered.disconnect(record)
    assert not problems, "\n".join(problems)
    assert sorted(page_templates() - rendered) == [], "page templates no visit rendered"
