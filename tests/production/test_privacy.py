"""Privacy: full names and register numbers of participants never reach a public page, the
sitemap, share tags or another unit's staff; reading them is logged."""

import re

import pytest
from django.urls import reverse

from galeri.production import services
from galeri.production.models import AccessPurpose, LegalStatus, Participant, PersonalDataAccess

pytestmark = pytest.mark.django_db

NAMES = ["Yohanis Matulessy", "Maria Latuconsina", "Abdul Rahman Tuasikal"]
NUMBERS = ["BI.234/2023", "AI.0815/2024", "BIIa.77/2022"]


@pytest.fixture
def gallery(places, stocked, make_participant, make_batch, make_rule, staff):
    """A published product made by three participants whose restricted fields are filled; one consents to credit."""
    unit, gallery = places.lapas.unit, places.lapas.galeri
    product = stocked(gallery, 0, name="Tikar Pandan Motif Hila", price=90_000)
    people = []
    for name, number, initials in zip(NAMES, NUMBERS, ("Y.M.", "M.L.", "A.R.T.")):
        p = make_participant(unit, initials)
        services.set_personal(
            p, staff.lapas_officer, full_name=name, registration_number=number, legal_status=LegalStatus.CONVICT
        )
        people.append(p)
    services.set_credit_consent(people[0], consent=True)
    make_rule(unit)
    make_batch(product, gallery, [(p, 4) for p in people], quantity=6)
    from django.utils import timezone

    services.settle_sale(
        unit=unit,
        source_type="pos.sale",
        source_id="1",
        settled_at=timezone.now(),
        lines=[services.SaleLine("1", product, 2, 180_000)],
    )
    return product, people


def _public_urls(client, product):
    urls = [
        "/",
        "/en/",
        "/produk/",
        "/en/produk/",
        "/dampak/",
        "/en/dampak/",
        "/sitemap.xml",
        "/robots.txt",
        product.get_absolute_url(),
        reverse("catalog:unit", kwargs={"slug": product.unit.slug}),
        "/cari/?q=pandan",
    ]
    index = client.get("/sitemap.xml").content.decode()
    for section in re.findall(r"<loc>([^<]+)</loc>", index):
        urls.append(section.split("://", 1)[-1].split("/", 1)[-1].join(["/", ""]))
    return urls


def test_no_public_page_carries_a_name_or_register_number(client, gallery):
    product, people = gallery
    seen = 0
    for url in _public_urls(client, product):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        seen += 1
        for secret in NAMES + NUMBERS + [n.split()[0] for n in NAMES]:
            assert secret not in body, f"{secret} on {url}"
    assert seen >= 10
    # The product page's share tags too.
    body = client.get(product.get_absolute_url()).content.decode()
    for tag in re.findall(r'<meta property="og:[^>]+>', body):
        assert not any(s in tag for s in NAMES + NUMBERS)


def test_staff_lists_show_code_and_initials_only(client, gallery, staff, login):
    product, people = gallery
    login(client, staff.lapas_officer)
    before = PersonalDataAccess.objects.count()
    for name in ("production:participants", "production:home", "production:batches", "production:training", "production:pnbp"):
        body = client.get(reverse(name)).content.decode()
        assert not any(s in body for s in NAMES + NUMBERS), name
    body = client.get(reverse("production:participant_detail", args=[people[0].pk])).content.decode()
    assert people[0].code in body and not any(s in body for s in NAMES + NUMBERS)
    assert PersonalDataAccess.objects.count() == before  # nothing restricted was read


def test_reading_restricted_fields_is_logged(client, gallery, staff, login):
    product, people = gallery
    login(client, staff.lapas_officer)
    before = PersonalDataAccess.objects.filter(participant=people[1], purpose=AccessPurpose.VIEW).count()
    body = client.get(reverse("production:participant_personal", args=[people[1].pk])).content.decode()
    assert NAMES[1] in body and NUMBERS[1] in body
    log = PersonalDataAccess.objects.filter(participant=people[1], purpose=AccessPurpose.VIEW)
    assert log.count() == before + 1
    assert log.first().user == staff.lapas_officer


@pytest.mark.parametrize("who", ["lpp_officer", "regional", "lapas_cashier"])
def test_other_units_and_the_region_cannot_read_them(client, gallery, staff, login, who):
    product, people = gallery
    login(client, getattr(staff, who))
    response = client.get(reverse("production:participant_personal", args=[people[0].pk]))
    assert response.status_code in (403, 404)
    assert not any(s in response.content.decode() for s in NAMES + NUMBERS)
    assert not PersonalDataAccess.objects.filter(user=getattr(staff, who)).exists()
    with pytest.raises(Exception):
        services.read_personal(people[0], getattr(staff, who))


def test_retention_erases_restricted_fields_after_release(gallery, staff):
    import datetime

    from django.core.management import call_command

    product, people = gallery
    released = people[2]
    Participant.objects.filter(pk=released.pk).update(release_date=datetime.date.today() - datetime.timedelta(days=400))
    call_command("erase_released_participants", days=365)
    released.refresh_from_db()
    assert released.personal_erased_at is not None
    assert services.read_personal(released, staff.lapas_officer) is None
    assert PersonalDataAccess.objects.filter(participant=released, purpose=AccessPurpose.ERASE).exists()
    assert services.read_personal(people[0], staff.lapas_officer).full_name == NAMES[0]  # not yet released
    assert released.code and released.initials  # the pseudonymous record stays


def test_public_credit_only_with_consent(gallery):
    from galeri.production.selectors import public_credit_initials

    product, people = gallery
    assert public_credit_initials(product) == ["Y.M."]
    services.set_credit_consent(people[0], consent=False)
    assert public_credit_initials(product) == []


def test_home_page_shows_the_impact_summary(client, db):
    from galeri.production.selectors import impact_summary

    impact_summary(use_cache=False)
    html = client.get("/").content.decode()
    assert "Dampak pembinaan" in html and "/dampak/" in html
