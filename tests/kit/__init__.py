"""The tests' own toolkit: shared fixtures, registered as pytest plugins in tests/conftest.py.

- ``tests.kit.people``: staff of each role (``make_staff``, ``staff``), signing in (``login``,
  ``signed_in``), fast password hashing and mail in memory for every test.
- ``tests.kit.stock``: locations (``make_location``, ``places``) and products with stock through
  the ledger (``stocked``).
- ``tests.kit.shop``: UPTs set up to sell online (``shop``, ``goods``, ``unique_codes``).
- ``tests.kit.production``: workshops, participants, split rules, batches.
- ``tests.kit.counter``: a till with a cashier (``counter``, ``open_till``), a till session for
  anyone who takes cash (``till_for``).
- ``tests.kit.bookings``: a bookable service (``make_service``) and a booking (``book_one``).
- ``tests.kit.custom_orders``: a made-to-order request (``make_request``).
- ``tests.kit.objects``: ``UnitObjects``, one of everything of a unit, named with ``SECRET``
  (the authorisation matrix and the API world).

Plain helpers (no fixtures) live in tests/helpers.py.
"""
