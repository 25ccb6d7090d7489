"""Django admin (superusers only): unit payment settings editable, payments read-only.

A payment changes only through ``galeri.payments.services`` (confirmation by
staff with the permission, history kept), never by editing a row here.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from galeri.payments.models import Payment, UnitPaymentSettings


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
