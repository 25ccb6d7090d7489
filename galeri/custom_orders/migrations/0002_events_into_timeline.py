"""Copy every CustomOrderEvent row into the shared timeline (core.TimelineEvent), field for field.

from_status -> from_state, to_status -> to_state, label, note, actor, user, created_at; the old
rows had no action (""). The way back copies the timeline rows of custom orders into the old table
(recreated by reversing 0003) and removes them from the timeline.
"""

from django.db import migrations

BATCH = 2000


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="custom_orders", model="customorder")[0]


def forwards(apps, schema_editor):
    CustomOrderEvent = apps.get_model("custom_orders", "CustomOrderEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    content_type = _content_type(apps)
    rows = []
    for old in CustomOrderEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        rows.append(
            TimelineEvent(
                subject_type=content_type,
                subject_id=old.order_id,
                action="",
                from_state=old.from_status,
                to_state=old.to_status,
                label=old.label,
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


def backwards(apps, schema_editor):
    CustomOrderEvent = apps.get_model("custom_orders", "CustomOrderEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    events = TimelineEvent.objects.filter(subject_type=_content_type(apps))
    rows = [
        CustomOrderEvent(
            order_id=e.subject_id,
            from_status=e.from_state,
            to_status=e.to_state,
            label=e.label,
            note=e.note,
            actor=e.actor,
            user_id=e.user_id,
            created_at=e.created_at,
        )
        for e in events.order_by("created_at", "id")
    ]
    CustomOrderEvent.objects.bulk_create(rows, batch_size=BATCH)
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("custom_orders", "0001_initial"),
        ("core", "0002_timeline"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
