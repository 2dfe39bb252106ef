"""The engine: events in, commands and notifications out."""
from __future__ import annotations

import ctypes
import json
import traceback
from typing import Any, Callable, Iterator, Mapping, Optional

from ._native import LISTENER, CallInfo, c_error_p, lib
from .errors import error_for

_NOT_FOUND = -2


def _b(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else s.encode()


class Engine:
    """A Hotline engine, stepped by the caller's clock (milliseconds).

    Use it as a context manager, or call close(). Commands and notifications
    are read with commands() and notifications(); each is a dict.
    """

    def __init__(self, config: Mapping[str, Any] | str, now_ms: int = 0) -> None:
        text = config if isinstance(config, str) else json.dumps(config)
        handle = ctypes.c_void_p()
        self._handle: Optional[ctypes.c_void_p] = None
        self._listener = None  # the C callback object, kept alive while C may call it
        self._call(lib.hl_engine_create, ctypes.byref(handle), text.encode(), now_ms)
        self._handle = handle

    # -- lifecycle -------------------------------------------------------

    def close(self) -> None:
        if self._handle is not None:
            lib.hl_engine_destroy(self._handle)
            self._handle = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _call(self, fn, *args) -> None:
        err = c_error_p()
        status = fn(*args, ctypes.byref(err))
        if status != 0:
            message = lib.hl_error_message(err).decode() if err else lib.hl_status_str(status).decode()
            lib.hl_error_free(err)
            raise error_for(status, message)

    def _h(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise error_for(-1, "the engine is closed")
        return self._handle

    # -- agents ----------------------------------------------------------

    def agent_login(self, agent_id: str, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_login, self._h(), agent_id.encode(), now_ms)

    def agent_logout(self, agent_id: str, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_logout, self._h(), agent_id.encode(), now_ms)

    def agent_ready(self, agent_id: str, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_ready, self._h(), agent_id.encode(), now_ms)

    def agent_not_ready(self, agent_id: str, reason: str, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_not_ready, self._h(), agent_id.encode(), reason.encode(), now_ms)

    # -- calls -----------------------------------------------------------

    def call_arrived(self, call_id: str, now_ms: int, *, caller: str = "", dialled: str = "",
                     flow: Optional[str] = None, queue: Optional[str] = None,
                     customer: Optional[Mapping[str, Any]] = None) -> None:
        info = CallInfo(ctypes.sizeof(CallInfo), call_id.encode(), caller.encode(),
                        dialled.encode(), _b(flow), _b(queue),
                        None if customer is None else json.dumps(customer).encode())
        self._call(lib.hl_engine_call_arrived, self._h(), ctypes.byref(info), now_ms)

    def digit(self, call_id: str, key: str, now_ms: int) -> None:
        if len(key) != 1:
            raise error_for(-1, "a digit is one key")
        self._call(lib.hl_engine_digit, self._h(), call_id.encode(), key.encode(), now_ms)

    def prompt_done(self, call_id: str, now_ms: int) -> None:
        self._call(lib.hl_engine_prompt_done, self._h(), call_id.encode(), now_ms)

    def recording_done(self, call_id: str, recording: str, now_ms: int) -> None:
        self._call(lib.hl_engine_recording_done, self._h(), call_id.encode(), recording.encode(), now_ms)

    def host_result(self, request_id: int, ok: bool, result: Any, now_ms: int) -> None:
        self._call(lib.hl_engine_host_result, self._h(), request_id, int(ok),
                   json.dumps(result).encode(), now_ms)

    def call_hung_up(self, call_id: str, now_ms: int) -> None:
        self._call(lib.hl_engine_call_hung_up, self._h(), call_id.encode(), now_ms)

    def agent_answered(self, reservation: int, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_answered, self._h(), reservation, now_ms)

    def agent_rejected(self, reservation: int, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_rejected, self._h(), reservation, now_ms)

    def agent_no_answer(self, reservation: int, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_no_answer, self._h(), reservation, now_ms)

    def agent_hung_up(self, call_id: str, now_ms: int) -> None:
        self._call(lib.hl_engine_agent_hung_up, self._h(), call_id.encode(), now_ms)

    def transfer(self, call_id: str, queue_id: str, now_ms: int) -> None:
        """The agent hands the caller to another queue."""
        self._call(lib.hl_engine_transfer, self._h(), call_id.encode(), queue_id.encode(), now_ms)

    # -- configuration while running -------------------------------------

    def set_queue(self, queue: Mapping[str, Any]) -> None:
        self._call(lib.hl_engine_set_queue, self._h(), json.dumps(queue).encode())

    def remove_queue(self, queue_id: str) -> None:
        self._call(lib.hl_engine_remove_queue, self._h(), queue_id.encode())

    def set_agent(self, agent: Mapping[str, Any], now_ms: int) -> None:
        self._call(lib.hl_engine_set_agent, self._h(), json.dumps(agent).encode(), now_ms)

    def remove_agent(self, agent_id: str) -> None:
        self._call(lib.hl_engine_remove_agent, self._h(), agent_id.encode())

    def load_flow(self, flow: Mapping[str, Any]) -> None:
        self._call(lib.hl_engine_load_flow, self._h(), json.dumps(flow).encode())

    def wrap_up_done(self, call_id: str, now_ms: int) -> None:
        self._call(lib.hl_engine_wrap_up_done, self._h(), call_id.encode(), now_ms)

    # -- time and outputs ------------------------------------------------

    def next_deadline(self) -> Optional[int]:
        out = ctypes.c_int64()
        status = lib.hl_engine_next_deadline(self._h(), ctypes.byref(out))
        if status != 0:
            raise error_for(status, lib.hl_status_str(status).decode())
        return None if out.value == 2**63 - 1 else out.value

    def advance(self, now_ms: int) -> None:
        self._call(lib.hl_engine_advance, self._h(), now_ms)

    def _drain(self, fn) -> Iterator[dict]:
        while True:
            ptr = ctypes.c_void_p()
            status = fn(self._h(), ctypes.byref(ptr))
            if status == _NOT_FOUND:
                return
            if status != 0:
                raise error_for(status, lib.hl_status_str(status).decode())
            try:
                text = ctypes.string_at(ptr).decode()
            finally:
                lib.hl_free(ptr)
            yield json.loads(text)

    def commands(self) -> Iterator[dict]:
        """Pending commands, oldest first (telephony and host requests)."""
        return self._drain(lib.hl_engine_poll_command)

    def notifications(self) -> Iterator[dict]:
        """Pending notifications, oldest first."""
        return self._drain(lib.hl_engine_poll_notification)

    # -- running on a loop -----------------------------------------------

    def on_notification(self, fn: Optional[Callable[[dict], None]]) -> None:
        """Calls `fn(notification)` for each notification instead of queuing it.

        The callback runs on the thread that drives the engine; an exception
        it raises is printed and swallowed, never thrown through C.
        """
        if fn is None:
            lib.hl_engine_set_listener(self._h(), LISTENER(), None)
            self._listener = None
            return

        def trampoline(_user: Optional[int], text: bytes) -> None:
            try:
                fn(json.loads(text.decode()))
            except Exception:  # noqa: BLE001 - nothing may unwind into C
                traceback.print_exc()

        callback = LISTENER(trampoline)
        status = lib.hl_engine_set_listener(self._h(), callback, None)
        if status != 0:
            raise error_for(status, "could not set the listener")
        self._listener = callback

    def run(self) -> None:
        """Runs the engine on a libuv loop of its own until stop()."""
        self._call(lib.hl_engine_run, self._h())

    def stop(self) -> None:
        """Makes run() return; safe from any thread and from callbacks."""
        status = lib.hl_engine_stop(self._h())
        if status != 0:
            raise error_for(status, "the engine is not running")

    def post(self, event: str, **fields: Any) -> None:
        """Hands an event to the running loop from any thread, e.g.
        post("digit", call_id="c1", digit="5")."""
        self._call(lib.hl_engine_post, self._h(), json.dumps({"event": event, **fields}).encode())

    def use_store(self, **config: Any) -> None:
        """Tickets the IVR opens go to this store (written off the loop thread)."""
        self._call(lib.hl_engine_use_store, self._h(), json.dumps(config).encode())

    def stats(self, now_ms: Optional[int] = None) -> dict:
        """Queues (waiting, longest wait, today's KPIs) and agents (state)."""
        out = ctypes.c_void_p()
        when = lib.hl_engine_now() if now_ms is None else now_ms
        self._call(lib.hl_engine_stats, self._h(), when, ctypes.byref(out))
        try:
            return json.loads(ctypes.string_at(out.value).decode())
        finally:
            lib.hl_free(out)

    @staticmethod
    def now() -> int:
        """The clock the loop goes by, in epoch milliseconds."""
        return int(lib.hl_engine_now())
