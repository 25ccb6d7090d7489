"""Forms of the label pages: output options, and the unit setting for managers."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galeri.labels import codes
from galeri.labels.models import BarcodeKind
from galeri.labels.render import ESCPOS, LAYOUTS, OUTPUTS


class OutputForm(forms.Form):
    output = forms.ChoiceField(
        label=gettext_lazy("Cetak ke"),
        choices=OUTPUTS,
        initial="3x8",
        error_messages={"invalid_choice": gettext_lazy("Pilih lembar label atau printer yang tersedia.")},
    )
    start = forms.IntegerField(
        label=gettext_lazy("Mulai dari label ke-"),
        min_value=1,
        initial=1,
        required=False,
        help_text=gettext_lazy("Untuk lembar yang sudah terpakai sebagian: 1 = kiri atas, dihitung ke kanan lalu ke bawah."),
        error_messages={
            "invalid": gettext_lazy("Posisi awal harus berupa angka."),
            "min_value": gettext_lazy("Posisi awal paling kecil 1."),
        },
    )

    def clean(self):
        data = super().clean()
        output = data.get("output")
        start = data.get("start") or 1
        if output in LAYOUTS and start > LAYOUTS[output].per_sheet:
            self.add_error(
                "start",
                _("Lembar %(layout)s hanya punya %(n)d label; posisi awal paling besar %(n)d.")
                % {"layout": output.replace("x", "×"), "n": LAYOUTS[output].per_sheet},
            )
        if output == ESCPOS:
            start = 1
        data["start"] = start
        return data


class SettingsForm(forms.Form):
    barcode_kind = forms.ChoiceField(
        label=gettext_lazy("Barcode pada label"), choices=BarcodeKind.choices, widget=forms.RadioSelect
    )
    ean_prefix = forms.ChoiceField(
        label=gettext_lazy("Awalan EAN-13 toko"),
        choices=[(p, p) for p in codes.EAN_PREFIXES],
        help_text=gettext_lazy(
            "Kode 20–29 khusus untuk dalam toko. Produk tanpa barcode mendapat kode awalan ini + nomor produk."
        ),
    )
