"""The hostile-input suite's fixtures, its Hypothesis profiles, and its request count.

Profiles (HYPOTHESIS_PROFILE): "ci", the default, is derandomized (the same cases every run) and
sized to take about a minute per database on two cores; "thorough" draws ten times as many cases
at random, to hunt for bugs by hand:  HYPOTHESIS_PROFILE=thorough .venv/bin/pytest tests/security
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.security import tally
from tests.security.attack import Attack
from tests.security.world import build_world

_COMMON = dict(
    deadline=None,  # a request's time depends on the machine, not on the input
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
PROFILES = {
    "ci": settings(derandomize=True, database=None, print_blob=False, **_COMMON),
    "thorough": settings(derandomize=False, print_blob=True, **_COMMON),
}
SCALE = {"ci": 1, "thorough": 10}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci") if os.environ.get("HYPOTHESIS_PROFILE") in PROFILES else "ci"


def hostile_settings(examples: int) -> settings:
    """The profile's settings for a property that draws `examples` cases in CI."""
    return settings(PROFILES[PROFILE], max_examples=examples * SCALE[PROFILE])


def pytest_collection_modifyitems(config, items):
    """A failing case with a 300 KB string makes Hypothesis warn that its report is long: let the
    report through rather than turn the warning into a second, less useful error."""
    here = str(config.rootpath / "tests" / "security")
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"))


def pytest_terminal_summary(terminalreporter):
    line = tally.summary()
    if line:
        terminalreporter.write_sep("-", f"{line} (Hypothesis profile: {PROFILE})")


@pytest.fixture
def world(app, password_hash, today):
    return build_world(app, password_hash, today)


@pytest.fixture
def attack(app, client, world) -> Attack:
    return Attack(app, client, world)
