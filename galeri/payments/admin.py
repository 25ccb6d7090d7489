"""Django admin (superusers only): unit payment settings editable, payments read-only.

A payment changes only through ``galeri.payments.services`` (confirmation by
staff with the permission, history kept), never by editing a row here.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from galeri.payments.models import AcquirerNotification, Charge, Payment, ProviderAccount, UnitPaymentSettings


@admin.register(UnitPaymentSettings)
class UnitPaymentSettingsAdmin(admin.ModelAdmin):
    list_display = ("unit", "accept_qris", "accept_transfer", "accept_cash", "allow_cod", "unique_code_max", "order_expiry_hours")
    list_select_related = ("unit",)


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "unit", "method", "status", "amount", "unique_code", "received_amount", "created_at")
    list_filter = ("status", "method", "unit")
    list_select_related = ("unit",)
    search_fields = ("reference", "external_reference")
    date_hierarchy = "created_at"
    # The proof has no public URL (private storage): the admin shows whether there is one, not a link.
    exclude = ("proof",)
    readonly_fields = ("has_proof",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProviderAccount)
class ProviderAccountAdmin(_ReadOnly):
    """Shown, never edited here: secrets are entered in the console and never shown back."""

    list_display = ("unit", "provider", "is_active", "has_secrets", "updated_at")
    list_filter = ("provider", "is_active")
    exclude = ("secrets_sealed",)
    readonly_fields = ("has_secrets",)


@admin.register(Charge)
class ChargeAdmin(_ReadOnly):
    list_display = ("reference", "provider", "status", "amount", "paid_amount", "expires_at", "paid_at")
    list_filter = ("status", "provider")
    search_fields = ("reference", "provider_reference")
    raw_id_fields = ("payment", "account")


@admin.register(AcquirerNotification)
class AcquirerNotificationAdmin(_ReadOnly):
    list_display = ("received_at", "provider", "outcome", "http_status", "charge", "reason")
    list_filter = ("outcome", "provider")
    raw_id_fields = ("charge",)
