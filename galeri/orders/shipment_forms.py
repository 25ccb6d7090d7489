"""Forms of the console's shipment panel (order page), and the panel's context."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galeri.orders import shipments
from galeri.orders.models import OrderStatus, ShipmentMethod, ShipmentStatus
from galeri.shipping.tracking.base import STATUS_LABELS

PARCEL_ROWS = 3
FIGURES = (
    ("weight", _("Berat (gram)"), shipments.MAX_GRAMS),
    ("length", _("P (cm)"), 400),
    ("width", _("L (cm)"), 400),
    ("height", _("T (cm)"), 400),
)


class ShipmentForm(forms.Form):
    method = forms.ChoiceField(label=_("Cara kirim"), choices=ShipmentMethod.choices)
    courier_code = forms.CharField(label=_("Kode kurir"), max_length=20, required=False, help_text=_("mis. jne, pos, sicepat"))
    courier_name = forms.CharField(label=_("Nama kurir"), max_length=60, required=False)
    service = forms.CharField(label=_("Layanan"), max_length=40, required=False, help_text=_("mis. REG"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, PARCEL_ROWS + 1):
            for name, label, top in FIGURES:
                self.fields[f"p{row}_{name}"] = forms.IntegerField(
                    label=f"{label} · {_('paket')} {row}", required=False, min_value=1, max_value=top
                )

    def parcel_rows(self):
        return [[self[f"p{row}_{name}"] for name, _label, _top in FIGURES] for row in range(1, PARCEL_ROWS + 1)]

    def clean(self):
        data = super().clean()
        parcels = []
        for row in range(1, PARCEL_ROWS + 1):
            values = [data.get(f"p{row}_{name}") for name, _label, _top in FIGURES]
            if all(v is None for v in values):
                continue
            if any(v is None for v in values):
                raise forms.ValidationError(_("Paket %(n)s: isi berat, panjang, lebar dan tinggi.") % {"n": row})
            parcels.append(shipments.ParcelSize(*values))
        if not parcels and not self.errors:
            raise forms.ValidationError(_("Isi setidaknya satu paket (berat dan ukuran)."))
        data["parcels"] = parcels
        return data


class TrackingNumberForm(forms.Form):
    tracking_number = forms.CharField(label=_("Nomor resi"), max_length=40)
    tracking_link = forms.CharField(label=_("Tautan lacak kurir (tidak wajib)"), max_length=300, required=False)


STEPS = {
    "pack": _("Tandai dikemas"),
    "ship": _("Tandai diserahkan ke kurir / dikirim"),
    "deliver": _("Tandai terkirim"),
    "picked_up": _("Tandai sudah diambil"),
}


class ShipmentStepForm(forms.Form):
    step = forms.ChoiceField(choices=list(STEPS.items()))


def _initial(order, shipment):
    if shipment is None:
        start = shipments.suggested(order)
    else:
        start = {
            "method": shipment.method,
            "courier_code": shipment.courier_code,
            "courier_name": shipment.courier_name,
            "service": shipment.service,
            "parcels": list(shipment.parcels.all()),
        }
    initial = {k: start[k] for k in ("method", "courier_code", "courier_name", "service")}
    for row, parcel in enumerate(start["parcels"][:PARCEL_ROWS], 1):
        for name, _label, _top in FIGURES:
            attribute = "weight_grams" if name == "weight" else f"{name}_cm"
            initial[f"p{row}_{name}"] = getattr(parcel, attribute)
    return initial, start


def _steps(order, shipment):
    if shipment is None:
        return []
    S, SS = OrderStatus, ShipmentStatus
    found = []
    if shipment.status == SS.PENDING and shipment.method != ShipmentMethod.PICKUP:
        found.append("pack")
    if shipment.status in shipments.EDITABLE and shipment.method != ShipmentMethod.PICKUP:
        found.append("ship")
    if shipment.status == SS.SHIPPED:
        found.append("deliver")
    if shipment.method == ShipmentMethod.PICKUP and order.status == S.READY and shipment.status != SS.PICKED_UP:
        found.append("picked_up")
    return [(step, STEPS[step]) for step in found]


def shipment_panel(order, manage, forms_given) -> dict:
    """What the order page's "Pengiriman" section shows and offers."""
    shipment = shipments.shipment_of(order)
    preparable = shipments.preparable(order)
    if not preparable and shipment is None:
        return {"shipment": None, "shipment_offer": False}
    initial, start = _initial(order, shipment)
    editable = manage and preparable and (shipment is None or shipment.status in shipments.EDITABLE)
    return {
        "shipment": shipment,
        "shipment_offer": True,
        "shipment_editable": editable,
        "shipment_form": forms_given.get("shipment_form") or ShipmentForm(initial=initial),
        "resi_form": forms_given.get("resi_form")
        or TrackingNumberForm(initial={"tracking_number": getattr(shipment, "tracking_number", ""), "tracking_link": ""}),
        "shipment_steps": _steps(order, shipment) if manage else [],
        "shipment_missing": start.get("missing", []),
        "shipment_defaulted": start.get("defaulted", []),
        "shipment_history": shipments.history(shipment) if shipment else [],
        "tracking_status_label": STATUS_LABELS.get(getattr(shipment, "tracking_status", ""), ""),
    }
