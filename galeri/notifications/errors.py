class ChannelError(Exception):
    """A channel refused a message; ``permanent`` True when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent
