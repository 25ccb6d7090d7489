"""The console's events pages: the Kanwil organises for several units, each unit sees and moves
only its own part; photos need the confirmation and a description; bad input never 500s."""

import pytest
from django.urls import reverse

from galeri.events.models import Event, EventPhoto
from galeri.inventory.models import StockLevel
from tests.helpers import assert_no_metadata, photo_with_metadata, text_of, upload

pytestmark = pytest.mark.django_db


def form_data(units, **extra):
    return {
        "name": "Bazar Karya di Lapangan Merdeka",
        "kind": "bazar",
        "place_name": "Lapangan Merdeka Ambon",
        "address": "Jl. Pattimura, Ambon",
        "latitude": "-3.695600",
        "longitude": "128.181400",
        "starts_on": "2026-12-10",
        "ends_on": "2026-12-12",
        "opens_at": "09:00",
        "closes_at": "21:00",
        "is_published": "on",
        "units": [u.pk for u in units],
        **extra,
    }


def test_the_kanwil_creates_an_event_for_several_units(signed_in, staff, unit_tree):
    client = signed_in(staff.regional)
    data = form_data([unit_tree.lapas, unit_tree.lpp], organiser=unit_tree.kanwil.pk)
    response = client.post(reverse("events_console:create"), data)
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == reverse("events_console:detail", args=[event.pk])
    assert event.organiser == unit_tree.kanwil
    assert {p.unit for p in event.participations.all()} == {unit_tree.lapas, unit_tree.lpp}
    page = text_of(client.get(response.url))
    assert "Lapas Ambon" in page and "buat kasir untuk pameran ini" in page


def test_bad_dates_and_junk_give_messages_not_500(signed_in, staff, unit_tree):
    client = signed_in(staff.regional)
    for extra in ({"ends_on": "2026-12-01"}, {"starts_on": "9999-99-99"}, {"latitude": "x" * 40}, {"units": []}):
        data = form_data([unit_tree.lapas], organiser=unit_tree.kanwil.pk) | extra
        response = client.post(reverse("events_console:create"), data)
        assert response.status_code == 200, extra
    assert not Event.objects.exists()


def test_a_unit_sees_only_its_own_part(signed_in, staff, unit_tree, places, stocked, make_event):
    lpp_bag = stocked(places.lpp.galeri, 5, name="Tas Khusus LPP")
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas, unit_tree.lpp])
    lpp_part = event.participations.get(unit=unit_tree.lpp)
    client = signed_in(staff.lpp_officer)
    client.post(
        reverse("events_console:stock", args=[event.pk, lpp_part.pk]),
        {"arah": "bawa", "bawa-product": lpp_bag.sku, "bawa-location": places.lpp.galeri.pk, "bawa-quantity": 2},
    )
    assert StockLevel.objects.get(location=lpp_part.location).quantity == 2

    lapas = signed_in(staff.lapas_officer)
    page = text_of(lapas.get(reverse("events_console:detail", args=[event.pk])))
    assert event.name in page
    assert "Tas Khusus LPP" not in page  # LPP's stock section is not shown to Lapas
    assert f"unit-{lpp_part.pk}" not in lapas.get(reverse("events_console:detail", args=[event.pk])).content.decode()
    # Lapas cannot move LPP's stock, nor edit the Kanwil's event
    url = reverse("events_console:stock", args=[event.pk, lpp_part.pk])
    data = {"arah": "kembali", "kembali-product": lpp_bag.sku, "kembali-location": places.lpp.galeri.pk, "kembali-quantity": 1}
    assert lapas.post(url, data).status_code == 404
    assert signed_in(staff.lapas_admin).get(reverse("events_console:edit", args=[event.pk])).status_code == 404
    assert StockLevel.objects.get(location=lpp_part.location).quantity == 2


def test_an_event_without_the_unit_is_invisible_to_it(signed_in, staff, unit_tree, make_event):
    event = make_event(staff.lpp_admin, unit_tree.lpp, [unit_tree.lpp], name="Pameran Khusus LPP")
    client = signed_in(staff.lapas_admin)
    assert client.get(reverse("events_console:detail", args=[event.pk])).status_code == 404
    assert "Pameran Khusus LPP" not in text_of(client.get(reverse("events_console:list")))
    assert "Pameran Khusus LPP" in text_of(signed_in(staff.regional).get(reverse("events_console:list")))


def test_a_unit_admin_is_offered_only_its_own_unit(signed_in, staff, unit_tree):
    response = signed_in(staff.lapas_admin).get(reverse("events_console:create"))
    form = response.context["form"]
    assert list(form.fields["units"].queryset) == [unit_tree.lapas]
    assert list(form.fields["organiser"].queryset) == [unit_tree.lapas]


def test_a_cashier_sees_the_event_but_cannot_move_stock(signed_in, staff, unit_tree, make_event):
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas])
    client = signed_in(staff.lapas_cashier)
    page = client.get(reverse("events_console:detail", args=[event.pk]))
    assert page.status_code == 200 and 'name="arah"' not in page.content.decode()
    part = event.participations.get()
    assert client.post(reverse("events_console:stock", args=[event.pk, part.pk]), {"arah": "semua"}).status_code == 403


def _photo_post(client, event, unit, **extra):
    data = {"image": upload(photo_with_metadata()), "alt_text": "Stan dengan rak anyaman", "unit": unit.pk, "confirm": "on"}
    data.update(extra)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("events_console:photo_upload", args=[event.pk]), data)


def test_a_photo_is_refused_without_the_confirmation(signed_in, staff, unit_tree, make_event):
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas])
    client = signed_in(staff.lapas_officer)
    response = _photo_post(client, event, unit_tree.lapas, confirm=None)
    assert response.status_code == 200
    assert "tidak ada warga binaan yang dapat dikenali" in text_of(response)
    response = _photo_post(client, event, unit_tree.lapas, alt_text="")
    assert response.status_code == 200
    assert not EventPhoto.objects.exists()


def test_a_confirmed_photo_is_stored_without_metadata(signed_in, staff, unit_tree, make_event):
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas])
    response = _photo_post(signed_in(staff.lapas_officer), event, unit_tree.lapas)
    assert response.status_code == 302
    photo = EventPhoto.objects.get()
    assert photo.no_recognisable_person and photo.unit == unit_tree.lapas
    with photo.image.open("rb") as handle:
        assert_no_metadata(handle.read())
    from django.core.files.storage import default_storage
    from PIL import Image

    with default_storage.open(photo.share_image) as handle, Image.open(handle) as share:
        assert share.size == (1200, 630) and share.format == "JPEG"
        assert not share.getexif()


def test_a_unit_cannot_upload_as_another_unit(signed_in, staff, unit_tree, make_event):
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas, unit_tree.lpp])
    response = _photo_post(signed_in(staff.lapas_officer), event, unit_tree.lpp)
    assert response.status_code == 200
    assert not EventPhoto.objects.exists()


def test_a_file_that_is_not_an_image_gets_a_message(signed_in, staff, unit_tree, make_event):
    event = make_event(staff.regional, unit_tree.kanwil, [unit_tree.lapas])
    response = _photo_post(signed_in(staff.lapas_officer), event, unit_tree.lapas, image=upload(b"bukan gambar", "a.jpg"))
    assert response.status_code == 200
    assert "bukan gambar yang utuh" in text_of(response)
    assert not EventPhoto.objects.exists()
