"""Typed events (hl_event, event.h): one dataclass per kind of docs/events.md.

Give one to Engine.apply_event (on the thread that drives the engine) or
Engine.post_event (from any thread, to the running loop). Each has the
fields docs/events.md lists for its kind, under the same names.
"""
from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Tuple, Union

from ._native import CEvent, lib, text
from .contact import Contact, contact_struct
from .errors import error_for
from .vocabulary import Channel, EventKind


@dataclass(frozen=True)
class CallArrived:
    """A voice call arrives: it runs `flow_id`, or without a flow joins `queue_id`."""
    KIND: ClassVar[EventKind] = EventKind.CALL_ARRIVED
    call_id: str
    caller: Optional[str] = None
    dialled: Optional[str] = None
    flow_id: Optional[str] = None
    queue_id: Optional[str] = None
    customer: Optional[Mapping[str, Any]] = None

    def contact(self) -> Contact:
        """The call as the voice Contact the C event carries."""
        return Contact(self.call_id, Channel.VOICE, customer=self.customer, caller=self.caller,
                       dialled=self.dialled, flow_id=self.flow_id, queue_id=self.queue_id)


@dataclass(frozen=True)
class ContactArrived:
    """A contact of any channel arrives (see Contact)."""
    KIND: ClassVar[EventKind] = EventKind.CONTACT_ARRIVED
    contact: Contact


@dataclass(frozen=True)
class Digit:
    """The caller pressed a key: one of 0-9, * or #."""
    KIND: ClassVar[EventKind] = EventKind.DIGIT
    call_id: str
    digit: str


@dataclass(frozen=True)
class PromptDone:
    """The prompts of the last play command finished."""
    KIND: ClassVar[EventKind] = EventKind.PROMPT_DONE
    call_id: str


@dataclass(frozen=True)
class RecordingDone:
    """The recording the engine asked for ended, kept at `recording`."""
    KIND: ClassVar[EventKind] = EventKind.RECORDING_DONE
    call_id: str
    recording: str


@dataclass(frozen=True)
class HostResult:
    """The answer to a lookup, create_ticket or register_callback command."""
    KIND: ClassVar[EventKind] = EventKind.HOST_RESULT
    request_id: int
    ok: bool
    result: Any = None


@dataclass(frozen=True)
class CallHungUp:
    """The caller left."""
    KIND: ClassVar[EventKind] = EventKind.CALL_HUNG_UP
    call_id: str


@dataclass(frozen=True)
class AgentAnswered:
    """The agent picked up the offer with this reservation."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_ANSWERED
    reservation: int


@dataclass(frozen=True)
class AgentRejected:
    """The agent declined the offer with this reservation."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_REJECTED
    reservation: int


@dataclass(frozen=True)
class AgentNoAnswer:
    """The agent's phone rang out for the offer with this reservation."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_NO_ANSWER
    reservation: int


@dataclass(frozen=True)
class AgentHungUp:
    """The conversation with the agent ended; the agent goes to wrap-up."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_HUNG_UP
    call_id: str


@dataclass(frozen=True)
class Transfer:
    """The agent hands the caller to another queue; the agent goes to wrap-up."""
    KIND: ClassVar[EventKind] = EventKind.TRANSFER
    call_id: str
    queue_id: str


@dataclass(frozen=True)
class WrapUpDone:
    """The agent finished after-call work early."""
    KIND: ClassVar[EventKind] = EventKind.WRAP_UP_DONE
    call_id: str


@dataclass(frozen=True)
class AgentLogin:
    """The agent logs in."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_LOGIN
    agent_id: str


@dataclass(frozen=True)
class AgentLogout:
    """The agent logs out."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_LOGOUT
    agent_id: str


@dataclass(frozen=True)
class AgentReady:
    """The agent is ready for contacts."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_READY
    agent_id: str


@dataclass(frozen=True)
class AgentNotReady:
    """The agent takes a break, with an optional reason (lunch, training, ...)."""
    KIND: ClassVar[EventKind] = EventKind.AGENT_NOT_READY
    agent_id: str
    reason: Optional[str] = None


TypedEvent = Union[CallArrived, ContactArrived, Digit, PromptDone, RecordingDone, HostResult,
                   CallHungUp, AgentAnswered, AgentRejected, AgentNoAnswer, AgentHungUp,
                   Transfer, WrapUpDone, AgentLogin, AgentLogout, AgentReady, AgentNotReady]
"""Any typed event."""


def _kind_codes() -> Dict[str, int]:
    """hl_event_kind by name, as the loaded library numbers them (hl_event_kind_name)."""
    codes: Dict[str, int] = {}
    for code in range(1, 256):
        name = lib.hl_event_kind_name(code)
        if name is None:
            break
        codes[bytes(name).decode()] = code
    return codes


KIND_CODES = _kind_codes()


def event_struct(event: TypedEvent) -> Tuple[CEvent, List[Any]]:
    """The hl_event for `event`, and the buffers it points into (keep them alive for
    as long as the struct is used)."""
    code = KIND_CODES.get(event.KIND.value)
    if code is None:
        raise error_for(-1, f"event: the loaded library has no event {event.KIND.value!r}")
    e = CEvent()
    e.size = ctypes.sizeof(CEvent)
    e.kind = code
    keep: List[Any] = []
    if isinstance(event, (CallArrived, ContactArrived)):
        contact = event.contact() if isinstance(event, CallArrived) else event.contact
        c, buffers = contact_struct(contact)
        keep += [c, buffers]
        e.contact = ctypes.pointer(c)
    elif isinstance(event, Digit):
        if len(event.digit) != 1:
            raise error_for(-1, f"digit: a digit is one key, not {event.digit!r}")
        e.call_id, e.digit = event.call_id.encode(), event.digit.encode()
    elif isinstance(event, RecordingDone):
        e.call_id, e.recording = event.call_id.encode(), event.recording.encode()
    elif isinstance(event, HostResult):
        e.request_id, e.ok = event.request_id, int(event.ok)
        e.result_json = json.dumps(event.result).encode()
    elif isinstance(event, (AgentAnswered, AgentRejected, AgentNoAnswer)):
        e.reservation = event.reservation
    elif isinstance(event, Transfer):
        e.call_id, e.queue_id = event.call_id.encode(), event.queue_id.encode()
    elif isinstance(event, (PromptDone, CallHungUp, AgentHungUp, WrapUpDone)):
        e.call_id = event.call_id.encode()
    elif isinstance(event, AgentNotReady):
        e.agent_id, e.reason = event.agent_id.encode(), text(event.reason)
    else:
        e.agent_id = event.agent_id.encode()
    return e, keep
