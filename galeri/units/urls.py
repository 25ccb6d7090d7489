"""Staff sign-in, passwords, own account, staff and units. Mounted at /petugas/."""

from django.urls import path

from galeri.units import views

app_name = "units"

urlpatterns = [
    # Public: sign-in, sign-out and the password reset by email (listed in the matrix test's allow-list).
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("sandi/atur/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("sandi/atur/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Signed in: one's own account.
    path("sandi/", views.password_change, name="password_change"),
    path("akun/", views.account, name="account"),
    path("akun/verifikasi/", views.otp_verify, name="otp_verify"),
    path("akun/kode-pemulihan/", views.recovery_codes, name="recovery_codes"),
    path("akun/dua-langkah/", views.otp_enrol, name="otp_enrol"),
    path("akun/dua-langkah/matikan/", views.otp_remove, name="otp_remove"),
    # Unit administrators and the regional office: staff.
    path("pengguna/", views.staff_list, name="staff_list"),
    path("pengguna/baru/", views.staff_create, name="staff_create"),
    path("pengguna/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("pengguna/<int:pk>/ubah/", views.staff_edit, name="staff_edit"),
    path("pengguna/<int:pk>/peran/", views.staff_grant, name="staff_grant"),
    path("pengguna/<int:pk>/peran/<int:assignment_pk>/cabut/", views.staff_revoke, name="staff_revoke"),
    path("pengguna/<int:pk>/nonaktifkan/", views.staff_deactivate, name="staff_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.staff_reactivate, name="staff_reactivate"),
    path("pengguna/<int:pk>/tautan-sandi/", views.staff_send_link, name="staff_send_link"),
    path("pengguna/<int:pk>/dua-langkah/hapus/", views.staff_reset_otp, name="staff_reset_otp"),
    path("pengguna/<int:pk>/buka-kunci/", views.staff_unlock, name="staff_unlock"),
    # The regional office: units.
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/<int:pk>/", views.unit_edit, name="unit_edit"),
]
