"""The installable app's server side: manifest, icons, worker, offline page, session check,
the page head, and sign-out clearing the phone."""
from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
# static/js/pwa/, one file a job, in the order base.html loads them (worker.js makes what they share).
PWA_SCRIPTS = ("worker", "writes", "status", "signout", "start")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["id"] == "/" and manifest["scope"] == "/" and manifest["start_url"] == "/today"
    assert manifest["display"] == "standalone"
    assert manifest["short_name"] == "KneeReady" and manifest["name"].startswith("KneeReady")
    assert manifest["theme_color"] == "#f6f7f9" and manifest["background_color"] == "#f6f7f9"
    assert [(s["short_name"], s["url"]) for s in manifest["shortcuts"]] == [("Check-in", "/checkin"),
                                                                            ("Warm-up", "/warmup")]


def test_manifest_icons_exist_at_their_sizes(client):
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    icons = manifest["icons"] + [icon for shortcut in manifest["shortcuts"] for icon in shortcut["icons"]]
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert purposes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in icons:
        path, _, version = icon["src"].partition("?v=")
        assert version, "icons get versioned URLs"
        size = int(icon["sizes"].split("x")[0])
        assert png_size(STATIC / path.removeprefix("/static/")) == (size, size)
        assert client.get(icon["src"]).status_code == 200


def test_apple_touch_icon_is_180px():
    assert png_size(STATIC / "icons" / "apple-touch-icon.png") == (180, 180)


def test_every_page_links_the_manifest_and_ios_tags(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<link rel="manifest" href="/manifest.webmanifest">', page)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png\?v=\w+">', page)
    for name in ("apple-mobile-web-app-capable", "apple-mobile-web-app-title", "mobile-web-app-capable"):
        assert f'<meta name="{name}"' in page
    assert "/static/js/outbox.js?v=" in page
    scripts = re.findall(r'<script src="/static/js/pwa/(\w+)\.js\?v=\w+" defer></script>', page)
    assert scripts == list(PWA_SCRIPTS)
    assert page.index("/static/js/outbox.js?v=") < page.index("/static/js/pwa/worker.js?v=")
    assert "<script>" not in page


def worker(client) -> tuple[dict, str]:
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    first, _, source = body.partition("\n")
    assert first.startswith("self.KNEEREADY = ") and first.endswith(";")
    return json.loads(first.removeprefix("self.KNEEREADY = ").removesuffix(";")), source


def test_the_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    settings, source = worker(client)
    assert 'self.addEventListener("fetch"' in source and "importScripts(S.outboxScript)" in source
    assert settings["offlineUrl"] == "/offline" and settings["sessionUrl"] == "/pwa/session"
    assert settings["outboxScript"].startswith("/static/js/outbox.js?v=")
    assert settings["pages"][0] == "/today"


def test_the_worker_precaches_static_files_htmx_icons_and_the_offline_page(client):
    precache = worker(client)[0]["precache"]
    paths = {url.partition("?")[0] for url in precache}
    page_side = {f"/static/js/pwa/{name}.js" for name in PWA_SCRIPTS}
    assert {"/static/vendor/htmx-2.0.11.min.js", "/static/css/app.css", *page_side,
            "/static/js/outbox.js", "/static/icons/sprite.svg", "/static/icons/favicon.svg",
            "/offline", "/manifest.webmanifest"} <= paths
    assert "/static/js/sw.js" not in paths
    # The PNGs are for installing (the browser fetches them then); no page shows one.
    assert not [path for path in paths if path.endswith(".png")]
    assert all("?v=" in url for url in precache if url.startswith("/static/"))
    for url in precache:
        assert client.get(url).status_code == 200, url


def test_an_unchanged_worker_is_answered_with_an_empty_304(client):
    first = client.get("/sw.js", headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Content-Encoding"] == "gzip"
    again = client.get("/sw.js", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    changed = client.get("/sw.js", headers={"If-None-Match": 'W/"0123456789abcdef"'})
    assert changed.status_code == 200 and changed.get_data()


def test_the_worker_version_follows_the_files_and_can_be_set(app, client):
    version = worker(client)[0]["version"]
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert worker(client)[0]["version"] == version
    app.config["PWA_VERSION"] = "test-2"
    assert worker(client)[0]["version"] == "test-2"


def test_the_offline_page(client, make_user, auth):
    response = client.get("/offline")
    page = response.get_data(as_text=True)
    assert "You're offline" in page and 'href="/today"' not in page
    assert response.headers["KneeReady-Offline-For"] == ""  # whose page it is, for the worker
    user = make_user()
    auth.signin()
    response = client.get("/offline")
    page = response.get_data(as_text=True)
    assert "You're offline" in page and 'href="/today"' in page
    assert response.headers["KneeReady-Offline-For"] == str(user)


def test_the_session_check(client, make_user, auth):
    response = client.get("/pwa/session")
    assert response.status_code == 401 and response.headers["Cache-Control"] == "no-store"
    user_id = make_user()
    auth.signin()
    response = client.get("/pwa/session")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["user"] == user_id
    assert body["csrf"] and client.post("/profile", csrf=False, data={"csrf_token": body["csrf"]}).status_code == 422


def test_pages_tell_the_script_who_is_signed_in_and_what_to_keep(client, make_user, auth):
    page = client.get("/").get_data(as_text=True)
    assert 'data-user=""' in page and 'data-pages=""' in page
    user_id = make_user()
    auth.signin()
    page = client.get("/today").get_data(as_text=True)
    assert f'data-user="{user_id}"' in page
    assert 'data-pages="/today' in page
    assert 'data-sw="/sw.js"' in page and 'data-session="/pwa/session"' in page


def test_a_coach_keeps_no_athlete_pages(client, make_user, auth):
    make_user(email="coach@example.com", athlete=False, coach=True)
    auth.signin(email="coach@example.com")
    assert 'data-pages=""' in client.get("/today").get_data(as_text=True)


@pytest.mark.parametrize("action", ["signout", "delete"])
def test_leaving_clears_the_phone(client, make_user, auth, action):
    make_user()
    auth.signin()
    if action == "signout":
        response = auth.signout()
    else:
        response = client.post("/account/delete", data={"del-password": "correct horse battery", "del-confirm": "y"})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_failed_deletion_keeps_the_phone(client, make_user, auth):
    make_user()
    auth.signin()
    response = client.post("/account/delete", data={"del-password": "wrong password!!", "del-confirm": "y"})
    assert response.status_code == 422 and "Clear-Site-Data" not in response.headers


def test_the_sign_out_form_warns_about_unsynced_writes(client, make_user, auth):
    make_user()
    auth.signin()
    page = client.get("/account").get_data(as_text=True)
    assert "data-clears-phone" in page and "data-unsynced-warning" in page


def test_a_page_fetched_to_keep_leaves_the_session_cookie_alone(client, make_user, auth):
    make_user()
    auth.signin()
    client.post("/profile", data={"runner_type": "trail", "knee_status": "none", "timezone": "UTC"})
    kept = client.get("/today", headers={"KneeReady-Prefetch": "1"})
    assert "Profile saved." in kept.get_data(as_text=True)
    assert "Set-Cookie" not in kept.headers
    assert "Profile saved." in client.get("/today").get_data(as_text=True)  # still there for the person
