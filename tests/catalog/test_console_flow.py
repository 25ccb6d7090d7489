"""Publication flow and price approval: who may do what, what buyers see meanwhile."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from galeri.catalog import prices, services
from galeri.catalog.models import (
    DecisionAction,
    PriceChange,
    PriceChangeStatus,
    Product,
    ProductDecision,
    ProductStatus,
)
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

APPROVALS = "/petugas/produk/persetujuan/"


def url(product, action=""):
    return f"/petugas/produk/{product.pk}/{action + '/' if action else ''}"


@pytest.fixture
def draft(make_product, upt, category):
    return make_product(
        unit=upt, category=category, name="Tas Anyaman Pandan", sku="LPA-ANY-9", status=ProductStatus.DRAFT, price=150_000
    )


def test_officer_submits_unit_admin_approves_and_buyers_see_it(signed_in, staff, draft, client):
    officer = signed_in(staff.lapas_officer)
    assert client.get(draft.get_absolute_url()).status_code == 404  # a draft is not public

    response = officer.post(url(draft, "ajukan"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ProductStatus.SUBMITTED

    # The officer may not approve: the action is not theirs anywhere.
    assert officer.post(url(draft, "setujui")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ProductStatus.SUBMITTED

    admin = signed_in(staff.lapas_admin)
    queue = admin.get(APPROVALS)
    assert queue.status_code == 200 and "Tas Anyaman Pandan" in text_of(queue)
    assert admin.post(url(draft, "setujui")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ProductStatus.PUBLISHED and draft.published_at is not None

    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200 and "Tas Anyaman Pandan" in text_of(page)
    decisions = list(ProductDecision.objects.filter(product=draft).order_by("decided_at", "id"))
    assert [(d.action, d.decided_by) for d in decisions] == [
        (DecisionAction.SUBMITTED, staff.lapas_officer),
        (DecisionAction.APPROVED, staff.lapas_admin),
    ]
    # The history records who changed the product, and why.
    latest = draft.history.latest()
    assert latest.history_user == staff.lapas_admin and latest.status == ProductStatus.PUBLISHED


def test_another_units_admin_gets_404_and_the_queue_is_scoped(signed_in, staff, draft):
    services.submit_product(draft, user=staff.lapas_officer)
    lpp_admin = signed_in(staff.lpp_admin)
    assert lpp_admin.post(url(draft, "setujui")).status_code == 404
    assert "Tas Anyaman Pandan" not in text_of(lpp_admin.get(APPROVALS))
    assert "Tas Anyaman Pandan" in text_of(signed_in(staff.regional).get(APPROVALS))
    # Officers and cashiers have no approvals page at all.
    assert signed_in(staff.lapas_officer).get(APPROVALS).status_code == 403
    assert signed_in(staff.lapas_cashier).get(APPROVALS).status_code == 403


def test_return_needs_a_note_which_the_officer_then_reads(signed_in, staff, draft):
    services.submit_product(draft, user=staff.lapas_officer)
    admin = signed_in(staff.lapas_admin)
    response = admin.post(url(draft, "kembalikan"), {"note": "   "}, follow=True)
    assert "Tulis catatan untuk petugas" in text_of(response)
    draft.refresh_from_db()
    assert draft.status == ProductStatus.SUBMITTED

    admin.post(url(draft, "kembalikan"), {"note": "Foto kurang terang; tulis ukuran tas."})
    draft.refresh_from_db()
    assert draft.status == ProductStatus.RETURNED
    page = text_of(signed_in(staff.lapas_officer).get(url(draft)))
    assert "Dikembalikan untuk diperbaiki" in page and "Foto kurang terang; tulis ukuran tas." in page
    # Fixed and sent again.
    services.submit_product(draft, user=staff.lapas_officer)
    draft.refresh_from_db()
    assert draft.status == ProductStatus.SUBMITTED


def test_steps_that_do_not_fit_the_state_are_refused_with_a_message(signed_in, staff, draft):
    admin = signed_in(staff.lapas_admin)
    response = admin.post(url(draft, "setujui"), follow=True)
    assert "Hanya produk yang diajukan yang bisa disetujui." in text_of(response)
    draft.refresh_from_db()
    assert draft.status == ProductStatus.DRAFT
    with pytest.raises(services.CatalogError):
        services.restore_product(draft, user=staff.lapas_admin)
    services.submit_product(draft, user=staff.lapas_officer)
    with pytest.raises(services.CatalogError):
        services.submit_product(draft, user=staff.lapas_officer)


def test_services_check_permissions_themselves(staff, draft):
    with pytest.raises(PermissionDenied):
        services.submit_product(draft, user=staff.lpp_officer)
    services.submit_product(draft, user=staff.lapas_officer)
    for user in (staff.lapas_officer, staff.lapas_cashier, staff.lpp_admin):
        with pytest.raises(PermissionDenied):
            services.approve_product(draft, user=user)
    services.approve_product(draft, user=staff.regional)
    with pytest.raises(PermissionDenied):
        services.archive_product(draft, user=staff.lapas_officer)


def test_archive_and_restore(signed_in, staff, product, client):
    admin = signed_in(staff.lapas_admin)
    assert signed_in(staff.lapas_officer).post(url(product, "arsipkan")).status_code == 403
    admin.post(url(product, "arsipkan"))
    product.refresh_from_db()
    assert product.status == ProductStatus.ARCHIVED
    assert client.get(product.get_absolute_url()).status_code == 404
    admin.post(url(product, "pulihkan"))
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT and product.published_at is None


def test_bulk_submit_from_the_list_and_bulk_approve(signed_in, staff, unit_tree, make_product, category):
    mine = [make_product(unit=unit_tree.lapas, category=category, status=ProductStatus.DRAFT) for _ in range(3)]
    theirs = make_product(unit=unit_tree.lpp, category=category, status=ProductStatus.DRAFT)
    officer = signed_in(staff.lapas_officer)
    ids = [p.pk for p in mine] + [theirs.pk]
    officer.post("/petugas/produk/massal/", {"action": "submit", "ids": ids})
    assert set(Product.objects.filter(status=ProductStatus.SUBMITTED).values_list("pk", flat=True)) == {p.pk for p in mine}
    # Officers cannot archive, even in bulk.
    assert officer.post("/petugas/produk/massal/", {"action": "archive", "ids": ids}).status_code == 403
    signed_in(staff.lapas_admin).post("/petugas/produk/persetujuan/massal/", {"ids": ids})
    assert set(Product.objects.filter(status=ProductStatus.PUBLISHED).values_list("pk", flat=True)) == {p.pk for p in mine}
    theirs.refresh_from_db()
    assert theirs.status == ProductStatus.DRAFT


# --- Prices -------------------------------------------------------------------------------------


def edit_data(product, **overrides):
    data = {
        "name": product.name,
        "unit": product.unit_id,
        "category": product.category_id,
        "price": str(product.price),
        "sku": product.sku,
        "barcode": product.barcode or "",
        "short_description": product.short_description,
        "description": product.description,
        "story": product.story,
        "workshop_credit": product.workshop_credit,
        "low_stock_threshold": product.low_stock_threshold,
    }
    data.update(overrides)
    return data


def test_a_new_price_of_a_published_product_waits_for_approval(signed_in, staff, product, client):
    officer = signed_in(staff.lapas_officer)
    response = officer.post(url(product), edit_data(product, price="175.000", price_reason="Harga pandan naik"), follow=True)
    assert "menunggu persetujuan" in text_of(response)
    product.refresh_from_db()
    assert product.price == 150_000 and product.status == ProductStatus.PUBLISHED
    change = PriceChange.objects.get(product=product)
    assert (change.old_price, change.new_price, change.status, change.requested_by, change.reason) == (
        150_000,
        175_000,
        PriceChangeStatus.PENDING,
        staff.lapas_officer,
        "Harga pandan naik",
    )
    # Buyers still see the old price.
    assert "Rp 150.000" in text_of(client.get(product.get_absolute_url()))
    assert "Rp 175.000" not in text_of(client.get(product.get_absolute_url()))
    # The officer cannot approve it.
    assert officer.post(f"/petugas/produk/harga/{change.pk}/setujui/").status_code == 403

    admin = signed_in(staff.lapas_admin)
    assert "Rp 175.000" in text_of(admin.get(APPROVALS))
    admin.post(f"/petugas/produk/harga/{change.pk}/setujui/")
    product.refresh_from_db()
    change.refresh_from_db()
    assert product.price == 175_000
    assert (change.status, change.decided_by) == (PriceChangeStatus.APPROVED, staff.lapas_admin)
    assert "Rp 175.000" in text_of(client.get(product.get_absolute_url()))
    history = text_of(officer.get(url(product)))
    assert "Riwayat harga" in history and "Disetujui" in history and "Harga awal" in history


def test_a_second_request_replaces_the_pending_one(signed_in, staff, product):
    officer = signed_in(staff.lapas_officer)
    officer.post(url(product), edit_data(product, price="160000"))
    officer.post(url(product), edit_data(product, price="170000"))
    assert PriceChange.objects.filter(product=product, status=PriceChangeStatus.PENDING).get().new_price == 170_000
    assert PriceChange.objects.get(product=product, new_price=160_000).status == PriceChangeStatus.SUPERSEDED
    # Saving other fields (price field unchanged) keeps the pending request.
    officer.post(url(product), edit_data(product, name="Tas Anyaman Pandan Besar"))
    product.refresh_from_db()
    assert product.name == "Tas Anyaman Pandan Besar" and product.price == 150_000
    assert PriceChange.objects.filter(product=product, status=PriceChangeStatus.PENDING).count() == 1


def test_the_database_allows_one_pending_change_per_product(product, staff):
    PriceChange.objects.create(product=product, old_price=1, new_price=2, requested_by=staff.lapas_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceChange.objects.create(product=product, old_price=1, new_price=3, requested_by=staff.lapas_officer)


def test_reject_needs_a_reason_and_keeps_the_price(signed_in, staff, product):
    change = prices.request_price_change(product, 200_000, user=staff.lapas_officer)
    admin = signed_in(staff.lapas_admin)
    response = admin.post(f"/petugas/produk/harga/{change.pk}/tolak/", {"note": ""}, follow=True)
    assert "Tulis alasan penolakan harga" in text_of(response)
    admin.post(f"/petugas/produk/harga/{change.pk}/tolak/", {"note": "Terlalu mahal untuk pasar Ambon."})
    change.refresh_from_db()
    product.refresh_from_db()
    assert change.status == PriceChangeStatus.REJECTED and product.price == 150_000
    # Decided once: a second decision is refused.
    with pytest.raises(services.CatalogError):
        prices.approve_price_change(change, user=staff.lapas_admin)


def test_price_decisions_are_scoped(signed_in, staff, product):
    change = prices.request_price_change(product, 200_000, user=staff.lapas_officer)
    assert signed_in(staff.lpp_admin).post(f"/petugas/produk/harga/{change.pk}/setujui/").status_code == 404
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.PENDING


def test_archiving_lets_a_pending_price_lapse(staff, product):
    change = prices.request_price_change(product, 200_000, user=staff.lapas_officer)
    services.archive_product(product, user=staff.lapas_admin)
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.SUPERSEDED


def test_withdraw_a_pending_price(signed_in, staff, product):
    change = prices.request_price_change(product, 200_000, user=staff.lapas_officer)
    signed_in(staff.lapas_officer).post(f"/petugas/produk/harga/{change.pk}/tarik/")
    change.refresh_from_db()
    assert change.status == PriceChangeStatus.SUPERSEDED


def test_history_leaves_out_search_words_and_stock(product):
    fields = {f.name for f in Product.history.model._meta.get_fields()}
    assert {"search_title", "search_document", "stock_quantity"}.isdisjoint(fields)
    assert {"price", "status", "name", "history_user", "history_change_reason"} <= fields


def test_approval_pages_are_valid_html(signed_in, staff, draft, product):
    import html5lib

    services.submit_product(draft, user=staff.lapas_officer)
    prices.request_price_change(product, 200_000, user=staff.lapas_officer)
    admin = signed_in(staff.lapas_admin)
    for path in (APPROVALS, url(draft), url(product)):
        response = admin.get(path)
        assert response.status_code == 200
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)


def test_product_and_price_changes_show_on_the_audit_page(signed_in, staff, product):
    officer = signed_in(staff.lapas_officer)
    officer.post(url(product), edit_data(product, name="Tas Anyaman Pandan Jumbo", price="180000"))
    page = text_of(signed_in(staff.lapas_admin).get("/petugas/audit/"))
    assert "Tas Anyaman Pandan Jumbo" in page and "petugas.lapas" in page
    assert "Perubahan harga" in page and "180000" in page  # the pending request, audited too
    assert "Tas Anyaman Pandan Jumbo" not in text_of(signed_in(staff.lpp_admin).get("/petugas/audit/"))


@pytest.mark.django_db(transaction=True)
def test_a_newly_approved_product_is_typo_searchable_at_once(staff, make_product, upt, category):
    from galeri.catalog import search

    make_product(unit=upt, category=category, name="Gelang Manik", sku="LPA-GEL-1")
    assert search.search_ids("salawako") == []  # warms the cached vocabulary without the new word
    shield = make_product(
        unit=upt, category=category, name="Salawaku Ukir", sku="LPA-SAL-1", status=ProductStatus.DRAFT, price=90_000
    )
    services.submit_product(shield, user=staff.lapas_officer)
    services.approve_product(shield, user=staff.lapas_admin)
    assert search.search_ids("salawako") == [shield.pk]
