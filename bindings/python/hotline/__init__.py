"""Hotline, an embeddable contact-center engine, from Python (over its C ABI)."""
from ._native import lib as _lib
from .commands import TypedCommand
from .contact import Contact
from .engine import Engine
from .erlang import ErlangResult, StaffingGoal, Workload, erlang_a, erlang_agents, erlang_c
from .errors import (AbortedByHostError, AlreadyExistsError, BusyError, FullError, HotlineError,
                     IllegalStateError, InvalidArgumentError, NotFoundError,
                     PermissionDeniedError, StorageError)
from .host_storage import HostStorage
from .knowledge import (Article, ArticleVersion, Category, KnowledgeBase, KnowledgeGap, LoadReport,
                        RenderedScript, Script, Suggestion)
from .store import Store
from .telephony import Telephony
from .events import (AgentAnswered, AgentHungUp, AgentLogin, AgentLogout, AgentNoAnswer,
                     AgentNotReady, AgentReady, AgentRejected, CallArrived, CallHungUp,
                     ContactArrived, Digit, HostResult, PromptDone, RecordingDone, Transfer,
                     TypedEvent, WrapUpDone, Hold, Resume, Consult, LegAnswered, LegEnded,
                     TransferComplete, ConsultCancel, Conference, ConferenceAdd, ConferenceDrop,
                     Mute, BlindTransfer, WrapUpCode, Supervise, ForceRelease, ForceNotReady,
                     ForceLogout, RecordingControl)
from .vocabulary import (AgentState, AgentStats, Channel, Command, CommandKind, Event, EventKind,
                         IvrNodeEvent, Mix, Notification, NotificationKind, Prompt, QueueStats,
                         Record, RecordingAction, Role, RoutingEvent, Stats, SupervisionMode)


def version() -> str:
    """The version of the loaded libhotline (hl_version)."""
    return bytes(_lib.hl_version()).decode()


def library_path() -> str:
    """The file libhotline was loaded from."""
    from ._native import library_path as path
    return path


__all__ = ["Engine", "Store", "Telephony", "HostStorage", "version", "library_path",
           "Workload", "StaffingGoal", "ErlangResult", "erlang_c", "erlang_a", "erlang_agents",
           "Command", "CommandKind", "Event", "EventKind", "Notification", "NotificationKind",
           "RoutingEvent", "AgentState", "Prompt", "Record", "Role",
           "Contact", "Channel", "TypedCommand", "IvrNodeEvent", "Stats", "QueueStats",
           "AgentStats", "TypedEvent", "CallArrived", "ContactArrived", "Digit", "PromptDone",
           "RecordingDone", "HostResult", "CallHungUp", "AgentAnswered", "AgentRejected",
           "AgentNoAnswer", "AgentHungUp", "Transfer", "WrapUpDone", "AgentLogin",
           "AgentLogout", "AgentReady", "AgentNotReady",
           "Hold", "Resume", "Consult", "LegAnswered", "LegEnded", "TransferComplete",
           "ConsultCancel", "Conference", "ConferenceAdd", "ConferenceDrop", "Mute",
           "BlindTransfer", "WrapUpCode", "Supervise", "ForceRelease", "ForceNotReady",
           "ForceLogout", "RecordingControl", "Mix", "SupervisionMode", "RecordingAction",
           "HotlineError", "InvalidArgumentError", "NotFoundError", "AlreadyExistsError",
           "IllegalStateError", "FullError", "PermissionDeniedError", "StorageError",
           "BusyError", "AbortedByHostError",
           "KnowledgeBase", "Article", "ArticleVersion", "Category", "Script", "RenderedScript",
           "Suggestion", "KnowledgeGap", "LoadReport"]
