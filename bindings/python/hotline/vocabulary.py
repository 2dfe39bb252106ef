"""The engine's vocabulary as types: events in, commands and notifications out.

They cross the C ABI as JSON objects; here each is a TypedDict (a dict at run
time, so ``command["kind"]`` works, checked by mypy) and each set of names is
a ``str`` enum (``CommandKind.PLAY == "play"``). A kind the library adds
later still arrives as its string: the enums are what this version knows.
"""
from __future__ import annotations

import sys
from enum import Enum
from typing import Any, Dict, List, Tuple, Union

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover - Python 3.9 and 3.10
    from typing_extensions import NotRequired, TypedDict


class CommandKind(str, Enum):
    """What the engine asks of the switch or of the host (the `kind` of a Command)."""
    ANSWER = "answer"
    PLAY = "play"
    STOP_PLAYBACK = "stop_playback"
    COLLECT_DIGITS = "collect_digits"
    RECORD = "record"
    TRANSFER = "transfer"
    HANGUP = "hangup"
    RING_AGENT = "ring_agent"
    STOP_RINGING = "stop_ringing"
    BRIDGE = "bridge"
    LOOKUP = "lookup"
    CREATE_TICKET = "create_ticket"
    REGISTER_CALLBACK = "register_callback"
    HOLD = "hold"
    RESUME = "resume"
    DIAL = "dial"
    HANGUP_LEG = "hangup_leg"
    MIX = "mix"
    RECORD_CONTROL = "record_control"


class NotificationKind(str, Enum):
    """The `kind` of a Notification."""
    ROUTING = "routing"
    CALL_STARTED = "call_started"
    CALL_ENDED = "call_ended"
    IVR_NODE = "ivr_node"
    IVR_ERROR = "ivr_error"
    CONTACT_QUEUED = "contact_queued"
    CONTACT_REFUSED = "contact_refused"
    TRANSFERRED = "transferred"
    HOST_ERROR = "host_error"
    CONVERSATION = "conversation"
    LEG = "leg"
    WRAP_UP_CODE = "wrap_up_code"
    SUPERVISION = "supervision"
    RECORDING = "recording"
    SURVEY = "survey"
    CONSULT_FAILED = "consult_failed"


class IvrNodeEvent(str, Enum):
    """The `event` of an ivr_node Notification: the call left `node`, then entered the next."""
    ENTERED = "entered"
    LEFT = "left"


class Channel(str, Enum):
    """The media of a contact (hl_channel): agents have a capacity per channel."""
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"


class RoutingEvent(str, Enum):
    """The `event` of a routing Notification: what the router did."""
    OFFER = "offer"
    RESCIND = "rescind"
    AGENT_STATE_CHANGED = "agent_state_changed"
    CONTACT_QUEUED = "contact_queued"
    CONTACT_RESUMED = "contact_resumed"
    OFFER_ACCEPTED = "offer_accepted"
    OFFER_REJECTED = "offer_rejected"
    OFFER_TIMED_OUT = "offer_timed_out"
    CONTACT_REQUEUED = "contact_requeued"
    CONTACT_ABANDONED = "contact_abandoned"
    CONTACT_REMOVED = "contact_removed"
    CONTACT_COMPLETED = "contact_completed"
    WRAP_UP_ENDED = "wrap_up_ended"
    QUEUE_OVERFLOW = "queue_overflow"
    RING_WIDENED = "ring_widened"
    PREFERRED_FALLBACK = "preferred_fallback"
    AGENT_AUTO_NOT_READY = "agent_auto_not_ready"


class AgentState(str, Enum):
    """An agent's state (`from` and `to` of agent_state_changed, `state` in stats)."""
    LOGGED_OUT = "logged_out"
    AVAILABLE = "available"
    NOT_READY = "not_ready"
    RESERVED = "reserved"
    BUSY = "busy"
    WRAP_UP = "wrap_up"


class EventKind(str, Enum):
    """The kinds of events (hl_event_kind; the `event` field of an Event), in the
    order of the C enum."""
    CALL_ARRIVED = "call_arrived"
    CONTACT_ARRIVED = "contact_arrived"
    DIGIT = "digit"
    PROMPT_DONE = "prompt_done"
    RECORDING_DONE = "recording_done"
    HOST_RESULT = "host_result"
    CALL_HUNG_UP = "call_hung_up"
    AGENT_ANSWERED = "agent_answered"
    AGENT_REJECTED = "agent_rejected"
    AGENT_NO_ANSWER = "agent_no_answer"
    AGENT_HUNG_UP = "agent_hung_up"
    TRANSFER = "transfer"
    WRAP_UP_DONE = "wrap_up_done"
    AGENT_LOGIN = "agent_login"
    AGENT_LOGOUT = "agent_logout"
    AGENT_READY = "agent_ready"
    AGENT_NOT_READY = "agent_not_ready"
    HOLD = "hold"
    RESUME = "resume"
    CONSULT = "consult"
    LEG_ANSWERED = "leg_answered"
    LEG_ENDED = "leg_ended"
    TRANSFER_COMPLETE = "transfer_complete"
    CONSULT_CANCEL = "consult_cancel"
    CONFERENCE = "conference"
    CONFERENCE_ADD = "conference_add"
    CONFERENCE_DROP = "conference_drop"
    MUTE = "mute"
    BLIND_TRANSFER = "blind_transfer"
    WRAP_UP_CODE = "wrap_up_code"
    SUPERVISE = "supervise"
    FORCE_RELEASE = "force_release"
    FORCE_NOT_READY = "force_not_ready"
    FORCE_LOGOUT = "force_logout"
    RECORDING_CONTROL = "recording_control"


class SupervisionMode(str, Enum):
    """How a supervisor joins a call (the `mode` of a supervise event)."""
    MONITOR = "monitor"
    WHISPER = "whisper"
    BARGE = "barge"
    TAKE_OVER = "take_over"


class RecordingAction(str, Enum):
    """The `action` of a recording_control event and a record_control command."""
    START = "start"
    STOP = "stop"
    PAUSE = "pause"
    RESUME = "resume"


class Mix(TypedDict):
    """The `mix` of a mix command: for every leg of the call, the legs it hears."""
    legs: Dict[str, List[str]]


class Role(str, Enum):
    """Who acts on a store: what they may see and do (hl_role)."""
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Prompt(TypedDict, total=False):
    """One prompt of a play command: an audio URI or text to speak."""
    audio: str
    tts: str


class Command(TypedDict):
    """A command (hl_engine_poll_command): `kind` says which fields it has."""
    kind: str
    time: int
    call_id: str
    agent_id: NotRequired[str]
    queue_id: NotRequired[str]
    reservation: NotRequired[int]
    request_id: NotRequired[int]
    target: NotRequired[str]
    function: NotRequired[str]
    args: NotRequired[Any]
    prompts: NotRequired[List[Prompt]]
    barge_in: NotRequired[bool]
    loop: NotRequired[bool]
    min_digits: NotRequired[int]
    max_digits: NotRequired[int]
    terminator: NotRequired[str]
    max_ms: NotRequired[int]
    finish_key: NotRequired[str]
    leg: NotRequired[str]
    mix: NotRequired[Mix]
    action: NotRequired[str]


# `from` is a Python keyword, hence the functional form.
Notification = TypedDict("Notification", {
    "kind": str,
    "time": int,
    "event": NotRequired[str],
    "from": NotRequired[str],
    "to": NotRequired[str],
    "value": NotRequired[int],
    "call_id": NotRequired[str],
    "agent_id": NotRequired[str],
    "queue_id": NotRequired[str],
    "contact": NotRequired[int],
    "reservation": NotRequired[int],
    "text": NotRequired[str],
    "what": NotRequired[str],
    "status": NotRequired[int],
    "message": NotRequired[str],
    "node": NotRequired[str],
    "reason": NotRequired[str],
    "actor": NotRequired[str],
})
Notification.__doc__ = """A notification (listener or hl_engine_poll_notification): `kind`
says which fields it has (docs/events.md); ivr_node has `node` and `event` (an
IvrNodeEvent), contact_refused `queue_id` and `reason`, supervision `actor`,
survey `value` (the score, 1 to 5; 0 not rated)."""


class QueueStats(TypedDict):
    """One queue in Engine.stats(): now, and today's counts and KPIs."""
    waiting: int
    longest_wait_ms: int
    agents_logged_in: int
    agents_available: int
    agents_busy: int
    offered: int
    answered: int
    abandoned: int
    refused: int
    service_level: float
    asa_ms: float
    aht_ms: float
    handled: int
    issue_contacts: int
    resolutions: int
    first_contact_resolution: float
    talk_ms: int
    hold_ms: int
    wrap_ms: int
    average_talk_ms: float
    average_hold_ms: float
    average_wrap_ms: float
    holds: int
    transfers: int
    consultations: int
    conferences: int
    wrap_up_codes: Dict[str, int]
    csat_responses: int
    csat: float
    csat_mean: float


class AgentStats(TypedDict):
    """One agent in Engine.stats(): state (an AgentState) since when, and today's work."""
    state: str
    since: int
    handled: int
    occupancy: float
    aht_ms: float
    talk_ms: int
    hold_ms: int
    wrap_ms: int
    average_talk_ms: float
    average_hold_ms: float
    average_wrap_ms: float
    holds: int
    transfers: int
    consultations: int
    conferences: int
    wrap_up_codes: Dict[str, int]
    csat_responses: int
    csat: float
    csat_mean: float


class Stats(TypedDict):
    """A statistics snapshot (hl_engine_stats) at `time`, per queue and per agent id."""
    time: int
    live_calls: int
    queues: Dict[str, QueueStats]
    agents: Dict[str, AgentStats]


class Event(TypedDict):
    """An event as JSON for Engine.post() and Engine.post_event(): `event` is an
    EventKind, the rest its fields (docs/events.md). hotline.events has the typed
    form, one dataclass per kind."""
    event: str
    call_id: NotRequired[str]
    caller: NotRequired[str]
    dialled: NotRequired[str]
    flow_id: NotRequired[str]
    queue_id: NotRequired[str]
    customer: NotRequired[Dict[str, Any]]
    digit: NotRequired[str]
    recording: NotRequired[str]
    request_id: NotRequired[int]
    ok: NotRequired[bool]
    result: NotRequired[Any]
    reservation: NotRequired[int]
    agent_id: NotRequired[str]
    reason: NotRequired[str]
    channel: NotRequired[str]
    priority: NotRequired[int]
    skills: NotRequired[Union[Dict[str, int], List[str]]]
    attributes: NotRequired[Dict[str, Any]]
    preferred_agent: NotRequired[str]
    preferred_wait_ms: NotRequired[int]
    leg: NotRequired[str]
    target: NotRequired[str]
    mode: NotRequired[str]
    code: NotRequired[str]
    action: NotRequired[str]
    supervisor: NotRequired[str]
    muted: NotRequired[bool]


Record = Dict[str, Any]
"""A ticket, customer, follow-up or report as the store returns it (docs/stores.md)."""

ActorLike = Tuple[str, Union[str, Role]]
"""Who acts on a store: (id, role), the role a Role or its name."""
