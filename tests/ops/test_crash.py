"""Crash safety: the real server (gunicorn, as `make run` starts it) is killed with SIGKILL in the
middle of a stream of checkouts and counter sales. After a restart every acknowledged sale and
order is there, nothing is half-written and the ledger checks pass. Runs on SQLite (WAL) and, with
DATABASE_URL set, on PostgreSQL; about 30-60 s."""

import threading
import time

import pytest

from tests.ops.conftest import database_url
from tests.ops.live import Cashier, Server, Shopper, base_env, seed, verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_sigkill_mid_stream_loses_no_acknowledged_sale_or_order(tmp_path):
    gallery = seed(products=6, cashiers=2)
    env = base_env(tmp_path / "var", database_url())
    server = Server(env, workers=2, threads=4).start()
    sales, checkouts, failures = [], [], []
    stop = threading.Event()

    def loop(client, action):
        i = 0
        while not stop.is_set():
            try:
                outcome, value = action(client, i)
            except Exception as exc:  # the server died under this request: not acknowledged
                outcome, value = "error", type(exc).__name__
            if outcome == "ok":
                (sales if isinstance(client, Cashier) else checkouts).append(value)
            else:
                failures.append(value)
                time.sleep(0.05)
            i += 1

    threads = [threading.Thread(target=loop, args=(Shopper(server.base, gallery, n), Shopper.checkout)) for n in range(3)]
    threads += [threading.Thread(target=loop, args=(Cashier(server.base, gallery, n), Cashier.sell)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while (len(sales) < 6 or len(checkouts) < 4) and time.monotonic() < deadline:
            time.sleep(0.05)
        before_kill = (len(sales), len(checkouts))
        assert failures == [], failures[:5]
        server.kill()  # master and workers at once, with requests in flight
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        server.stop()
    assert before_kill[0] >= 6 and before_kill[1] >= 4, (before_kill, failures[:5])
    assert failures, "the kill should have cut requests in flight"

    # Restart on the same database: the gallery serves and sells again.
    restarted = Server(env, workers=1, threads=2).start()
    try:
        assert Shopper(restarted.base, gallery, 99).checkout(1)[0] == "ok"
        outcome, sale_id = Cashier(restarted.base, gallery, 0).sell(1)
        assert outcome == "ok"
        sales.append(sale_id)
    finally:
        restarted.stop()

    result = verify(sales, checkouts)
    assert result["problems"] == [], result
    assert result["sales"] >= len(sales) and result["checkouts"] >= len(checkouts)
