"""The one exception type whose message a user is allowed to see."""


class UserError(Exception):
    """Bad input or a request we refuse: the message is shown to the user, ephemerally.

    Keep messages short and say what was wrong and what is allowed.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self):  # picklable across the worker pool
        return (type(self), (self.message,))
