"""Loading libhotline and declaring the C functions (ctypes: no compiler needed)."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

_SEARCH = ["/usr/local/lib", "/usr/lib", "/usr/lib/x86_64-linux-gnu"]


def _load() -> ctypes.CDLL:
    explicit = os.environ.get("HOTLINE_LIBRARY")
    if explicit:
        return ctypes.CDLL(explicit)
    found = ctypes.util.find_library("hotline")
    if found:
        return ctypes.CDLL(found)
    for folder in _SEARCH:
        for name in ("libhotline.so.0", "libhotline.so"):
            path = Path(folder) / name
            if path.exists():
                return ctypes.CDLL(str(path))
    raise OSError("libhotline not found: set HOTLINE_LIBRARY to its path, or install it")


lib = _load()

c_engine_p = ctypes.c_void_p
c_error_p = ctypes.c_void_p


class CallInfo(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("call_id", ctypes.c_char_p),
        ("caller", ctypes.c_char_p),
        ("dialled", ctypes.c_char_p),
        ("flow_id", ctypes.c_char_p),
        ("queue_id", ctypes.c_char_p),
        ("customer_json", ctypes.c_char_p),
    ]


def _declare(name: str, restype, *argtypes) -> None:
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)


_i64 = ctypes.c_int64
_u64 = ctypes.c_uint64
_str = ctypes.c_char_p
_err = ctypes.POINTER(c_error_p)

_declare("hl_version", ctypes.c_char_p)
_declare("hl_status_str", ctypes.c_char_p, ctypes.c_int)
_declare("hl_free", None, ctypes.c_void_p)
_declare("hl_error_status", ctypes.c_int, c_error_p)
_declare("hl_error_message", ctypes.c_char_p, c_error_p)
_declare("hl_error_free", None, c_error_p)
_declare("hl_engine_create", ctypes.c_int, ctypes.POINTER(c_engine_p), _str, _i64, _err)
_declare("hl_engine_destroy", None, c_engine_p)
for _name in ("hl_engine_agent_login", "hl_engine_agent_logout", "hl_engine_agent_ready",
              "hl_engine_prompt_done", "hl_engine_call_hung_up", "hl_engine_agent_hung_up",
              "hl_engine_wrap_up_done"):
    _declare(_name, ctypes.c_int, c_engine_p, _str, _i64, _err)
_declare("hl_engine_transfer", ctypes.c_int, c_engine_p, _str, _str, _i64, _err)
for _name in ("hl_engine_set_queue", "hl_engine_load_flow", "hl_engine_remove_queue",
              "hl_engine_remove_agent"):
    _declare(_name, ctypes.c_int, c_engine_p, _str, _err)
_declare("hl_engine_set_agent", ctypes.c_int, c_engine_p, _str, _i64, _err)
_declare("hl_engine_agent_not_ready", ctypes.c_int, c_engine_p, _str, _str, _i64, _err)
_declare("hl_engine_call_arrived", ctypes.c_int, c_engine_p, ctypes.POINTER(CallInfo), _i64, _err)
_declare("hl_engine_digit", ctypes.c_int, c_engine_p, _str, ctypes.c_char, _i64, _err)
_declare("hl_engine_recording_done", ctypes.c_int, c_engine_p, _str, _str, _i64, _err)
_declare("hl_engine_host_result", ctypes.c_int, c_engine_p, _u64, ctypes.c_int, _str, _i64, _err)
for _name in ("hl_engine_agent_answered", "hl_engine_agent_rejected", "hl_engine_agent_no_answer"):
    _declare(_name, ctypes.c_int, c_engine_p, _u64, _i64, _err)
_declare("hl_engine_next_deadline", ctypes.c_int, c_engine_p, ctypes.POINTER(_i64))
_declare("hl_engine_advance", ctypes.c_int, c_engine_p, _i64, _err)
_declare("hl_engine_poll_command", ctypes.c_int, c_engine_p, ctypes.POINTER(ctypes.c_void_p))
_declare("hl_engine_poll_notification", ctypes.c_int, c_engine_p, ctypes.POINTER(ctypes.c_void_p))


class Actor(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("role", ctypes.c_int)]


c_store_p = ctypes.c_void_p
_out = ctypes.POINTER(ctypes.c_void_p)
_actor = ctypes.POINTER(Actor)

_declare("hl_store_open", ctypes.c_int, ctypes.POINTER(c_store_p), _str, _err)
_declare("hl_store_close", None, c_store_p)
_declare("hl_store_set_time", ctypes.c_int, c_store_p, _i64)
_declare("hl_ticket_create", ctypes.c_int, c_store_p, _actor, _str, _out, _err)
_declare("hl_ticket_get", ctypes.c_int, c_store_p, _i64, _out, _err)
_declare("hl_ticket_get_by_number", ctypes.c_int, c_store_p, _str, _out, _err)
_declare("hl_ticket_update", ctypes.c_int, c_store_p, _actor, _i64, _str, _out, _err)
for _name in ("hl_ticket_set_status", "hl_ticket_assign", "hl_ticket_transfer"):
    _declare(_name, ctypes.c_int, c_store_p, _actor, _i64, _str, _out, _err)
_declare("hl_ticket_add_note", ctypes.c_int, c_store_p, _actor, _i64, _str, ctypes.c_int, _out,
         _err)
_declare("hl_ticket_rate", ctypes.c_int, c_store_p, _actor, _i64, ctypes.c_int, _out, _err)
_declare("hl_ticket_history", ctypes.c_int, c_store_p, _i64, _out, _err)
_declare("hl_ticket_search", ctypes.c_int, c_store_p, _str, ctypes.c_int, _out, _err)
_declare("hl_ticket_list", ctypes.c_int, c_store_p, _str, _out, _err)
_declare("hl_ticket_sla_alerts", ctypes.c_int, c_store_p, _i64, _out, _err)
_declare("hl_follow_up_schedule", ctypes.c_int, c_store_p, _actor, _i64, _str, _i64, _str, _out,
         _err)
_declare("hl_follow_up_complete", ctypes.c_int, c_store_p, _actor, _i64, _str, _out, _err)
_declare("hl_follow_up_list", ctypes.c_int, c_store_p, _str, _out, _err)
_declare("hl_customer_create", ctypes.c_int, c_store_p, _actor, _str, _out, _err)
_declare("hl_customer_update", ctypes.c_int, c_store_p, _actor, _i64, _str, _out, _err)
for _name in ("hl_customer_get", "hl_customer_view", "hl_customer_export"):
    _declare(_name, ctypes.c_int, c_store_p, _actor, _i64, _out, _err)
_declare("hl_customer_lookup_ani", ctypes.c_int, c_store_p, _actor, _str, _out, _err)
_declare("hl_customer_record_contact", ctypes.c_int, c_store_p, _str, _err)
_declare("hl_customer_import_csv", ctypes.c_int, c_store_p, _actor, _str, _str, _out, _err)
_declare("hl_customer_merge", ctypes.c_int, c_store_p, _actor, _i64, _i64, _out, _err)
_declare("hl_customer_erase", ctypes.c_int, c_store_p, _actor, _i64, _err)
_declare("hl_audit_list", ctypes.c_int, c_store_p, _actor, _str, _out, _err)

LISTENER = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_char_p)
_declare("hl_engine_set_listener", ctypes.c_int, c_engine_p, LISTENER, ctypes.c_void_p)
_declare("hl_engine_run", ctypes.c_int, c_engine_p, _err)
_declare("hl_engine_stop", ctypes.c_int, c_engine_p)
_declare("hl_engine_post", ctypes.c_int, c_engine_p, _str, _err)
_declare("hl_engine_now", _i64)
_declare("hl_engine_use_store", ctypes.c_int, c_engine_p, _str, _err)
_declare("hl_engine_stats", ctypes.c_int, c_engine_p, _i64, ctypes.POINTER(ctypes.c_void_p), _err)
