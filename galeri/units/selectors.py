"""Reads about staff and units, shaped for the console pages (no N+1)."""

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q

from galeri.units import scoping
from galeri.units.models import RoleAssignment, Unit


def staff_list(actor, *, q="", unit=None, role="", status=""):
    """Users holding a role the actor reaches, each with only those roles attached (``visible_roles``)."""
    visible = scoping.scope(RoleAssignment.objects.select_related("unit"), actor, "units.manage_staff")
    users = scoping.scope_users(User.objects.all(), actor)
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
        )
    if unit is not None:
        in_unit = RoleAssignment.objects.filter(unit__path__startswith=unit.path)
        if role:
            in_unit = in_unit.filter(role=role)
        users = users.filter(pk__in=in_unit.values("user_id"))
    elif role:
        users = users.filter(pk__in=visible.filter(role=role).values("user_id"))
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    return users.order_by("-is_active", "first_name", "username").prefetch_related(
        Prefetch("role_assignments", queryset=visible.order_by("unit__path", "role"), to_attr="visible_roles")
    )


def visible_roles(actor, user):
    """The roles of ``user`` on units the actor reaches (never the others)."""
    return list(
        scoping.scope(RoleAssignment.objects.filter(user=user), actor, "units.manage_staff")
        .select_related("unit", "granted_by")
        .order_by("unit__path", "role")
    )


def is_locked_out(username) -> bool:
    """Is this username locked out of signing in right now (too many wrong passwords, any address)?"""
    from galeri.units import lockout

    return lockout.locked_for(username) > 0


def own_roles(user):
    return list(RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__path", "role"))


def managed_units(actor):
    return scoping.allowed_units(actor, "units.manage_units").select_related("parent")


def unit_depth(unit: Unit) -> int:
    return unit.path.count("/") - 2
