"""Tickets and customers: a SQLite file (the default) or memory."""
from __future__ import annotations

import ctypes
import json
from typing import Any, Callable, Dict, List, Mapping, Optional, Union, cast

from . import _callbacks
from . import host_storage as _host_storage
from ._native import Actor, call, call_text, lib, raise_for
from .errors import NotFoundError, error_for
from .vocabulary import ActorLike, Record, Role

ROLES = {Role.AGENT: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}


class Store:
    """A ticket and customer store.

    ``Store(path="hotline.db")`` opens (or creates) a SQLite file;
    ``Store(backend="memory")`` keeps everything in memory. Other keyword
    arguments are the store's configuration (``default_region``, ``sla``,
    ``calendar``, ``categories``, ...). Calls that act for someone take
    ``actor=(id, role)`` with role a Role or its name ("agent", "supervisor",
    "admin"). Store.over(storage) keeps the records in the host's own storage.
    """

    def __init__(self, path: Optional[str] = None, **config: Any) -> None:
        """Opens (or creates) a store with this configuration (hl_store_open)."""
        if path is not None:
            config.setdefault("path", path)
        config.setdefault("backend", "sqlite" if "path" in config else "memory")
        handle = ctypes.c_void_p()
        self._handle: Optional[ctypes.c_void_p] = None
        call(lib.hl_store_open, ctypes.byref(handle), json.dumps(config).encode())
        self._handle = handle

    @classmethod
    def over(cls, storage: _host_storage.HostStorage, **config: Any) -> "Store":
        """A store whose records live in the host's `storage`; `config` as for Store()
        but without the SQLite file's settings (backend, path, synchronous, locking,
        busy_timeout_ms), which are refused (hl_store_open_host)."""
        store = cls.__new__(cls)
        store._handle = None
        table, token = _host_storage.vtable(storage)
        handle = ctypes.c_void_p()
        try:
            call(lib.hl_store_open_host, ctypes.byref(handle), ctypes.byref(table),
                 json.dumps(config).encode() if config else None)
        except BaseException:
            _callbacks.release_unused(token)  # refused: the library never calls it
            raise
        store._handle = handle
        return store

    # -- lifecycle -------------------------------------------------------

    def close(self) -> None:
        """Closes the store (hl_store_close); later calls raise."""
        if self._handle is not None:
            lib.hl_store_close(self._handle)
            self._handle = None

    def __enter__(self) -> "Store":
        """The store itself, closed when the block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Closes the store."""
        self.close()

    def __del__(self) -> None:
        """Closes the store if the caller did not."""
        if getattr(self, "_handle", None) is not None:
            self.close()

    def set_time(self, now_ms: int) -> None:
        """Stamp records with `now_ms` (0: the system clock again) (hl_store_set_time):
        from 0 to 253402214400000 (9999-12-31T00:00:00Z)."""
        if lib.hl_store_set_time(self._h(), now_ms) != 0:
            raise error_for(-1, f"set_time: {now_ms} is outside 0 to 253402214400000 "
                                "(1970 to 9999-12-31)")

    # -- plumbing --------------------------------------------------------

    def _h(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise error_for(-1, "the store is closed")
        return self._handle

    def _json(self, fn: Callable[..., int], *args: Any) -> Any:
        result = call_text(fn, self._h(), *args)
        return None if result is None else json.loads(result)

    @staticmethod
    def _actor(actor: ActorLike) -> Any:
        ident, role = actor
        try:
            code = ROLES[Role(role)]
        except ValueError:
            raise error_for(-1, f"actor {ident!r}: unknown role {role!r} "
                                "(expected one of: agent, supervisor, admin)") from None
        return ctypes.byref(Actor(ident.encode(), code))

    @staticmethod
    def _text(value: Union[Mapping[str, Any], str]) -> bytes:
        return (value if isinstance(value, str) else json.dumps(value)).encode()

    # -- tickets ---------------------------------------------------------

    def create_ticket(self, actor: ActorLike, **fields: Any) -> Record:
        """Opens a ticket: subject, description, category, priority, channel, customer,
        contact_id, assignee, group (hl_ticket_create)."""
        return cast(Record, self._json(lib.hl_ticket_create, self._actor(actor),
                                       self._text(fields)))

    def ticket(self, ticket_id: Union[int, str]) -> Record:
        """A ticket by id, or by number ("T-2026-000123") (hl_ticket_get,
        hl_ticket_get_by_number)."""
        if isinstance(ticket_id, str):
            return cast(Record, self._json(lib.hl_ticket_get_by_number, ticket_id.encode()))
        return cast(Record, self._json(lib.hl_ticket_get, ticket_id))

    def update_ticket(self, actor: ActorLike, ticket_id: int, **fields: Any) -> Record:
        """Changes any of subject, description, category, priority, customer
        (hl_ticket_update)."""
        return cast(Record, self._json(lib.hl_ticket_update, self._actor(actor), ticket_id,
                                       self._text(fields)))

    def set_status(self, actor: ActorLike, ticket_id: int, status: str) -> Record:
        """Moves the ticket to new, open, pending, resolved or closed (hl_ticket_set_status)."""
        return cast(Record, self._json(lib.hl_ticket_set_status, self._actor(actor), ticket_id,
                                       status.encode()))

    def assign(self, actor: ActorLike, ticket_id: int, agent_id: str) -> Record:
        """Gives the ticket to an agent (hl_ticket_assign)."""
        return cast(Record, self._json(lib.hl_ticket_assign, self._actor(actor), ticket_id,
                                       agent_id.encode()))

    def transfer(self, actor: ActorLike, ticket_id: int, group: str) -> Record:
        """Hands the ticket to another group (hl_ticket_transfer)."""
        return cast(Record, self._json(lib.hl_ticket_transfer, self._actor(actor), ticket_id,
                                       group.encode()))

    def add_note(self, actor: ActorLike, ticket_id: int, body: str,
                 internal: bool = False) -> Record:
        """Adds a note, internal or for the customer (hl_ticket_add_note)."""
        return cast(Record, self._json(lib.hl_ticket_add_note, self._actor(actor), ticket_id,
                                       body.encode(), int(internal)))

    def rate(self, actor: ActorLike, ticket_id: int, score: int) -> Record:
        """Satisfaction 1..5; 2 or less schedules a recovery follow-up (hl_ticket_rate)."""
        return cast(Record, self._json(lib.hl_ticket_rate, self._actor(actor), ticket_id,
                                       score))

    def history(self, ticket_id: int) -> Record:
        """{"history": [...], "notes": [...], "follow_ups": [...]} (hl_ticket_history)."""
        return cast(Record, self._json(lib.hl_ticket_history, ticket_id))

    def search(self, text: str, limit: int = 20) -> List[Record]:
        """Tickets holding every word of `text`, best match first, each with a
        "snippet" marking the matched words in [ ] (hl_ticket_search)."""
        return cast(List[Record], self._json(lib.hl_ticket_search, text.encode(), limit))

    def list_tickets(self, **query: Any) -> Record:
        """{"tickets": [...], "next": cursor}; pass after=cursor for the next page
        (hl_ticket_list)."""
        return cast(Record, self._json(lib.hl_ticket_list, self._text(query)))

    def sla_alerts(self, within_ms: int = 0) -> List[Record]:
        """SLA targets breached or due within `within_ms` (hl_ticket_sla_alerts)."""
        return cast(List[Record], self._json(lib.hl_ticket_sla_alerts, within_ms))

    def schedule_follow_up(self, actor: ActorLike, ticket_id: int, kind: str,
                           due_at_ms: int, assignee: str) -> Record:
        """Schedules a "callback", "visit" or "recovery" follow-up (hl_follow_up_schedule)."""
        return cast(Record, self._json(lib.hl_follow_up_schedule, self._actor(actor),
                                       ticket_id, kind.encode(), due_at_ms,
                                       assignee.encode()))

    def complete_follow_up(self, actor: ActorLike, follow_up_id: int,
                           outcome: str) -> Record:
        """Records a follow-up's outcome (hl_follow_up_complete)."""
        return cast(Record, self._json(lib.hl_follow_up_complete, self._actor(actor),
                                       follow_up_id, outcome.encode()))

    def follow_ups(self, **query: Any) -> List[Record]:
        """Follow-ups by ticket, status, assignee, due_before, limit (hl_follow_up_list)."""
        return cast(List[Record], self._json(lib.hl_follow_up_list, self._text(query)))

    # -- customers -------------------------------------------------------

    def create_customer(self, actor: ActorLike, **fields: Any) -> Record:
        """Adds a customer: name, phones, emails, tier, tags, attributes, national_id,
        payment_info (hl_customer_create)."""
        return cast(Record, self._json(lib.hl_customer_create, self._actor(actor),
                                       self._text(fields)))

    def update_customer(self, actor: ActorLike, customer_id: int, **fields: Any) -> Record:
        """Changes a customer's fields (hl_customer_update)."""
        return cast(Record, self._json(lib.hl_customer_update, self._actor(actor),
                                       customer_id, self._text(fields)))

    def customer(self, actor: ActorLike, customer_id: int) -> Record:
        """A customer, sensitive fields masked for agents (hl_customer_get)."""
        return cast(Record, self._json(lib.hl_customer_get, self._actor(actor), customer_id))

    def lookup_ani(self, actor: ActorLike, ani: str) -> Optional[Record]:
        """The customer a calling number belongs to, or None (hl_customer_lookup_ani)."""
        try:
            return cast(Record, self._json(lib.hl_customer_lookup_ani, self._actor(actor),
                                           ani.encode()))
        except NotFoundError:
            return None

    def search_customers(self, actor: ActorLike, text: str, limit: int = 20) -> List[Record]:
        """Live customers by name, a Chinese name also by its pinyin ("zhangsan"
        finds 张三), best match first (hl_customer_search)."""
        return cast(List[Record], self._json(lib.hl_customer_search, self._actor(actor),
                                             text.encode(), limit))

    def view(self, actor: ActorLike, customer_id: int) -> Record:
        """The 360° view: customer, contacts, open_tickets, last_agent
        (hl_customer_view)."""
        return cast(Record, self._json(lib.hl_customer_view, self._actor(actor), customer_id))

    def record_contact(self, **contact: Any) -> None:
        """Records a contact in the customer's history: contact_id, customer, channel,
        queue, agent, ani, started_at, ended_at, outcome (hl_customer_record_contact)."""
        call(lib.hl_customer_record_contact, self._h(), self._text(contact))

    def import_csv(self, actor: ActorLike, csv: str,
                   mapping: Optional[Mapping[str, str]] = None, duplicates: str = "report",
                   dry_run: bool = False) -> Record:
        """Imports customers from CSV text; the result is the import report
        (hl_customer_import_csv)."""
        options: Dict[str, Any] = {"duplicates": duplicates, "dry_run": dry_run}
        if mapping:
            options["mapping"] = dict(mapping)
        return cast(Record, self._json(lib.hl_customer_import_csv, self._actor(actor),
                                       csv.encode(), self._text(options)))

    def merge(self, actor: ActorLike, survivor_id: int, duplicate_id: int) -> Record:
        """Merges the duplicate into the survivor (hl_customer_merge)."""
        return cast(Record, self._json(lib.hl_customer_merge, self._actor(actor), survivor_id,
                                       duplicate_id))

    def export(self, actor: ActorLike, customer_id: int) -> Record:
        """Everything kept about a customer, for a data request (hl_customer_export)."""
        return cast(Record, self._json(lib.hl_customer_export, self._actor(actor),
                                       customer_id))

    def erase(self, actor: ActorLike, customer_id: int) -> None:
        """Erases a customer's personal data on request (hl_customer_erase)."""
        call(lib.hl_customer_erase, self._h(), self._actor(actor), customer_id)

    def audit(self, actor: ActorLike, **query: Any) -> List[Record]:
        """Audit records by entity, entity_id, actor, limit; most recent first
        (hl_audit_list)."""
        return cast(List[Record], self._json(lib.hl_audit_list, self._actor(actor),
                                             self._text(query)))
