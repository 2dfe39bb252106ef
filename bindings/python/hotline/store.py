"""Tickets and customers: a SQLite file (the default) or memory."""
from __future__ import annotations

import ctypes
import json
from typing import Any, Dict, List, Mapping, Optional

from ._native import Actor, c_error_p, lib
from .errors import NotFoundError, error_for

ROLES = {"agent": 0, "supervisor": 1, "admin": 2}

Record = Dict[str, Any]


class Store:
    """A ticket and customer store.

    ``Store(path="hotline.db")`` opens (or creates) a SQLite file;
    ``Store(backend="memory")`` keeps everything in memory. Other keyword
    arguments are the store's configuration (``default_region``, ``sla``,
    ``calendar``, ``categories``, ...). Calls that act for someone take
    ``actor=(id, role)`` with role "agent", "supervisor" or "admin".
    """

    def __init__(self, path: Optional[str] = None, **config: Any) -> None:
        if path is not None:
            config.setdefault("path", path)
        config.setdefault("backend", "sqlite" if "path" in config else "memory")
        handle = ctypes.c_void_p()
        err = c_error_p()
        self._handle: Optional[ctypes.c_void_p] = None
        status = lib.hl_store_open(ctypes.byref(handle), json.dumps(config).encode(),
                                   ctypes.byref(err))
        self._check(status, err)
        self._handle = handle

    # -- lifecycle -------------------------------------------------------

    def close(self) -> None:
        if self._handle is not None:
            lib.hl_store_close(self._handle)
            self._handle = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def set_time(self, now_ms: int) -> None:
        """Stamp records with `now_ms` (0: the system clock again)."""
        if lib.hl_store_set_time(self._h(), now_ms) != 0:
            raise error_for(-1, "set_time needs a time >= 0")

    # -- plumbing --------------------------------------------------------

    def _h(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise error_for(-1, "the store is closed")
        return self._handle

    @staticmethod
    def _check(status: int, err: c_error_p) -> None:
        if status != 0:
            message = (lib.hl_error_message(err).decode() if err
                       else lib.hl_status_str(status).decode())
            lib.hl_error_free(err)
            raise error_for(status, message)

    def _json(self, fn, *args) -> Any:
        out = ctypes.c_void_p()
        err = c_error_p()
        status = fn(self._h(), *args, ctypes.byref(out), ctypes.byref(err))
        try:
            self._check(status, err)
            return json.loads(ctypes.string_at(out.value).decode()) if out.value else None
        finally:
            lib.hl_free(out)

    @staticmethod
    def _actor(actor: tuple[str, str]) -> Actor:
        ident, role = actor
        if role not in ROLES:
            raise error_for(-1, f"unknown role {role!r}: expected agent, supervisor or admin")
        return Actor(ident.encode(), ROLES[role])

    @staticmethod
    def _text(value: Mapping[str, Any] | str) -> bytes:
        return (value if isinstance(value, str) else json.dumps(value)).encode()

    # -- tickets ---------------------------------------------------------

    def create_ticket(self, actor: tuple[str, str], **fields: Any) -> Record:
        return self._json(lib.hl_ticket_create, ctypes.byref(self._actor(actor)),
                          self._text(fields))

    def ticket(self, ticket_id: int | str) -> Record:
        """A ticket by id, or by number ("T-2026-000123")."""
        if isinstance(ticket_id, str):
            return self._json(lib.hl_ticket_get_by_number, ticket_id.encode())
        return self._json(lib.hl_ticket_get, ticket_id)

    def update_ticket(self, actor: tuple[str, str], ticket_id: int, **fields: Any) -> Record:
        return self._json(lib.hl_ticket_update, ctypes.byref(self._actor(actor)), ticket_id,
                          self._text(fields))

    def set_status(self, actor: tuple[str, str], ticket_id: int, status: str) -> Record:
        return self._json(lib.hl_ticket_set_status, ctypes.byref(self._actor(actor)), ticket_id,
                          status.encode())

    def assign(self, actor: tuple[str, str], ticket_id: int, agent_id: str) -> Record:
        return self._json(lib.hl_ticket_assign, ctypes.byref(self._actor(actor)), ticket_id,
                          agent_id.encode())

    def transfer(self, actor: tuple[str, str], ticket_id: int, group: str) -> Record:
        return self._json(lib.hl_ticket_transfer, ctypes.byref(self._actor(actor)), ticket_id,
                          group.encode())

    def add_note(self, actor: tuple[str, str], ticket_id: int, body: str,
                 internal: bool = False) -> Record:
        return self._json(lib.hl_ticket_add_note, ctypes.byref(self._actor(actor)), ticket_id,
                          body.encode(), int(internal))

    def rate(self, actor: tuple[str, str], ticket_id: int, score: int) -> Record:
        return self._json(lib.hl_ticket_rate, ctypes.byref(self._actor(actor)), ticket_id, score)

    def history(self, ticket_id: int) -> Record:
        """{"history": [...], "notes": [...], "follow_ups": [...]}"""
        return self._json(lib.hl_ticket_history, ticket_id)

    def search(self, text: str, limit: int = 20) -> List[Record]:
        return self._json(lib.hl_ticket_search, text.encode(), limit)

    def list_tickets(self, **query: Any) -> Record:
        """{"tickets": [...], "next": cursor}; pass after=cursor for the next page."""
        return self._json(lib.hl_ticket_list, self._text(query))

    def sla_alerts(self, within_ms: int = 0) -> List[Record]:
        return self._json(lib.hl_ticket_sla_alerts, within_ms)

    def schedule_follow_up(self, actor: tuple[str, str], ticket_id: int, kind: str,
                           due_at_ms: int, assignee: str) -> Record:
        return self._json(lib.hl_follow_up_schedule, ctypes.byref(self._actor(actor)), ticket_id,
                          kind.encode(), due_at_ms, assignee.encode())

    def complete_follow_up(self, actor: tuple[str, str], follow_up_id: int,
                           outcome: str) -> Record:
        return self._json(lib.hl_follow_up_complete, ctypes.byref(self._actor(actor)),
                          follow_up_id, outcome.encode())

    def follow_ups(self, **query: Any) -> List[Record]:
        return self._json(lib.hl_follow_up_list, self._text(query))

    # -- customers -------------------------------------------------------

    def create_customer(self, actor: tuple[str, str], **fields: Any) -> Record:
        return self._json(lib.hl_customer_create, ctypes.byref(self._actor(actor)),
                          self._text(fields))

    def update_customer(self, actor: tuple[str, str], customer_id: int, **fields: Any) -> Record:
        return self._json(lib.hl_customer_update, ctypes.byref(self._actor(actor)), customer_id,
                          self._text(fields))

    def customer(self, actor: tuple[str, str], customer_id: int) -> Record:
        return self._json(lib.hl_customer_get, ctypes.byref(self._actor(actor)), customer_id)

    def lookup_ani(self, actor: tuple[str, str], ani: str) -> Optional[Record]:
        """The customer a calling number belongs to, or None."""
        try:
            return self._json(lib.hl_customer_lookup_ani, ctypes.byref(self._actor(actor)),
                              ani.encode())
        except NotFoundError:
            return None

    def view(self, actor: tuple[str, str], customer_id: int) -> Record:
        return self._json(lib.hl_customer_view, ctypes.byref(self._actor(actor)), customer_id)

    def record_contact(self, **contact: Any) -> None:
        err = c_error_p()
        self._check(lib.hl_customer_record_contact(self._h(), self._text(contact),
                                                   ctypes.byref(err)), err)

    def import_csv(self, actor: tuple[str, str], csv: str, mapping: Optional[Mapping[str, str]]
                   = None, duplicates: str = "report", dry_run: bool = False) -> Record:
        options: Dict[str, Any] = {"duplicates": duplicates, "dry_run": dry_run}
        if mapping:
            options["mapping"] = dict(mapping)
        return self._json(lib.hl_customer_import_csv, ctypes.byref(self._actor(actor)),
                          csv.encode(), self._text(options))

    def merge(self, actor: tuple[str, str], survivor_id: int, duplicate_id: int) -> Record:
        return self._json(lib.hl_customer_merge, ctypes.byref(self._actor(actor)), survivor_id,
                          duplicate_id)

    def export(self, actor: tuple[str, str], customer_id: int) -> Record:
        return self._json(lib.hl_customer_export, ctypes.byref(self._actor(actor)), customer_id)

    def erase(self, actor: tuple[str, str], customer_id: int) -> None:
        err = c_error_p()
        self._check(lib.hl_customer_erase(self._h(), ctypes.byref(self._actor(actor)),
                                          customer_id, ctypes.byref(err)), err)

    def audit(self, actor: tuple[str, str], **query: Any) -> List[Record]:
        return self._json(lib.hl_audit_list, ctypes.byref(self._actor(actor)), self._text(query))
