"""A sale's totals and each line's share of its revenue (the settlement's and a refund's figures)."""

from dataclasses import dataclass, field


@dataclass
class Totals:
    subtotal: int
    discount: int
    total: int
    lines: list = field(default_factory=list)  # (list_price, unit_price, discount, line_total)


def _line_revenue(sale_line, totals, sale_lines):
    """The line's share of the sale's revenue: its total less its share of the sale discount
    (spread by line total, the remainder on the last line) so the lines add up to the sale."""
    sale_discount = totals.total - sum(sl.line_total for sl in sale_lines)  # <= 0
    if not sale_discount:
        return sale_line.line_total
    base = sum(sl.line_total for sl in sale_lines)
    shares = [(sl.line_total * -sale_discount) // base if base else 0 for sl in sale_lines]
    shares[-1] = -sale_discount - sum(shares[:-1])
    return sale_line.line_total - shares[sale_lines.index(sale_line)]
