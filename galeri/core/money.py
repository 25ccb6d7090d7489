"""Money is whole rupiah in integers, shown as ``Rp 25.000``."""


def format_rupiah(amount) -> str:
    if amount is None:
        return ""
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


def parse_rupiah(text) -> int:
    """Read '25.000', 'Rp 25.000', '25000' as 25000. Raises ValueError on anything else."""
    if isinstance(text, int):
        return text
    cleaned = str(text).strip().lower().replace("-rp", "-", 1).removeprefix("rp").strip().replace(".", "").replace(" ", "")
    if not cleaned or not cleaned.lstrip("-").isdigit():
        raise ValueError(f"bukan jumlah rupiah: {text!r}")
    return int(cleaned)
