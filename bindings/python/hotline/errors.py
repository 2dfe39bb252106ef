"""Exceptions mapped from Hotline's status codes."""
from __future__ import annotations


class HotlineError(Exception):
    """A call into Hotline failed; `status` is the C status code."""

    status = -10

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgumentError(HotlineError, ValueError):
    status = -1


class NotFoundError(HotlineError, KeyError):
    status = -2

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class AlreadyExistsError(HotlineError):
    status = -3


class IllegalStateError(HotlineError):
    status = -4


class FullError(HotlineError):
    status = -5


class PermissionDeniedError(HotlineError, PermissionError):
    status = -6


class StorageError(HotlineError, OSError):
    status = -7


_BY_STATUS = {cls.status: cls for cls in (InvalidArgumentError, NotFoundError, AlreadyExistsError,
                                          IllegalStateError, FullError, PermissionDeniedError,
                                          StorageError)}


def error_for(status: int, message: str) -> HotlineError:
    if status == -11:
        return MemoryError(message)  # type: ignore[return-value]
    return _BY_STATUS.get(status, HotlineError)(message, status)
