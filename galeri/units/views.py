"""Staff sign-in, own account and second factor, staff and unit management. Thin views."""

import base64
import io

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from galeri.units import forms, scoping, selectors, services
from galeri.units import lockout as username_lockout
from galeri.units.models import RecoveryCodeDevice, RoleAssignment, Unit
from galeri.units.scoping import console_view, get_scoped_or_404

# --- Sign-in, sign-out, passwords ------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "units/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        username_lockout.reset(form.get_user().username)
        return super().form_valid(form)

    def form_invalid(self, form):
        if form.locked_seconds:  # the same page for every username, real or not
            return _lockout_page(self.request, form.locked_seconds, by_address=False)
        return super().form_invalid(form)


def _lockout_page(request, seconds, *, by_address):
    context = {
        "by_address": by_address,
        "minutes": max(1, -(-seconds // 60)),
        "until": username_lockout.until(seconds),
    }
    return render(request, "units/lockout.html", context, status=429)


def lockout(request, original_response=None, credentials=None):
    """django-axes calls this (AXES_LOCKOUT_CALLABLE) once one address failed too often: 429 with the way out."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return _lockout_page(request, int(cool_off.total_seconds()) if cool_off else 30 * 60, by_address=True)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link or an image cannot sign staff out."""

    next_page = "units:login"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "units/password_reset.html"
    email_template_name = "units/email/password_reset.txt"
    subject_template_name = "units/email/password_reset_subject.txt"
    success_url = reverse_lazy("units:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "units/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "units/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("units:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "units/password_reset_complete.html"


class _PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "units/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("units:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return response


password_change = console_view("console.view")(_PasswordChangeView.as_view())


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- Own account and second factor ---------------------------------------------------------


@console_view("console.view")
def account(request):
    user = request.user
    return render(
        request,
        "units/account.html",
        {
            "roles": selectors.own_roles(user),
            "has_device": scoping.has_confirmed_device(user),
            "otp_required": scoping.second_factor_required(user),
            "recovery_left": services.recovery_codes_left(user),
        },
    )


def _qr_data_uri(text):
    """The QR code as an SVG data URI (an <img> needs the SVG namespace, which inline SVG omits)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=5, border=3, dark="#0b2236", light="#ffffff", xmldecl=False, svgns=True
    )
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@console_view("console.view", second_factor=False)
def otp_enrol(request):
    """Show the secret (QR and text) and confirm it with a first code."""
    user = request.user
    if scoping.has_confirmed_device(user):
        if scoping.needs_second_factor(request):
            return redirect(f"{reverse('units:otp_verify')}?{urlencode({'next': _safe_next(request, '')})}")
        messages.info(request, _("Verifikasi dua langkah sudah aktif."))
        return redirect("units:account")
    device = services.start_totp_enrolment(user)
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.confirm_totp_enrolment(user, device, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            request.session[scoping.OTP_OPTIONAL_SESSION_KEY] = True
            request.session[RECOVERY_CODES_SESSION_KEY] = services.generate_recovery_codes(user)
            messages.success(request, _("Verifikasi dua langkah aktif. Simpan aplikasi autentikator Anda baik-baik."))
            next_url = _safe_next(request, reverse("console:home"))
            return redirect(f"{reverse('units:recovery_codes')}?{urlencode({'next': next_url})}")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "units/otp_enrol.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": scoping.second_factor_required(user),
            "next": _safe_next(request, ""),
        },
    )


@console_view("console.view", second_factor=False)
def otp_verify(request):
    """Ask for the current code of the user's authenticator app."""
    user = request.user
    next_url = _safe_next(request, reverse("console:home"))
    if not scoping.needs_second_factor(request):
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        if not scoping.second_factor_required(user):  # their device was removed: nothing left to ask
            request.session[scoping.OTP_OPTIONAL_SESSION_KEY] = False
            return redirect(next_url)
        return redirect(f"{reverse('units:otp_enrol')}?{urlencode({'next': next_url})}")
    form = forms.VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_recovery_code:
            return _verify_recovery_code(request, form, next_url)
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(next_url)
        if not allowed:
            form.add_error("token", _("Terlalu banyak kode salah. Tunggu sebentar lalu coba lagi."))
        else:
            form.add_error("token", _("Kode salah atau sudah kedaluwarsa. Periksa jam ponsel lalu coba kode yang baru."))
    return render(request, "units/otp_verify.html", {"form": form, "next": next_url})


def _verify_recovery_code(request, form, next_url):
    recovery = RecoveryCodeDevice.objects.filter(user=request.user, confirmed=True).first()
    if recovery is not None and recovery.verify_token(form.cleaned_data["token"]):
        otp_login(request, recovery)
        left = recovery.codes_left()
        messages.warning(
            request,
            ngettext(
                "Anda masuk dengan kode pemulihan; tinggal %(n)s kode. Buat kode baru bila perlu.",
                "Anda masuk dengan kode pemulihan; tinggal %(n)s kode. Buat kode baru bila perlu.",
                left,
            )
            % {"n": left},
        )
        return redirect(next_url)
    form.add_error("token", _("Kode pemulihan salah atau sudah pernah dipakai."))
    return render(request, "units/otp_verify.html", {"form": form, "next": next_url})


RECOVERY_CODES_SESSION_KEY = "galeri_recovery_codes"


@console_view("console.view")
def recovery_codes(request):
    """Recovery codes: shown once right after they are made; a POST makes a new set (the old ones stop working)."""
    if request.method == "POST":
        try:
            request.session[RECOVERY_CODES_SESSION_KEY] = services.generate_recovery_codes(request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("units:account")
        return redirect("units:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(
        request,
        "units/recovery_codes.html",
        {
            "codes": codes,
            "left": services.recovery_codes_left(request.user),
            "has_device": scoping.has_confirmed_device(request.user),
            "next": _safe_next(request, ""),
        },
    )


@console_view("console.view")
@require_POST
def otp_remove(request):
    try:
        services.remove_own_second_factor(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        request.session[scoping.OTP_OPTIONAL_SESSION_KEY] = False
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
    return redirect("units:account")


# --- Staff management ---------------------------------------------------------------------


def _staff_or_404(request, pk):
    return get_scoped_or_404(User.objects.all(), request.user, "units.manage_staff", field="role_assignments__unit", pk=pk)


@console_view("units.manage_staff")
def staff_list(request):
    filters = forms.StaffFilterForm(request.GET or None, actor=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    users = selectors.staff_list(
        request.user,
        q=data.get("q", ""),
        unit=data.get("unit"),
        role=data.get("role", ""),
        status=data.get("status", ""),
    )
    return render(request, "units/staff_list.html", {"filters": filters, "users": users[:500]})


@console_view("units.manage_staff")
def staff_create(request):
    form = forms.StaffCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        send_link = data["password_mode"] == form.SEND_LINK
        try:
            user = services.create_staff(
                request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                unit=data["unit"],
                password=None if send_link else data["password1"],
                send_link=send_link,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if send_link:
                messages.success(
                    request,
                    _("Akun %(user)s dibuat; tautan kata sandi dikirim ke %(email)s.")
                    % {"user": user.username, "email": user.email},
                )
            else:
                messages.success(
                    request,
                    _("Akun %(user)s dibuat. Sampaikan kata sandi awal secara langsung, bukan lewat pesan grup.")
                    % {"user": user.username},
                )
            return redirect("units:staff_detail", pk=user.pk)
    return render(request, "units/staff_form.html", {"form": form, "title": _("Tambah petugas")})


@console_view("units.manage_staff")
def staff_detail(request, pk):
    person = _staff_or_404(request, pk)
    manageable = scoping.can_manage_user(request.user, person)
    roles = selectors.visible_roles(request.user, person)
    for assignment in roles:
        assignment.revocable = person.pk != request.user.pk and scoping.can_grant(request.user, assignment.role, assignment.unit)
    return render(
        request,
        "units/staff_detail.html",
        {
            "person": person,
            "roles": roles,
            "manageable": manageable,
            "is_self": person.pk == request.user.pk,
            "grant_form": forms.GrantRoleForm(actor=request.user, auto_id="grant_%s"),
            "edit_form": forms.StaffEditForm(initial={"full_name": person.get_full_name(), "email": person.email}),
            "has_device": scoping.has_confirmed_device(person),
            "locked_out": selectors.is_locked_out(person.username),
        },
    )


@console_view("units.manage_staff")
def staff_edit(request, pk):
    person = _staff_or_404(request, pk)
    if not scoping.can_manage_user(request.user, person):
        messages.error(request, _("Anda tidak dapat mengubah akun ini."))
        return redirect("units:staff_detail", pk=person.pk)
    form = forms.StaffEditForm(request.POST or None, initial={"full_name": person.get_full_name(), "email": person.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_staff(request.user, person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Data %(user)s disimpan.") % {"user": person.username})
            return redirect("units:staff_detail", pk=person.pk)
    return render(
        request,
        "units/staff_form.html",
        {"form": form, "title": _("Ubah data %(user)s") % {"user": person.username}, "person": person},
    )


def _staff_action(request, pk, action, success):
    person = _staff_or_404(request, pk)
    try:
        action(person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"user": person.username})
    return redirect("units:staff_detail", pk=person.pk)


@console_view("units.manage_staff")
@require_POST
def staff_grant(request, pk):
    person = _staff_or_404(request, pk)
    form = forms.GrantRoleForm(request.POST, actor=request.user)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}: {error}" if name in form.fields else error)
        return redirect("units:staff_detail", pk=person.pk)
    role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
    return _staff_action(
        request, pk, lambda p: services.grant_role(request.user, p, role, unit), _("Peran diberikan kepada %(user)s.")
    )


@console_view("units.manage_staff")
@require_POST
def staff_revoke(request, pk, assignment_pk):
    person = _staff_or_404(request, pk)
    assignment = get_scoped_or_404(
        RoleAssignment.objects.filter(user=person).select_related("unit"), request.user, "units.manage_staff", pk=assignment_pk
    )
    return _staff_action(request, pk, lambda p: services.revoke_role(request.user, assignment), _("Peran %(user)s dicabut."))


@console_view("units.manage_staff")
@require_POST
def staff_deactivate(request, pk):
    return _staff_action(request, pk, lambda p: services.deactivate_staff(request.user, p), _("Akun %(user)s dinonaktifkan."))


@console_view("units.manage_staff")
@require_POST
def staff_reactivate(request, pk):
    return _staff_action(
        request, pk, lambda p: services.reactivate_staff(request.user, p), _("Akun %(user)s diaktifkan kembali.")
    )


@console_view("units.manage_staff")
@require_POST
def staff_send_link(request, pk):
    base_url = request.build_absolute_uri("/")
    return _staff_action(
        request,
        pk,
        lambda p: services.send_password_link(request.user, p, base_url=base_url),
        _("Tautan kata sandi dikirim ke email %(user)s."),
    )


@console_view("units.manage_staff")
@require_POST
def staff_reset_otp(request, pk):
    return _staff_action(
        request,
        pk,
        lambda p: services.reset_second_factor(request.user, p),
        _("Verifikasi dua langkah %(user)s dihapus; ia mendaftar ulang saat masuk berikutnya."),
    )


@console_view("units.manage_staff")
@require_POST
def staff_unlock(request, pk):
    return _staff_action(request, pk, lambda p: services.unlock_login(request.user, p), _("Kunci masuk %(user)s dibuka."))


# --- Units --------------------------------------------------------------------------------------


@console_view("units.manage_units")
def unit_list(request):
    units = list(selectors.managed_units(request.user))
    base = min((selectors.unit_depth(u) for u in units), default=0)
    for unit in units:
        unit.indent = selectors.unit_depth(unit) - base
    return render(request, "units/unit_list.html", {"units": units})


@console_view("units.manage_units")
def unit_edit(request, pk):
    unit = get_scoped_or_404(Unit.objects.all(), request.user, "units.manage_units", field="", pk=pk)
    form = forms.UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_unit(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Data %(unit)s disimpan.") % {"unit": unit.short_name})
            return redirect("units:unit_list")
    return render(request, "units/unit_form.html", {"form": form, "unit": unit})
