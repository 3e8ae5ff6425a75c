"""Run files from watches and phones: GPX (gpxpy), TCX (defusedxml) and FIT (fitdecode).

Each parser takes the file's bytes and returns a `ParsedRun`, or raises `FileProblem` with a
message the runner can act on. Nothing here touches the database.

Decisions:
- Moving time, not elapsed time: pauses (a stop at a crossing, the watch paused) do not count.
  FIT gives its own timer time; GPX and TCX count only the gaps between points of at most
  `MAX_GAP_S` seconds while moving faster than `STOPPED_MPS`.
- Cadence: FIT and Garmin's TCX give strides (one foot) a minute for running: doubled to steps.
  GPX's `cad` is written either way by different apps; an average under 120 is taken as strides.
- A file without positions (a treadmill, a watch without GPS) is a treadmill run: its distance
  comes from the foot pod or the wrist and the ceiling judges it by time. A GPX with no track
  points at all has neither time nor distance and is refused.
- XML is read by defusedxml with DTDs forbidden: no entity expansion, no external entities.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_GAP_S = 10
STOPPED_MPS = 0.3
TCX_NS = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
FIT_RUNNING = "running"


class FileProblem(ValueError):
    """A file that cannot be imported, with the reason in the runner's words."""


@dataclass(frozen=True)
class ParsedRun:
    started_at: datetime  # naive UTC
    distance_m: int | None
    duration_s: int
    elevation_loss_m: int | None
    avg_cadence: int | None
    treadmill: bool
    source: str


@dataclass(frozen=True)
class Point:
    time: datetime | None
    distance: float | None = None  # cumulative metres, when the device gives it
    lat: float | None = None
    lon: float | None = None
    altitude: float | None = None
    cadence: float | None = None


def parse(name: str, data: bytes) -> ParsedRun:
    """The run in a file, by its extension."""
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    parser = {"gpx": parse_gpx, "tcx": parse_tcx, "fit": parse_fit}.get(kind)
    if parser is None:
        raise FileProblem("is not a GPX, TCX or FIT file.")
    if not data:
        raise FileProblem("is empty.")
    try:
        return parser(data)
    except FileProblem:
        raise
    except Exception as error:  # noqa: BLE001 — a library tripping on a damaged file is that file's problem
        raise FileProblem(f"could not be read as {kind.upper()} (it may be cut short or damaged).") from error


def parse_gpx(data: bytes) -> ParsedRun:
    import gpxpy
    import gpxpy.gpx

    _refuse_dtd(data)
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig"))
    except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as error:
        raise FileProblem("could not be read as GPX (it may be cut short or damaged).") from error
    points = [Point(_naive(p.time), None, p.latitude, p.longitude, p.elevation, _gpx_cadence(p))
              for track in gpx.tracks for segment in track.segments for p in segment.points]
    if not points:
        raise FileProblem("has no track points, so it has no time or distance: "
                          "log a treadmill run by hand instead.")
    run = _from_points(points, "gpx")
    cadence = run.avg_cadence
    if cadence is not None and cadence < 120:
        run = ParsedRun(**{**run.__dict__, "avg_cadence": cadence * 2})
    return run


def _gpx_cadence(point) -> float | None:
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rsplit("}", 1)[-1] == "cad" and element.text:
                try:
                    return float(element.text)
                except ValueError:
                    return None
    return None


def parse_tcx(data: bytes) -> ParsedRun:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as error:
        raise FileProblem("could not be read as TCX (it may be cut short, damaged, "
                          "or contain entities, which are not allowed).") from error
    activity = root.find(f".//{TCX_NS}Activity")
    if activity is None:
        raise FileProblem("has no activity in it.")
    if activity.get("Sport", "Running") != "Running":
        raise FileProblem(f"is a {activity.get('Sport', 'non-running').lower()} activity, not a run.")
    points = [_tcx_point(tp) for tp in activity.iter(f"{TCX_NS}Trackpoint")]
    points = [p for p in points if p.time is not None]
    if not points:
        raise FileProblem("has no track points with a time.")
    run = _from_points(points, "tcx")
    return ParsedRun(**{**run.__dict__, "avg_cadence": run.avg_cadence * 2 if run.avg_cadence else None})


def _tcx_point(element) -> Point:
    def number(path: str) -> float | None:
        found = element.find(path)
        try:
            return float(found.text) if found is not None and found.text else None
        except ValueError:
            return None

    time = element.findtext(f"{TCX_NS}Time")
    cadence = None
    for child in element.iter():
        if child.tag.rsplit("}", 1)[-1] == "RunCadence" and child.text:
            cadence = float(child.text) if child.text.strip().replace(".", "", 1).isdigit() else None
    return Point(_iso(time), number(f"{TCX_NS}DistanceMeters"),
                 number(f"{TCX_NS}Position/{TCX_NS}LatitudeDegrees"),
                 number(f"{TCX_NS}Position/{TCX_NS}LongitudeDegrees"),
                 number(f"{TCX_NS}AltitudeMeters"), cadence)


def parse_fit(data: bytes) -> ParsedRun:
    import fitdecode

    session, points, sport = None, [], None
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "session":
                    session, sport = frame, _field(frame, "sport")
                elif frame.name == "sport" and sport is None:
                    sport = _field(frame, "sport")
                elif frame.name == "record":
                    points.append(_fit_point(frame))
    except (fitdecode.FitError, ValueError, KeyError, TypeError, IndexError) as error:
        raise FileProblem("could not be read as FIT (it may be cut short, damaged, "
                          "or not a FIT file at all).") from error
    if sport is not None and sport != FIT_RUNNING:
        raise FileProblem(f"is a {str(sport).replace('_', ' ')} activity, not a run.")
    points = [p for p in points if p.time is not None]
    if not points:
        raise FileProblem("has no records with a time.")
    run = _from_points(points, "fit")
    if run.avg_cadence:
        run = ParsedRun(**{**run.__dict__, "avg_cadence": run.avg_cadence * 2})  # strides → steps
    if session is not None:
        run = _with_session(run, session)
    return run


def _fit_point(frame) -> Point:
    values = {field.name: field.value for field in frame.fields}  # one pass: a record has ~10 fields
    lat, lon = values.get("position_lat"), values.get("position_long")
    altitude = values.get("enhanced_altitude")
    altitude = values.get("altitude") if altitude is None else altitude
    cadence = values.get("cadence")
    return Point(_naive(values.get("timestamp")), values.get("distance"), lat, lon, altitude,
                 None if cadence is None else float(cadence))


def _with_session(run: ParsedRun, session) -> ParsedRun:
    """Prefer the watch's own totals: timer time without pauses, distance, descent, cadence."""
    timer = _field(session, "total_timer_time")
    distance = _field(session, "total_distance")
    descent = _field(session, "total_descent")
    cadence = _field(session, "avg_running_cadence") or _field(session, "avg_cadence")
    sub_sport = _field(session, "sub_sport")
    return ParsedRun(
        started_at=_naive(_field(session, "start_time")) or run.started_at,
        distance_m=round(distance) if distance else run.distance_m,
        duration_s=round(timer) if timer else run.duration_s,
        elevation_loss_m=round(descent) if descent is not None else run.elevation_loss_m,
        avg_cadence=round(cadence) * 2 if cadence else run.avg_cadence,
        treadmill=run.treadmill or sub_sport == "treadmill",
        source="fit",
    )


def _field(frame, name: str):
    return frame.get_value(name, fallback=None) if frame.has_field(name) else None


def _from_points(points: list[Point], source: str) -> ParsedRun:
    """Totals from the points: moving time, distance, descent and average cadence."""
    treadmill = not any(p.lat is not None and p.lon is not None for p in points)
    moving, distance, descent = 0.0, 0.0, 0.0
    for a, b in zip(points, points[1:]):
        step = _step(a, b, treadmill)
        if step is None:
            continue
        seconds = (b.time - a.time).total_seconds()
        distance += step
        if 0 < seconds <= MAX_GAP_S and step / seconds >= STOPPED_MPS:
            moving += seconds
        if a.altitude is not None and b.altitude is not None and b.altitude < a.altitude:
            descent += a.altitude - b.altitude
    if all(p.distance is not None for p in (points[0], points[-1])) and points[-1].distance:
        distance = points[-1].distance - (points[0].distance or 0)
    cadences = [p.cadence for p in points if p.cadence]
    has_altitude = any(p.altitude is not None for p in points)
    return ParsedRun(
        started_at=points[0].time, distance_m=round(distance) if distance >= 1 else None,
        duration_s=round(moving), elevation_loss_m=round(descent) if has_altitude else None,
        avg_cadence=round(sum(cadences) / len(cadences)) if cadences else None,
        treadmill=treadmill, source=source,
    )


def _step(a: Point, b: Point, treadmill: bool) -> float | None:
    """Metres between two points, from the device's distance or the positions."""
    if a.time is None or b.time is None:
        return None
    if a.distance is not None and b.distance is not None:
        return max(0.0, b.distance - a.distance)
    if treadmill or None in (a.lat, a.lon, b.lat, b.lon):
        return 0.0
    return _haversine(a.lat, a.lon, b.lat, b.lon)


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


def _refuse_dtd(data: bytes) -> None:
    """gpxpy uses the standard library's parser: refuse any DTD (entities live there) first."""
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise FileProblem("contains a document type or entities, which are not allowed.")


def _naive(moment) -> datetime | None:
    if not isinstance(moment, datetime):
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return _naive(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        return None
