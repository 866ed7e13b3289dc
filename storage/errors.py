"""Precise storage failures the core can act on."""


class StorageError(Exception):
    """Base for storage failures that the core handles."""


class AlreadyRecorded(StorageError):
    """A change with this idempotency key was already committed."""

    def __init__(self, key: str) -> None:
        super().__init__(f"already recorded: {key}")
        self.key = key


class SchemaOutdated(StorageError):
    """The database schema is behind the code's migrations."""
