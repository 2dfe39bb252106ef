"""The engine: events in, commands and notifications out (engine.h, runtime.h)."""
from __future__ import annotations

import ctypes
import json
import traceback
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Union, cast

from . import _callbacks
from . import host_storage as _host_storage
from . import telephony as _telephony
from ._native import (INTERVALS_AGENTS, INTERVALS_QUEUES, LISTENER, NO_DEADLINE, NOT_FOUND,
                      TIME_ENGINE, CallInfo, CCommand, CIntervalQuery, call, lib, raise_for,
                      text)
from .commands import TypedCommand
from .contact import Contact, contact_struct
from .errors import error_for
from .events import TypedEvent, event_struct
from .vocabulary import Command, Event, EventKind, Notification, Stats

Json = Mapping[str, Any]


class Engine:
    """A Hotline engine, stepped by the caller's clock (milliseconds).

    Use it as a context manager, or call close(). Commands and notifications
    are read with commands() and notifications() (typed dicts, see
    hotline.vocabulary), or handed to a Telephony object and a callback.
    """

    def __init__(self, config: Union[Json, str], now_ms: int = 0) -> None:
        """Creates an engine from its configuration ({"queues", "agents", "flows",
        "calendars"}), as a mapping or JSON text (hl_engine_create)."""
        source = config if isinstance(config, str) else json.dumps(config)
        handle = ctypes.c_void_p()
        self._handle: Optional[ctypes.c_void_p] = None
        # C callbacks and the vtable they live in, kept alive while C may call them.
        self._listener: Optional[Any] = None
        self._telephony: Optional[_telephony.Telephony] = None
        call(lib.hl_engine_create, ctypes.byref(handle), source.encode(), now_ms)
        self._handle = handle

    # -- lifecycle -------------------------------------------------------

    def close(self) -> None:
        """Destroys the engine (hl_engine_destroy); later calls raise."""
        if self._handle is not None:
            lib.hl_engine_destroy(self._handle)
            self._handle = None

    def __enter__(self) -> "Engine":
        """The engine itself, closed when the block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Closes the engine."""
        self.close()

    def __del__(self) -> None:
        """Closes the engine if the caller did not."""
        self.close()

    def _h(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise error_for(-1, "the engine is closed")
        return self._handle

    # -- configuration while running -------------------------------------

    def set_queue(self, queue: Json) -> None:
        """Adds a queue, or replaces the one with its id (hl_engine_set_queue)."""
        call(lib.hl_engine_set_queue, self._h(), json.dumps(queue).encode())

    def remove_queue(self, queue_id: str) -> None:
        """Removes a queue (hl_engine_remove_queue)."""
        call(lib.hl_engine_remove_queue, self._h(), queue_id.encode())

    def set_agent(self, agent: Json, now_ms: int) -> None:
        """Adds an agent, or replaces the one with its id (hl_engine_set_agent)."""
        call(lib.hl_engine_set_agent, self._h(), json.dumps(agent).encode(), now_ms)

    def remove_agent(self, agent_id: str) -> None:
        """Removes a logged-out agent (hl_engine_remove_agent)."""
        call(lib.hl_engine_remove_agent, self._h(), agent_id.encode())

    def load_flow(self, flow: Json) -> None:
        """Adds an IVR flow, or replaces it for new calls (hl_engine_load_flow)."""
        call(lib.hl_engine_load_flow, self._h(), json.dumps(flow).encode())

    # -- agents ----------------------------------------------------------

    def agent_login(self, agent_id: str, now_ms: int) -> None:
        """The agent logs in (hl_engine_agent_login)."""
        call(lib.hl_engine_agent_login, self._h(), agent_id.encode(), now_ms)

    def agent_logout(self, agent_id: str, now_ms: int) -> None:
        """The agent logs out (hl_engine_agent_logout)."""
        call(lib.hl_engine_agent_logout, self._h(), agent_id.encode(), now_ms)

    def agent_ready(self, agent_id: str, now_ms: int) -> None:
        """The agent is ready for contacts (hl_engine_agent_ready)."""
        call(lib.hl_engine_agent_ready, self._h(), agent_id.encode(), now_ms)

    def agent_not_ready(self, agent_id: str, reason: str, now_ms: int) -> None:
        """The agent takes a break, with a reason (hl_engine_agent_not_ready)."""
        call(lib.hl_engine_agent_not_ready, self._h(), agent_id.encode(), reason.encode(),
             now_ms)

    # -- contacts and typed events ----------------------------------------

    def contact_arrived(self, contact: Contact, now_ms: int) -> None:
        """A contact of any channel arrives, with its priority, skills, attributes,
        preferred agent and customer (hl_engine_contact_arrived)."""
        c, _buffers = contact_struct(contact)
        call(lib.hl_engine_contact_arrived, self._h(), ctypes.byref(c), now_ms)

    def apply_event(self, event: TypedEvent, now_ms: int) -> None:
        """Applies a typed event at once, on the calling thread (hl_engine_apply_event)."""
        e, _buffers = event_struct(event)
        call(lib.hl_engine_apply_event, self._h(), ctypes.byref(e), now_ms)

    # -- calls -----------------------------------------------------------

    def call_arrived(self, call_id: str, now_ms: int, *, caller: str = "", dialled: str = "",
                     flow: Optional[str] = None, queue: Optional[str] = None,
                     customer: Optional[Json] = None) -> None:
        """A call arrives: into IVR `flow`, or straight into `queue`, with the customer
        the host resolved (hl_engine_call_arrived)."""
        info = CallInfo(ctypes.sizeof(CallInfo), call_id.encode(), caller.encode(),
                        dialled.encode(), text(flow), text(queue),
                        None if customer is None else json.dumps(customer).encode())
        call(lib.hl_engine_call_arrived, self._h(), ctypes.byref(info), now_ms)

    def digit(self, call_id: str, key: str, now_ms: int) -> None:
        """The caller pressed a key (hl_engine_digit)."""
        if len(key) != 1:
            raise error_for(-1, f"digit: a digit is one key, not {key!r}")
        call(lib.hl_engine_digit, self._h(), call_id.encode(), key.encode(), now_ms)

    def prompt_done(self, call_id: str, now_ms: int) -> None:
        """The prompts of the last play command ended (hl_engine_prompt_done)."""
        call(lib.hl_engine_prompt_done, self._h(), call_id.encode(), now_ms)

    def recording_done(self, call_id: str, recording: str, now_ms: int) -> None:
        """The recording the engine asked for ended, kept at `recording`
        (hl_engine_recording_done)."""
        call(lib.hl_engine_recording_done, self._h(), call_id.encode(), recording.encode(),
             now_ms)

    def host_result(self, request_id: int, ok: bool, result: Any, now_ms: int) -> None:
        """The answer to a host request (lookup, create_ticket, register_callback)
        (hl_engine_host_result)."""
        call(lib.hl_engine_host_result, self._h(), request_id, int(ok),
             json.dumps(result).encode(), now_ms)

    def call_hung_up(self, call_id: str, now_ms: int) -> None:
        """The caller hung up (hl_engine_call_hung_up)."""
        call(lib.hl_engine_call_hung_up, self._h(), call_id.encode(), now_ms)

    def agent_answered(self, reservation: int, now_ms: int) -> None:
        """The agent picked up the offer (hl_engine_agent_answered)."""
        call(lib.hl_engine_agent_answered, self._h(), reservation, now_ms)

    def agent_rejected(self, reservation: int, now_ms: int) -> None:
        """The agent declined the offer (hl_engine_agent_rejected)."""
        call(lib.hl_engine_agent_rejected, self._h(), reservation, now_ms)

    def agent_no_answer(self, reservation: int, now_ms: int) -> None:
        """The agent's phone rang out (hl_engine_agent_no_answer)."""
        call(lib.hl_engine_agent_no_answer, self._h(), reservation, now_ms)

    def agent_hung_up(self, call_id: str, now_ms: int) -> None:
        """The agent ended the call; wrap-up starts (hl_engine_agent_hung_up)."""
        call(lib.hl_engine_agent_hung_up, self._h(), call_id.encode(), now_ms)

    def transfer(self, call_id: str, queue_id: str, now_ms: int) -> None:
        """The agent hands the caller to another queue (hl_engine_transfer)."""
        call(lib.hl_engine_transfer, self._h(), call_id.encode(), queue_id.encode(), now_ms)

    def wrap_up_done(self, call_id: str, now_ms: int) -> None:
        """The agent finished wrap-up early (hl_engine_wrap_up_done)."""
        call(lib.hl_engine_wrap_up_done, self._h(), call_id.encode(), now_ms)

    # -- live call control (docs/call-control.md) --------------------------
    # A party is an agent (`agent_id`) or an outside number or URI (`target`).

    def hold(self, call_id: str, now_ms: int) -> None:
        """The agent puts the caller on hold (hl_engine_hold)."""
        call(lib.hl_engine_hold, self._h(), call_id.encode(), now_ms)

    def resume(self, call_id: str, now_ms: int) -> None:
        """The caller comes back from hold (hl_engine_resume)."""
        call(lib.hl_engine_resume, self._h(), call_id.encode(), now_ms)

    def consult(self, call_id: str, now_ms: int, *, agent_id: Optional[str] = None,
                target: Optional[str] = None, queue_id: Optional[str] = None) -> None:
        """The agent reaches another party while the caller holds (hl_engine_consult): an
        agent, a number, or the next agent of a queue (hl_engine_consult_queue)."""
        if queue_id is not None:
            if agent_id is not None or target is not None:
                raise ValueError("consult: exactly one of agent_id, target or queue_id")
            call(lib.hl_engine_consult_queue, self._h(), call_id.encode(), queue_id.encode(),
                 now_ms)
            return
        call(lib.hl_engine_consult, self._h(), call_id.encode(), text(agent_id), text(target),
             now_ms)

    def leg_answered(self, call_id: str, leg: str, now_ms: int) -> None:
        """A leg the engine dialled answered (hl_engine_leg_answered)."""
        call(lib.hl_engine_leg_answered, self._h(), call_id.encode(), leg.encode(), now_ms)

    def leg_ended(self, call_id: str, leg: str, now_ms: int) -> None:
        """A leg of the call failed or hung up (hl_engine_leg_ended)."""
        call(lib.hl_engine_leg_ended, self._h(), call_id.encode(), leg.encode(), now_ms)

    def transfer_complete(self, call_id: str, now_ms: int) -> None:
        """The caller goes to the consulted party (hl_engine_transfer_complete)."""
        call(lib.hl_engine_transfer_complete, self._h(), call_id.encode(), now_ms)

    def consult_cancel(self, call_id: str, now_ms: int) -> None:
        """The agent goes back to the held caller (hl_engine_consult_cancel)."""
        call(lib.hl_engine_consult_cancel, self._h(), call_id.encode(), now_ms)

    def conference(self, call_id: str, now_ms: int) -> None:
        """Caller, agent and consulted party together (hl_engine_conference)."""
        call(lib.hl_engine_conference, self._h(), call_id.encode(), now_ms)

    def conference_add(self, call_id: str, now_ms: int, *, agent_id: Optional[str] = None,
                       target: Optional[str] = None) -> None:
        """Dials another party into the conversation (hl_engine_conference_add)."""
        call(lib.hl_engine_conference_add, self._h(), call_id.encode(), text(agent_id),
             text(target), now_ms)

    def conference_drop(self, call_id: str, leg: str, now_ms: int) -> None:
        """Drops a leg from the conference (hl_engine_conference_drop)."""
        call(lib.hl_engine_conference_drop, self._h(), call_id.encode(), leg.encode(), now_ms)

    def mute(self, call_id: str, leg: str, muted: bool, now_ms: int) -> None:
        """Nobody hears the leg while muted (hl_engine_mute)."""
        call(lib.hl_engine_mute, self._h(), call_id.encode(), leg.encode(), int(muted), now_ms)

    def blind_transfer(self, call_id: str, now_ms: int, *, agent_id: Optional[str] = None,
                       target: Optional[str] = None) -> None:
        """The caller goes to an agent or a number without a consultation
        (hl_engine_blind_transfer)."""
        call(lib.hl_engine_blind_transfer, self._h(), call_id.encode(), text(agent_id),
             text(target), now_ms)

    def wrap_up_code(self, call_id: str, code: str, now_ms: int) -> None:
        """The call's disposition (hl_engine_wrap_up_code)."""
        call(lib.hl_engine_wrap_up_code, self._h(), call_id.encode(), code.encode(), now_ms)

    def supervise(self, call_id: str, supervisor: str, mode: str, now_ms: int, *,
                  leg: Optional[str] = None) -> None:
        """A supervisor joins the call as `mode` (a SupervisionMode); `leg` names the leg
        they already called in on, else the engine dials them (hl_engine_supervise)."""
        call(lib.hl_engine_supervise, self._h(), call_id.encode(), supervisor.encode(),
             mode.encode(), text(leg), now_ms)

    def force_release(self, call_id: str, supervisor: str, now_ms: int) -> None:
        """A supervisor hangs the call up (hl_engine_force_release)."""
        call(lib.hl_engine_force_release, self._h(), call_id.encode(), supervisor.encode(),
             now_ms)

    def force_not_ready(self, agent_id: str, supervisor: str, now_ms: int,
                        reason: Optional[str] = None) -> None:
        """A supervisor sets the agent not ready (hl_engine_force_not_ready)."""
        call(lib.hl_engine_force_not_ready, self._h(), agent_id.encode(), supervisor.encode(),
             text(reason), now_ms)

    def force_logout(self, agent_id: str, supervisor: str, now_ms: int) -> None:
        """A supervisor logs the agent out (hl_engine_force_logout)."""
        call(lib.hl_engine_force_logout, self._h(), agent_id.encode(), supervisor.encode(),
             now_ms)

    def recording_control(self, call_id: str, action: str, now_ms: int) -> None:
        """Starts, stops, pauses or resumes the call's recording (a RecordingAction)
        (hl_engine_recording_control)."""
        call(lib.hl_engine_recording_control, self._h(), call_id.encode(), action.encode(),
             now_ms)

    # -- time and outputs ------------------------------------------------

    def next_deadline(self) -> Optional[int]:
        """When advance() is due next, or None (hl_engine_next_deadline)."""
        out = ctypes.c_int64()
        raise_for(int(lib.hl_engine_next_deadline(self._h(), ctypes.byref(out))))
        return None if out.value == NO_DEADLINE else int(out.value)

    def advance(self, now_ms: int) -> None:
        """Fires what is due by `now_ms` (hl_engine_advance)."""
        call(lib.hl_engine_advance, self._h(), now_ms)

    def _drain(self, poll: Callable[..., int]) -> Iterator[Any]:
        while True:
            ptr = ctypes.c_void_p()
            status = int(poll(self._h(), ctypes.byref(ptr)))
            if status == NOT_FOUND:
                return
            raise_for(status)
            try:
                payload = ctypes.string_at(ptr).decode()
            finally:
                lib.hl_free(ptr)
            yield json.loads(payload)

    def commands(self) -> Iterator[Command]:
        """Pending commands, oldest first, that no Telephony slot took
        (hl_engine_poll_command)."""
        return cast(Iterator[Command], self._drain(lib.hl_engine_poll_command))

    def poll_command(self) -> Optional[TypedCommand]:
        """The oldest pending command, typed, or None when none is pending
        (hl_engine_poll_command_typed); the same queue as commands()."""
        ptr = ctypes.c_void_p()
        status = int(lib.hl_engine_poll_command_typed(self._h(), ctypes.byref(ptr)))
        if status == NOT_FOUND:
            return None
        raise_for(status)
        try:
            return TypedCommand.from_struct(ctypes.cast(ptr, ctypes.POINTER(CCommand)).contents)
        finally:
            lib.hl_free(ptr)

    def typed_commands(self) -> Iterator[TypedCommand]:
        """Pending commands, oldest first, typed (hl_engine_poll_command_typed)."""
        while True:
            command = self.poll_command()
            if command is None:
                return
            yield command

    def call_context(self, call_id: str) -> Json:
        """The screen pop of a live call: the object its ring_agent command carries in
        `args` (caller, dialled, queue_id, customer, ivr_path, digits, and open_tickets
        with a store), for a switch whose ring_agent method has no room for it; callable
        from inside a Telephony method (hl_engine_call_context). NotFoundError for a
        call the engine does not hold."""
        out = ctypes.c_void_p()
        call(lib.hl_engine_call_context, self._h(), call_id.encode(), ctypes.byref(out))
        try:
            return cast(Json, json.loads(ctypes.string_at(out).decode()))
        finally:
            lib.hl_free(out)

    def notifications(self) -> Iterator[Notification]:
        """Pending notifications, oldest first, when no callback is set
        (hl_engine_poll_notification)."""
        return cast(Iterator[Notification], self._drain(lib.hl_engine_poll_notification))

    # -- the host's switch -----------------------------------------------

    def set_telephony(self, switch: Optional[_telephony.Telephony]) -> None:
        """Hands commands to `switch` as they are emitted, each to the method of its
        kind (hl_engine_set_telephony); None goes back to polling. The switch that was
        installed before gets its destroy() call."""
        if switch is None:
            call(lib.hl_engine_set_telephony, self._h(), None)
            self._telephony = None
            return
        table, token = _telephony.vtable(switch)
        try:
            call(lib.hl_engine_set_telephony, self._h(), ctypes.byref(table))
        except BaseException:
            _callbacks.release_unused(token)  # refused: the engine never calls it
            raise
        self._telephony = switch

    # -- running on a loop -----------------------------------------------

    def on_notification(self, fn: Optional[Callable[[Notification], None]]) -> None:
        """Calls `fn(notification)` for each notification instead of queuing it
        (hl_engine_set_listener); None goes back to polling.

        The callback runs on the thread that drives the engine; an exception
        it raises is printed and swallowed, never thrown through C.
        """
        if fn is None:
            raise_for(int(lib.hl_engine_set_listener(self._h(), LISTENER(), None)))
            self._listener = None
            return

        def trampoline(_user: Optional[int], payload: bytes) -> None:
            try:
                fn(cast(Notification, json.loads(payload.decode())))
            except Exception:  # noqa: BLE001 - nothing may unwind into C
                traceback.print_exc()

        callback = LISTENER(trampoline)
        raise_for(int(lib.hl_engine_set_listener(self._h(), callback, None)))
        self._listener = callback

    def run(self) -> None:
        """Runs the engine on a libuv loop of its own until stop() (hl_engine_run)."""
        call(lib.hl_engine_run, self._h())

    def stop(self) -> None:
        """Makes run() return, or an attached loop let go; safe from any thread and
        from callbacks (hl_engine_stop)."""
        raise_for(int(lib.hl_engine_stop(self._h())))

    def attach(self, uv_loop: int) -> None:
        """Joins the host's libuv loop, given as the address of its uv_loop_t, on the
        loop's thread (hl_engine_attach). Detach before the loop closes."""
        call(lib.hl_engine_attach, self._h(), ctypes.c_void_p(uv_loop))

    def detach(self) -> None:
        """Leaves the loop joined with attach() (hl_engine_detach); run the loop once
        more so libuv can close the engine's handles."""
        raise_for(int(lib.hl_engine_detach(self._h())))

    def post(self, event: Union[EventKind, str], **fields: Any) -> None:
        """Hands an event to the running loop from any thread (hl_engine_post), e.g.
        post(EventKind.DIGIT, call_id="c1", digit="5")."""
        name = event.value if isinstance(event, EventKind) else event
        self.post_event(cast(Event, {"event": name, **fields}))

    def post_event(self, event: Union[TypedEvent, Event]) -> None:
        """Hands an event to the running loop from any thread: a typed event
        (hotline.events) through hl_engine_post_event, an Event mapping as JSON
        through hl_engine_post. Either is checked before it is queued."""
        if isinstance(event, Mapping):
            call(lib.hl_engine_post, self._h(), json.dumps(event).encode())
            return
        e, _buffers = event_struct(event)
        call(lib.hl_engine_post_event, self._h(), ctypes.byref(e))

    def use_store(self, **config: Any) -> None:
        """Tickets the IVR opens go to a store of the engine's own with this
        configuration, written off the loop thread (hl_engine_use_store)."""
        call(lib.hl_engine_use_store, self._h(), json.dumps(config).encode())

    def use_host_storage(self, storage: _host_storage.HostStorage, **config: Any) -> None:
        """Tickets the IVR opens go into the host's `storage`, written off the loop
        thread, one at a time (hl_engine_use_host_storage); `config` as for
        Store.over. Only with a loop (run() or attach()). The storage held before
        (host or built-in) is closed; a host storage then gets close() and destroy()."""
        table, token = _host_storage.vtable(storage)
        try:
            call(lib.hl_engine_use_host_storage, self._h(), ctypes.byref(table),
                 json.dumps(config).encode() if config else None)
        except BaseException:
            _callbacks.release_unused(token)  # refused: the engine never calls it
            raise

    def stats(self, now_ms: Optional[int] = None) -> Stats:
        """Queues (waiting, longest wait, today's offered, answered, abandoned, refused
        and KPIs) and agents (state, handled) at `now_ms`, by default the engine's own
        time, its latest event or advance, so a virtual clock never meets the wall
        clock (hl_engine_stats with HL_TIME_ENGINE)."""
        out = ctypes.c_void_p()
        when = TIME_ENGINE if now_ms is None else now_ms
        call(lib.hl_engine_stats, self._h(), when, ctypes.byref(out))
        try:
            return cast(Stats, json.loads(ctypes.string_at(out).decode()))
        finally:
            lib.hl_free(out)

    def set_queue_log(self, path: Optional[str]) -> None:
        """Appends the engine's notifications to `path` in Asterisk's queue_log format,
        one flushed line at a time; None stops and closes it (hl_engine_set_queue_log)."""
        call(lib.hl_engine_set_queue_log, self._h(), None if path is None else path.encode())

    def intervals(self, from_ms: int, to_ms: Optional[int] = None, *,
                  interval_minutes: int = 30, queue: Optional[str] = None,
                  agent: Optional[str] = None, queues: bool = True,
                  agents: bool = True) -> Dict[str, Any]:
        """The interval history from the interval holding `from_ms` up to `to_ms`
        (exclusive; by default the engine's own time): per queue, per agent and the
        calls that ended in the IVR, every interval listed, a ratio with nothing to
        measure None (hl_engine_intervals; docs/metrics.md lists the fields)."""
        query = CIntervalQuery(size=ctypes.sizeof(CIntervalQuery), from_ms=from_ms,
                               to_ms=TIME_ENGINE if to_ms is None else to_ms,
                               interval_minutes=interval_minutes,
                               queue_id=None if queue is None else queue.encode(),
                               agent_id=None if agent is None else agent.encode(),
                               include=(INTERVALS_QUEUES if queues else 0)
                               | (INTERVALS_AGENTS if agents else 0))
        out = ctypes.c_void_p()
        call(lib.hl_engine_intervals, self._h(), ctypes.byref(query), ctypes.byref(out))
        try:
            return cast(Dict[str, Any], json.loads(ctypes.string_at(out).decode()))
        finally:
            lib.hl_free(out)

    @staticmethod
    def now() -> int:
        """The clock the loop goes by, in epoch milliseconds (hl_engine_now)."""
        return int(lib.hl_engine_now())
