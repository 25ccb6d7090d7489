import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0006_refund_approval_counter_pin"),
        ("payments", "0005_counter_action_and_counter_methods"),
    ]

    operations = [
        # A B-receipt's amount is read from its records from now on (0008 moves the money).
        migrations.RemoveConstraint(model_name="counterpayment", name="pos_counter_payment_positive"),
        migrations.AddField(
            model_name="refund",
            name="payment",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="payments.payment"
            ),
        ),
    ]
