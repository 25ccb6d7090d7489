"""A till session gets a ``status`` (buka/tutup) for its workflow table: set from ``closed_at``
(closed sessions are ``tutup``), then a check constraint keeps the two in agreement. The
one-open-session-per-till constraint stays on ``closed_at IS NULL``."""

from django.db import migrations, models


def from_closed_at(apps, schema_editor):
    TillSession = apps.get_model("pos", "TillSession")
    TillSession.objects.filter(closed_at__isnull=False).update(status="tutup")


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0004_receipt_numbers_on_core_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="tillsession",
            name="status",
            field=models.CharField(
                choices=[("buka", "Buka"), ("tutup", "Tutup")], default="buka", max_length=8, verbose_name="status"
            ),
        ),
        migrations.RunPython(from_closed_at, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="tillsession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("closed_at__isnull", True), ("status", "buka")),
                    models.Q(("closed_at__isnull", False), ("status", "tutup")),
                    _connector="OR",
                ),
                name="pos_session_status_matches_closed_at",
            ),
        ),
    ]
