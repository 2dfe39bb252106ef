"""The storage interface (sys/storage.h) implemented in Python.

A host that keeps tickets and customers in a database of its own subclasses
HostStorage and opens a Store over it with Store.over(storage). Hotline keeps
opaque JSON records by kind and id in it, inside transactions, and answers
queries by scanning a kind. A method that raises makes the operation fail
with that error (HotlineError's status, otherwise HL_EIO) and Hotline rolls
the transaction back; nothing unwinds into C.

The same storage can keep the tickets the IVR opens (Engine.use_host_storage).
When Hotline lets go of it (the Store closes, the engine is closed or given
another store) it calls close() and then destroy(), once each.
"""
from __future__ import annotations

import traceback
from typing import Callable, Iterable, Optional, Tuple

from . import _callbacks, _native
from .errors import HotlineError

_EIO = -7


def _guard(fn: Callable[[], None]) -> int:
    try:
        fn()
        return 0
    except HotlineError as e:
        return int(e.status)
    except BaseException:  # noqa: BLE001 - nothing may unwind into C
        traceback.print_exc()
        return _EIO


class HostStorage:
    """Records by (kind, id), with transactions: override every method but close."""

    def begin(self) -> None:
        """Start a transaction: what follows is kept only if commit() is called."""
        raise NotImplementedError

    def commit(self) -> None:
        """Keep everything since begin()."""
        raise NotImplementedError

    def rollback(self) -> None:
        """Drop everything since begin()."""
        raise NotImplementedError

    def put(self, kind: str, record_id: int, record: str) -> None:
        """Insert or replace the record of `kind` with `record_id`, stored as given."""
        raise NotImplementedError

    def get(self, kind: str, record_id: int) -> Optional[str]:
        """The record of `kind` with `record_id`, unchanged, or None."""
        raise NotImplementedError

    def scan(self, kind: str) -> Iterable[Tuple[int, str]]:
        """Every (id, record) of `kind`, in any order."""
        raise NotImplementedError

    def close(self) -> None:
        """Called once when Hotline is done with the storage (the Store over it
        closes, or the engine using it drops it)."""

    def destroy(self) -> None:
        """Called once after close(), when Hotline drops the storage; nothing else is
        called after it. Override to free what the storage holds."""


def vtable(impl: HostStorage) -> Tuple[_native.CStorage, int]:
    """The C vtable (version 2) for `impl`, and the token its callbacks are held under
    (hotline._callbacks) until Hotline calls destroy; if Hotline refuses the table,
    release them with _callbacks.release_unused(token)."""

    def get(_u: Optional[int], kind: bytes, rid: int, found: Callable[..., int],
            ctx: Optional[int]) -> int:
        def run() -> None:
            record = impl.get(kind.decode(), int(rid))
            if record is not None:
                found(ctx, rid, record.encode())
        return _guard(run)

    def scan(_u: Optional[int], kind: bytes, visit: Callable[..., int],
             ctx: Optional[int]) -> int:
        def run() -> None:
            for rid, record in impl.scan(kind.decode()):
                if visit(ctx, rid, record.encode()) != 0:
                    return
        return _guard(run)

    def rollback(_u: Optional[int]) -> None:
        _guard(impl.rollback)

    def close(_u: Optional[int]) -> None:
        _guard(impl.close)

    s = _native.CStorage()
    s.version = _native.STORAGE_VERSION
    s.begin = _native.STORAGE_TXN(lambda _u: _guard(impl.begin))
    s.commit = _native.STORAGE_TXN(lambda _u: _guard(impl.commit))
    s.rollback = _native.STORAGE_VOID(rollback)
    s.put = _native.STORAGE_PUT(lambda _u, kind, rid, rec: _guard(
        lambda: impl.put(kind.decode(), int(rid), rec.decode())))
    s.get = _native.STORAGE_GET(get)
    s.scan = _native.STORAGE_SCAN(scan)
    s.close = _native.STORAGE_VOID(close)
    token = 0

    def destroy(_u: Optional[int]) -> None:
        _guard(impl.destroy)
        _callbacks.release(token)

    s.destroy = _native.DESTROY(destroy)
    # The structure holds the callback objects assigned to it (its _objects).
    token = _callbacks.hold([s])
    return s, token
