"""The run file parsers (app/runs/parsers.py) on the committed samples and on hostile files."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from app.runs.parsers import FileProblem, parse
from tests.data.make_samples import course, fit_bytes, gpx_text, tcx_text

DATA = Path(__file__).parents[1] / "data"
START = datetime(2026, 3, 14, 7, 30)


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_gpx_moving_time_leaves_out_the_pause_and_doubles_stride_cadence_only_when_low():
    run = parse("park_run.gpx", sample("park_run.gpx"))
    assert (run.started_at, run.distance_m, run.duration_s) == (START, 5000, 1500)
    assert run.elevation_loss_m == 15 and run.avg_cadence == 168 and not run.treadmill
    strides = parse("x.gpx", gpx_text(course(3000, 900, 5), cadence=84).encode())
    assert strides.avg_cadence == 168


def test_tcx_reads_distance_descent_cadence_and_skips_the_pause():
    run = parse("hills.tcx", sample("hills.tcx"))
    assert (run.distance_m, run.duration_s, run.elevation_loss_m, run.avg_cadence) == (6000, 2400, 40, 164)


def test_fit_uses_the_watch_session_totals():
    run = parse("long_run.fit", sample("long_run.fit"))
    assert (run.started_at, run.distance_m, run.duration_s) == (START, 10_000, 3300)
    assert run.elevation_loss_m == 25 and run.avg_cadence == 168 and run.source == "fit"


def test_fit_without_a_session_is_totalled_from_its_records():
    run = parse("r.fit", fit_bytes(course(4000, 1200, 2, pause_at=0.5, pause_s=40, climb_m=10), session=False))
    assert (run.distance_m, run.duration_s, run.elevation_loss_m, run.avg_cadence) == (4000, 1200, 10, 168)


def test_treadmill_fit_has_no_positions_and_is_marked_treadmill():
    run = parse("treadmill.fit", sample("treadmill.fit"))
    assert run.treadmill and (run.distance_m, run.duration_s) == (6000, 1800)


def test_tcx_without_positions_is_a_treadmill_run():
    run = parse("t.tcx", tcx_text(course(5000, 1800, 5), positions=False).encode())
    assert run.treadmill and run.distance_m == 5000


@pytest.mark.parametrize("name, data, says", [
    ("ride.fit", None, "cycling activity, not a run"),
    ("cut.fit", "long_run.fit:half", "could not be read as FIT"),
    ("archive.fit", "zip", "could not be read as FIT"),
    ("empty.gpx", gpx_text([], track=False).encode(), "no track points"),
    ("cut.gpx", "park_run.gpx:half", "could not be read as GPX"),
    ("cut.tcx", "hills.tcx:half", "could not be read as TCX"),
    ("bike.tcx", tcx_text(course(5000, 900, 5), sport="Biking").encode(), "biking activity"),
    ("notes.txt", b"hello", "not a GPX, TCX or FIT"),
    ("nothing.gpx", b"", "is empty"),
    ("random.fit", bytes(range(256)) * 4, "could not be read as FIT"),
])
def test_bad_files_are_refused_with_a_reason(name, data, says):
    if data is None:
        data = sample(name)
    elif data == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("run.fit", sample("long_run.fit"))
        data = buffer.getvalue()
    elif isinstance(data, str):
        whole = sample(data.split(":")[0])
        data = whole[: len(whole) // 2]
    with pytest.raises(FileProblem, match=says):
        parse(name, data)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">&lol3;</TrainingCenterDatabase>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&secret;</name></trk></gpx>"""


@pytest.mark.parametrize("name, data", [("bomb.tcx", BOMB), ("xxe.gpx", XXE), ("bomb.gpx", BOMB),
                                        ("xxe.tcx", XXE)])
def test_entities_are_never_expanded(name, data):
    with pytest.raises(FileProblem) as refused:
        parse(name, data)
    assert "root" not in str(refused.value)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.runs.parsers import ParsedRun  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["park_run.gpx", "hills.tcx", "treadmill.fit"]),
       cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
       keep=st.floats(0.05, 1.0))
def test_a_damaged_file_is_read_or_refused_never_crashes(name, cuts, keep):
    """Flipped bytes and cut-off ends: either a run comes out, or a FileProblem says why."""
    data = bytearray(sample(name))
    for position, value in cuts:
        data[position % len(data)] = value
    data = bytes(data[: max(1, int(len(data) * keep))])
    try:
        assert isinstance(parse(name, data), ParsedRun)
    except FileProblem:
        pass
