"""Sign up, sign in, sign out, change password, delete account."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_url, login_user, logout_user

from app.auth import accounts, signed_in
from app.auth.forms import ChangePasswordForm, DeleteAccountForm, SigninForm, SignupForm
from app.auth.sessions import start_session
from app.extensions import limiter, login_manager
from app.htmx import is_htmx, wants_fragment
from app.idempotency import KEY_HEADER

bp = Blueprint("auth", __name__)
auth_limit = limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"], methods=["POST"])


def _safe_next(default: str) -> str:
    """Only follow a `next` that stays on this site (and can go in a Location header at all)."""
    target = request.values.get("next", "")
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return default  # a line break would end the header; urlsplit quietly drops tabs and breaks
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return default


def sign_in_first():
    """A signed-out request to a page that needs an account. htmx and queued writes get a 401,
    so a phone can tell "sign in needed" from a page; a browser is sent to sign in."""
    queued_write = KEY_HEADER in request.headers
    if is_htmx() or queued_write:
        response = Response("Sign in to continue.", 401, mimetype="text/plain")
        if not queued_write:
            flash(login_manager.login_message, login_manager.login_message_category)
            response.headers["HX-Redirect"] = login_url(login_manager.login_view, _page_url())
        return response
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, request.url))


def _page_url() -> str:
    """The page the person is on: a boosted visit's own URL, a fragment's page otherwise."""
    if request.method == "GET" and not wants_fragment():
        return request.url
    return request.headers.get("HX-Current-URL") or url_for("main.today")


@bp.route("/signup", methods=["GET", "POST"])
@auth_limit
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.today"))
    form = SignupForm()
    if form.validate_on_submit():
        user = accounts.create_user(form)
        if user is None:
            form.email.errors.append("An account with this email already exists. Sign in instead?")
        else:
            start_session(user, remember=False)
            if user.is_athlete:
                return redirect(_safe_next(url_for("profile.edit", welcome=1)), 303)
            return redirect(_safe_next(url_for("main.today")), 303)
    status = 422 if form.errors else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/signin", methods=["GET", "POST"])
@auth_limit
def signin():
    if current_user.is_authenticated:
        return redirect(url_for("main.today"))
    form = SigninForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user, remember=form.remember.data)
            return redirect(_safe_next(url_for("main.today")), 303)
        form.password.errors.append("That email and password don't match an account.")
    status = 422 if form.errors else 200
    return render_template("auth/signin.html", form=form), status


# Sign-out and account deletion leave nothing of this person on the phone: the service
# worker's cached pages and the queue of unsynced writes go with the HTTP cache.
CLEAR_SITE_DATA = {"Clear-Site-Data": '"cache", "storage"'}


@bp.post("/signout")
def signout():
    logout_user()
    session.clear()
    flash("You're signed out.", "info")
    response = redirect(url_for("main.index"), 303)
    response.headers.update(CLEAR_SITE_DATA)
    return response


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return account_page()


def account_page(status: int = 200, **forms):
    """The account page; `forms` carries a submitted form back with its errors."""
    from app.coach.digest_routes import digest_form

    forms.setdefault("password_form", ChangePasswordForm(prefix="pw"))
    forms.setdefault("delete_form", DeleteAccountForm(prefix="del"))
    if current_user.is_coach:
        forms.setdefault("digest_form", digest_form())
    return render_template("auth/account.html", **forms), status


@bp.post("/account/password")
@login_required
@auth_limit
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        user = signed_in.account()
        if accounts.change_password(user, form.current_password.data, form.new_password.data):
            login_user(user, remember=bool(request.cookies.get("remember_token")))
            flash("Password changed. Any other devices have been signed out.", "success")
            return redirect(url_for("auth.account"), 303)
        form.current_password.errors.append("That isn't your current password.")
    return account_page(422, password_form=form)


@bp.post("/account/delete")
@login_required
@auth_limit
def delete_account():
    form = DeleteAccountForm(prefix="del")
    if form.validate_on_submit():
        if accounts.delete_user(signed_in.account(), form.password.data):
            logout_user()
            session.clear()
            flash("Your account and all its data have been deleted.", "info")
            response = redirect(url_for("main.index"), 303)
            response.headers.update(CLEAR_SITE_DATA)
            return response
        form.password.errors.append("That isn't your password. Nothing was deleted.")
    return account_page(422, delete_form=form)
