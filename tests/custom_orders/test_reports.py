"""The reports dashboard lists made-to-order work in progress, through the registry."""

import pytest

from galeri.reports import registry
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def test_open_requests_appear_in_the_reports_open_work(make_request):
    order = make_request()
    sources = dict(registry.open_work([order.unit_id]))
    assert sources["Pesanan khusus"] == [("Permintaan baru", 1)]
    assert dict(registry.open_work([order.unit_id + 999]))["Pesanan khusus"] == []


def test_the_console_home_counts_requests_waiting_for_a_quote(client, make_request, staff, rutan_officer):
    from django.urls import reverse

    make_request()
    client.force_login(staff.lapas_officer)
    verify_session(client, staff.lapas_officer)
    html = client.get(reverse("console:home")).content.decode()
    assert "<strong>1</strong>Permintaan pesanan khusus menunggu penawaran" in html
    # The officer of another unit has nothing waiting.
    client.force_login(rutan_officer)
    verify_session(client, rutan_officer)
    html = client.get(reverse("console:home")).content.decode()
    assert "<strong>0</strong>Permintaan pesanan khusus menunggu penawaran" in html
