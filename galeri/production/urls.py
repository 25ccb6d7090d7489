from django.urls import path

from galeri.production import batch_views, premi_views, views

app_name = "production"

urlpatterns = [
    path("", views.home, name="home"),
    path("bengkel/", views.workshops, name="workshops"),
    path("bengkel/<int:pk>/", views.workshop_edit, name="workshop_edit"),
    path("peserta/", views.participants, name="participants"),
    path("peserta/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("peserta/<int:pk>/data-pribadi/", views.participant_personal, name="participant_personal"),
    path("peserta/<int:pk>/persetujuan/", views.participant_consent, name="participant_consent"),
    path("peserta/<int:pk>/sertifikat/", views.certificate_add, name="certificate_add"),
    path("peserta/<int:pk>/riwayat.pdf", views.skills_record, name="skills_record"),
    path("peserta/<int:pk>/premi/", premi_views.premi_ledger, name="premi_ledger"),
    path("peserta/<int:pk>/premi/<int:year>-<int:month>.pdf", premi_views.premi_statement, name="premi_statement"),
    path("pelatihan/", views.training, name="training"),
    path("batch/", batch_views.batches, name="batches"),
    path("batch/ekspor/", batch_views.batches_export, name="batches_export"),
    path("premi/ekspor/", premi_views.premi_export, name="premi_export"),
    path("batch/baru/", batch_views.batch_create, name="batch_create"),
    path("batch/<int:pk>/", batch_views.batch_detail, name="batch_detail"),
    path("aturan/", premi_views.rules, name="rules"),
    path("aturan/<int:pk>/akhiri/", premi_views.rule_end, name="rule_end"),
    path("pnbp/", premi_views.pnbp, name="pnbp"),
]
