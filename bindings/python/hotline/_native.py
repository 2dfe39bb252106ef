"""Loading libhotline and declaring its C functions (ctypes: no compiler needed at import).

Every C function the binding uses is declared once, in SIGNATURES, in the
order of the headers: binding a new function is one row here and one method
that calls it. A test compares SIGNATURES with the headers' HL_API list.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .errors import error_for

_PACKAGE = Path(__file__).resolve().parent
_SYSTEM_FOLDERS = ["/usr/local/lib", "/usr/lib", "/usr/lib/x86_64-linux-gnu"]
_NAMES = ("libhotline.so.0", "libhotline.so")


def library_candidates() -> List[str]:
    """Where libhotline is looked for, in order.

    ``HOTLINE_LIBRARY`` first (it overrides everything), then the copy
    bundled inside this package by ``pip install``, then the linker's
    search, then the usual system folders.
    """
    found: List[str] = []
    explicit = os.environ.get("HOTLINE_LIBRARY")
    if explicit:
        return [explicit]
    found += [str(p) for p in sorted(_PACKAGE.glob("libhotline.so*"))]  # bundled by pip
    linker = ctypes.util.find_library("hotline")
    if linker:
        found.append(linker)
    for folder in _SYSTEM_FOLDERS:
        found += [str(Path(folder) / n) for n in _NAMES if (Path(folder) / n).exists()]
    return found


def _load() -> Tuple[ctypes.CDLL, str]:
    candidates = library_candidates()
    if not candidates:
        raise OSError("libhotline not found: reinstall the package (it bundles one), "
                      "or set HOTLINE_LIBRARY to its path")
    return ctypes.CDLL(candidates[0]), candidates[0]


lib, library_path = _load()

# -- C types -----------------------------------------------------------------

c_engine_p = ctypes.c_void_p
c_store_p = ctypes.c_void_p
c_error_p = ctypes.c_void_p
_int = ctypes.c_int
_i64 = ctypes.c_int64
_u64 = ctypes.c_uint64
_dbl = ctypes.c_double
_str = ctypes.c_char_p
_ptr = ctypes.c_void_p
_err = ctypes.POINTER(c_error_p)
_out = ctypes.POINTER(ctypes.c_void_p)


class CallInfo(ctypes.Structure):
    """hl_call_info (engine.h)."""
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("call_id", ctypes.c_char_p),
        ("caller", ctypes.c_char_p),
        ("dialled", ctypes.c_char_p),
        ("flow_id", ctypes.c_char_p),
        ("queue_id", ctypes.c_char_p),
        ("customer_json", ctypes.c_char_p),
    ]


class SkillRequirement(ctypes.Structure):
    """hl_skill_requirement (contact.h)."""
    _fields_ = [("skill", ctypes.c_char_p), ("level", _int)]


class CContact(ctypes.Structure):
    """hl_contact (contact.h)."""
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("id", ctypes.c_char_p),
        ("channel", _int),
        ("priority", _int),
        ("skills", ctypes.POINTER(SkillRequirement)),
        ("skill_count", ctypes.c_size_t),
        ("attributes_json", ctypes.c_char_p),
        ("preferred_agent", ctypes.c_char_p),
        ("preferred_wait_ms", _i64),
        ("customer_json", ctypes.c_char_p),
        ("caller", ctypes.c_char_p),
        ("dialled", ctypes.c_char_p),
        ("flow_id", ctypes.c_char_p),
        ("queue_id", ctypes.c_char_p),
    ]


class CEvent(ctypes.Structure):
    """hl_event (event.h)."""
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("kind", _int),
        ("call_id", ctypes.c_char_p),
        ("agent_id", ctypes.c_char_p),
        ("queue_id", ctypes.c_char_p),
        ("reason", ctypes.c_char_p),
        ("recording", ctypes.c_char_p),
        ("digit", ctypes.c_char),
        ("reservation", _u64),
        ("request_id", _u64),
        ("ok", _int),
        ("result_json", ctypes.c_char_p),
        ("contact", ctypes.POINTER(CContact)),
        # Since the live call control kinds.
        ("leg", ctypes.c_char_p),
        ("target", ctypes.c_char_p),
        ("mode", ctypes.c_char_p),
        ("code", ctypes.c_char_p),
        ("action", ctypes.c_char_p),
        ("supervisor", ctypes.c_char_p),
        ("muted", _int),
    ]


class CCommand(ctypes.Structure):
    """hl_command (command.h): the library allocates it; its strings are never NULL."""
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("kind", _int),
        ("time", _i64),
        ("call_id", ctypes.c_char_p),
        ("agent_id", ctypes.c_char_p),
        ("queue_id", ctypes.c_char_p),
        ("reservation", _u64),
        ("request_id", _u64),
        ("prompts_json", ctypes.c_char_p),
        ("barge_in", _int),
        ("loop", _int),
        ("min_digits", _int),
        ("max_digits", _int),
        ("terminator", ctypes.c_char),
        ("finish_key", ctypes.c_char),
        ("max_ms", _i64),
        ("target", ctypes.c_char_p),
        ("function", ctypes.c_char_p),
        ("args_json", ctypes.c_char_p),
        # Since the live call control kinds.
        ("leg", ctypes.c_char_p),
        ("mix_json", ctypes.c_char_p),
        ("action", ctypes.c_char_p),
    ]


class Actor(ctypes.Structure):
    """hl_actor (store.h)."""
    _fields_ = [("id", ctypes.c_char_p), ("role", ctypes.c_int)]


class CWorkload(ctypes.Structure):
    """hl_workload (erlang.h)."""
    _fields_ = [("size", ctypes.c_uint32), ("arrivals_per_hour", _dbl), ("aht_seconds", _dbl),
                ("target_answer_seconds", _dbl)]


class CStaffingGoal(ctypes.Structure):
    """hl_staffing_goal (erlang.h)."""
    _fields_ = [("size", ctypes.c_uint32), ("service_level", _dbl), ("max_occupancy", _dbl),
                ("shrinkage", _dbl)]


class CErlangResult(ctypes.Structure):
    """hl_erlang_result (erlang.h)."""
    _fields_ = [("size", ctypes.c_uint32), ("agents", _int), ("stable", _int),
                ("probability_wait", _dbl), ("probability_abandon", _dbl),
                ("service_level", _dbl), ("asa_seconds", _dbl),
                ("average_wait_seconds", _dbl), ("occupancy", _dbl)]


class CIntervalQuery(ctypes.Structure):
    """hl_interval_query (runtime.h)."""
    _fields_ = [("size", ctypes.c_uint32), ("from_ms", _i64), ("to_ms", _i64),
                ("interval_minutes", ctypes.c_int32), ("queue_id", ctypes.c_char_p),
                ("agent_id", ctypes.c_char_p), ("include", ctypes.c_uint32)]


INTERVALS_QUEUES = 1  # HL_INTERVALS_QUEUES
INTERVALS_AGENTS = 2  # HL_INTERVALS_AGENTS


# Callbacks C calls: listener (runtime.h), telephony slots (sys/telephony.h),
# storage slots (sys/storage.h).
LISTENER = ctypes.CFUNCTYPE(None, _ptr, _str)
TEL_CALL = ctypes.CFUNCTYPE(_int, _ptr, _str)
TEL_PLAY = ctypes.CFUNCTYPE(_int, _ptr, _str, _str, _int, _int)
TEL_COLLECT = ctypes.CFUNCTYPE(_int, _ptr, _str, _int, _int, ctypes.c_char)
TEL_RECORD = ctypes.CFUNCTYPE(_int, _ptr, _str, _i64, ctypes.c_char)
TEL_TRANSFER = ctypes.CFUNCTYPE(_int, _ptr, _str, _str)
TEL_RING = ctypes.CFUNCTYPE(_int, _ptr, _str, _str, _u64)
TEL_BRIDGE = ctypes.CFUNCTYPE(_int, _ptr, _str, _str)
TEL_HOST_REQUEST = ctypes.CFUNCTYPE(_int, _ptr, _u64, _str, _str, _str)
TEL_CALL_TEXT = ctypes.CFUNCTYPE(_int, _ptr, _str, _str)  # hold, hangup_leg, mix, record_control
TEL_DIAL = ctypes.CFUNCTYPE(_int, _ptr, _str, _str, _str, _str)
DESTROY = ctypes.CFUNCTYPE(None, _ptr)
STORAGE_VISIT = ctypes.CFUNCTYPE(_int, _ptr, _i64, _str)
STORAGE_TXN = ctypes.CFUNCTYPE(_int, _ptr)
STORAGE_VOID = ctypes.CFUNCTYPE(None, _ptr)
STORAGE_PUT = ctypes.CFUNCTYPE(_int, _ptr, _str, _i64, _str)
STORAGE_GET = ctypes.CFUNCTYPE(_int, _ptr, _str, _i64, STORAGE_VISIT, _ptr)
STORAGE_SCAN = ctypes.CFUNCTYPE(_int, _ptr, _str, STORAGE_VISIT, _ptr)


class CTelephony(ctypes.Structure):
    """hl_telephony version 3 (sys/telephony.h); a NULL slot leaves its command for polling."""
    _fields_ = [("version", _int), ("user", _ptr),
                ("answer", TEL_CALL), ("play", TEL_PLAY), ("stop_playback", TEL_CALL),
                ("collect_digits", TEL_COLLECT), ("record", TEL_RECORD),
                ("transfer", TEL_TRANSFER), ("hangup", TEL_CALL), ("ring_agent", TEL_RING),
                ("stop_ringing", TEL_RING), ("bridge", TEL_BRIDGE),
                ("host_request", TEL_HOST_REQUEST), ("destroy", DESTROY),
                ("hold", TEL_CALL_TEXT), ("resume", TEL_CALL), ("dial", TEL_DIAL),
                ("hangup_leg", TEL_CALL_TEXT), ("mix", TEL_CALL_TEXT),
                ("record_control", TEL_CALL_TEXT)]


class CStorage(ctypes.Structure):
    """hl_storage version 2 (sys/storage.h)."""
    _fields_ = [("version", _int), ("user", _ptr), ("begin", STORAGE_TXN),
                ("commit", STORAGE_TXN), ("rollback", STORAGE_VOID), ("put", STORAGE_PUT),
                ("get", STORAGE_GET), ("scan", STORAGE_SCAN), ("close", STORAGE_VOID),
                ("destroy", DESTROY)]


TELEPHONY_VERSION = 3
STORAGE_VERSION = 2

# -- every C function: name -> (result type, argument types) -----------------

_Sig = Tuple[Any, Sequence[Any]]
_actor = ctypes.POINTER(Actor)
_workload = ctypes.POINTER(CWorkload)

SIGNATURES: Dict[str, _Sig] = {
    # common.h
    "hl_status_str": (_str, [_int]),
    "hl_version": (_str, []),
    "hl_free": (None, [_ptr]),
    "hl_error_status": (_int, [c_error_p]),
    "hl_error_message": (_str, [c_error_p]),
    "hl_error_free": (None, [c_error_p]),
    # engine.h
    "hl_engine_create": (_int, [ctypes.POINTER(c_engine_p), _str, _i64, _err]),
    "hl_engine_destroy": (None, [c_engine_p]),
    "hl_engine_set_queue": (_int, [c_engine_p, _str, _err]),
    "hl_engine_remove_queue": (_int, [c_engine_p, _str, _err]),
    "hl_engine_set_agent": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_remove_agent": (_int, [c_engine_p, _str, _err]),
    "hl_engine_load_flow": (_int, [c_engine_p, _str, _err]),
    "hl_engine_agent_login": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_agent_logout": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_agent_ready": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_agent_not_ready": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_call_arrived": (_int, [c_engine_p, ctypes.POINTER(CallInfo), _i64, _err]),
    "hl_engine_digit": (_int, [c_engine_p, _str, ctypes.c_char, _i64, _err]),
    "hl_engine_prompt_done": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_recording_done": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_host_result": (_int, [c_engine_p, _u64, _int, _str, _i64, _err]),
    "hl_engine_call_hung_up": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_agent_answered": (_int, [c_engine_p, _u64, _i64, _err]),
    "hl_engine_agent_rejected": (_int, [c_engine_p, _u64, _i64, _err]),
    "hl_engine_agent_no_answer": (_int, [c_engine_p, _u64, _i64, _err]),
    "hl_engine_agent_hung_up": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_transfer": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_wrap_up_done": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_hold": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_resume": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_consult": (_int, [c_engine_p, _str, _str, _str, _i64, _err]),
    "hl_engine_leg_answered": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_leg_ended": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_transfer_complete": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_consult_cancel": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_consult_queue": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_conference": (_int, [c_engine_p, _str, _i64, _err]),
    "hl_engine_conference_add": (_int, [c_engine_p, _str, _str, _str, _i64, _err]),
    "hl_engine_conference_drop": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_mute": (_int, [c_engine_p, _str, _str, _int, _i64, _err]),
    "hl_engine_blind_transfer": (_int, [c_engine_p, _str, _str, _str, _i64, _err]),
    "hl_engine_wrap_up_code": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_supervise": (_int, [c_engine_p, _str, _str, _str, _str, _i64, _err]),
    "hl_engine_force_release": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_force_not_ready": (_int, [c_engine_p, _str, _str, _str, _i64, _err]),
    "hl_engine_force_logout": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_recording_control": (_int, [c_engine_p, _str, _str, _i64, _err]),
    "hl_engine_next_deadline": (_int, [c_engine_p, ctypes.POINTER(_i64)]),
    "hl_engine_advance": (_int, [c_engine_p, _i64, _err]),
    "hl_engine_poll_command": (_int, [c_engine_p, _out]),
    "hl_engine_poll_notification": (_int, [c_engine_p, _out]),
    "hl_engine_contact_arrived": (_int, [c_engine_p, ctypes.POINTER(CContact), _i64, _err]),
    "hl_engine_apply_event": (_int, [c_engine_p, ctypes.POINTER(CEvent), _i64, _err]),
    "hl_engine_poll_command_typed": (_int, [c_engine_p, _out]),
    "hl_engine_call_context": (_int, [c_engine_p, _str, _out, _err]),
    # event.h
    "hl_event_kind_name": (_str, [_int]),
    # command.h
    "hl_command_kind_name": (_str, [_int]),
    "hl_command_to_json": (_int, [ctypes.POINTER(CCommand), _out, _err]),
    # runtime.h
    "hl_engine_set_listener": (_int, [c_engine_p, LISTENER, _ptr]),
    "hl_engine_attach": (_int, [c_engine_p, _ptr, _err]),
    "hl_engine_detach": (_int, [c_engine_p]),
    "hl_engine_run": (_int, [c_engine_p, _err]),
    "hl_engine_stop": (_int, [c_engine_p]),
    "hl_engine_post": (_int, [c_engine_p, _str, _err]),
    "hl_engine_post_event": (_int, [c_engine_p, ctypes.POINTER(CEvent), _err]),
    "hl_engine_now": (_i64, []),
    "hl_engine_use_store": (_int, [c_engine_p, _str, _err]),
    "hl_engine_stats": (_int, [c_engine_p, _i64, _out, _err]),
    "hl_engine_set_queue_log": (_int, [c_engine_p, _str, _err]),
    "hl_engine_intervals": (_int, [c_engine_p, ctypes.POINTER(CIntervalQuery), _out, _err]),
    # sys/telephony.h
    "hl_engine_set_telephony": (_int, [c_engine_p, ctypes.POINTER(CTelephony), _err]),
    # store.h
    "hl_store_open": (_int, [ctypes.POINTER(c_store_p), _str, _err]),
    "hl_store_close": (None, [c_store_p]),
    "hl_store_set_time": (_int, [c_store_p, _i64]),
    "hl_ticket_create": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_ticket_get": (_int, [c_store_p, _i64, _out, _err]),
    "hl_ticket_get_by_number": (_int, [c_store_p, _str, _out, _err]),
    "hl_ticket_update": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_ticket_set_status": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_ticket_assign": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_ticket_transfer": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_ticket_add_note": (_int, [c_store_p, _actor, _i64, _str, _int, _out, _err]),
    "hl_ticket_rate": (_int, [c_store_p, _actor, _i64, _int, _out, _err]),
    "hl_ticket_history": (_int, [c_store_p, _i64, _out, _err]),
    "hl_ticket_search": (_int, [c_store_p, _str, _int, _out, _err]),
    "hl_ticket_list": (_int, [c_store_p, _str, _out, _err]),
    "hl_ticket_sla_alerts": (_int, [c_store_p, _i64, _out, _err]),
    "hl_follow_up_schedule": (_int, [c_store_p, _actor, _i64, _str, _i64, _str, _out, _err]),
    "hl_follow_up_complete": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_follow_up_list": (_int, [c_store_p, _str, _out, _err]),
    "hl_customer_create": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_customer_update": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_customer_get": (_int, [c_store_p, _actor, _i64, _out, _err]),
    "hl_customer_lookup_ani": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_customer_search": (_int, [c_store_p, _actor, _str, _int, _out, _err]),
    "hl_customer_view": (_int, [c_store_p, _actor, _i64, _out, _err]),
    "hl_customer_record_contact": (_int, [c_store_p, _str, _err]),
    "hl_customer_import_csv": (_int, [c_store_p, _actor, _str, _str, _out, _err]),
    "hl_customer_merge": (_int, [c_store_p, _actor, _i64, _i64, _out, _err]),
    "hl_customer_export": (_int, [c_store_p, _actor, _i64, _out, _err]),
    "hl_customer_erase": (_int, [c_store_p, _actor, _i64, _err]),
    "hl_audit_list": (_int, [c_store_p, _actor, _str, _out, _err]),
    # knowledge.h
    "hl_kb_category_create": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_kb_category_list": (_int, [c_store_p, _out, _err]),
    "hl_kb_article_create": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_kb_article_update": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_kb_article_publish": (_int, [c_store_p, _actor, _i64, _out, _err]),
    "hl_kb_article_archive": (_int, [c_store_p, _actor, _i64, _out, _err]),
    "hl_kb_article_get": (_int, [c_store_p, _actor, _i64, _out, _err]),
    "hl_kb_article_list": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_kb_article_history": (_int, [c_store_p, _actor, _i64, _out, _err]),
    "hl_kb_article_version": (_int, [c_store_p, _actor, _i64, _int, _out, _err]),
    "hl_kb_article_search": (_int, [c_store_p, _actor, _str, _int, _out, _err]),
    "hl_kb_article_record_use": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_kb_gaps": (_int, [c_store_p, _actor, _i64, _i64, _int, _out, _err]),
    "hl_kb_script_create": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_kb_script_update": (_int, [c_store_p, _actor, _i64, _str, _out, _err]),
    "hl_kb_script_get": (_int, [c_store_p, _i64, _out, _err]),
    "hl_kb_script_list": (_int, [c_store_p, _str, _out, _err]),
    "hl_kb_quick_reply": (_int, [c_store_p, _str, _out, _err]),
    "hl_kb_script_render": (_int, [c_store_p, _i64, _str, _out, _err]),
    "hl_kb_suggest": (_int, [c_store_p, _actor, _str, _out, _err]),
    "hl_kb_load": (_int, [c_store_p, _actor, _str, _out, _err]),
    # sys/storage.h
    "hl_store_open_host": (_int, [ctypes.POINTER(c_store_p), ctypes.POINTER(CStorage), _str,
                                  _err]),
    "hl_engine_use_host_storage": (_int, [c_engine_p, ctypes.POINTER(CStorage), _str, _err]),
    # erlang.h
    "hl_erlang_c": (_int, [_workload, _int, ctypes.POINTER(CErlangResult)]),
    "hl_erlang_a": (_int, [_workload, _int, _dbl, ctypes.POINTER(CErlangResult)]),
    "hl_erlang_agents": (_int, [_workload, ctypes.POINTER(CStaffingGoal), _dbl,
                                ctypes.POINTER(_int), ctypes.POINTER(_int)]),
}

for _name, (_restype, _argtypes) in SIGNATURES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = list(_argtypes)

NOT_FOUND = -2
NO_DEADLINE = 2**63 - 1
TIME_ENGINE = -(2**63)  # HL_TIME_ENGINE: the engine's own time


def status_text(status: int) -> str:
    """hl_status_str: the static text of a status code."""
    return bytes(lib.hl_status_str(status)).decode()


def raise_for(status: int, err: Optional[ctypes.c_void_p] = None) -> None:
    """Raises the HotlineError for a failed status, with the error's message if there is one."""
    if status == 0:
        return
    message = status_text(status)
    if err:  # the error object says what and where; its status is the call's
        message = bytes(lib.hl_error_message(err)).decode()
        status = int(lib.hl_error_status(err)) or status
        lib.hl_error_free(err)
    raise error_for(status, message)


def call(fn: Callable[..., int], *args: Any) -> None:
    """Calls a C function whose last parameter is `hl_error **err`; raises on failure."""
    err = c_error_p()
    raise_for(int(fn(*args, ctypes.byref(err))), err)


def call_text(fn: Callable[..., int], *args: Any) -> Optional[str]:
    """Calls a C function ending in `char **out, hl_error **err`; returns *out as text."""
    out = ctypes.c_void_p()
    err = c_error_p()
    status = int(fn(*args, ctypes.byref(out), ctypes.byref(err)))
    try:
        raise_for(status, err)
        return ctypes.string_at(out.value).decode() if out.value else None
    finally:
        lib.hl_free(out)


def text(value: Optional[str]) -> Optional[bytes]:
    """A str as the UTF-8 bytes C takes; None stays NULL."""
    return None if value is None else value.encode()
