"""An order's history moves to the shared timeline: every OrderEvent row becomes a
``core.TimelineEvent`` of its order (same label, note, actor, user, time and from/to status; the
same order of rows, so two events of one moment keep their order); then OrderEvent goes. The way
back copies the orders' timeline rows into OrderEvent again."""

from django.db import migrations

BATCH = 2000


def _order_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="orders", model="order")[0]


def forward(apps, schema_editor):
    OrderEvent = apps.get_model("orders", "OrderEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    order_type = _order_type(apps)
    rows = []
    for e in OrderEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        rows.append(
            TimelineEvent(
                subject_type=order_type,
                subject_id=e.order_id,
                action="",
                from_state=e.from_status,
                to_state=e.to_status,
                label=e.label,
                note=e.note,
                actor=e.actor,
                user_id=e.user_id,
                created_at=e.created_at,
            )
        )
        if len(rows) >= BATCH:
            TimelineEvent.objects.bulk_create(rows)
            rows = []
    TimelineEvent.objects.bulk_create(rows)


def backward(apps, schema_editor):
    OrderEvent = apps.get_model("orders", "OrderEvent")
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    order_type = _order_type(apps)
    moved = TimelineEvent.objects.filter(subject_type=order_type)
    rows = [
        OrderEvent(
            order_id=e.subject_id,
            from_status=e.from_state,
            to_status=e.to_state,
            label=e.label[:120],
            note=e.note,
            actor=e.actor,
            user_id=e.user_id,
            created_at=e.created_at,
        )
        for e in moved.order_by("id").iterator(chunk_size=BATCH)
    ]
    OrderEvent.objects.bulk_create(rows, batch_size=BATCH)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_order_numbers_on_core_counters"),
        ("core", "0002_timeline"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="OrderEvent"),
    ]
