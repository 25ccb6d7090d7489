"""The arithmetic of a batch's cost: whole rupiah, half up."""

from decimal import Decimal


def material_cost(quantity, unit_cost) -> int:
    """quantity x unit cost in whole rupiah, half up."""
    value = Decimal(quantity) * unit_cost
    return int(value.to_integral_value(rounding="ROUND_HALF_UP"))


def batch_cost(batch) -> int:
    """A batch's whole cost: its materials (read from ``batch.materials``) and its labour."""
    return sum(material_cost(m.quantity, m.unit_cost) for m in batch.materials.all()) + batch.labour_cost


def unit_cost_of(total_cost, passed) -> int:
    """HPP per piece: the batch's whole cost over the pieces that passed, half up."""
    return int((Decimal(total_cost) / passed).to_integral_value(rounding="ROUND_HALF_UP"))
