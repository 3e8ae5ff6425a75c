"""A new runner signs up, answers onboarding, and lands on Today — on a phone."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from app.extensions import db
from app.models import AthleteProfile, User
from tests.e2e.conftest import NARROW, sideways_scroll


def test_sign_up_onboard_and_reach_today(page, app, axe_check, screenshot):
    page.goto("/")
    axe_check(page, "landing")
    screenshot(page, "landing")
    page.get_by_role("link", name="Create a free account").click()

    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    axe_check(page, "sign-up")
    page.get_by_label("Email").fill("sam.trail@example.com")
    page.get_by_label("Your name").fill("Sam Trail")
    page.get_by_label("Password").fill("muddy switchbacks 42")
    page.get_by_label(re.compile("Runner — I want")).check()
    page.get_by_label(re.compile("I understand KneeReady is educational only")).check()
    screenshot(page, "signup")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Welcome, Sam Trail")).to_be_visible()
    axe_check(page, "onboarding")
    page.get_by_label(re.compile("Trail — uneven")).check()
    page.get_by_label(re.compile("Niggles — it aches")).check()
    page.get_by_label("Resistance band").check()
    screenshot(page, "onboarding")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Hi, Sam Trail")).to_be_visible()
    expect(page).to_have_url(re.compile("/today$"))
    expect(page.get_by_text("You're all set.")).to_be_visible()
    axe_check(page, "today")
    screenshot(page, "today")

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "sam.trail@example.com"))
        profile = db.session.get(AthleteProfile, user.id)
        assert (profile.runner_type, profile.knee_status, profile.has_band) == ("trail", "niggles", True)
        assert profile.timezone == "UTC"  # the browser's zone, pre-filled (headless chromium runs in UTC)


def test_sign_up_errors_show_next_to_the_fields(page, axe_check, screenshot):
    page.goto("/signup")
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#email-error")).to_contain_text("Enter an email address like")
    expect(page.locator("#password-error")).to_contain_text("at least 10 characters")
    expect(page.locator("#accept_disclaimer-error")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "sign-up with errors")
    screenshot(page, "signup-errors")


def test_pages_fit_a_320px_screen(new_context, make_user, screenshot, axe_check):
    make_user()
    page = new_context(viewport=NARROW).new_page()
    page.goto("/signin")
    page.get_by_label("Email").fill("runner@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hi, Riley Runner")).to_be_visible()
    for path in ("/today", "/profile", "/account", "/exercises/", "/exercises/single-leg-romanian-deadlift"):
        page.goto(path)
        overflow = sideways_scroll(page)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        axe_check(page, path)
        screenshot(page, "320-" + path.strip("/").replace("/", "-"))


def test_dark_theme_passes_axe(new_context, screenshot, axe_check):
    page = new_context(color_scheme="dark").new_page()
    page.goto("/")
    axe_check(page, "landing dark")
    screenshot(page, "landing-dark")
    page.goto("/signup")
    axe_check(page, "sign-up dark")
    screenshot(page, "signup-dark")
