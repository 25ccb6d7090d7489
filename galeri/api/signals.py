"""Tokens follow their user's access: a role given, taken away or moved to another unit, or the
account deactivated, revokes every active token of that user (issue 18). Signals, so every way of
changing them (the console, the admin, a shell) is covered; connected in ``ApiConfig.ready``."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext as _

from galeri.api import services
from galeri.units.models import RoleAssignment


def _role_changed(sender, instance, **kwargs):
    services.revoke_all(instance.user_id, _("Peran atau unit petugas berubah"))


def _remember_active(sender, instance, **kwargs):
    if instance.pk:
        instance._was_active = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


def _deactivated(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_was_active", False) and not instance.is_active:
        services.revoke_all(instance.pk, _("Akun petugas dinonaktifkan"))


def connect():
    user_model = get_user_model()
    post_save.connect(_role_changed, sender=RoleAssignment, dispatch_uid="api_tokens_role_saved")
    post_delete.connect(_role_changed, sender=RoleAssignment, dispatch_uid="api_tokens_role_deleted")
    pre_save.connect(_remember_active, sender=user_model, dispatch_uid="api_tokens_user_before")
    post_save.connect(_deactivated, sender=user_model, dispatch_uid="api_tokens_user_saved")
