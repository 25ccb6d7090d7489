"""Writes about units and staff. One function per use case, one transaction each.

Staff services take the acting user first: they check what scoping allows
(a view has already limited the objects it shows, this is the second lock)
and record the actor as the author of the audit history rows.
"""

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.core import pagecache
from galeri.core.errors import DomainError
from galeri.core.phone import normalize_phone
from galeri.units import scoping
from galeri.units.models import RecoveryCode, RecoveryCodeDevice, Role, RoleAssignment, Unit, recovery_code_digest

# history_change_reason values written by our code (shown in words on the audit page).
REASON_PASSWORD_CHANGED = "password_changed"
REASON_PASSWORD_SET_BY_LINK = "password_reset"


class StaffError(DomainError):
    """A domain error about staff and roles, with a message for the user."""


@transaction.atomic
def save_unit(unit: Unit, actor=None) -> Unit:
    """Validate, normalise phone numbers and keep the materialised path right."""
    if unit.phone:
        unit.phone = normalize_phone(unit.phone)
    if unit.whatsapp:
        unit.whatsapp = normalize_phone(unit.whatsapp)
    unit.full_clean(exclude=["path"])
    if unit.pk and unit.parent_id:
        stored_path = Unit.objects.filter(pk=unit.pk).values_list("path", flat=True).first()
        parent_path = Unit.objects.filter(pk=unit.parent_id).values_list("path", flat=True).first() or ""
        if unit.parent_id == unit.pk or (stored_path and parent_path.startswith(stored_path)):
            raise ValidationError(
                {"parent": _("Unit tidak dapat berada di bawah dirinya sendiri atau di bawah unit bawahannya.")}
            )
    if actor is not None:
        unit._history_user = actor
    unit.save()
    parent_path = unit.parent.path if unit.parent_id else "/"
    new_path = f"{parent_path}{unit.pk}/"
    if unit.path != new_path:
        old_path = unit.path
        Unit.objects.filter(pk=unit.pk).update(path=new_path)
        unit.path = new_path
        if old_path:
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])
    # Names, addresses, hours and whether the unit is shown appear on every public page.
    pagecache.touch("catalog")
    return unit


# --- Staff accounts ---------------------------------------------------------------


def _require_grant(actor, role, unit):
    if not scoping.can_grant(actor, role, unit):
        if role == Role.REGIONAL_ADMIN and scoping.can(actor, "units.manage_staff", unit):
            if Role.REGIONAL_ADMIN not in scoping.roles_of(actor):
                raise StaffError(_("Hanya Administrator Kanwil yang dapat memberikan peran Administrator Kanwil."))
            raise StaffError(_("Peran Administrator Kanwil hanya dapat diberikan pada kantor wilayah."))
        raise StaffError(_("Anda tidak berwenang memberikan peran di unit %(unit)s.") % {"unit": unit})


def _require_manage(actor, user):
    if user.pk == actor.pk:
        raise StaffError(_("Akun Anda sendiri diubah oleh administrator lain."))
    if not scoping.can_manage_user(actor, user):
        raise StaffError(_("Akun ini juga bertugas di unit di luar wewenang Anda; mintalah Administrator Kanwil mengubahnya."))


def _check_email(email, exclude_pk=None):
    if email and User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        raise StaffError(_("Alamat email ini sudah dipakai akun lain."))


@transaction.atomic
def create_staff(
    actor,
    *,
    username: str,
    full_name: str,
    email: str,
    role: str,
    unit: Unit,
    password: str | None = None,
    send_link: bool = False,
    base_url: str | None = None,
) -> User:
    """Create a staff account holding its first role.

    Either ``password`` is the initial password (checked by the password
    validators) or ``send_link`` mails a single-use link to set one.
    """
    _require_grant(actor, role, unit)
    username = username.strip()
    email = (email or "").strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise StaffError(_("Nama pengguna %(username)s sudah dipakai.") % {"username": username})
    _check_email(email)
    if send_link and not email:
        raise StaffError(_("Isi alamat email untuk mengirim tautan pembuatan kata sandi."))
    if not send_link and not password:
        raise StaffError(_("Isi kata sandi awal atau pilih kirim tautan lewat email."))

    user = User(username=username, first_name=full_name.strip(), email=email, is_active=True)
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user._history_user = actor
    user.save()
    assignment = RoleAssignment(user=user, unit=unit, role=role, granted_by=actor)
    assignment._history_user = actor
    assignment.save()
    if send_link:
        send_password_link(actor, user, base_url=base_url, new_account=True)
    return user


@transaction.atomic
def update_staff(actor, user: User, *, full_name: str, email: str) -> User:
    _require_manage(actor, user)
    email = (email or "").strip().lower()
    _check_email(email, exclude_pk=user.pk)
    user.first_name = full_name.strip()
    user.last_name = ""
    user.email = email
    user.full_clean(exclude=["password"])
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def grant_role(actor, user: User, role: str, unit: Unit) -> RoleAssignment:
    if user.pk == actor.pk:
        raise StaffError(_("Peran akun Anda sendiri diberikan oleh administrator lain."))
    _require_grant(actor, role, unit)
    if RoleAssignment.objects.filter(user=user, unit=unit, role=role).exists():
        raise StaffError(_("%(user)s sudah memegang peran ini di %(unit)s.") % {"user": user, "unit": unit})
    assignment = RoleAssignment(user=user, unit=unit, role=role, granted_by=actor)
    assignment._history_user = actor
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:  # the same grant sent twice at once
        raise StaffError(_("%(user)s sudah memegang peran ini di %(unit)s.") % {"user": user, "unit": unit}) from None
    scoping.forget(user)
    return assignment


@transaction.atomic
def revoke_role(actor, assignment: RoleAssignment) -> None:
    """Take a role away. The last role of an active account stays: deactivate the account instead."""
    if assignment.user_id == actor.pk:
        raise StaffError(_("Peran akun Anda sendiri dicabut oleh administrator lain."))
    _require_grant(actor, assignment.role, assignment.unit)
    user = User.objects.select_for_update().get(pk=assignment.user_id)
    if user.is_active and not RoleAssignment.objects.filter(user=user).exclude(pk=assignment.pk).exists():
        raise StaffError(_("Ini peran terakhir %(user)s. Nonaktifkan akunnya bila ia tidak bertugas lagi.") % {"user": user})
    assignment._history_user = actor
    assignment.delete()
    scoping.forget(user)


@transaction.atomic
def deactivate_staff(actor, user: User) -> User:
    """Switch an account off: no login, no console, roles kept for the record."""
    _require_manage(actor, user)
    if user.is_active:
        user.is_active = False
        user._history_user = actor
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reactivate_staff(actor, user: User) -> User:
    _require_manage(actor, user)
    if not user.is_active:
        user.is_active = True
        user._history_user = actor
        user.save(update_fields=["is_active"])
    return user


def password_link(user: User, base_url: str | None = None) -> str:
    """The single-use link to set a password (Django's token: void once the password changes)."""
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("units:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{(base_url or settings.SITE_URL).rstrip('/')}{path}"


def send_password_link(actor, user: User, *, base_url: str | None = None, new_account: bool = False) -> None:
    """Mail the user a link to set a new password (sent once the transaction commits)."""
    if actor is not None and not new_account:
        _require_manage(actor, user)
    if not user.email:
        raise StaffError(_("Akun ini belum memiliki alamat email."))
    template = "units/email/account_created" if new_account else "units/email/password_reset"
    context = {"user": user, "link": password_link(user, base_url), "actor": actor}
    subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
    body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


@transaction.atomic
def reset_second_factor(actor, user: User) -> int:
    """Remove a user's TOTP devices (a lost phone); they enrol again at the next login."""
    _require_manage(actor, user)
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    return deleted


def unlock_login(actor, user: User) -> None:
    """Lift a login lockout (too many wrong passwords) for this username."""
    from axes.utils import reset

    from galeri.units import lockout

    _require_manage(actor, user)
    reset(username=user.username)
    lockout.reset(user.username)


# --- One's own second factor ---------------------------------------------------------


@transaction.atomic
def start_totp_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device (made on first call; same secret until confirmed)."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise StaffError(_("Verifikasi dua langkah sudah aktif untuk akun ini."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_enrolment(user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm the device with a first code from the app. Raises StaffError on a wrong code."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        raise StaffError(_("Kode salah atau sudah kedaluwarsa. Periksa jam ponsel lalu coba kode yang baru."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device


@transaction.atomic
def remove_own_second_factor(user: User) -> None:
    if scoping.second_factor_required(user):
        raise StaffError(_("Verifikasi dua langkah wajib untuk peran Anda dan tidak dapat dimatikan."))
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()


RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud or copied by hand


def _new_recovery_code() -> str:
    import secrets

    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def generate_recovery_codes(user: User) -> list[str]:
    """New single-use recovery codes for ``user`` (the old ones stop working). Returned once, stored hashed."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise StaffError(_("Aktifkan verifikasi dua langkah dulu; kode pemulihan menyertainya."))
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Kode pemulihan", confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = _new_recovery_code()
        if code not in codes:
            codes.append(code)
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=recovery_code_digest(c)) for c in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    device = RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    return device.codes_left() if device else 0
