from django.db import transaction

from galeri.core.phone import normalize_phone
from galeri.units.models import Unit


@transaction.atomic
def save_unit(unit: Unit) -> Unit:
    """Validate, normalise phone numbers and keep the materialised path right."""
    if unit.phone:
        unit.phone = normalize_phone(unit.phone)
    if unit.whatsapp:
        unit.whatsapp = normalize_phone(unit.whatsapp)
    unit.full_clean(exclude=["path"])
    unit.save()
    parent_path = unit.parent.path if unit.parent_id else "/"
    new_path = f"{parent_path}{unit.pk}/"
    if unit.path != new_path:
        old_path = unit.path
        Unit.objects.filter(pk=unit.pk).update(path=new_path)
        unit.path = new_path
        if old_path:
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path):])
    return unit
