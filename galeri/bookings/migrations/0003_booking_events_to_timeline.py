"""Booking history moves to the shared timeline: every ``BookingEvent`` row becomes a
``core.TimelineEvent`` of its booking (from_status→from_state, to_status→to_state, the status's
Indonesian name as the label, note, actor, user, created_at; action empty), then the old table goes.
The way back copies the bookings' timeline rows into a new ``BookingEvent`` table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# BookingStatus's Indonesian names when this was written (a migration must not read the live model).
LABELS = {
    "dipesan": "Dipesan",
    "dikonfirmasi": "Dikonfirmasi",
    "selesai": "Selesai",
    "batal": "Batal",
    "tidak_datang": "Tidak datang",
}
STATUS_CHOICES = list(LABELS.items())
BATCH = 2000


def _booking_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="bookings", model="booking")[0]


def to_timeline(apps, schema_editor):
    BookingEvent = apps.get_model("bookings", "BookingEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    booking_type = _booking_type(apps)
    rows = []
    for old in BookingEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        rows.append(
            TimelineEvent(
                subject_type_id=booking_type.pk,
                subject_id=old.booking_id,
                action="",
                from_state=old.from_status,
                to_state=old.to_status,
                label=LABELS.get(old.to_status, old.to_status),
                note=old.note,
                actor=old.actor,
                user_id=old.user_id,
                created_at=old.created_at,
            )
        )
        if len(rows) >= BATCH:
            TimelineEvent.objects.bulk_create(rows)
            rows = []
    TimelineEvent.objects.bulk_create(rows)


def from_timeline(apps, schema_editor):
    BookingEvent = apps.get_model("bookings", "BookingEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    events = TimelineEvent.objects.filter(subject_type=_booking_type(apps))
    rows = []
    for new in events.order_by("created_at", "id").iterator(chunk_size=BATCH):
        rows.append(
            BookingEvent(
                booking_id=new.subject_id,
                from_status=new.from_state,
                to_status=new.to_state,
                note=new.note,
                actor=new.actor,
                user_id=new.user_id,
                created_at=new.created_at,
            )
        )
        if len(rows) >= BATCH:
            BookingEvent.objects.bulk_create(rows)
            rows = []
    BookingEvent.objects.bulk_create(rows)
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_service_products"),
        ("core", "0002_timeline"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(to_timeline, from_timeline),
        migrations.DeleteModel(name="BookingEvent"),
    ]
