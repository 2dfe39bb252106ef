"""The telephony interface (sys/telephony.h) implemented in Python.

Subclass Telephony and override the requests your switch carries out; the
engine calls them on the thread that drives it. A method you do not override
stays unset in the C vtable, so its commands wait in Engine.commands().
Return normally when the switch took the request on; raise HotlineError (its
status is passed back) or any other exception (passed back as HL_EUSER, and
printed) when it could not: the engine then takes the safe path and sends a
"host_error" notification. Nothing a method raises unwinds into C.

When the engine lets go of the switch (another one installed, the telephony
removed, or the engine closed) it calls destroy() once; no other method is
called after that.
"""
from __future__ import annotations

import json
import traceback
from typing import Any, Callable, List, Optional, Tuple, cast

from . import _callbacks, _native
from .errors import HotlineError
from .vocabulary import Mix, Prompt

_EUSER = -9


def _guard(fn: Callable[[], None]) -> int:
    """Runs a Python slot, turning its outcome into the int status C expects."""
    try:
        fn()
        return 0
    except HotlineError as e:
        return int(e.status)
    except BaseException:  # noqa: BLE001 - nothing may unwind into C
        traceback.print_exc()
        return _EUSER


def _s(b: Optional[bytes]) -> str:
    return "" if b is None else b.decode()


def _key(c: bytes) -> str:
    return "" if c in (b"", b"\x00") else c.decode()


class Telephony:
    """A switch's side of the engine: override the requests it carries out.

    Each method gets the call it is about; ring_agent and stop_ringing also
    the reservation to answer with (Engine.agent_answered and friends), and
    host_request the request id to answer with (Engine.host_result).
    """

    def answer(self, call_id: str) -> None:
        """Answer the call."""
        raise NotImplementedError

    def play(self, call_id: str, prompts: List[Prompt], barge_in: bool, loop: bool) -> None:
        """Play prompts; report Engine.prompt_done when they end (not for `loop`)."""
        raise NotImplementedError

    def stop_playback(self, call_id: str) -> None:
        """Stop what is playing to the call."""
        raise NotImplementedError

    def collect_digits(self, call_id: str, min_digits: int, max_digits: int,
                       terminator: str) -> None:
        """Start DTMF detection; each key comes back through Engine.digit."""
        raise NotImplementedError

    def record(self, call_id: str, max_ms: int, finish_key: str) -> None:
        """Record the caller; report Engine.recording_done."""
        raise NotImplementedError

    def transfer(self, call_id: str, target: str) -> None:
        """Send the call to a number or address outside the engine."""
        raise NotImplementedError

    def hangup(self, call_id: str) -> None:
        """Hang up the call."""
        raise NotImplementedError

    def ring_agent(self, call_id: str, agent_id: str, reservation: int) -> None:
        """Offer the call to the agent's phone."""
        raise NotImplementedError

    def stop_ringing(self, call_id: str, agent_id: str, reservation: int) -> None:
        """Stop offering the call to the agent's phone."""
        raise NotImplementedError

    def bridge(self, call_id: str, agent_id: str) -> None:
        """Connect the caller and the agent."""
        raise NotImplementedError

    def host_request(self, request_id: int, kind: str, function: str, args: Any) -> None:
        """The host's own function: `kind` is "lookup", "create_ticket" or
        "register_callback"; answer with Engine.host_result(request_id, ...)."""
        raise NotImplementedError

    # Live call control (docs/call-control.md). A leg is the caller's (named by the
    # call id), an agent's (the agent id) or a dialled number's ("<call_id>:<n>").

    def hold(self, call_id: str, prompts: List[Prompt]) -> None:
        """Take the caller out of the conversation and loop `prompts` to them."""
        raise NotImplementedError

    def resume(self, call_id: str) -> None:
        """Put the caller back into the conversation as the last mix says."""
        raise NotImplementedError

    def dial(self, call_id: str, leg: str, agent_id: Optional[str],
             target: Optional[str]) -> None:
        """Add `leg` to the call: ring agent `agent_id`'s phone (target None) or call
        `target` (agent_id None); report Engine.leg_answered or Engine.leg_ended."""
        raise NotImplementedError

    def hangup_leg(self, call_id: str, leg: str) -> None:
        """Drop that leg from the call."""
        raise NotImplementedError

    def mix(self, call_id: str, mix: Mix) -> None:
        """Who hears whom: for every leg of the call, the legs it hears (it replaces the
        call's previous mix)."""
        raise NotImplementedError

    def record_control(self, call_id: str, action: str) -> None:
        """Start, stop, pause or resume the call's recording (a RecordingAction)."""
        raise NotImplementedError

    def destroy(self) -> None:
        """Called once when the engine drops this switch (replaced, removed, or the
        engine closed); nothing else is called after it. Override to free what the
        switch holds; an exception is printed and swallowed."""


def _overrides(impl: Telephony, name: str) -> bool:
    return getattr(type(impl), name) is not getattr(Telephony, name)


def vtable(impl: Telephony) -> Tuple[_native.CTelephony, int]:
    """The C vtable (version 3) for `impl`: a slot for each method it overrides, NULL
    for the rest, and destroy, which calls impl.destroy().

    The callbacks are held (hotline._callbacks) under the returned token until
    the engine calls destroy; if the engine refuses the table, release them
    with _callbacks.release_unused(token).
    """
    t = _native.CTelephony()
    t.version = _native.TELEPHONY_VERSION
    if _overrides(impl, "answer"):
        t.answer = _native.TEL_CALL(lambda _u, c: _guard(lambda: impl.answer(_s(c))))
    if _overrides(impl, "play"):
        t.play = _native.TEL_PLAY(lambda _u, c, p, b, lp: _guard(
            lambda: impl.play(_s(c), json.loads(_s(p) or "[]"), bool(b), bool(lp))))
    if _overrides(impl, "stop_playback"):
        t.stop_playback = _native.TEL_CALL(
            lambda _u, c: _guard(lambda: impl.stop_playback(_s(c))))
    if _overrides(impl, "collect_digits"):
        t.collect_digits = _native.TEL_COLLECT(lambda _u, c, lo, hi, term: _guard(
            lambda: impl.collect_digits(_s(c), int(lo), int(hi), _key(term))))
    if _overrides(impl, "record"):
        t.record = _native.TEL_RECORD(lambda _u, c, ms, key: _guard(
            lambda: impl.record(_s(c), int(ms), _key(key))))
    if _overrides(impl, "transfer"):
        t.transfer = _native.TEL_TRANSFER(
            lambda _u, c, target: _guard(lambda: impl.transfer(_s(c), _s(target))))
    if _overrides(impl, "hangup"):
        t.hangup = _native.TEL_CALL(lambda _u, c: _guard(lambda: impl.hangup(_s(c))))
    if _overrides(impl, "ring_agent"):
        t.ring_agent = _native.TEL_RING(lambda _u, c, a, r: _guard(
            lambda: impl.ring_agent(_s(c), _s(a), int(r))))
    if _overrides(impl, "stop_ringing"):
        t.stop_ringing = _native.TEL_RING(lambda _u, c, a, r: _guard(
            lambda: impl.stop_ringing(_s(c), _s(a), int(r))))
    if _overrides(impl, "bridge"):
        t.bridge = _native.TEL_BRIDGE(
            lambda _u, c, a: _guard(lambda: impl.bridge(_s(c), _s(a))))
    if _overrides(impl, "host_request"):
        t.host_request = _native.TEL_HOST_REQUEST(lambda _u, rid, kind, fn, args: _guard(
            lambda: impl.host_request(int(rid), _s(kind), _s(fn),
                                      json.loads(_s(args) or "null"))))
    _call_control_slots(impl, t)
    token = 0

    def destroy(_u: Optional[int]) -> None:
        _guard(impl.destroy)
        _callbacks.release(token)

    t.destroy = _native.DESTROY(destroy)
    # The structure holds the callback objects assigned to it (its _objects).
    token = _callbacks.hold([t])
    return t, token


def _opt(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else b.decode()


def _call_control_slots(impl: Telephony, t: _native.CTelephony) -> None:
    """The version 3 slots for the methods `impl` overrides."""
    if _overrides(impl, "hold"):
        t.hold = _native.TEL_CALL_TEXT(lambda _u, c, p: _guard(
            lambda: impl.hold(_s(c), json.loads(_s(p) or "[]"))))
    if _overrides(impl, "resume"):
        t.resume = _native.TEL_CALL(lambda _u, c: _guard(lambda: impl.resume(_s(c))))
    if _overrides(impl, "dial"):
        t.dial = _native.TEL_DIAL(lambda _u, c, leg, a, target: _guard(
            lambda: impl.dial(_s(c), _s(leg), _opt(a), _opt(target))))
    if _overrides(impl, "hangup_leg"):
        t.hangup_leg = _native.TEL_CALL_TEXT(
            lambda _u, c, leg: _guard(lambda: impl.hangup_leg(_s(c), _s(leg))))
    if _overrides(impl, "mix"):
        t.mix = _native.TEL_CALL_TEXT(lambda _u, c, m: _guard(
            lambda: impl.mix(_s(c), cast(Mix, json.loads(_s(m) or "{}")))))
    if _overrides(impl, "record_control"):
        t.record_control = _native.TEL_CALL_TEXT(
            lambda _u, c, action: _guard(lambda: impl.record_control(_s(c), _s(action))))
