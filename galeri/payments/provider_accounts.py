"""A unit's acquirer credentials entered in the console (/petugas/pembayaran/penyedia/).

- ``FIELDS``: per provider, the settings (not secret) and the secrets its adapter reads;
- ``accounts_by_unit(units)``: reads for the list page;
- ``configure(user, unit, provider, ...)``: the write. Only the unit's administrator or the
  Kanwil's (``payments.providers``). Secrets are write-only: an empty value keeps the stored one
  (``acquiring.save_account``), and neither the audit trail (simple_history on
  ``ProviderAccount``, without ``secrets_sealed``) nor the log ever holds a value: only the
  *names* of the secrets replaced.
"""

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import update_change_reason

from galeri.payments import acquiring
from galeri.payments.models import Provider, ProviderAccount
from galeri.payments.services import PaymentError
from galeri.units.scoping import can

logger = logging.getLogger(__name__)

ACTION = "payments.providers"


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    kind: str = "text"  # text, url, bool, multiline
    help: object = ""


# What each adapter reads (galeri/payments/acquirers/*.py): settings, then secrets.
FIELDS = {
    Provider.MIDTRANS: (
        (
            Field(
                "merchant_id",
                gettext_lazy("Merchant ID"),
                help=gettext_lazy("Bila diisi, notifikasi dengan merchant lain ditolak."),
            ),
            Field("acquirer", gettext_lazy("Acquirer QRIS"), help=gettext_lazy("Bawaan: gopay.")),
            Field("is_production", gettext_lazy("Produksi (uang sungguhan)"), kind="bool"),
        ),
        (Field("server_key", gettext_lazy("Server key")),),
    ),
    Provider.XENDIT: (
        (Field("for_user_id", gettext_lazy("Sub-akun (for-user-id)"), help=gettext_lazy("Hanya untuk xenPlatform.")),),
        (
            Field("secret_key", gettext_lazy("Secret API key")),
            Field("callback_token", gettext_lazy("Callback verification token")),
        ),
    ),
    Provider.SNAP: (
        (
            Field("base_url", gettext_lazy("Alamat API"), kind="url", help=gettext_lazy("Mis. https://api-sandbox.doku.com")),
            Field("path_prefix", gettext_lazy("Awalan path"), help=gettext_lazy("DOKU: /snap-adapter/b2b; bank: kosong.")),
            Field("partner_id", gettext_lazy("Partner ID (client id)")),
            Field("channel_id", gettext_lazy("Channel ID")),
            Field("merchant_id", gettext_lazy("Merchant ID")),
            Field("terminal_id", gettext_lazy("Terminal ID")),
            Field("notify_path", gettext_lazy("Path notifikasi"), help=gettext_lazy("Bawaan: /pembayaran/notifikasi/snap/")),
        ),
        (
            Field("client_secret", gettext_lazy("Client secret")),
            Field("private_key", gettext_lazy("Kunci privat (PEM)"), kind="multiline"),
        ),
    ),
    Provider.SIMULATED: (
        (
            Field("merchant_name", gettext_lazy("Nama merchant (fiktif)")),
            Field("merchant_city", gettext_lazy("Kota merchant")),
            Field("nmid", gettext_lazy("NMID (fiktif)")),
        ),
        (Field("signing_key", gettext_lazy("Kunci tanda tangan simulasi")),),
    ),
}


def settings_fields(provider: str) -> tuple:
    return FIELDS[provider][0]


def secret_fields(provider: str) -> tuple:
    return FIELDS[provider][1]


def stored_secret_names(account: ProviderAccount | None) -> set:
    """Which secrets are stored (names only; the values are opened and dropped here)."""
    if account is None or not account.has_secrets:
        return set()
    return {name for name, value in account.get_secrets().items() if value}


@dataclass
class UnitAccounts:
    unit: object
    accounts: dict  # provider -> ProviderAccount

    @property
    def active(self):
        return next((a for a in self.accounts.values() if a.is_active), None)

    def rows(self):
        """(provider value, label, account or None) for every provider, in the order of ``Provider``."""
        return [(value, label, self.accounts.get(value)) for value, label in Provider.choices]


def accounts_by_unit(units) -> list:
    """One ``UnitAccounts`` per unit, the accounts read in one query."""
    units = list(units)
    found = {}
    for account in ProviderAccount.objects.filter(unit__in=units).order_by("provider"):
        found.setdefault(account.unit_id, {})[account.provider] = account
    return [UnitAccounts(unit, found.get(unit.pk, {})) for unit in units]


def configure(user, unit, provider: str, *, settings: dict, secrets: dict, is_active: bool) -> ProviderAccount:
    """Save ``unit``'s account with ``provider`` for ``user`` (see the module docstring).

    PaymentError when the user may not, the provider is unknown, or the account would be made
    active without every secret its adapter needs (stored before or given now).
    """
    if not can(user, ACTION, unit):
        raise PaymentError(_("Anda tidak berhak mengatur penyedia pembayaran unit ini."), code="forbidden")
    if provider not in FIELDS:
        raise PaymentError(_("Penyedia pembayaran tidak dikenal: %(provider)s.") % {"provider": provider}, code="bad_provider")
    given = {f.name: str(secrets.get(f.name) or "") for f in secret_fields(provider)}
    replaced = sorted(name for name, value in given.items() if value)
    if is_active:
        existing = ProviderAccount.objects.filter(unit=unit, provider=provider).first()
        have = stored_secret_names(existing) | set(replaced)
        missing = [str(f.label) for f in secret_fields(provider) if f.name not in have]
        if missing:
            raise PaymentError(
                _("Isi %(fields)s sebelum mengaktifkan penyedia ini.") % {"fields": ", ".join(missing)}, code="secrets_missing"
            )
    kept_settings = {f.name: settings.get(f.name) for f in settings_fields(provider)}
    account = acquiring.save_account(unit, provider, settings=kept_settings, secrets=given, is_active=is_active)
    reason = _("rahasia diganti: %(names)s") % {"names": ", ".join(replaced)} if replaced else ""
    if reason:
        update_change_reason(account, reason)
    logger.info(
        "provider account %s of unit %s saved by user %s (active=%s, secrets replaced: %s)",
        provider,
        unit.code,
        getattr(user, "pk", None),
        is_active,
        ",".join(replaced) or "none",
    )
    return account
