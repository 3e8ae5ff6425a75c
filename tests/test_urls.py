"""App.url_for remembers what it built: the same URLs as Flask's, per script root and values."""
from __future__ import annotations

from flask import Flask


def test_remembered_urls_are_the_urls_flask_builds(app):
    asks = [("static", {"filename": "css/app.css"}), ("main.today", {}), ("checkin.form", {}),
            ("training.session", {"session_id": 7}), ("coach.dashboard", {"show": "attention", "upto": 100}),
            ("coach.dashboard", {"q": "zoë & co"}), ("main.today", {"_anchor": "plan"})]
    with app.test_request_context("/today"):
        for _ in range(2):  # built, then remembered
            for endpoint, values in asks:
                assert app.url_for(endpoint, **values) == Flask.url_for(app, endpoint, **values)


def test_the_script_root_the_blueprint_and_the_values_type_each_make_their_own_url(app):
    with app.test_request_context("/today", base_url="http://localhost/kneeready/"):
        mounted = app.url_for("main.today")
    with app.test_request_context("/today"):
        assert app.url_for("main.today") == "/today" and mounted == "/kneeready/today"
        assert app.url_for(".today") == "/today"
        assert app.url_for("coach.dashboard", upto=1) != app.url_for("coach.dashboard", upto=True)
    with app.test_request_context("/checkin"):
        assert app.url_for(".history") == "/checkin/history"  # the checkin blueprint's, not main's
        assert app.url_for("coach.dashboard", show=["a", "b"]) == "/coach?show=a&show=b"  # unhashable: built


def test_external_urls_and_debug_mode_are_built_the_ordinary_way(app):
    with app.test_request_context("/today"):
        assert app.url_for("main.today", _external=True) == "http://localhost/today"
    assert len(app._urls) <= 4096
