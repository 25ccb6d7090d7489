from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("custom_orders", "0002_events_into_timeline"),
    ]

    operations = [
        migrations.DeleteModel(name="CustomOrderEvent"),
    ]
