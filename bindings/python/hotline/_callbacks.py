"""Keeping the ctypes callbacks of a host table alive until the library's destroy.

The library copies a telephony or storage table and calls its slots until it
drops the table, which it says by calling the table's `destroy` slot (version
2 of both tables). Until then the C function pointers must stay valid, so the
ctypes callback objects behind them are held here, not by whichever Python
object installed the table: replacing a switch, or closing the engine, never
frees a callback C may still call.
"""
from __future__ import annotations

import itertools
import threading
from typing import Any, Dict, List

_lock = threading.Lock()
_tokens = itertools.count(1)
_alive: Dict[int, List[Any]] = {}
# Callbacks of tables already destroyed. The destroy callback retiring them is
# itself one of them and still on the stack when it retires them, so they are
# freed at the next hold() rather than from inside it.
_retired: List[List[Any]] = []


def hold(callbacks: List[Any]) -> int:
    """Keeps `callbacks` alive until release(token); returns the token."""
    with _lock:
        _retired.clear()
        token = next(_tokens)
        _alive[token] = callbacks
        return token


def release(token: int) -> None:
    """The library destroyed the table: its callbacks may go (see _retired)."""
    with _lock:
        callbacks = _alive.pop(token, None)
        if callbacks is not None:
            _retired.append(callbacks)


def held(token: int) -> bool:
    """Whether the table with this token is still installed somewhere."""
    with _lock:
        return token in _alive


def release_unused(token: int) -> None:
    """The library refused the table: nothing of it was installed, so no
    destroy will come; its callbacks go now (none of them is running)."""
    with _lock:
        _alive.pop(token, None)
