"""JSON lines on standard output: one object per record, the request's id on every line.

    {"time": "2026-11-28T04:30:00.123Z", "level": "INFO", "logger": "galeri.request",
     "message": "GET /produk/ 200", "request_id": "5f0c...", "method": "GET", "path": "/produk/",
     "status": 200, "duration_ms": 12.4, "user_id": 7, "units": ["LPA"]}

Only what is passed as ``extra=`` in FIELDS is copied, so a stray ``extra`` cannot leak personal
data into the logs; exceptions are written as one ``exc`` string.
"""

import json
import logging
from datetime import UTC, datetime

from galeri.ops.context import request_id

FIELDS = (
    "method",
    "path",
    "status",
    "duration_ms",
    "user_id",
    "units",
    "event",
    "failure",
    "bytes",
    "view",
    "db_queries",
)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record made while the request runs."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", "") or request_id.get()
        if rid:
            data["request_id"] = rid
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                data[name] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
