"""Write the sample run files in tests/data/: `.venv/bin/python tests/data/make_samples.py`.

GPX and TCX are written as text here; FIT files are written with the `fit-tool` package
(a dev dependency, pyproject.toml), which encodes FIT messages and their CRC. The files are
deterministic: every run starts at a fixed moment and follows a fixed course.

park_run.gpx   5.0 km road run, 1 point / 5 s, cadence (steps) and elevation, one 60 s pause
hills.tcx      6.0 km trail run with 40 m of climbing and descending, RunCadence (strides), a pause
long_run.fit   10.0 km GPS run with timer pause events, session totals, cadence and altitude
treadmill.fit  30 minutes on a treadmill: no positions, distance from the foot pod
ride.fit       a bike ride (sport = cycling): must be refused
"""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
START = datetime(2026, 3, 14, 7, 30, tzinfo=UTC)
LAT0, LON0 = 51.5000, -0.1000
METRES_PER_DEG_LAT = 111_195.0


def course(distance_m: float, seconds: int, step_s: int, pause_at: float | None = None,
           pause_s: int = 60, climb_m: float = 0.0):
    """(time, cumulative metres, lat, lon, altitude) along a straight line north, evenly paced,
    standing still for `pause_s` at the fraction `pause_at` of the way."""
    points, t, paused = [], 0, False
    speed = distance_m / seconds
    moving_t = 0
    while moving_t <= seconds:
        metres = min(distance_m, speed * moving_t)
        fraction = metres / distance_m
        altitude = 20 + climb_m * math.sin(math.pi * fraction)  # up then down again
        points.append((START + timedelta(seconds=t), metres, LAT0 + metres / METRES_PER_DEG_LAT, LON0, altitude))
        if pause_at is not None and not paused and fraction >= pause_at:
            paused = True
            for extra in range(step_s, pause_s + 1, step_s):
                points.append((START + timedelta(seconds=t + extra), metres,
                               LAT0 + metres / METRES_PER_DEG_LAT, LON0, altitude))
            t += pause_s
        t += step_s
        moving_t += step_s
    return points


def gpx_text(points, cadence: int | None = 168, track=True) -> str:
    rows = []
    for time, _, lat, lon, alt in points:
        ext = (f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>{cadence}</gpxtpx:cad>"
               "</gpxtpx:TrackPointExtension></extensions>") if cadence else ""
        rows.append(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{alt:.1f}</ele>'
                    f"<time>{time:%Y-%m-%dT%H:%M:%SZ}</time>{ext}</trkpt>")
    body = f"<trk><name>Run</name><trkseg>{''.join(rows)}</trkseg></trk>" if track else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx version="1.1" creator="KneeReady samples" xmlns="http://www.topografix.com/GPX/1/1" '
            'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
            f"{body}</gpx>\n")


def tcx_text(points, strides: int = 82, sport: str = "Running", positions: bool = True) -> str:
    rows = []
    for time, metres, lat, lon, alt in points:
        position = (f"<Position><LatitudeDegrees>{lat:.7f}</LatitudeDegrees>"
                    f"<LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>") if positions else ""
        rows.append(f"<Trackpoint><Time>{time:%Y-%m-%dT%H:%M:%SZ}</Time>{position}"
                    f"<AltitudeMeters>{alt:.1f}</AltitudeMeters><DistanceMeters>{metres:.1f}</DistanceMeters>"
                    f"<Extensions><ns3:TPX><ns3:RunCadence>{strides}</ns3:RunCadence></ns3:TPX></Extensions>"
                    "</Trackpoint>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
            'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
            f'<Activities><Activity Sport="{sport}"><Id>{points[0][0]:%Y-%m-%dT%H:%M:%SZ}</Id>'
            f'<Lap StartTime="{points[0][0]:%Y-%m-%dT%H:%M:%SZ}"><Track>{"".join(rows)}</Track></Lap>'
            "</Activity></Activities></TrainingCenterDatabase>\n")


def fit_bytes(points, *, sport: str = "running", treadmill: bool = False, strides: int = 84,
              session: bool = True, pauses=()) -> bytes:
    """A FIT activity file written by fit-tool: records, timer events and a session."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport, SubSport

    def millis(moment: datetime) -> int:
        return round(moment.timestamp() * 1000)

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = millis(points[0][0])
    file_id.serial_number = 0x12345678
    builder.add(file_id)
    builder.add(_event(EventMessage, Event, EventType.START, millis(points[0][0])))
    records, descent = [], 0.0
    for index, (time, metres, lat, lon, alt) in enumerate(points):
        record = RecordMessage()
        record.timestamp = millis(time)
        if not treadmill:
            record.position_lat, record.position_long = lat, lon
            record.altitude = alt
        record.distance = metres
        record.cadence = strides
        records.append(record)
        if index and alt < points[index - 1][4]:
            descent += points[index - 1][4] - alt
    builder.add_all(records)
    for stop, start in pauses:
        builder.add(_event(EventMessage, Event, EventType.STOP, millis(stop)))
        builder.add(_event(EventMessage, Event, EventType.START, millis(start)))
    builder.add(_event(EventMessage, Event, EventType.STOP_ALL, millis(points[-1][0])))
    if session:
        elapsed = (points[-1][0] - points[0][0]).total_seconds()
        paused = sum((start - stop).total_seconds() for stop, start in pauses)
        message = SessionMessage()
        message.timestamp = millis(points[-1][0])
        message.start_time = millis(points[0][0])
        message.sport = Sport.RUNNING if sport == "running" else Sport.CYCLING
        message.sub_sport = SubSport.TREADMILL if treadmill else SubSport.GENERIC
        message.total_elapsed_time = elapsed
        message.total_timer_time = elapsed - paused
        message.total_distance = points[-1][1]
        message.total_descent = 0 if treadmill else round(descent)
        message.avg_cadence = strides
        builder.add(message)
    return builder.build().to_bytes()


def _event(cls, event_enum, kind, timestamp: int):
    message = cls()
    message.event = event_enum.TIMER
    message.event_type = kind
    message.timestamp = timestamp
    return message


def write_all(directory: Path = HERE) -> None:
    park = course(5000, 1500, 5, pause_at=0.5, pause_s=60, climb_m=15)
    (directory / "park_run.gpx").write_text(gpx_text(park))
    hills = course(6000, 2400, 5, pause_at=0.3, pause_s=120, climb_m=40)
    (directory / "hills.tcx").write_text(tcx_text(hills))
    long_run = course(10_000, 3300, 2, pause_at=0.6, pause_s=90, climb_m=25)
    pause_start = next(p[0] for p in long_run if p[1] >= 6000)
    (directory / "long_run.fit").write_bytes(
        fit_bytes(long_run, pauses=[(pause_start, pause_start + timedelta(seconds=90))]))
    (directory / "treadmill.fit").write_bytes(fit_bytes(course(6000, 1800, 5), treadmill=True))
    (directory / "ride.fit").write_bytes(fit_bytes(course(20_000, 2400, 5), sport="cycling"))


if __name__ == "__main__":
    write_all()
