"""Bulk import and export of products as XLSX (openpyxl) or CSV.

Import is two steps. ``check_import`` reads the file and reports every bad row
(row number, column, reason) without writing anything; ``run_import`` checks the
file again inside one transaction and writes everything or nothing: new SKUs
become drafts, known SKUs of the user's units are updated, a new price of a
published product becomes a pending PriceChange. Writes are bulk operations
(5,000 rows in a few seconds, see bench/import_products.py).

What reaches us is never trusted: the format is read from the bytes, not the
name; an XLSX is a zip whose sizes are checked before openpyxl opens it; rows,
columns and cell lengths are bounded; formulas are never evaluated (openpyxl
reads cached values only). Export neutralises cells a spreadsheet would run as
a formula (a leading = + - @ tab or CR gets an apostrophe).

The package, by concept: ``columns`` (columns and limits), ``reading`` (the file),
``cells`` (one cell), ``checking`` (rows into a plan), ``applying`` (the write),
``export`` (files out). Callers use the names below.
"""

from galeri.catalog.imports.applying import ImportRejected, run_import
from galeri.catalog.imports.cells import CellError, parse_cell
from galeri.catalog.imports.checking import ImportReport, Plan, RowError, check_import
from galeri.catalog.imports.columns import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    Column,
    ImportFileError,
)
from galeri.catalog.imports.export import (
    EXPORT_HEADERS,
    export_csv_lines,
    export_xlsx,
    neutralise,
    template_csv,
    template_xlsx,
)
from galeri.catalog.imports.reading import map_header, read_table, sniff_format

__all__ = [
    "COLUMNS",
    "EXPORT_HEADERS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_UNZIPPED_BYTES",
    "CellError",
    "Column",
    "ImportFileError",
    "ImportRejected",
    "ImportReport",
    "Plan",
    "RowError",
    "check_import",
    "export_csv_lines",
    "export_xlsx",
    "map_header",
    "neutralise",
    "parse_cell",
    "read_table",
    "run_import",
    "sniff_format",
    "template_csv",
    "template_xlsx",
]
