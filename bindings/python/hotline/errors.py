"""Exceptions mapped from Hotline's status codes (common.h)."""
from __future__ import annotations

from typing import Dict, Optional, Type


class HotlineError(Exception):
    """A call into Hotline failed; `status` is the C status code, the message the library's."""

    status = -10

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        """An error with the library's message and, when given, its status."""
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgumentError(HotlineError, ValueError):
    """HL_EINVAL: malformed input (bad JSON, expression or value), with where."""
    status = -1


class NotFoundError(HotlineError, KeyError):
    """HL_ENOTFOUND: an unknown id."""
    status = -2

    def __str__(self) -> str:
        """The message as is (KeyError would quote it)."""
        return str(self.args[0])


class AlreadyExistsError(HotlineError):
    """HL_EEXISTS: a duplicate id."""
    status = -3


class IllegalStateError(HotlineError):
    """HL_ESTATE: a transition the state machine does not allow."""
    status = -4


class FullError(HotlineError):
    """HL_EFULL: a capacity or length limit refused the request."""
    status = -5


class PermissionDeniedError(HotlineError, PermissionError):
    """HL_EPERM: the actor's role may not do this."""
    status = -6


class StorageError(HotlineError, OSError):
    """HL_EIO: storage or host I/O failed."""
    status = -7


class BusyError(HotlineError):
    """HL_EBUSY: the resource is locked; retry later."""
    status = -8


class AbortedByHostError(HotlineError):
    """HL_EUSER: a host callback aborted the operation."""
    status = -9


_BY_STATUS: Dict[int, Type[HotlineError]] = {
    cls.status: cls for cls in (InvalidArgumentError, NotFoundError, AlreadyExistsError,
                                IllegalStateError, FullError, PermissionDeniedError,
                                StorageError, BusyError, AbortedByHostError)}


def error_for(status: int, message: str) -> Exception:
    """The exception for a status: a HotlineError subclass, MemoryError for HL_ENOMEM."""
    if status == -11:
        return MemoryError(message)
    return _BY_STATUS.get(status, HotlineError)(message, status)
