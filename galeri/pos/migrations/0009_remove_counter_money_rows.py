"""The counter's own money rows go (their money is in payments.Payment since 0008). The fields get
a default first, so that going back can add them again to tables that have rows (0008's backward
then fills them in from the payment records)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0008_money_to_payment_records"),
    ]

    operations = [
        migrations.AlterField(model_name="sale", name="paid", field=models.BigIntegerField(default=0)),
        migrations.AlterField(model_name="counterpayment", name="amount", field=models.BigIntegerField(default=0)),
        migrations.AlterField(model_name="refund", name="amount", field=models.BigIntegerField(default=0)),
        migrations.AlterField(
            model_name="refund",
            name="method",
            field=models.CharField(
                choices=[("cash", "Tunai"), ("qris", "QRIS"), ("transfer", "Transfer")], default="cash", max_length=10
            ),
        ),
        migrations.RemoveField(model_name="counterpaymentline", name="counter_payment"),
        migrations.RemoveField(model_name="salepayment", name="sale"),
        migrations.RemoveField(model_name="counterpayment", name="amount"),
        migrations.RemoveField(model_name="counterpayment", name="change"),
        migrations.RemoveField(model_name="refund", name="amount"),
        migrations.RemoveField(model_name="refund", name="method"),
        migrations.RemoveField(model_name="sale", name="change"),
        migrations.RemoveField(model_name="sale", name="paid"),
        migrations.DeleteModel(name="CounterPaymentLine"),
        migrations.DeleteModel(name="SalePayment"),
    ]
