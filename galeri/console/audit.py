"""The audit trail: who changed what, when, from which value to which.

Every app that keeps history (django-simple-history) adds one ``AuditSource``
to ``SOURCES`` below: the historical model, how a history row finds its unit,
a label. The audit page reads all of them, scoped to the units the viewer
reaches for ``audit.view``, newest first, with before/after values.

Adding a source (e.g. in the catalog)::

    AuditSource(
        key="catalog.product",
        model="catalog.HistoricalProduct",
        label=_("Produk"),
        unit_field="unit",            # lookup from a history row to its Unit
        title_fields=("name",),       # how a row names its object
        exclude=("search_title",),    # fields never shown
    )

``unit_field`` is the lookup from the history row to its ``Unit`` ("unit",
"product__unit" does not work on history rows: use a field of the row
itself, or ``""`` when the row is a unit). When the unit is not a field of
the row, give ``scope``: a function ``(queryset, user, unit) -> queryset``.

A source whose app is not installed yet is skipped, so entries may land
before their models do.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.catalog.models import Product
from galeri.units import scoping
from galeri.units.models import RoleAssignment

ACTION = "audit.view"
HISTORY_TYPES = {"+": gettext_lazy("dibuat"), "~": gettext_lazy("diubah"), "-": gettext_lazy("dihapus")}
# history_change_reason values our code writes (see galeri.units.services).
REASONS = {
    "password_changed": gettext_lazy("kata sandi diganti"),
    "password_reset": gettext_lazy("kata sandi dibuat lewat tautan email"),
}
# Never shown, whatever the source: secrets and bookkeeping.
ALWAYS_HIDDEN = {"password", "last_login", "path", "search_title", "search_document"}


@dataclass(frozen=True)
class AuditSource:
    key: str
    model: str  # "app_label.HistoricalModel"
    label: object
    unit_field: str | None = "unit"
    scope: Callable | None = None
    title_fields: tuple = ()
    exclude: tuple = ()
    labels: dict = field(default_factory=dict)  # field name -> label, where the model's is misleading

    def history_model(self):
        try:
            return apps.get_model(self.model)
        except LookupError:
            return None

    def rows(self, user, unit=None):
        """History rows the user may read (``unit``: only that unit and below)."""
        model = self.history_model()
        queryset = model.objects.all()
        if self.scope is not None:
            return self.scope(queryset, user, unit)
        queryset = scoping.scope(queryset, user, ACTION, field=self.unit_field)
        if unit is not None:
            prefix = f"{self.unit_field}__path__startswith" if self.unit_field else "path__startswith"
            queryset = queryset.filter(**{prefix: unit.path})
        return queryset


def _staff_account_rows(queryset, user, unit=None):
    """Account history of users holding a role on a unit the viewer reaches."""
    held = scoping.scope(RoleAssignment.objects.all(), user, ACTION)
    if unit is not None:
        held = held.filter(unit__path__startswith=unit.path)
    return queryset.filter(id__in=held.values("user_id"))


def _price_change_rows(queryset, user, unit=None):
    """Price requests of products in the units the viewer reaches (the row has no unit of its own)."""
    products = scoping.scope(Product.objects.all(), user, ACTION)
    if unit is not None:
        products = products.filter(unit__path__startswith=unit.path)
    return queryset.filter(product_id__in=products.values("id"))


SOURCES = [
    AuditSource(
        key="catalog.product",
        model="catalog.HistoricalProduct",
        label=gettext_lazy("Produk"),
        unit_field="unit",
        title_fields=("name", "sku"),
    ),
    AuditSource(
        key="catalog.pricechange",
        model="catalog.HistoricalPriceChange",
        label=gettext_lazy("Perubahan harga"),
        scope=_price_change_rows,
        title_fields=("product",),
    ),
    AuditSource(
        key="units.roleassignment",
        model="units.HistoricalRoleAssignment",
        label=gettext_lazy("Peran petugas"),
        unit_field="unit",
        title_fields=("user", "role", "unit"),
    ),
    AuditSource(
        key="auth.user",
        model="units.HistoricalUser",
        label=gettext_lazy("Akun petugas"),
        scope=_staff_account_rows,
        title_fields=("username",),
        exclude=("date_joined",),
        # The console keeps the whole name in first_name (Indonesian names are often one word).
        labels={"first_name": gettext_lazy("nama lengkap"), "last_name": gettext_lazy("nama belakang")},
    ),
    AuditSource(
        key="units.unit",
        model="units.HistoricalUnit",
        label=gettext_lazy("Unit"),
        unit_field="",
        title_fields=("short_name",),
    ),
    AuditSource(
        key="payments.provideraccount",
        model="payments.HistoricalProviderAccount",
        label=gettext_lazy("Akun penyedia pembayaran"),
        unit_field="unit",
        title_fields=("unit", "provider"),
        exclude=("secrets_sealed",),  # never in the history table either
    ),
]


def sources():
    """The registered sources whose models exist."""
    return [s for s in SOURCES if s.history_model() is not None]


# --- Reading a page ---------------------------------------------------------------------


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    source: AuditSource
    row: object
    when: object
    actor: object
    action: str
    title: str = ""
    changes: list = field(default_factory=list)
    note: str = ""


def _shown_fields(source, model):
    hidden = ALWAYS_HIDDEN | set(source.exclude)
    pk_name = model.instance_type._meta.pk.name
    return [f for f in model.tracked_fields if f.name not in hidden and f.name != pk_name and f.editable]


def _with_previous(queryset):
    """Annotate each history row with the history_id of the row before it (same object)."""
    model = queryset.model
    pk = model.instance_type._meta.pk.attname
    earlier = (
        model.objects.filter(**{pk: OuterRef(pk)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return queryset.annotate(previous_history_id=Subquery(earlier))


class _Labels:
    """Turns raw values into words, resolving foreign keys in one query per related model."""

    def __init__(self):
        self.wanted = {}
        self.resolved = {}

    def want(self, f, value):
        if f.is_relation and value is not None:
            self.wanted.setdefault(f.related_model, set()).add(value)

    def resolve(self):
        for model, ids in self.wanted.items():
            self.resolved[model] = model._default_manager.in_bulk(list(ids))

    def text(self, f, value):
        if value is None or value == "":
            return "—"
        if f.is_relation:
            obj = self.resolved.get(f.related_model, {}).get(value)
            if obj is None:
                return f"#{value}"
            if hasattr(obj, "get_username"):
                return obj.get_username()
            return str(obj)
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("ya") if value else _("tidak")
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):
            return date_format(timezone.localtime(value), "j M Y H.i")
        return Truncator(str(value)).chars(120)


def page(user, *, source_key="", unit=None, since=None, until=None, number=1, size=50):
    """One page of audit entries, newest first: (entries, has_next).

    Saves that changed nothing shown here (no visible field, no reason) are
    left out, so a page may hold a few entries fewer than ``size``.
    """
    chosen = [s for s in sources() if not source_key or s.key == source_key]
    wanted = number * size + 1
    fetched = []
    for source in chosen:
        queryset = source.rows(user, unit)
        if since is not None:
            queryset = queryset.filter(history_date__gte=since)
        if until is not None:
            queryset = queryset.filter(history_date__lt=until)
        queryset = _with_previous(queryset.select_related("history_user")).order_by("-history_date", "-history_id")
        fetched.extend((row.history_date, row.history_id, source, row) for row in queryset[:wanted])
    fetched.sort(key=lambda item: (item[0], item[1]), reverse=True)
    window = fetched[(number - 1) * size : number * size]
    has_next = len(fetched) > number * size

    previous = {}
    for source in chosen:
        ids = [row.previous_history_id for *_key, s, row in window if s is source and row.previous_history_id]
        if ids:
            previous[source.key] = source.history_model().objects.in_bulk(ids)

    labels = _Labels()
    entries = []
    for *_key, source, row in window:
        fields = _shown_fields(source, type(row))
        before = previous.get(source.key, {}).get(row.previous_history_id)
        for f in fields:
            labels.want(f, getattr(row, f.attname))
            if before is not None:
                labels.want(f, getattr(before, f.attname))
        entries.append((source, row, before, fields))
    labels.resolve()

    result = []
    for source, row, before, fields in entries:
        entry = Entry(
            source=source,
            row=row,
            when=row.history_date,
            actor=row.history_user,
            action=HISTORY_TYPES.get(row.history_type, row.history_type),
        )
        by_name = {f.name: f for f in fields}
        title_parts = []
        for name in source.title_fields:
            f = type(row)._meta.get_field(name) if name not in by_name else by_name[name]
            title_parts.append(labels.text(f, getattr(row, f.attname)))
        entry.title = " · ".join(title_parts)
        for f in fields:
            new = getattr(row, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if row.history_type == "+":
                old = None
            if row.history_type == "-":
                old, new = new, None
            if old == new or (old in (None, "") and new in (None, "")):
                continue
            if row.history_type == "+" and new in (None, "", False):
                continue  # a new row: only what was filled in
            if row.history_type == "-" and old in (None, "", False):
                continue
            label = source.labels.get(f.name, f.verbose_name)
            entry.changes.append(Change(str(label), labels.text(f, old), labels.text(f, new)))
        reason = row.history_change_reason or ""
        entry.note = str(REASONS.get(reason, reason))
        if row.history_type == "~" and not entry.changes and not entry.note:
            continue  # saved without a visible change (e.g. a field never shown): noise on this page
        result.append(entry)
    return result, has_next
