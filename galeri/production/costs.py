"""The arithmetic of a batch's cost, with no database: whole rupiah, half up."""

from decimal import Decimal


def material_cost(quantity, unit_cost) -> int:
    """quantity x unit cost in whole rupiah, half up."""
    value = Decimal(quantity) * unit_cost
    return int(value.to_integral_value(rounding="ROUND_HALF_UP"))
