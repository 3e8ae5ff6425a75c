"""Drawing page tests reuse the check-in tests' athlete with a fixed today."""
from tests.checkin.conftest import athlete, rows, today  # noqa: F401  (fixtures)
