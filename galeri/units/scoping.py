"""The one place that decides what a staff user may see and do.

Every console view, form choice list, export and API endpoint asks here. A
role is held on a unit and reaches that unit and everything under it (the
materialised ``Unit.path``), so the same code serves one region or the nation.

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
    "inventory.view": WORKERS | {Role.CASHIER},
    "inventory.move": WORKERS,
    "inventory.adjust": WORKERS,
    "inventory.stocktake": WORKERS,
    "audit.view": MANAGERS,
    "units.manage_staff": MANAGERS,
    "units.manage_units": {Role.REGIONAL_ADMIN},
    "units.manage_categories": {Role.REGIONAL_ADMIN},
    "pos.sell": {Role.CASHIER, Role.UNIT_ADMIN},
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
            cached = list(
                RoleAssignment.objects.filter(user=user, unit__is_active=True).values_list("role", "unit__path")
            )
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


def console_view(action):
    """Decorator for every console view: logged in, active, a role that allows ``action`` somewhere.

    The view still scopes its rows with ``scope`` / ``get_scoped_or_404``; the
    authorisation matrix test walks every console URL to prove it.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url="units:login")
            if not can(request.user, action, None):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.console_action = action
        return wrapped

    return decorator
