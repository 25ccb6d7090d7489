from galeri.core.errors import DomainError


class NewsError(DomainError):
    """A refused news action, with a message for the staff member."""
