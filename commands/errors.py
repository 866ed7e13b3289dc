"""The CommandError family: what went wrong, in words the person can act on."""

from __future__ import annotations


class CommandError(Exception):
    """A user-fixable problem. Its message is plain text, never markup (it may quote what the
    person typed): each platform escapes it for its own markup where it is shown."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotInDirectory(CommandError):
    def __init__(self) -> None:
        super().__init__(
            "Sorry, this bot is only for the treaty bodies' focal points, Chairs, the ASG office "
            "and the secretariat, and you are not in its directory. If you should be, please ask "
            "the secretariat to add you."
        )


class NoSuchCase(CommandError):
    """The same answer whether the case does not exist or may not be seen."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"No case {reference.upper()} that you can see.")


class NotAllowed(CommandError):
    pass


class FormInvalid(CommandError):
    """Field name -> message, shown next to each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Please correct: " + "; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
