from django.apps import AppConfig


class LabelsConfig(AppConfig):
    """Price labels: A4 label sheets and ESC/POS, barcode and QR."""

    name = "galeri.labels"
    label = "labels"
    verbose_name = "Label harga"
