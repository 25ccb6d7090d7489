"""Errors as JSON problem details (RFC 9457), in Indonesian or English.

The language follows ``Accept-Language`` (Indonesian unless the client prefers
English). The API's own messages carry both languages here, next to each
other, because they are part of the API's contract that clients may show to
their users; messages raised by the domain services (``CatalogError`` and the
like) are translated by gettext under the negotiated language.
"""

import json

from django.http import HttpResponse
from django.utils.translation.trans_real import parse_accept_lang_header

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs#masalah-"

# kind -> (status, (title id, title en), (detail id, detail en))
PROBLEMS = {
    "bad-request": (
        400,
        ("Permintaan tidak valid", "Bad request"),
        (
            "Permintaan tidak dapat dibaca.",
            "The request could not be read.",
        ),
    ),
    "invalid-cursor": (
        400,
        ("Kursor tidak valid", "Invalid cursor"),
        (
            "Nilai cursor tidak dikenali atau dibuat untuk urutan lain. Mulai lagi dari halaman pertama tanpa cursor.",
            "The cursor is not recognised or was made for another sort order. Start again from the first page without a cursor.",
        ),
    ),
    "unauthorized": (
        401,
        ("Perlu token API", "API token required"),
        (
            "Kirim header Authorization: Bearer <token> dengan token API yang masih aktif.",
            "Send an Authorization: Bearer <token> header with an active API token.",
        ),
    ),
    "forbidden": (
        403,
        ("Tidak diizinkan", "Forbidden"),
        (
            "Peran pemilik token ini tidak mengizinkan tindakan ini.",
            "The roles of this token's user do not allow this action.",
        ),
    ),
    "not-found": (
        404,
        ("Tidak ditemukan", "Not found"),
        (
            "Sumber yang diminta tidak ada atau tidak dapat Anda akses.",
            "The requested resource does not exist or is not available to you.",
        ),
    ),
    "method-not-allowed": (
        405,
        ("Metode tidak diizinkan", "Method not allowed"),
        (
            "Alamat ini tidak menerima metode HTTP tersebut.",
            "This address does not accept that HTTP method.",
        ),
    ),
    "validation": (
        422,
        ("Data tidak valid", "Invalid data"),
        (
            "Periksa parameter atau isian yang disebut dalam errors.",
            "Check the parameters or fields listed in errors.",
        ),
    ),
    "rejected": (422, ("Permintaan ditolak", "Request rejected"), ("", "")),
    "rate-limited": (
        429,
        ("Terlalu banyak permintaan", "Too many requests"),
        (
            "Batas permintaan terlampaui. Coba lagi setelah {wait} detik.",
            "Rate limit exceeded. Try again after {wait} seconds.",
        ),
    ),
    "server-error": (
        500,
        ("Kesalahan server", "Server error"),
        (
            "Terjadi kesalahan di server. Sudah dicatat; coba lagi nanti.",
            "Something went wrong on the server. It has been logged; try again later.",
        ),
    ),
}

# pydantic error type -> (Indonesian, English)
FIELD_MESSAGES = {
    "missing": ("Wajib diisi.", "Required."),
    "int_parsing": ("Harus bilangan bulat.", "Must be a whole number."),
    "int_type": ("Harus bilangan bulat.", "Must be a whole number."),
    "int_from_float": ("Harus bilangan bulat.", "Must be a whole number."),
    "greater_than_equal": ("Terlalu kecil.", "Too small."),
    "greater_than": ("Terlalu kecil.", "Too small."),
    "less_than_equal": ("Terlalu besar.", "Too large."),
    "less_than": ("Terlalu besar.", "Too large."),
    "string_too_long": ("Terlalu panjang.", "Too long."),
    "string_too_short": ("Terlalu pendek.", "Too short."),
    "string_type": ("Harus teks.", "Must be text."),
    "string_pattern_mismatch": ("Bentuknya tidak sesuai.", "Has the wrong format."),
    "bool_parsing": ("Harus true atau false.", "Must be true or false."),
    "bool_type": ("Harus true atau false.", "Must be true or false."),
    "date_parsing": ("Tanggal harus berbentuk YYYY-MM-DD.", "Dates are written YYYY-MM-DD."),
    "date_from_datetime_parsing": ("Tanggal harus berbentuk YYYY-MM-DD.", "Dates are written YYYY-MM-DD."),
    "date_from_datetime_inexact": ("Tanggal harus berbentuk YYYY-MM-DD.", "Dates are written YYYY-MM-DD."),
    "date_type": ("Tanggal harus berbentuk YYYY-MM-DD.", "Dates are written YYYY-MM-DD."),
    "enum": ("Bukan salah satu pilihan yang dikenal.", "Not one of the known choices."),
    "literal_error": ("Bukan salah satu pilihan yang dikenal.", "Not one of the known choices."),
    "json_invalid": ("Isi bukan JSON yang sah.", "The body is not valid JSON."),
    "model_attributes_type": ("Isi harus objek JSON.", "The body must be a JSON object."),
    "dict_type": ("Isi harus objek JSON.", "The body must be a JSON object."),
    "extra_forbidden": ("Isian ini tidak dikenal.", "This field is not known."),
}
FIELD_FALLBACK = ("Nilai tidak valid.", "Invalid value.")


def language(request) -> str:
    """'en' when the client prefers English to Indonesian, else 'id'."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "") if request is not None else ""
    try:
        choices = parse_accept_lang_header(header[:500])
    except Exception:  # a malformed header is not the client's problem to see
        choices = ()
    for code, _quality in choices:
        base = code.split("-")[0].lower()
        if base == "en":
            return "en"
        if base in ("id", "in", "*"):
            return "id"
    return "id"


def body(request, kind, *, detail=None, errors=None, code=None, **params) -> dict:
    status, titles, details = PROBLEMS[kind]
    index = 1 if language(request) == "en" else 0
    text = detail if detail is not None else details[index].format(**params)
    data = {"type": TYPE_BASE + kind, "title": titles[index], "status": status, "detail": text}
    if request is not None:
        data["instance"] = request.path[:500]
    if errors is not None:
        data["errors"] = errors
    if code:
        data["code"] = code  # a domain error's machine code (``DomainError.code``)
    return data


def response(request, kind, *, detail=None, errors=None, headers=None, code=None, **params) -> HttpResponse:
    data = body(request, kind, detail=detail, errors=errors, code=code, **params)
    out = HttpResponse(json.dumps(data, ensure_ascii=False), status=data["status"], content_type=CONTENT_TYPE)
    out["Content-Language"] = language(request)
    out["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        out[name] = value
    return out


def field_errors(request, pydantic_errors) -> list:
    """Pydantic's errors as [{field, message}] in the client's language."""
    index = 1 if language(request) == "en" else 0
    out = []
    for error in pydantic_errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ninja prefixes the source ("query", "path", "body") and the parameter group name
        where = loc[0] if loc else ""
        name = ".".join(part for part in loc[1:] if part not in ("filters", "payload", "data")) or where
        message = FIELD_MESSAGES.get(error.get("type", ""), FIELD_FALLBACK)[index]
        out.append({"field": name, "in": where, "message": message})
    return out
