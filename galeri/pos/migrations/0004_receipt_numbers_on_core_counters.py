"""Receipt and counter-payment numbers move to the core gapless counter: each unit's
ReceiptCounter seeds ``core.Counter`` ``pos.receipt:<unit id>`` (last_number) and
``pos.payment:<unit id>`` (last_payment_number) with the same last numbers, so numbering
continues without a jump or a repeat; then ReceiptCounter goes."""

from django.db import migrations

SCOPES = (("pos.receipt", "last_number"), ("pos.payment", "last_payment_number"))


def forward(apps, schema_editor):
    ReceiptCounter = apps.get_model("pos", "ReceiptCounter")
    Counter = apps.get_model("core", "Counter")
    for old in ReceiptCounter.objects.all().iterator():
        for name, field in SCOPES:
            last = getattr(old, field)
            row, created = Counter.objects.get_or_create(
                scope=f"{name}:{old.unit_id}", period="", defaults={"last_number": last}
            )
            if not created and row.last_number < last:
                row.last_number = last
                row.save(update_fields=["last_number"])


def backward(apps, schema_editor):
    ReceiptCounter = apps.get_model("pos", "ReceiptCounter")
    Counter = apps.get_model("core", "Counter")
    for name, field in SCOPES:
        for scope, last in Counter.objects.filter(scope__startswith=f"{name}:", period="").values_list("scope", "last_number"):
            ReceiptCounter.objects.update_or_create(unit_id=int(scope.split(":")[1]), defaults={field: last})


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0003_till_settings_receipt_prints"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ReceiptCounter"),
    ]
