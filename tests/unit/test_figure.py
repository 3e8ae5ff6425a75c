"""Exercise drawings (app/domain/figure.py): every library item has a valid, small, safe SVG;
the content loader enforces human joint ranges; the figures show what a physio expects."""
from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET

import pytest

from app.domain.content import DEFAULT_PATH, Library, load_library
from app.domain.figure import (
    HEAD_R,
    Figure,
    Pose,
    foot_flat_ankle,
    gzip_size,
    points,
    render_svg,
    timeline,
)
from app.library.figures import STATIC, stale

SVG = "{http://www.w3.org/2000/svg}"
ITEMS = [e.slug for e in load_library().exercises]


@functools.cache
def library() -> Library:
    return load_library()


@functools.cache
def drawing(slug: str) -> str:
    e = library().by_slug[slug]
    return render_svg(e.figure, e.name)


def key_points(slug: str) -> list[dict[str, tuple[float, float]]]:
    """Each key pose's body points on the page (y grows downward; the floor is y = 0)."""
    fig = library().by_slug[slug].figure
    frames = timeline(fig)
    return [points(fig.view, f.joints, f.root)
            for f in (next(f for f in frames if f.pose == i) for i in range(len(fig.poses)))]


# ── every item ──────────────────────────────────────────────────────────────────────────────


def test_every_exercise_and_warm_up_item_has_a_drawing():
    kinds = {e.kind for e in library().exercises}
    assert {"strength", "warmup", "recovery", "test"} <= kinds
    assert all(isinstance(e.figure, Figure) and 2 <= len(e.figure.poses) <= 3 for e in library().exercises)


@pytest.mark.parametrize("slug", ITEMS)
def test_the_drawing_is_well_formed_titled_small_and_runs_nothing(slug):
    svg = drawing(slug)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == library().by_slug[slug].name
    assert desc is not None and len(desc.text) > 30
    assert root.get("aria-labelledby") == "t d"
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in ("script", "foreignObject", "a", "image", "use")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower()
    assert "url(" not in svg and "@import" not in svg and "href" not in svg
    assert gzip_size(svg) <= 4096, f"{slug}: {gzip_size(svg)} bytes gzipped"


@pytest.mark.parametrize("slug", ITEMS)
def test_it_moves_between_its_poses_and_stands_still_for_reduced_motion(slug):
    svg = drawing(slug)
    root = ET.fromstring(svg)
    style = root.find(f"{SVG}style").text
    n = len(library().by_slug[slug].figure.poses)
    assert "@keyframes" in style and "infinite" in style
    assert "@media(prefers-reduced-motion:reduce){.a{display:none}.a *{animation:none!important}.s{display:inline}}" in style
    assert ".s{display:none}" in style  # the stills are hidden unless motion is reduced
    groups = {g.get("class"): g for g in root.findall(f"{SVG}g")}
    stills = groups["s"]
    poses = [g for g in stills if g.tag == f"{SVG}g"]
    arrows = [p for p in stills if p.get("class") == "r"]
    assert len(poses) == n and len(arrows) == n - 1
    assert "animation" not in ET.tostring(stills, encoding="unicode")  # still means still
    animated = [c for c in re.findall(r'class="([^"]+)"', ET.tostring(groups["a"], encoding="unicode"))
                if re.fullmatch(r"k\d+", c.split()[-1])]
    assert animated, "nothing in the animated figure moves"


@pytest.mark.parametrize("slug", ITEMS)
def test_the_tempo_is_a_rep_of_one_to_four_seconds_and_the_working_part_is_marked(slug):
    svg, fig = drawing(slug), library().by_slug[slug].figure
    duration = float(re.search(r"animation-duration:([\d.]+)s", svg).group(1))
    assert 1 <= duration <= 4 and duration == fig.tempo
    assert 'class="w' in svg  # the working muscle group, in the accent colour


def test_the_colours_follow_light_and_dark():
    svg = drawing("wall-sit")
    assert "stroke:currentColor" in svg
    assert "@media(prefers-color-scheme:dark){svg{color:#e8edf2}.w{color:#ffb061}}" in svg
    assert "svg{color:#1a1f26}.w{color:#c2410c}" in svg


def test_the_committed_drawings_match_the_content_file():
    assert (STATIC / "figures").is_dir()
    assert stale() == [], "run `make figures` and commit static/figures/"


@pytest.mark.parametrize("slug", [s for s in ITEMS if library().by_slug[s].figure.anchor[1] != "lowest"])
def test_the_anchor_stays_put_through_the_whole_rep(slug):
    """A planted foot (or hand, or hip) doesn't slide or float, in-between frames included."""
    fig = library().by_slug[slug].figure
    ax, ay = fig.anchor
    seen = []
    for f in timeline(fig):
        pts = points(fig.view, f.joints, f.root)
        pose = fig.poses[f.pose] if f.pose is not None else None
        seen.append((round(pts[ax][0] - (pose.shift if pose else 0), 3),
                     round(pts[ay][1] + (pose.lift if pose else 0), 3)))
    keyed = [s for s, f in zip(seen, timeline(fig)) if f.pose is not None]
    assert len(set(keyed)) == 1, keyed


# ── what a physio should see ────────────────────────────────────────────────────────────────


def test_the_wall_sit_keeps_the_back_on_the_wall_and_the_thighs_above_the_knees():
    fig = library().by_slug["wall-sit"].figure
    for pts in key_points("wall-sit"):
        assert abs(pts["neck"][0] - pts["hips"][0]) < 0.5  # back upright along the wall
        assert 0 < pts["hips"][0] - fig.props.wall < 8  # close to the wall
        assert pts["hips"][1] <= pts["near_knee"][1] + 0.5  # hips not below the knees
        assert abs(pts["near_heel"][1] - pts["near_ankle"][1]) < 0.5  # feet flat
    sit = key_points("wall-sit")[-1]
    assert abs(sit["near_knee"][0] - sit["near_ankle"][0]) < 1  # knees over the ankles


@pytest.mark.parametrize("slug", ["clamshell-band", "clamshell-warmup"])
def test_the_clamshell_lies_on_its_side_knees_bent_and_the_top_knee_opens(slug):
    start, opened = key_points(slug)
    assert abs(start["hips"][1] - start["neck"][1]) < 1  # lying down
    hip, knee, ankle = (start[k] for k in ("hips", "near_knee", "near_ankle"))
    bend = _angle(hip, knee, ankle)
    assert 60 < bend < 120, bend  # knees bent
    assert opened["near_knee"][1] < start["near_knee"][1] - 8  # the top knee lifts away
    assert opened["far_knee"] == pytest.approx(start["far_knee"], abs=0.1)  # the bottom one stays
    heels = [math_dist(p["near_ankle"], p["far_ankle"]) for p in (start, opened)]
    assert max(heels) < 1  # heels together


def test_the_step_down_lowers_the_free_heel_to_the_floor_in_front_of_the_step():
    fig = library().by_slug["forward-step-down"].figure
    top, lowered = key_points("forward-step-down")
    step_front, height = fig.props.step
    for pts in (top, lowered):
        assert pts["near_heel"][1] == pytest.approx(-height, abs=0.1)  # standing on the step
    assert top["far_heel"][1] < -height + 2  # the free foot starts up at step height
    assert abs(lowered["far_heel"][1]) < 2.5  # and taps the floor
    assert lowered["far_heel"][0] > step_front  # in front of the step
    assert lowered["near_knee"][0] > lowered["near_ankle"][0]  # the standing knee bends forward


def test_the_bridge_lifts_the_hips_with_shoulders_and_feet_down():
    lying, bridge = key_points("glute-bridge")
    assert bridge["hips"][1] < lying["hips"][1] - 8
    assert abs(bridge["near_heel"][1] - lying["near_heel"][1]) < 0.1
    assert bridge["head"][1] + HEAD_R > -2  # the head still rests on the floor


def _angle(a, b, c) -> float:
    import math
    v1, v2 = (a[0] - b[0], a[1] - b[1]), (c[0] - b[0], c[1] - b[1])
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
    return math.degrees(math.acos(max(-1, min(1, cos))))


def math_dist(a, b) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def test_a_flat_foot_lies_level():
    pose = Pose(shows="squat", lean=20, hip=(80, 80), knee=(90, 90), ankle=(None, None))
    assert foot_flat_ankle(pose, 0) == -30  # 30° of dorsiflexion


# ── the loader refuses bad drawings ─────────────────────────────────────────────────────────

BASE = {
    "name": '"Broken drawing"', "kind": '"strength"', "stage": "2", "category": '"quads"',
    "muscles": '["quadriceps"]', "equipment": "[]", "sets": "3", "reps": "10", "per_side": "true",
    "summary": '"A thing."', "cues": '["One cue", "Two cues"]', "tags": "[]",
    "figure": '{ view = "side", anchor = "near_heel" }',
    "poses": '[{ shows = "standing" }, { shows = "squatting", hip = 60, knee = 60, ankle = "flat" }]',
}


def _snippet(slug: str, changes: dict[str, str | None]) -> str:
    fields = {"slug": f'"{slug}"', **BASE, **changes}
    return "\n[[exercise]]\n" + "\n".join(f"{k} = {v}" for k, v in fields.items() if v is not None) + "\n"


def _load(tmp_path, extra: str) -> Library:
    path = tmp_path / "exercises.toml"
    path.write_text(DEFAULT_PATH.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return load_library(path)


def test_the_base_snippet_loads(tmp_path):
    lib = _load(tmp_path, _snippet("good-drawing", {}))
    assert len(lib.by_slug["good-drawing"].figure.poses) == 2


def pose(**angles) -> str:
    body = ", ".join(f"{k} = {v}" for k, v in angles.items())
    return f'[{{ shows = "standing" }}, {{ shows = "moved", {body} }}]'


REFUSED = [
    ("no-figure", {"figure": None}, "figure"),
    ("no-poses", {"poses": None}, "poses"),
    ("one-pose", {"poses": '[{ shows = "standing" }]'}, "poses"),
    ("four-poses", {"poses": "[" + ", ".join(['{ shows = "x" }'] * 4) + "]"}, "poses"),
    ("knee-too-bent", {"poses": pose(knee=170)}, "knee"),
    ("knee-backwards", {"poses": pose(knee=-20)}, "knee"),
    ("hip-overextended", {"poses": pose(hip=-60)}, "hip"),
    ("ankle-too-far", {"poses": pose(ankle=80)}, "ankle"),
    ("elbow-backwards", {"poses": pose(elbow="[0, -30]")}, "elbow"),
    ("shoulder-too-far", {"poses": pose(shoulder=200)}, "shoulder"),
    ("lean-upside-down", {"poses": pose(lean=170)}, "lean"),
    ("flat-foot-impossible", {"poses": pose(hip=20, knee=140, ankle='"flat"')}, "ankle"),
    ("abduction-in-side-view", {"poses": pose(flex=30)}, "flex"),
    ("text-angle", {"poses": pose(knee='"bent"')}, "knee"),
    ("bool-angle", {"poses": pose(knee="true")}, "knee"),
    ("three-sides", {"poses": pose(knee="[10, 20, 30]")}, "knee"),
    ("unknown-joint", {"poses": pose(wrist=10)}, "wrist"),
    ("nothing-shown", {"poses": '[{ shows = "" }, { shows = "x" }]'}, "shows"),
    ("unknown-view", {"figure": '{ view = "aerial", anchor = "hips" }'}, "view"),
    ("unknown-anchor", {"figure": '{ view = "side", anchor = "elbow" }'}, "anchor"),
    ("unknown-prop", {"figure": '{ view = "side", anchor = "hips", props = { trampoline = 1 } }'}, "trampoline"),
    ("too-fast", {"figure": '{ view = "side", anchor = "hips", tempo = 0.2 }'}, "tempo"),
    ("bad-side", {"figure": '{ view = "side", anchor = "hips", side = "left" }'}, "side"),
    ("lift-too-high", {"poses": pose(lift=90)}, "lift"),
]


@pytest.mark.parametrize(("slug", "changes", "key"), REFUSED, ids=[r[0] for r in REFUSED])
def test_the_loader_refuses_a_bad_drawing_naming_slug_and_key(tmp_path, slug, changes, key):
    with pytest.raises(ValueError) as excinfo:
        _load(tmp_path, _snippet(f"bad-{slug}", changes))
    message = str(excinfo.value)
    assert f"bad-{slug}" in message and key in message, message
