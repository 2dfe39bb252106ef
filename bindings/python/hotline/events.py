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


# -- live call control (docs/call-control.md) --------------------------------
# A party is an agent (`agent_id`) or an outside number or URI (`target`): one of the two.


@dataclass(frozen=True)
class Hold:
    """The agent puts the caller on hold (music on hold)."""
    KIND: ClassVar[EventKind] = EventKind.HOLD
    call_id: str


@dataclass(frozen=True)
class Resume:
    """The caller comes back from hold."""
    KIND: ClassVar[EventKind] = EventKind.RESUME
    call_id: str


@dataclass(frozen=True)
class Consult:
    """The agent reaches another party while the caller holds."""
    KIND: ClassVar[EventKind] = EventKind.CONSULT
    call_id: str
    agent_id: Optional[str] = None
    target: Optional[str] = None
    queue_id: Optional[str] = None  # the next agent of this queue


@dataclass(frozen=True)
class LegAnswered:
    """A leg the engine dialled answered."""
    KIND: ClassVar[EventKind] = EventKind.LEG_ANSWERED
    call_id: str
    leg: str


@dataclass(frozen=True)
class LegEnded:
    """A leg of the call failed or hung up."""
    KIND: ClassVar[EventKind] = EventKind.LEG_ENDED
    call_id: str
    leg: str


@dataclass(frozen=True)
class TransferComplete:
    """The caller goes to the consulted party; the agent goes to wrap-up."""
    KIND: ClassVar[EventKind] = EventKind.TRANSFER_COMPLETE
    call_id: str


@dataclass(frozen=True)
class ConsultCancel:
    """The agent drops the consulted party and goes back to the (held) caller."""
    KIND: ClassVar[EventKind] = EventKind.CONSULT_CANCEL
    call_id: str


@dataclass(frozen=True)
class Conference:
    """Caller, agent and consulted party together."""
    KIND: ClassVar[EventKind] = EventKind.CONFERENCE
    call_id: str


@dataclass(frozen=True)
class ConferenceAdd:
    """Dial another party into the conversation."""
    KIND: ClassVar[EventKind] = EventKind.CONFERENCE_ADD
    call_id: str
    agent_id: Optional[str] = None
    target: Optional[str] = None


@dataclass(frozen=True)
class ConferenceDrop:
    """Drop a leg from the conference."""
    KIND: ClassVar[EventKind] = EventKind.CONFERENCE_DROP
    call_id: str
    leg: str


@dataclass(frozen=True)
class Mute:
    """Nobody hears the leg while `muted`; heard again when not."""
    KIND: ClassVar[EventKind] = EventKind.MUTE
    call_id: str
    leg: str
    muted: bool


@dataclass(frozen=True)
class BlindTransfer:
    """The caller goes to an agent or a number without a consultation."""
    KIND: ClassVar[EventKind] = EventKind.BLIND_TRANSFER
    call_id: str
    agent_id: Optional[str] = None
    target: Optional[str] = None


@dataclass(frozen=True)
class WrapUpCode:
    """The call's disposition, kept with it and its ticket."""
    KIND: ClassVar[EventKind] = EventKind.WRAP_UP_CODE
    call_id: str
    code: str


@dataclass(frozen=True)
class Supervise:
    """A supervisor monitors, whispers to the agent, barges in or takes over
    (`mode`, a SupervisionMode); `leg` names the leg they already called in on."""
    KIND: ClassVar[EventKind] = EventKind.SUPERVISE
    call_id: str
    supervisor: str
    mode: str
    leg: Optional[str] = None


@dataclass(frozen=True)
class ForceRelease:
    """A supervisor hangs the call up (the agent goes to wrap-up)."""
    KIND: ClassVar[EventKind] = EventKind.FORCE_RELEASE
    call_id: str
    supervisor: str


@dataclass(frozen=True)
class ForceNotReady:
    """A supervisor sets the agent not ready (now, or when the current call ends)."""
    KIND: ClassVar[EventKind] = EventKind.FORCE_NOT_READY
    agent_id: str
    supervisor: str
    reason: Optional[str] = None


@dataclass(frozen=True)
class ForceLogout:
    """A supervisor logs the agent out (now, or when the current call ends)."""
    KIND: ClassVar[EventKind] = EventKind.FORCE_LOGOUT
    agent_id: str
    supervisor: str


@dataclass(frozen=True)
class RecordingControl:
    """Start, stop, pause or resume the call's recording (`action`, a RecordingAction)."""
    KIND: ClassVar[EventKind] = EventKind.RECORDING_CONTROL
    call_id: str
    action: str


CALL_CONTROL_EVENTS = (Hold, Resume, Consult, LegAnswered, LegEnded, TransferComplete,
                       ConsultCancel, Conference, ConferenceAdd, ConferenceDrop, Mute,
                       BlindTransfer, WrapUpCode, Supervise, ForceRelease, ForceNotReady,
                       ForceLogout, RecordingControl)
"""The live call control kinds, in hl_event_kind order."""

TypedEvent = Union[CallArrived, ContactArrived, Digit, PromptDone, RecordingDone, HostResult,
                   CallHungUp, AgentAnswered, AgentRejected, AgentNoAnswer, AgentHungUp,
                   Transfer, WrapUpDone, AgentLogin, AgentLogout, AgentReady, AgentNotReady,
                   Hold, Resume, Consult, LegAnswered, LegEnded, TransferComplete,
                   ConsultCancel, Conference, ConferenceAdd, ConferenceDrop, Mute,
                   BlindTransfer, WrapUpCode, Supervise, ForceRelease, ForceNotReady,
                   ForceLogout, RecordingControl]
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
    elif isinstance(event, (AgentLogin, AgentLogout, AgentReady)):
        e.agent_id = event.agent_id.encode()
    else:
        _call_control_fields(event, e)
    return e, keep


_CallControlEvent = Union[Hold, Resume, Consult, LegAnswered, LegEnded, TransferComplete,
                          ConsultCancel, Conference, ConferenceAdd, ConferenceDrop, Mute,
                          BlindTransfer, WrapUpCode, Supervise, ForceRelease, ForceNotReady,
                          ForceLogout, RecordingControl]


def _call_control_fields(event: _CallControlEvent, e: CEvent) -> None:
    """Fills the hl_event fields of a live call control kind."""
    if isinstance(event, (ForceNotReady, ForceLogout)):
        e.agent_id, e.supervisor = event.agent_id.encode(), event.supervisor.encode()
        if isinstance(event, ForceNotReady):
            e.reason = text(event.reason)
        return
    e.call_id = event.call_id.encode()
    if isinstance(event, (Consult, ConferenceAdd, BlindTransfer)):
        e.agent_id, e.target = text(event.agent_id), text(event.target)
    if isinstance(event, Consult):
        e.queue_id = text(event.queue_id)
    elif isinstance(event, (LegAnswered, LegEnded, ConferenceDrop)):
        e.leg = event.leg.encode()
    elif isinstance(event, Mute):
        e.leg, e.muted = event.leg.encode(), int(event.muted)
    elif isinstance(event, WrapUpCode):
        e.code = event.code.encode()
    elif isinstance(event, Supervise):
        e.supervisor, e.mode = event.supervisor.encode(), event.mode.encode()
        e.leg = text(event.leg)
    elif isinstance(event, ForceRelease):
        e.supervisor = event.supervisor.encode()
    elif isinstance(event, RecordingControl):
        e.action = event.action.encode()
