"""The one place that decides what a staff user may see and do.

Every console view, form choice list, export and API endpoint asks here. A
role is held on a unit and reaches that unit and everything under it (the
materialised ``Unit.path``), so the same code serves one region or the nation.

It also holds the staff rules that follow from the tree (who may grant which
role where, whose account a manager may change) and the second factor: the
``console_view`` decorator sends a user who must confirm a TOTP code to the
verification page before any console page.

Usage in a view::

    units = allowed_units(request.user, "catalog.edit")
    products = scope(Product.objects.all(), request.user, "catalog.edit")
    product = get_scoped_or_404(Product.objects.all(), request.user, "catalog.edit", pk=pk)
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from galeri.units.models import Role, RoleAssignment, Unit

ALL_STAFF = {Role.REGIONAL_ADMIN, Role.UNIT_ADMIN, Role.OFFICER, Role.CASHIER}
MANAGERS = {Role.REGIONAL_ADMIN, Role.UNIT_ADMIN}
WORKERS = {Role.REGIONAL_ADMIN, Role.UNIT_ADMIN, Role.OFFICER}

# action -> roles that may do it. New actions are added here, nowhere else.
PERMISSIONS = {
    "console.view": ALL_STAFF,
    "catalog.view": WORKERS | {Role.CASHIER},
    "catalog.edit": WORKERS,
    "catalog.approve": MANAGERS,
    "catalog.synonyms": MANAGERS,  # search synonym lists ("mebel, furnitur"), for the whole gallery
    "inventory.view": WORKERS | {Role.CASHIER},
    "inventory.move": WORKERS,
    "inventory.adjust": WORKERS,
    "inventory.stocktake": WORKERS,
    "audit.view": MANAGERS,
    # Who read or changed which participant's restricted fields (production.PersonalDataAccess):
    # the Kanwil's administrator, for the units of its region. Unit administrators see a
    # participant's own log on that participant's restricted-data page only.
    "audit.personal_data": {Role.REGIONAL_ADMIN},
    "units.manage_staff": MANAGERS,
    "units.manage_units": {Role.REGIONAL_ADMIN},
    "units.manage_categories": {Role.REGIONAL_ADMIN},
    "pos.sell": {Role.CASHIER, Role.UNIT_ADMIN},
    "pos.discount": {Role.UNIT_ADMIN, Role.REGIONAL_ADMIN},
    "pos.refund": {Role.CASHIER, Role.UNIT_ADMIN, Role.REGIONAL_ADMIN},  # approved by a second person (pos.approve_refund)
    "pos.approve_refund": MANAGERS,  # with their counter PIN, at the cashier's till
    "pos.close_others": MANAGERS,  # close a session another cashier opened, with a reason
    "pos.report": MANAGERS | {Role.CASHIER},
    "pos.tills": MANAGERS,  # create, rename, retire the unit's tills
    "production.view": WORKERS,
    "production.manage": WORKERS,
    # Restricted fields of participants: only staff of the participant's own unit
    # (production.services.may_view_personal also requires the role on that very unit).
    "production.view_personal": {Role.UNIT_ADMIN, Role.OFFICER},
    "production.payout": {Role.UNIT_ADMIN, Role.OFFICER},
    "production.split_rules": MANAGERS,
    "production.pnbp": MANAGERS,
    "orders.view": ALL_STAFF,
    "orders.manage": ALL_STAFF,
    "orders.settings": MANAGERS,
    "orders.approve_cancel": MANAGERS,
    # Suspicious reservations (galeri/console/reservations.py): see and release what one number or
    # address holds unpaid; each release is the order's / booking's own cancel step.
    "reservations.review": ALL_STAFF,  # a paid order's cancellation, asked by another person
    "payments.confirm": WORKERS | {Role.CASHIER},
    "payments.providers": MANAGERS,  # a unit's acquirer credentials (its own administrator or the Kanwil's)
    "payments.reconcile": MANAGERS,  # the provider's settlement report against our records
    # Services and bookings: the counter enters walk-ins and completes; managers define services and closed days.
    "notifications.view": ALL_STAFF,  # the unit's outbox (galeri.notifications)
    "notifications.resend": ALL_STAFF,
    "bookings.view": ALL_STAFF,
    "bookings.manage": ALL_STAFF,
    "bookings.settings": MANAGERS,
    # Made-to-order: officers quote and follow production; managers may cancel after a down payment.
    "custom_orders.view": WORKERS | {Role.CASHIER},
    "custom_orders.manage": WORKERS,
    "custom_orders.cancel_paid": MANAGERS,
    "custom_orders.waive_dp": {Role.UNIT_ADMIN, Role.REGIONAL_ADMIN},
    "shipping.settings": MANAGERS,  # delivery options, origin, couriers, the unit's own delivery zones
    "labels.print": WORKERS | {Role.CASHIER},
    "labels.settings": MANAGERS,
    "reports.view": MANAGERS | {Role.OFFICER},
    "reports.indicators": {Role.REGIONAL_ADMIN},
    "api.tokens": ALL_STAFF,
    # News posts (galeri.news): staff write and submit; the unit's head (the Kanwil's for its posts) publishes.
    "news.edit": WORKERS,
    "news.approve": MANAGERS,
    # Exhibitions and bazaars (galeri.events): seen by the organiser's and the taking-part units' staff;
    # the organiser's managers set dates, place and units; each unit moves its own stock and photos.
    "events.view": ALL_STAFF,
    "events.organise": MANAGERS,
    "events.stock": WORKERS,
    "events.photos": WORKERS,
}


def _assignments(user):
    """The user's (role, unit path) pairs, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_galeri_assignments", None)
    if cached is None:
        if user.is_superuser:
            cached = [(Role.REGIONAL_ADMIN, "/")]
        else:
            rows = list(
                RoleAssignment.objects.filter(user=user, unit__is_active=True).values_list("role", "unit__path", "unit__code")
            )
            cached = [(role, path) for role, path, _code in rows]
            # Unit codes (never names) for the request log (galeri.ops), read in the same query.
            user._galeri_unit_codes = sorted({code for _role, _path, code in rows})
        user._galeri_assignments = cached
    return cached


def forget(user):
    """Drop what was read of the user's roles (after granting or revoking one)."""
    if hasattr(user, "_galeri_assignments"):
        del user._galeri_assignments


def roles_of(user) -> set:
    return {role for role, _ in _assignments(user)}


def _paths(user, action):
    roles = PERMISSIONS[action]
    return sorted({path for role, path in _assignments(user) if role in roles})


def unit_filter(user, action, field="unit") -> Q:
    """A Q object limiting rows to the units the user reaches for ``action``.

    ``field`` is the lookup from the row to its unit ("unit", "product__unit",
    or "" when the rows are units). No role: a filter that matches nothing.
    """
    prefix = f"{field}__path__startswith" if field else "path__startswith"
    paths = _paths(user, action)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{prefix: path})
    return q


def allowed_units(user, action) -> QuerySet:
    """The units the user reaches for ``action`` (for choice lists)."""
    return Unit.objects.filter(unit_filter(user, action, field="")).order_by("path")


def scope(queryset, user, action, field="unit") -> QuerySet:
    return queryset.filter(unit_filter(user, action, field))


def can(user, action, unit) -> bool:
    """May the user do ``action`` in ``unit`` (a Unit or None for 'anywhere')?"""
    paths = _paths(user, action)
    if unit is None:
        return bool(paths)
    return any(unit.path.startswith(path) for path in paths)


def require(user, action, unit):
    if not can(user, action, unit):
        raise PermissionDenied


def get_scoped_or_404(queryset, user, action, field="unit", **lookup):
    """An object the user may act on, or 404 (never 'exists but forbidden')."""
    obj = scope(queryset, user, action, field).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# --- Staff: who may grant what, whose account a manager may change ----------------

# Roles held on an office (Kanwil, Ditjenpas) only: they reach whole regions.
OFFICE_ONLY_ROLES = {Role.REGIONAL_ADMIN}


def grantable_roles(user, unit) -> list:
    """The roles ``user`` may grant or revoke on ``unit``, in the order of ``Role``.

    A manager reaches ``unit`` through a role held on it or above it. A unit
    administrator grants every role but ``regional_admin``; a regional
    administrator grants every role, ``regional_admin`` on offices only.
    """
    held = {role for role, path in _assignments(user) if role in MANAGERS and unit.path.startswith(path)}
    if not held:
        return []
    roles = [r for r in Role if r != Role.REGIONAL_ADMIN or Role.REGIONAL_ADMIN in held]
    if not unit.is_office:
        roles = [r for r in roles if r not in OFFICE_ONLY_ROLES]
    return roles


def can_grant(user, role, unit) -> bool:
    return role in grantable_roles(user, unit)


def grantable_role_choices(user) -> list:
    """Roles the user may grant on some unit (for a form's choice list)."""
    roles = roles_of(user) & MANAGERS
    if not roles:
        return []
    return [r for r in Role if r != Role.REGIONAL_ADMIN or Role.REGIONAL_ADMIN in roles]


def scope_users(queryset, user, action="units.manage_staff") -> QuerySet:
    """Users holding at least one role on a unit that ``user`` reaches for ``action``."""
    held = RoleAssignment.objects.filter(unit_filter(user, action)).values("user_id")
    return queryset.filter(pk__in=held)


def can_manage_user(user, target) -> bool:
    """May ``user`` change ``target``'s account (name, email, deactivate, reset)?

    Only when every role ``target`` holds is one ``user`` could grant: a unit
    administrator cannot switch off a regional administrator, nor someone who
    also works for another unit. Nobody manages themselves or a superuser here.
    """
    if target.pk == user.pk or target.is_superuser or not can(user, "units.manage_staff", None):
        return False
    assignments = list(RoleAssignment.objects.filter(user=target).select_related("unit"))
    if not assignments:
        return user.is_superuser
    return all(can_grant(user, a.role, a.unit) for a in assignments)


# --- Second factor ---------------------------------------------------------------

# Actions that reach participants' restricted fields or money: every role allowed any of
# them must confirm a TOTP code (or a recovery code) after the password. Derived from the
# table above, so a role that gains one of these actions needs the second factor at once.
SECOND_FACTOR_ACTIONS = (
    "production.view_personal",
    "production.payout",
    "production.pnbp",
    "pos.sell",
    "pos.refund",
    "pos.approve_refund",
    "payments.confirm",
    "payments.providers",
    "payments.reconcile",
    "custom_orders.waive_dp",
    "orders.approve_cancel",
    "audit.view",
)
OTP_REQUIRED_ROLES = {Role.REGIONAL_ADMIN}.union(*(PERMISSIONS[action] for action in SECOND_FACTOR_ACTIONS))
# Remembers, per session, whether a user without a required second factor has
# enrolled one anyway (then they confirm it too). Cleared on enrolment changes.
OTP_OPTIONAL_SESSION_KEY = "galeri_otp_enrolled"


def second_factor_required(user) -> bool:
    """Every role in ``OTP_REQUIRED_ROLES`` (and superusers, who count as regional administrators) must use TOTP."""
    return bool(roles_of(user) & OTP_REQUIRED_ROLES)


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice  # not at import time: scoping loads early

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(request) -> bool:
    """True while this session still has to confirm a TOTP code.

    Required for the roles in ``OTP_REQUIRED_ROLES``; for anyone else (an account
    without a role) only once they have enrolled a device of their own (an
    enrolled factor is always asked for).
    """
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    if second_factor_required(user):
        return True
    enrolled = request.session.get(OTP_OPTIONAL_SESSION_KEY)
    if enrolled is None:
        enrolled = has_confirmed_device(user)
        request.session[OTP_OPTIONAL_SESSION_KEY] = enrolled
    return enrolled


def console_view(action, *, second_factor=True):
    """Decorator for every console view: logged in, active, a role that allows ``action`` somewhere.

    A user who has to confirm a TOTP code (``needs_second_factor``) is sent to
    the verification page first; only the enrolment and verification pages
    themselves pass ``second_factor=False``.

    The view still scopes its rows with ``scope`` / ``get_scoped_or_404``; the
    authorisation matrix test walks every console URL to prove it.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url="units:login")
            if second_factor and needs_second_factor(request):
                return redirect_to_login(request.get_full_path(), login_url="units:otp_verify")
            if not can(request.user, action, None):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.console_action = action
        wrapped.console_second_factor = second_factor
        return wrapped

    return decorator
