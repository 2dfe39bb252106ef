"""Hotline, an embeddable contact-center engine, from Python (over its C ABI)."""
from ._native import lib as _lib
from .engine import Engine
from .store import Store
from .errors import (AlreadyExistsError, FullError, HotlineError, IllegalStateError,
                     InvalidArgumentError, NotFoundError, PermissionDeniedError, StorageError)


def version() -> str:
    """The version of the loaded libhotline."""
    return _lib.hl_version().decode()


__all__ = ["Engine", "Store", "version", "HotlineError", "InvalidArgumentError", "NotFoundError",
           "AlreadyExistsError", "IllegalStateError", "FullError", "PermissionDeniedError",
           "StorageError"]
