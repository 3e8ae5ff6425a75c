"""The run log's routes: log by hand, edit, import files, and who may see what."""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from tests.data.make_samples import START, course, gpx_text
from tests.security.snapshot import database_snapshot

DATA = Path(__file__).parents[1] / "data"
GOOD = {"local_date": "2026-03-20", "distance": "5.2", "duration": "31:30", "terrain": "road",
        "pain_during": "1", "pain_after": ""}


def log(client, **changes):
    return client.post("/runs", data={**GOOD, **changes})


def test_a_run_logged_by_hand_is_stored_and_redirects(client, athlete, stored_runs):
    response = log(client, downhill="y", pain_after="2")
    assert response.status_code == 303 and response.headers["Location"].endswith("/runs")
    [run] = stored_runs(athlete)
    assert (run.distance_m, run.duration_s, run.terrain, run.downhill) == (5200, 1890, "road", True)
    assert (run.pain_during, run.pain_after, run.source, str(run.local_date)) == (1, 2, "manual", "2026-03-20")


def test_a_post_without_a_date_is_refused_not_stored(client, athlete, app):
    before = database_snapshot(app)
    data = {key: value for key, value in GOOD.items() if key != "local_date"}
    response = client.post("/runs", data=data)
    assert response.status_code == 422 and "Enter the date of the run." in response.get_data(as_text=True)
    assert database_snapshot(app) == before


def test_the_form_defaults_to_the_athletes_today(client, athlete):
    page = client.get("/runs").get_data(as_text=True)
    assert 'value="2026-03-20"' in page


@pytest.mark.parametrize("changes, field, says", [
    ({"distance": "200", "duration": "6:40:00"}, "distance", "up to 150 km"),
    ({"distance": "10", "duration": "20"}, "duration", "faster than anyone runs"),
    ({"local_date": "2026-03-21"}, "local_date", "can&#39;t be in the future"),
    ({"duration": ""}, "duration", "Enter how long you ran"),
    ({"duration": "ten"}, "duration", "Enter the time as minutes"),
    ({"distance": "5km"}, "distance", "Enter the distance in km"),
    ({"distance": "nan"}, "distance", "Enter the distance in km"),
    ({"distance": "0"}, "distance", "above 0 km"),
    ({"local_date": ""}, "local_date", "Enter the date of the run"),
    ({"local_date": "20-03-2026"}, "local_date", "Enter a date, like"),
    ({"pain_during": "11"}, "pain_during", "Choose your worst pain"),
    ({"terrain": "moon"}, "terrain", "Choose where you ran"),
])
def test_out_of_range_input_gets_a_message_beside_its_field_and_stores_nothing(
        client, athlete, app, changes, field, says):
    before = database_snapshot(app)
    response = log(client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and says in page
    assert database_snapshot(app) == before


def test_htmx_gets_the_form_back_with_its_messages(client, athlete):
    response = client.post("/runs", data={**GOOD, "distance": "200"}, headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.lstrip().startswith("<form") and "up to 150 km" in page


def test_htmx_success_redirects_the_htmx_way(client, athlete, stored_runs):
    response = client.post("/runs", data=GOOD, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Location"].endswith("/runs")
    assert len(stored_runs(athlete)) == 1


def test_htmx_following_that_redirect_gets_the_whole_page(client, athlete):
    """HX-Location makes htmx GET the page with HX-Request set: the page, not the form alone."""
    page = client.get("/runs", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<h1>Your runs</h1>" in page and "Last 12 weeks" in page


def test_a_replayed_idempotency_key_stores_the_run_once(client, athlete, stored_runs):
    for _ in range(3):
        response = client.post("/runs", data=GOOD, headers={"Idempotency-Key": "run-key-0001"})
        assert response.status_code == 303
    assert len(stored_runs(athlete)) == 1


def test_pain_an_hour_after_is_added_later_by_editing(client, athlete, add_run, stored_runs, today):
    run_id = add_run(athlete, today, 6, 36, pain_during=1)
    form = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert 'value="6"' in form and 'value="36:00"' in form
    response = client.post(f"/runs/{run_id}", data={**GOOD, "distance": "6", "duration": "36:00",
                                                     "pain_after": "3"})
    assert response.status_code == 303
    [run] = stored_runs(athlete)
    assert (run.pain_after, run.distance_m, run.duration_s) == (3, 6000, 2160)


def test_someone_elses_run_is_not_found(client, athlete, make_user, add_run, today, stored_runs):
    other = make_user(email="other@example.com")
    run_id = add_run(other, today)
    assert client.get(f"/runs/{run_id}").status_code == 404
    assert client.post(f"/runs/{run_id}", data={**GOOD, "pain_after": "9"}).status_code == 404
    assert stored_runs(other)[0].pain_after is None


def test_coaches_and_strangers_cannot_use_the_run_log(client, make_user, auth):
    assert client.get("/runs").status_code == 302  # signed out: to sign in
    make_user(email="coach@example.com", athlete=False, coach=True)
    auth.signin(email="coach@example.com")
    assert client.get("/runs").status_code == 404


def test_logging_a_spike_says_so_at_once(client, athlete, add_run, today):
    add_run(athlete, today - timedelta(days=5), 4)
    response = client.post("/runs", data=GOOD, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "That run was 30% longer than your longest of the 30 days before: a spike." in page
    assert "Next time keep any single run to 4.4 km or less" in page


def test_a_spike_is_shown_with_what_to_do_next_time(client, athlete, add_run, today):
    add_run(athlete, today - timedelta(days=5), 10)
    add_run(athlete, today - timedelta(days=1), 12)
    page = client.get("/runs").get_data(as_text=True)
    assert "Spike:</strong> 20% longer" in page
    assert "Next time keep any single run to 11.0 km or less" in page
    assert "<strong>13.2 km</strong> or less today" in page


BOUNDARY = "----kneereadyrunfiles"


def upload(client, *named):
    """POST the files as one multipart body built here (the test client's own builder spools a
    large body to a temporary file it never closes, which filterwarnings=error turns into a failure)."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{client.csrf_token()}\r\n'.encode()]
    for name, data in named:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return client.post("/runs/import", data=body, csrf=False,
                       content_type=f"multipart/form-data; boundary={BOUNDARY}")


def confirm_all(client, page: str, count: int, pain="1"):
    import re

    tokens = re.findall(r'name="(runs-\d+-token)"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="(runs-\d+-token)"', page)
    data = {}
    for name, value, value2, name2 in tokens:
        data[name or name2] = value or value2
    assert len(data) == count
    for index in range(count):
        data[f"runs-{index}-pain_during"] = pain
        data[f"runs-{index}-terrain"] = "road"
    return client.post("/runs/import/confirm", data=data)


def sample(name):
    return name, (DATA / name).read_bytes()


def test_import_reads_several_files_then_stores_them_once_confirmed(client, athlete, stored_runs, app):
    before = database_snapshot(app)
    response = upload(client, sample("park_run.gpx"), sample("hills.tcx"), sample("long_run.fit"),
                      sample("treadmill.fit"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "4 runs found" in page
    assert "5.00 km" in page and "no GPS: judged by time" in page
    assert database_snapshot(app) == before  # nothing stored until confirmed
    assert confirm_all(client, page, 4).status_code == 303
    runs = stored_runs(athlete)
    assert sorted(r.source for r in runs) == ["fit", "fit", "gpx", "tcx"]
    long_run = next(r for r in runs if r.file_name == "long_run.fit")
    assert (long_run.distance_m, long_run.duration_s, long_run.avg_cadence, long_run.elevation_loss_m) == (
        10_000, 3300, 168, 25)
    assert str(long_run.local_date) == "2026-03-14"


def test_the_same_file_twice_is_recognised_and_not_stored_twice(client, athlete, stored_runs):
    page = upload(client, sample("park_run.gpx")).get_data(as_text=True)
    confirm_all(client, page, 1)
    again = upload(client, sample("park_run.gpx"), ("copy.gpx", sample("park_run.gpx")[1]))
    assert again.status_code == 422 and "already in your log" in again.get_data(as_text=True)
    assert len(stored_runs(athlete)) == 1


def test_confirming_the_same_upload_twice_stores_it_once(client, athlete, stored_runs):
    page = upload(client, sample("park_run.gpx")).get_data(as_text=True)
    confirm_all(client, page, 1)
    confirm_all(client, page, 1)
    assert len(stored_runs(athlete)) == 1


def zip_of(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.fit", data)
    return buffer.getvalue()


def test_bad_files_are_named_and_the_good_ones_still_imported(client, athlete, stored_runs, app):
    future = START + timedelta(days=400)
    fast = course(200_000, 24_000, 60)
    response = upload(
        client, sample("park_run.gpx"), sample("ride.fit"),
        ("cut.fit", sample("long_run.fit")[1][:3000]), ("archive.fit", zip_of(sample("long_run.fit")[1])),
        ("empty.gpx", gpx_text([], track=False).encode()),
        ("future.gpx", gpx_text([(t + (future - START), *rest) for t, *rest in course(5000, 1500, 5)]).encode()),
        ("ultra.gpx", gpx_text(fast).encode()),
        ("bomb.tcx", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "One run found" in page
    for name, says in [("ride.fit", "cycling"), ("cut.fit", "could not be read as FIT"),
                       ("archive.fit", "could not be read as FIT"), ("empty.gpx", "no track points"),
                       ("future.gpx", "future"), ("ultra.gpx", "up to 150 km"), ("bomb.tcx", "entities")]:
        assert f"<strong>{name}</strong>" in page and says in page, name
    confirm_all(client, page, 1)
    assert [r.file_name for r in stored_runs(athlete)] == ["park_run.gpx"]


def test_a_file_over_10_mb_is_refused_by_name(client, athlete, app):
    before = database_snapshot(app)
    response = upload(client, ("huge.gpx", b" " * (10 * 1024 * 1024 + 1)))
    assert response.status_code == 422 and "<strong>huge.gpx</strong> is over 10 MB" in response.get_data(as_text=True)
    assert database_snapshot(app) == before


def test_a_30_mb_upload_is_a_413_with_a_message(client, athlete, app):
    before = database_snapshot(app)
    response = upload(client, ("a.gpx", b" " * (15 * 1024 * 1024)), ("b.gpx", b" " * (15 * 1024 * 1024)))
    assert response.status_code == 413
    assert "over 25 MB" in response.get_data(as_text=True)
    assert database_snapshot(app) == before


def test_a_run_form_sent_too_large_gets_the_usual_answer_not_the_files_one(client, athlete, app):
    """Only the file import speaks of files; the hand-typed run form is just too long."""
    before = database_snapshot(app)
    response = log(client, pain_during="a" * 300_000)
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "What you sent was too large." in page
    assert "files" not in page.split("<main", 1)[1]
    assert database_snapshot(app) == before


def test_an_upload_without_files_says_so(client, athlete):
    response = client.post("/runs/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose one or more" in response.get_data(as_text=True)


def test_a_forged_import_token_is_refused(client, athlete, app):
    before = database_snapshot(app)
    response = client.post("/runs/import/confirm", data={"runs-0-token": "forged", "runs-0-pain_during": "1",
                                                          "runs-0-terrain": "road"})
    assert response.status_code == 400
    assert database_snapshot(app) == before


def test_confirm_without_pain_asks_for_it_and_stores_nothing(client, athlete, app):
    page = upload(client, sample("park_run.gpx")).get_data(as_text=True)
    before = database_snapshot(app)
    response = confirm_all(client, page, 1, pain="")
    assert response.status_code == 422 and "Choose your worst pain" in response.get_data(as_text=True)
    assert database_snapshot(app) == before


def test_a_sensors_nonsense_is_dropped_not_stored(client, athlete, stored_runs):
    points = [(t, m, lat, lon, alt * 1000) for t, m, lat, lon, alt in course(5000, 1500, 5, climb_m=30)]
    page = upload(client, ("mountain.gpx", gpx_text(points, cadence=400).encode())).get_data(as_text=True)
    assert "One run found" in page
    confirm_all(client, page, 1)
    [run] = stored_runs(athlete)
    assert run.elevation_loss_m is None and run.avg_cadence is None and run.distance_m == 5000
