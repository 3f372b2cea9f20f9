"""Domain errors that services raise and every surface maps: a page shows the message,
the API (config.api_errors) answers 409 or 429 with it.

Services keep raising Django's ValidationError (400) and PermissionDenied (403) for bad
input and refusals; these two are for what neither says.
"""


class Conflict(Exception):
    """The request is fine but the state says no: done already, taken, in progress."""

    def __init__(self, message: str = "", *args):
        super().__init__(message, *args)
        self.message = message


class RetryLater(Exception):
    """Not now: a posting limit or a throttle; retry_after is in seconds when known.

    A mixin as well as an error: forum's PostingLimitError is a ValidationError (the
    forms show it as one) and a RetryLater (the API answers 429 with Retry-After).
    """

    retry_after: int | None = None

    def __init__(self, message: str = "", *args, retry_after: int | None = None):
        super().__init__(message, *args)
        if retry_after is not None:
            self.retry_after = retry_after
