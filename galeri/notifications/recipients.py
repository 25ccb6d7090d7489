"""Who hears about a unit: its own address and its staff's (roles held on the unit itself)."""

from django.contrib.auth.models import User

from galeri.units.models import Role, RoleAssignment

STAFF_ROLES = (Role.UNIT_ADMIN, Role.OFFICER, Role.CASHIER)


def staff_addresses(unit, roles=STAFF_ROLES) -> list:
    """The unit's own address and its staff's, without duplicates (case-insensitive)."""
    found = []
    if unit.email:
        found.append(unit.email)
    users = User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(unit=unit, role__in=roles).values("user_id"),
    ).exclude(email="")
    for email in users.values_list("email", flat=True).order_by("email"):
        if email.lower() not in {e.lower() for e in found}:
            found.append(email)
    return found
