"""Exercise drawings: a consistent stick figure, drawn as SVG from the pose data in the content
file, animated between its key poses with CSS, and still, side by side, for reduced motion.

Pure module (stdlib only). `parse_figure` validates one exercise's `figure` and `poses` tables
(ValueError naming the key); `render_svg` turns a Figure into a self-contained SVG document.

Decisions the issue leaves open, and how they were made:
- Three views. "side" shows the sagittal plane (facing right): joints are flexion angles.
  "front" faces the camera: hip and shoulder angles are abduction, `flex` is hip flexion toward
  the camera, shown by shortening the thigh and shin. "top" is the side view seen from above a
  mat, for side-lying work (the clamshell): forward is down the page, the top knee opening is
  the top thigh lifting up the page while the heels stay together.
- Angles (degrees): `lean` trunk from vertical (forward +; 90 lies face down, -90 on the back;
  in the front view, tilt toward the picture's right); `hip` flexion (front: abduction);
  `knee` flexion ≥ 0; `ankle` plantarflexion (+ toes down, - pulled up), or "flat" for a foot
  flat on the ground; `shoulder` flexion (front: abduction); `elbow` flexion. A number is both
  sides; a pair is [near, far] (front view: [picture right, picture left]). Human ranges below.
- The figure is pinned: the anchor point (a named body point; or one for x and one for y) stays
  where the first pose put it, every frame, so planted feet stay planted. The first pose rests its
  lowest point on the floor, or its anchor at `ground` units up (a foot on a step).
- A rep plays the poses there and back (1 → 2 → 3 → 2 → 1), linearly, the end poses held for 30%
  of their share, the whole rep taking `tempo` seconds (3 s, the library's tempo, unless the item
  says otherwise: quick drills are faster). The pin is kept by placing the whole figure on eight
  in-between frames of every move. Drills in place pin y to the "lowest" point instead; `lift`
  raises a pose off the floor (a hop), `shift` moves it sideways (over a line).
- The working muscle group is the exercise's first muscle, on the working side (`side`: the near
  leg when the dose is per side, both otherwise), drawn in the accent colour.
- One line weight, round caps, `currentColor` set by a colour-scheme media query in the SVG (a
  drawing shown with <img> can't read the page's colours; the values are app.css's).
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

VIEWS = ("side", "front", "top")
SIDES = ("near", "far", "both")
JOINTS = ("hip", "knee", "ankle", "shoulder", "elbow", "flex", "open")
# Human ranges, degrees (inclusive). Side and top views: flexion; front: abduction for hip and
# shoulder, and `flex` is hip flexion seen head-on.
RANGES = {
    "side": {"lean": (-135, 135), "hip": (-35, 140), "knee": (0, 150), "ankle": (-35, 55),
             "shoulder": (-70, 185), "elbow": (0, 150), "flex": (0, 0), "open": (0, 0)},
    "front": {"lean": (-135, 135), "hip": (-30, 60), "knee": (0, 150), "ankle": (-25, 25),
              "shoulder": (-20, 185), "elbow": (0, 150), "flex": (-30, 140), "open": (0, 0)},
}
RANGES["top"] = {**RANGES["side"], "open": (0, 60)}
MAX_SHIFT = 40  # units a pose moves sideways (hops over a line, shuffles)
MAX_LIFT = 30  # units a hop leaves the ground
POINTS = ("hips", "neck", "head", "near_knee", "far_knee", "near_ankle", "far_ankle",
          "near_toe", "far_toe", "near_heel", "far_heel", "near_hand", "far_hand",
          "near_elbow", "far_elbow")
LOWEST = "lowest"  # as the anchor for y: every frame rests its lowest point on the floor
PROP_KEYS = ("wall", "step", "chair", "band", "roller", "line")
TEMPO = (1.0, 4.0)
DEFAULT_TEMPO = 3.0
HOLD = 0.3  # share of each pose's slot spent still on it
SUBSTEPS = 8

# Body in drawing units (the standing figure is about 95 tall).
TRUNK, NECK, HEAD_R = 30.0, 3.0, 6.5
UPPER_ARM, FOREARM = 16.0, 15.0
THIGH, SHIN, FOOT, HEEL = 24.0, 23.0, 9.0, 2.5
HIP_W, SHOULDER_W = 6.0, 8.5  # front view half-widths
SHOULDER_DROP = 2.0
STROKE = 3.2
STEP_W = 22.0
LIGHT = ("#1a1f26", "#c2410c")  # app.css --text and --focus, light
DARK = ("#e8edf2", "#ffb061")  # and dark

MUSCLE_PART = {
    "quadriceps": "thigh", "hamstrings": "thigh", "hip flexors": "thigh", "adductors": "thigh",
    "outer thigh": "thigh", "glutes": "glute", "glute medius": "glute", "hip abductors": "glute",
    "calves": "shin", "ankles": "foot", "ankle stabilisers": "foot", "obliques": "trunk",
    "core": "trunk", "whole leg": "leg",
}


@dataclass(frozen=True)
class Pose:
    """One key pose; each joint is (near, far)."""

    shows: str
    lean: float = 0.0
    hip: tuple[float, float] = (0.0, 0.0)
    knee: tuple[float, float] = (0.0, 0.0)
    ankle: tuple[float | None, float | None] = (0.0, 0.0)  # None: flat on the ground
    shoulder: tuple[float, float] = (0.0, 0.0)
    elbow: tuple[float, float] = (0.0, 0.0)
    flex: tuple[float, float] = (0.0, 0.0)
    open: tuple[float, float] = (0.0, 0.0)
    lift: float = 0.0
    shift: float = 0.0


@dataclass(frozen=True)
class Props:
    """What the figure works with; positions in units from the anchor (x) and the floor (up)."""

    floor: bool = True
    wall: float | None = None  # x of the wall face
    step: tuple[float, float] | None = None  # (x of its front edge, height)
    chair: tuple[float, float] | None = None  # (x of the seat's front edge, seat height)
    band: tuple[str | tuple[float, float], str | tuple[float, float]] | None = None
    roller: float | None = None  # x of a foam roller lying on the floor
    line: float | None = None  # x of a line on the floor (hops over it)


@dataclass(frozen=True)
class Figure:
    """A validated drawing: view, key poses, pin, props and what works."""

    view: str
    poses: tuple[Pose, ...]
    anchor: tuple[str, str]
    ground: float | None = None
    side: str = "near"
    part: str = "thigh"
    props: Props = field(default_factory=Props)
    tempo: float = DEFAULT_TEMPO

    def describe(self, name: str) -> str:
        """The text alternative: what the picture shows, pose by pose."""
        steps = "; then ".join(p.shows for p in self.poses)
        return f"{name}: {steps}."


# ── parsing ────────────────────────────────────────────────────────────────────────────────


def parse_figure(raw: Any, raw_poses: Any, *, where: str, muscles: tuple[str, ...],
                 per_side: bool) -> Figure:
    """Validate an exercise's `figure` table and `poses` list; ValueError naming the key."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: key 'figure' must be a table")
    allowed = {"view", "anchor", "ground", "side", "props", "tempo"}
    for key in sorted(set(raw) - allowed):
        raise ValueError(f"{where}: key 'figure' has unknown key {key!r}")
    view = raw.get("view")
    if view not in VIEWS:
        raise ValueError(f"{where}: key 'figure.view' must be one of {VIEWS}, got {view!r}")
    if not isinstance(raw_poses, list) or not 2 <= len(raw_poses) <= 3:
        raise ValueError(f"{where}: key 'poses' needs 2–3 key poses")
    poses = tuple(_pose(p, view, f"{where}: pose {i + 1}") for i, p in enumerate(raw_poses))
    side = raw.get("side", "near" if per_side else "both")
    if side not in SIDES:
        raise ValueError(f"{where}: key 'figure.side' must be one of {SIDES}, got {side!r}")
    tempo = _number(raw.get("tempo", DEFAULT_TEMPO), "figure.tempo", where, *TEMPO)
    ground = raw.get("ground")
    if ground is not None:
        ground = _number(ground, "figure.ground", where, 0, 60)
    part = MUSCLE_PART.get(muscles[0])
    if part is None:
        raise ValueError(f"{where}: no drawing part for muscle {muscles[0]!r}")
    return Figure(view=view, poses=poses, anchor=_anchor(raw.get("anchor"), where), ground=ground,
                  side=side, part=part, props=_props(raw.get("props", {}), view, where),
                  tempo=tempo)


def _pose(raw: Any, view: str, where: str) -> Pose:
    """One pose table: `shows` text, angles inside the view's human ranges."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: must be a table")
    for key in sorted(set(raw) - {"shows", "lean", "lift", "shift", *JOINTS}):
        raise ValueError(f"{where}: unknown key {key!r}")
    shows = raw.get("shows")
    if not isinstance(shows, str) or not shows.strip():
        raise ValueError(f"{where}: key 'shows' must say what the pose shows")
    ranges = RANGES[view]
    values: dict[str, Any] = {"shows": shows.strip()}
    values["lean"] = _number(raw.get("lean", 0), "lean", where, *ranges["lean"])
    values["lift"] = _number(raw.get("lift", 0), "lift", where, 0, MAX_LIFT)
    values["shift"] = _number(raw.get("shift", 0), "shift", where, -MAX_SHIFT, MAX_SHIFT)
    for joint in JOINTS:
        values[joint] = _pair(raw.get(joint, 0), joint, where, ranges[joint])
    pose = Pose(**values)
    for i, ankle in enumerate(pose.ankle):
        low, high = ranges["ankle"]
        if ankle is None and view != "front" and not low <= foot_flat_ankle(pose, i) <= high:
            raise ValueError(f"{where}: key 'ankle' \"flat\" needs {foot_flat_ankle(pose, i):g}, "
                             f"outside the human range {low:g}…{high:g}")
    return pose


def _pair(value: Any, joint: str, where: str, span: tuple[float, float]) -> tuple:
    """A number for both sides or [near, far]; the ankle may be "flat"."""
    items = value if isinstance(value, list) else [value, value]
    if len(items) != 2:
        raise ValueError(f"{where}: key {joint!r} must be a number or [near, far]")
    out = []
    for item in items:
        if joint == "ankle" and item == "flat":
            out.append(None)
        else:
            out.append(_number(item, joint, where, *span))
    return tuple(out)


def _number(value: Any, key: str, where: str, low: float, high: float) -> float:
    """A number within [low, high] (TOML booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: key {key!r} must be a number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{where}: key {key!r} is {value}, outside the human range {low:g}…{high:g}")
    return float(value)


def _anchor(value: Any, where: str) -> tuple[str, str]:
    """A body point, or [point for x, point for y]."""
    names = value if isinstance(value, list) else [value, value]
    if len(names) != 2 or names[0] not in POINTS or names[1] not in (*POINTS, LOWEST):
        raise ValueError(f"{where}: key 'figure.anchor' must name body points from {POINTS}")
    return (names[0], names[1])


def _props(raw: Any, view: str, where: str) -> Props:
    """The props table: each prop's place in units."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: key 'figure.props' must be a table")
    for key in sorted(set(raw) - set(PROP_KEYS)):
        raise ValueError(f"{where}: key 'figure.props' has unknown prop {key!r}")
    get = lambda key, n: _coords(raw[key], n, f"figure.props.{key}", where) if key in raw else None  # noqa: E731
    wall, roller, line = (get(k, 1) for k in ("wall", "roller", "line"))
    band = None
    if "band" in raw:
        ends = raw["band"]
        if not isinstance(ends, list) or len(ends) != 2:
            raise ValueError(f"{where}: key 'figure.props.band' must be [end, end]")
        band = tuple(e if e in POINTS else _coords(e, 2, "figure.props.band", where) for e in ends)
    return Props(floor=view != "top", wall=wall and wall[0], step=get("step", 2),
                 chair=get("chair", 2), band=band, roller=roller and roller[0],
                 line=line and line[0])


def _coords(value: Any, n: int, key: str, where: str) -> tuple[float, ...]:
    items = value if isinstance(value, list) else [value]
    if len(items) != n:
        raise ValueError(f"{where}: key {key!r} must be {n} number(s)")
    return tuple(_number(v, key, where, -200, 200) for v in items)


# ── the skeleton: 2D joints in nested frames ────────────────────────────────────────────────


@dataclass
class Joint:
    """One rotating part: where it sits in its parent's frame, its turn, its drawn length."""

    name: str
    parent: str | None
    at: tuple[float, float]  # offset in the parent's frame (y down)
    angle: float  # degrees, clockwise on the page
    length: float  # drawn length along its own +y (0: no line)


def skeleton(view: str, pose: Pose) -> list[Joint]:
    """The pose as nested 2D joints, parents before children, drawing order far → near."""
    front = view == "front"
    joints = [Joint("root", None, (0.0, 0.0), pose.lean, 0.0)]
    for i, side in ((1, "far"), (0, "near")):
        sign = 1 if (not front or side == "near") else -1  # front: near is the picture's right
        joints += _leg(side, i, sign, front, pose)
        joints += _arm(side, i, sign, front, pose)
    return joints


def _leg(side: str, i: int, sign: int, front: bool, pose: Pose) -> list[Joint]:
    hip_x = sign * HIP_W if front else 0.0
    if front:
        flex, knee = pose.flex[i], pose.knee[i]
        thigh = THIGH * math.cos(math.radians(flex))
        shin = SHIN * abs(math.cos(math.radians(flex - knee)))
        turns = (-sign * pose.hip[i], 0.0, 0.0)
    else:
        thigh, shin = THIGH, SHIN
        ankle = pose.ankle[i]
        if ankle is None:  # flat: the foot lies level on the page
            ankle = foot_flat_ankle(pose, i)
        turns = (-pose.hip[i], pose.knee[i], ankle)
        if pose.open[i]:
            thigh, shin, turns = _opened(pose.hip[i], pose.knee[i], ankle, pose.open[i])
    return [
        Joint(f"{side}_thigh", "root", (hip_x, 0.0), turns[0], thigh),
        Joint(f"{side}_shin", f"{side}_thigh", (0.0, thigh), turns[1], shin),
        Joint(f"{side}_foot", f"{side}_shin", (0.0, shin), turns[2], 0.0),
    ]


def _opened(hip: float, knee: float, ankle: float, opening: float) -> tuple[float, float, tuple]:
    """Top view: the bent leg turned about its hip–heel line by `opening` degrees, the knee
    rising toward the ceiling (up the page, seen from above and in front)."""
    k0 = (THIGH * math.sin(math.radians(hip)), THIGH * math.cos(math.radians(hip)))
    a0 = (k0[0] + SHIN * math.sin(math.radians(hip - knee)), k0[1] + SHIN * math.cos(math.radians(hip - knee)))
    axis = math.hypot(*a0)
    u = (a0[0] / axis, a0[1] / axis)
    along = k0[0] * u[0] + k0[1] * u[1]
    perp = (k0[0] - along * u[0], k0[1] - along * u[1])
    size = math.hypot(*perp)
    c, s = math.cos(math.radians(opening)), math.sin(math.radians(opening))
    # the front of the body is the frame's +x, so the ceiling shows as -x (the back) on the page
    knee_at = (along * u[0] + perp[0] * c - size * s, along * u[1] + perp[1] * c)
    thigh_angle = -math.degrees(math.atan2(knee_at[0], knee_at[1]))
    shin_vec = (a0[0] - knee_at[0], a0[1] - knee_at[1])
    shin_angle = -math.degrees(math.atan2(shin_vec[0], shin_vec[1]))
    foot = -hip + knee + ankle  # the foot keeps its direction on the page
    return (math.hypot(*knee_at), math.hypot(*shin_vec),
            (thigh_angle, shin_angle - thigh_angle, foot - shin_angle))


def _arm(side: str, i: int, sign: int, front: bool, pose: Pose) -> list[Joint]:
    x = sign * SHOULDER_W if front else 0.0
    turn = -sign if front else -1
    bend = sign if front else -1
    return [
        Joint(f"{side}_upper", "root", (x, -TRUNK + SHOULDER_DROP), turn * pose.shoulder[i], UPPER_ARM),
        Joint(f"{side}_fore", f"{side}_upper", (0.0, UPPER_ARM), bend * pose.elbow[i], FOREARM),
    ]


def foot_flat_ankle(pose: Pose, i: int) -> float:
    """The plantarflexion that lays the foot level (side view)."""
    return pose.hip[i] - pose.lean - pose.knee[i]


def _frames(joints: list[Joint], root_at: tuple[float, float]) -> dict[str, tuple[float, float, float]]:
    """Each joint's origin on the page and its total turn."""
    out: dict[str, tuple[float, float, float]] = {}
    for j in joints:
        if j.parent is None:
            out[j.name] = (root_at[0], root_at[1], j.angle)
            continue
        px, py, pa = out[j.parent]
        x, y = _rot(j.at, pa)
        out[j.name] = (px + x, py + y, pa + j.angle)
    return out


def _rot(p: tuple[float, float], deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    return (p[0] * math.cos(a) - p[1] * math.sin(a), p[0] * math.sin(a) + p[1] * math.cos(a))


def points(view: str, joints: list[Joint], root_at=(0.0, 0.0)) -> dict[str, tuple[float, float]]:
    """Named body points on the page."""
    frames = _frames(joints, root_at)
    by = {j.name: j for j in joints}

    def along(name: str, local: tuple[float, float]) -> tuple[float, float]:
        x, y, a = frames[name]
        dx, dy = _rot(local, a)
        return (x + dx, y + dy)

    out = {"hips": along("root", (0, 0)), "neck": along("root", (0, -TRUNK - NECK)),
           "head": along("root", (0, -TRUNK - NECK - HEAD_R)),
           "head_top": along("root", (0, -TRUNK - NECK - 2 * HEAD_R))}
    toe = (0, 3.5) if view == "front" else (FOOT, 0)
    for side in ("near", "far"):
        out[f"{side}_knee"] = along(f"{side}_shin", (0, 0))
        out[f"{side}_ankle"] = along(f"{side}_foot", (0, 0))
        sign = 1 if (view != "front" or side == "near") else -1
        out[f"{side}_toe"] = along(f"{side}_foot", (toe[1] * sign, 0) if view == "front" else toe)
        out[f"{side}_heel"] = along(f"{side}_foot", (-HEEL, 0) if view != "front" else (-sign, 0))
        out[f"{side}_elbow"] = along(f"{side}_fore", (0, 0))
        out[f"{side}_hand"] = along(f"{side}_fore", (0, by[f"{side}_fore"].length))
    return out


# ── placing the poses ───────────────────────────────────────────────────────────────────────


def _lerp_pose(a: list[Joint], b: list[Joint], t: float) -> list[Joint]:
    """What CSS shows at t between two poses: every number moves linearly."""
    mix = lambda u, v: u + (v - u) * t  # noqa: E731
    return [Joint(p.name, p.parent, (mix(p.at[0], q.at[0]), mix(p.at[1], q.at[1])),
                  mix(p.angle, q.angle), mix(p.length, q.length)) for p, q in zip(a, b)]


@dataclass(frozen=True)
class Frame:
    """One keyframe: its time (0–100), the joints and where the root sits."""

    pct: float
    joints: list[Joint]
    root: tuple[float, float]
    pose: int | None  # a key pose, or None for an in-between


def order(n: int) -> list[int]:
    """The poses of one rep: there and back (0, 1, 2, 1 for three; 0, 1 for two)."""
    return list(range(n)) + list(range(n - 2, 0, -1))


def timeline(fig: Figure) -> list[Frame]:
    """The rep as keyframes: end poses held, then moved from, with in-betweens that keep the pin."""
    keys = [skeleton(fig.view, p) for p in fig.poses]
    pin = _pin(fig, keys[0])
    seq = order(len(keys))
    slots = len(seq)
    frames: list[Frame] = []
    for k, i in enumerate(seq):
        nxt = seq[(k + 1) % slots]
        hold = HOLD if i in (0, len(keys) - 1) else 0.0
        start, held, end = 100 * k / slots, 100 * (k + hold) / slots, 100 * (k + 1) / slots
        a, b = fig.poses[i], fig.poses[nxt]
        for pct in dict.fromkeys((start, held)):
            frames.append(Frame(pct, keys[i], _root(fig, keys[i], pin, a.lift, a.shift), i))
        for step in range(1, SUBSTEPS):
            t = step / SUBSTEPS
            joints = _lerp_pose(keys[i], keys[nxt], t)
            lift, shift = a.lift + (b.lift - a.lift) * t, a.shift + (b.shift - a.shift) * t
            frames.append(Frame(held + (end - held) * t, joints, _root(fig, joints, pin, lift, shift), None))
    first = fig.poses[0]
    frames.append(Frame(100.0, keys[0], _root(fig, keys[0], pin, first.lift, first.shift), 0))
    return frames


def _pin(fig: Figure, joints: list[Joint]) -> tuple[float, float]:
    """Where the anchor sits: x = 0; the first pose rests on the floor, or its anchor at `ground`."""
    if fig.ground is not None:
        return (0.0, -fig.ground)
    if fig.anchor[1] == LOWEST:
        return (0.0, -STROKE / 2)
    pts = points(fig.view, joints)
    return (0.0, pts[fig.anchor[1]][1] - _lowest(pts) - STROKE / 2)


def _lowest(pts: dict[str, tuple[float, float]]) -> float:
    return max(max(y for _, y in pts.values()), pts["head"][1] + HEAD_R)


def _root(fig: Figure, joints: list[Joint], pin: tuple[float, float], lift: float,
          shift: float) -> tuple[float, float]:
    pts = points(fig.view, joints)
    y = _lowest(pts) if fig.anchor[1] == LOWEST else pts[fig.anchor[1]][1]
    return (pin[0] - pts[fig.anchor[0]][0] + shift, pin[1] - y - lift)


# ── SVG ─────────────────────────────────────────────────────────────────────────────────────


def _n(v: float) -> str:
    """A short number: one decimal at most."""
    s = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _working(fig: Figure, side: str) -> bool:
    return fig.side == "both" or fig.side == side


def _tf(j: Joint, root: tuple[float, float] | None = None) -> str:
    x, y = root if root is not None else j.at
    turn = f" rotate({_n(j.angle)})" if abs(j.angle) >= 0.05 else ""
    return f"translate({_n(x)} {_n(y)}){turn}" if (x or y) else (turn.strip() or "")


def _css_tf(j: Joint, root: tuple[float, float] | None = None) -> str:
    x, y = root if root is not None else j.at
    return f"translate({_n(x)}px,{_n(y)}px) rotate({_n(j.angle)}deg)"


class _Drawing:
    """Builds one figure's markup; `anim` collects CSS keyframes when it is animated."""

    def __init__(self, fig: Figure, frames: list[Frame], animated: bool, uid: str):
        self.fig, self.frames, self.animated, self.uid = fig, frames, animated, uid
        self.css: list[str] = []
        self.count = 0

    def _anim(self, values: list[str]) -> str:
        """A class animating one property through the frames (empty when it never changes)."""
        if not self.animated or len(set(values)) == 1:
            return ""
        self.count += 1
        name = f"{self.uid}{self.count}"
        groups: dict[str, list[str]] = {}
        for frame, value in zip(self.frames, values):
            groups.setdefault(value, []).append(f"{_n(frame.pct)}%")
        steps = "".join(f"{','.join(p)}{{transform:{v}}}" for v, p in groups.items())
        self.css.append(f"@keyframes {name}{{{steps}}}.{name}{{animation-name:{name}}}")
        return name

    def joint(self, index: int, inner: str) -> str:
        """One joint's group around `inner`, animated or fixed."""
        first = self.frames[0]
        j = first.joints[index]
        root = first.root if j.parent is None else None
        if self.animated:
            values = [_css_tf(f.joints[index], f.root if j.parent is None else None) for f in self.frames]
            cls = self._anim(values)
            if cls:
                return f'<g class="{cls}">{inner}</g>'
        tf = _tf(j, root)
        return f'<g transform="{tf}">{inner}</g>' if tf else f"<g>{inner}</g>"

    def line(self, index: int, cls: str = "") -> str:
        """A limb segment along the joint's +y; it shortens (front view) by a scale."""
        j = self.frames[0].joints[index]
        lengths = [f.joints[index].length for f in self.frames]
        base = max(lengths) or 1.0
        attr = f' class="{cls}"' if cls else ""
        if len(set(round(v, 1) for v in lengths)) == 1:
            return f'<path{attr} d="M0 0V{_n(j.length)}"/>'
        if not self.animated:
            return f'<path{attr} d="M0 0V{_n(j.length)}"/>'
        name = self._anim([f"scale(1,{lv / base:.2f})" for lv in lengths])
        classes = " ".join(c for c in (cls, name) if c)
        return f'<path class="{classes}" d="M0 0V{_n(base)}"/>'

    def body(self) -> str:
        """The figure: far limbs, trunk and head, near limbs."""
        fig, joints = self.fig, self.frames[0].joints
        index = {j.name: i for i, j in enumerate(joints)}
        front = fig.view == "front"
        parts = {side: self._limbs(side, index) for side in ("far", "near")}
        trunk_w = fig.part == "trunk"
        work = ' class="w"' if trunk_w else ""
        torso = (f'<path{work} d="M0 0V{_n(-TRUNK)}"/>'
                 f'<circle cx="0" cy="{_n(-TRUNK - NECK - HEAD_R)}" r="{_n(HEAD_R)}"/>')
        if front:
            torso += (f'<path d="M{_n(-HIP_W)} 0H{_n(HIP_W)}M{_n(-SHOULDER_W)} {_n(-TRUNK + SHOULDER_DROP)}'
                      f'H{_n(SHOULDER_W)}"/>')
        torso += self._glute(front)
        far = f'<g class="f">{parts["far"]}</g>' if not front else parts["far"]
        return self.joint(index["root"], far + torso + parts["near"])

    def _glute(self, front: bool) -> str:
        if self.fig.part != "glute":
            return ""
        marks = []
        for side, sign in (("near", 1), ("far", -1)):
            if not _working(self.fig, side):
                continue
            if front:
                x = sign * (HIP_W + 3)
                marks.append(f"M{_n(x)} -7q{_n(sign * 3)} 5 0 10")
            elif not marks:
                marks.append("M-3.5 -8q-4 6 0 11")
        return f'<path class="w" d="{"".join(marks)}"/>' if marks else ""

    def _limbs(self, side: str, index: dict[str, int]) -> str:
        fig = self.fig
        work = _working(fig, side)
        w = lambda part: "w" if work and (fig.part == part or (fig.part == "leg" and part in ("thigh", "shin"))) else ""  # noqa: E731
        front = fig.view == "front"
        sign = 1 if (not front or side == "near") else -1
        foot = (f"M{_n(-sign)} 0H{_n(sign * 3.5)}" if front else f"M{_n(-HEEL)} 0H{_n(FOOT)}")
        foot_cls = ' class="w"' if w("foot") else ""
        foot_g = self.joint(index[f"{side}_foot"], f"<path{foot_cls} d=\"{foot}\"/>")
        shin_g = self.joint(index[f"{side}_shin"], self.line(index[f"{side}_shin"], w("shin")) + foot_g)
        leg = self.joint(index[f"{side}_thigh"], self.line(index[f"{side}_thigh"], w("thigh")) + shin_g)
        fore = self.joint(index[f"{side}_fore"], self.line(index[f"{side}_fore"]))
        arm = self.joint(index[f"{side}_upper"], self.line(index[f"{side}_upper"]) + fore)
        return leg + arm


def _band_ends(fig: Figure, frame: Frame) -> tuple[tuple[float, float], tuple[float, float]]:
    pts = points(fig.view, frame.joints, frame.root)
    a, b = fig.props.band  # type: ignore[misc]
    end = lambda e: pts[e] if isinstance(e, str) else (e[0], -e[1])  # noqa: E731
    return end(a), end(b)


def _band(d: _Drawing) -> str:
    """The band: a line between two points, stretched frame by frame."""
    fig = d.fig
    if fig.props.band is None:
        return ""
    dots = "".join(f'<circle class="p" cx="{_n(e[0])}" cy="{_n(-e[1])}" r="1.5"/>'
                   for e in fig.props.band if not isinstance(e, str))
    values = []
    for frame in d.frames:
        (ax, ay), (bx, by) = _band_ends(fig, frame)
        length = math.hypot(bx - ax, by - ay) or 0.1
        angle = math.degrees(math.atan2(by - ay, bx - ax))
        values.append((ax, ay, angle, length))
    if d.animated:
        name = d._anim([f"translate({_n(x)}px,{_n(y)}px) rotate({_n(a)}deg) scale({_n(s)},1)"
                        for x, y, a, s in values])
        if name:
            return f'<path class="w b {name}" d="M0 0H1"/>' + dots
    x, y, a, s = values[0]
    return dots + f'<path class="w b" d="M{_n(x)} {_n(y)}L{_n(x + s * math.cos(math.radians(a)))} {_n(y + s * math.sin(math.radians(a)))}"/>'


def _props_svg(fig: Figure, box: tuple[float, float, float, float]) -> str:
    """Floor, wall, step, chair, roller, line: drawn behind the figure."""
    p = fig.props
    x0, _, x1, _ = box
    out = []
    if p.floor:
        out.append(f"M{_n(x0)} 0H{_n(x1)}")
    if p.wall is not None:
        out.append(f"M{_n(p.wall)} 0V-100")
    if p.step is not None:
        x, h = p.step
        out.append(f"M{_n(x)} 0V{_n(-h)}H{_n(x - STEP_W)}V0")
    if p.chair is not None:
        x, h = p.chair
        out.append(f"M{_n(x)} 0V{_n(-h)}H{_n(x - 18)}V0M{_n(x - 18)} {_n(-h)}V{_n(-h - 24)}")
    if p.line is not None:
        out.append(f"M{_n(p.line)} -1.5V1.5")
    shapes = f'<path class="p" d="{"".join(out)}"/>' if out else ""
    if p.roller is not None:
        shapes += f'<circle class="p" cx="{_n(p.roller)}" cy="-5.5" r="4"/>'
    if fig.view == "top":
        bx0, by0, bx1, by1 = box
        shapes = (f'<rect class="m" x="{_n(bx0 + 1)}" y="{_n(by0 + 1)}" width="{_n(bx1 - bx0 - 2)}" '
                  f'height="{_n(by1 - by0 - 2)}" rx="4"/>') + shapes
    return shapes


def _bbox(fig: Figure, frames: list[Frame]) -> tuple[float, float, float, float]:
    """Everything the drawing can reach, props included, with a margin."""
    xs, ys = [], []
    for frame in frames:
        pts = points(fig.view, frame.joints, frame.root)
        for name, (x, y) in pts.items():
            xs.append(x)
            ys.append(y)
        hx, hy = pts["head"]
        xs += [hx - HEAD_R, hx + HEAD_R]
        ys += [hy - HEAD_R, hy + HEAD_R]
    p = fig.props
    if p.wall is not None:
        xs.append(p.wall)
    if p.step is not None:
        xs += [p.step[0], p.step[0] - STEP_W]
    if p.chair is not None:
        xs += [p.chair[0], p.chair[0] - 18]
        ys.append(-p.chair[1] - 24)
    if p.roller is not None:
        xs += [p.roller - 4, p.roller + 4]
    if p.band is not None:
        for e in p.band:
            if not isinstance(e, str):
                xs.append(e[0])
                ys.append(-e[1])
    if p.floor:
        ys.append(0.0)
    m = STROKE + 2
    return (min(xs) - m, min(ys) - m, max(xs) + m, max(ys) + m)


GAP = 14.0
ASPECT = 1.6  # the shape a drawing is shown in best: a little wider than tall


def _layout(n: int, w: float, h: float) -> list[tuple[int, int]]:
    """Where the still poses go, as (column, row): a row, a column, or for three poses two rows
    (→ then ↓), whichever shape is nearest a landscape picture."""
    options = [[(i, 0) for i in range(n)], [(0, i) for i in range(n)]]
    if n == 3:
        options.append([(0, 0), (1, 0), (1, 1)])

    def off(cells):
        cols, rows = max(c for c, _ in cells) + 1, max(r for _, r in cells) + 1
        return abs(math.log((cols * w + (cols - 1) * GAP) / (rows * h + (rows - 1) * GAP) / ASPECT))

    return min(options, key=off)


def render_svg(fig: Figure, name: str, uid: str = "k") -> str:
    """The drawing as a standalone SVG document: animated, and still for reduced motion."""
    frames = timeline(fig)
    x0, y0, x1, y1 = _bbox(fig, frames)
    w, h = x1 - x0, y1 - y0
    n = len(fig.poses)
    cells = _layout(n, w, h)
    cols, rows = max(c for c, _ in cells) + 1, max(r for _, r in cells) + 1
    total_w, total_h = cols * w + (cols - 1) * GAP, rows * h + (rows - 1) * GAP
    anim = _Drawing(fig, frames, True, uid)
    props = _props_svg(fig, (x0, y0, x1, y1))
    moving = anim.body() + _band(anim)
    scale = min(total_w / w, total_h / h)  # the moving figure fills the picture
    ax, ay = (total_w - w * scale) / 2 - x0 * scale, (total_h - h * scale) / 2 - y0 * scale
    zoom = f" scale({scale:.3f})" if scale > 1.001 else ""
    animated = f'<g class="a" transform="translate({_n(ax)} {_n(ay)}){zoom}">{props}{moving}</g>'
    stills = []
    keys = [next(f for f in frames if f.pose == i) for i in range(n)]
    for i, (frame, (col, row)) in enumerate(zip(keys, cells)):
        still = _Drawing(fig, [frame], False, uid)
        dx, dy = col * (w + GAP) - x0, row * (h + GAP) - y0
        stills.append(f'<g transform="translate({_n(dx)} {_n(dy)})">{props}{still.body()}{_band(still)}</g>')
        if i < n - 1:
            stills.append(_arrow(cells[i], cells[i + 1], w, h))
    desc = escape(fig.describe(name))
    style = _style(fig, anim.css)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(total_w)} {_n(total_h)}" '
            f'width="{round(total_w * 1.6)}" height="{round(total_h * 1.6)}" role="img" '
            f'aria-labelledby="t d"><title id="t">{escape(name)}</title><desc id="d">{desc}</desc>'
            f"<style>{style}</style>{animated}<g class=\"s\">{''.join(stills)}</g></svg>\n")


def _arrow(a: tuple[int, int], b: tuple[int, int], w: float, h: float) -> str:
    """An arrow in the gap between two neighbouring still poses."""
    if b[1] == a[1]:  # the next pose is to the right
        x, y = (a[0] + 1) * w + a[0] * GAP + GAP / 2, a[1] * (h + GAP) + h / 2
        return f'<path class="r" d="M{_n(x - 4)} {_n(y)}h8m-3 -3l3 3l-3 3"/>'
    x, y = a[0] * (w + GAP) + w / 2, (a[1] + 1) * h + a[1] * GAP + GAP / 2
    return f'<path class="r" d="M{_n(x)} {_n(y - 4)}v8m-3 -3l3 3l3 -3"/>'


def _style(fig: Figure, keyframes: list[str]) -> str:
    (ink, accent), (ink_d, accent_d) = LIGHT, DARK
    return (f"svg{{color:{ink}}}.w{{color:{accent}}}"
            f"@media(prefers-color-scheme:dark){{svg{{color:{ink_d}}}.w{{color:{accent_d}}}}}"
            f"path,circle{{fill:none;stroke:currentColor;stroke-width:{STROKE};stroke-linecap:round;"
            "stroke-linejoin:round}.f{opacity:.45}.p{opacity:.6}.m{fill:currentColor;opacity:.08;"
            "stroke:none}.b{stroke-width:1.6;stroke-linecap:butt}.r{opacity:.6}.s{display:none}"
            f".a g,.a path{{animation-duration:{_n(fig.tempo)}s;animation-timing-function:linear;"
            "animation-iteration-count:infinite}"
            "@media(prefers-reduced-motion:reduce){.a{display:none}.a *{animation:none!important}.s{display:inline}}"
            + "".join(keyframes))


def gzip_size(svg: str) -> int:
    """Bytes of the drawing gzipped as the app sends it (Flask-Compress's default level, 6)."""
    return len(gzip.compress(svg.encode(), compresslevel=6, mtime=0))
