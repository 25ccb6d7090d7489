"""The message a page shows for a refused action."""


def error_text(exc) -> str:
    """The messages of a domain error (a ValidationError subclass) as one line; ``str(exc)`` otherwise."""
    return " ".join(getattr(exc, "messages", None) or [str(exc)])
