"""Domain errors: one class every app's error derives from, and the one place a view shows it.

A service refuses an action by raising its app's error (``OrderError``, ``PosError``, ...), each a
``DomainError``: a message for the user (Indonesian, through gettext) and a machine code. It is
still a Django ``ValidationError``, so a form's ``clean`` may raise it and ``messages`` lists it.

Views show a refusal through ``refused`` (a flash message, a form error or a list of problems);
the API turns it into an RFC 9457 problem detail in its one exception handler
(``galeri/api/core.py``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refused action: ``text`` is the message for the user, ``code`` the machine code."""

    default_code = "refused"

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code=code or self.default_code, params=params)

    @property
    def text(self) -> str:
        return error_text(self)

    @property
    def codes(self) -> list:
        """The machine codes of every message (one for a plain refusal)."""
        if hasattr(self, "error_list"):
            return [error.code or self.default_code for error in self.error_list]
        return [self.default_code]


def error_text(exc) -> str:
    """The messages of a domain error (a ValidationError subclass) as one line; ``str(exc)`` otherwise."""
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class refused:  # noqa: N801  (a context manager, used as ``with refused(request) as outcome:``)
    """Show a ``DomainError`` raised in the block instead of letting it out.

    ``with refused(request):`` puts the message in the flash messages, ``refused(form=form)`` on the
    form as a non-field error, ``refused(into=problems)`` appends it to a list. Afterwards
    ``outcome.ok`` says whether the block ran through and ``outcome.error`` holds the refusal.
    Other exceptions pass through untouched.
    """

    def __init__(self, request=None, *, form=None, into=None, prefix=""):
        self.request, self.form, self.into, self.prefix = request, form, into, prefix
        self.error = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, traceback):
        if exc is None or not isinstance(exc, DomainError):
            return False
        self.error = exc
        text = self.prefix + error_text(exc)
        if self.form is not None:
            self.form.add_error(None, text)
        elif self.into is not None:
            self.into.append(text)
        else:
            messages.error(self.request, text)
        return True
