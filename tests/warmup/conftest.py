"""The warm-up tests share the check-in tests' athlete and fixed today."""
from tests.checkin.conftest import athlete, rows, today  # noqa: F401  (fixtures)
