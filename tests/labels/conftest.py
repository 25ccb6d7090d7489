"""Label fixtures: the stock and production fixtures, reused."""

from tests.inventory.conftest import _fast_password_hashing, login, make_location, make_staff, places, staff, stocked  # noqa: F401
from tests.production.conftest import make_batch, make_participant, make_workshop  # noqa: F401
