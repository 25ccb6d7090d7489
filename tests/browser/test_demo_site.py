"""The journey fixture itself: the demo data behind a live server, at a set moment."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_site_has_a_till_for_the_cashier_at_the_set_moment(demo_site, desktop_page):
    from django.utils import timezone

    assert abs((timezone.now() - demo_site.moment).total_seconds()) < 600
    demo_site.login(desktop_page, "kasir.lapas")
    desktop_page.goto(demo_site.url + "/petugas/kasir/")
    assert "Kasir Galeri 1" in desktop_page.content()
    assert demo_site.shot(desktop_page, "kasir").exists()
