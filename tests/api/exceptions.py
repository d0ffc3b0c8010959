class WaitTimeout(AssertionError):
    """A waiter's deadline passed."""


class ResourceError(AssertionError):
    """A resource went to an error status while waited on."""
