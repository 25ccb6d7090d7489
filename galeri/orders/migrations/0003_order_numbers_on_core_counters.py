"""Order numbers move to the core gapless counter: each (unit, day) row of OrderCounter
seeds ``core.Counter(scope="orders.order:<unit id>", period="<day>")`` with the same last
number, so numbering continues without a jump or a repeat; then OrderCounter goes."""

from django.db import migrations


def forward(apps, schema_editor):
    OrderCounter = apps.get_model("orders", "OrderCounter")
    Counter = apps.get_model("core", "Counter")
    for unit_id, day, last in OrderCounter.objects.values_list("unit_id", "day", "last_number").iterator():
        row, created = Counter.objects.get_or_create(
            scope=f"orders.order:{unit_id}", period=day.isoformat(), defaults={"last_number": last}
        )
        if not created and row.last_number < last:
            row.last_number = last
            row.save(update_fields=["last_number"])


def backward(apps, schema_editor):
    OrderCounter = apps.get_model("orders", "OrderCounter")
    Counter = apps.get_model("core", "Counter")
    import datetime

    for scope, period, last in Counter.objects.filter(scope__startswith="orders.order:").values_list(
        "scope", "period", "last_number"
    ):
        OrderCounter.objects.update_or_create(
            unit_id=int(scope.split(":")[1]), day=datetime.date.fromisoformat(period), defaults={"last_number": last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_pickup_follows_opening_hours"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="OrderCounter"),
    ]
