"""Typed commands (hl_command, command.h): what the engine asks the host to do.

Engine.typed_commands() hands out TypedCommand values read from
hl_engine_poll_command_typed; TypedCommand.to_json() gives the JSON form
(hl_command_to_json), the same object Engine.commands() yields as a Command.
"""
from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, cast

from ._native import CCommand, call, lib
from .vocabulary import Command, CommandKind, Mix, Prompt


def _kind_names() -> Dict[int, str]:
    """hl_command_kind by number, as the loaded library names them (hl_command_kind_name)."""
    names: Dict[int, str] = {}
    for code in range(1, 256):
        name = lib.hl_command_kind_name(code)
        if name is None:
            break
        names[code] = bytes(name).decode()
    return names


KIND_NAMES = _kind_names()
KIND_CODES = {name: code for code, name in KIND_NAMES.items()}


def _kind(name: str) -> str:
    """The CommandKind of that name, or the name itself for a kind this version does not know."""
    try:
        return CommandKind(name)
    except ValueError:
        return name


def _key(c: bytes) -> str:
    return "" if c in (b"", b"\x00") else c.decode()


def _c_key(key: str) -> bytes:
    return key.encode() if key else b"\x00"


def _s(b: Optional[bytes]) -> str:
    return "" if b is None else b.decode()


@dataclass(frozen=True)
class TypedCommand:
    """One command, typed: `kind` (a CommandKind; a kind newer than this package
    arrives as its name) says which fields it uses (docs/events.md); the others
    hold their zero values. `prompts`, `args` and `mix` are decoded from JSON."""
    kind: str
    time: int
    call_id: str = ""
    agent_id: str = ""
    queue_id: str = ""
    reservation: int = 0
    request_id: int = 0
    prompts: List[Prompt] = field(default_factory=list)
    barge_in: bool = False
    loop: bool = False
    min_digits: int = 0
    max_digits: int = 0
    terminator: str = ""
    finish_key: str = ""
    max_ms: int = 0
    target: str = ""
    function: str = ""
    args: Dict[str, Any] = field(default_factory=dict)
    leg: str = ""
    mix: Mix = field(default_factory=lambda: cast(Mix, {}))
    action: str = ""

    @classmethod
    def from_struct(cls, c: CCommand) -> "TypedCommand":
        """The command an hl_command holds (its strings copied out)."""
        code = int(c.kind)
        return cls(kind=_kind(KIND_NAMES.get(code, str(code))), time=int(c.time),
                   call_id=_s(c.call_id), agent_id=_s(c.agent_id), queue_id=_s(c.queue_id),
                   reservation=int(c.reservation), request_id=int(c.request_id),
                   prompts=json.loads(_s(c.prompts_json) or "[]"),
                   barge_in=bool(c.barge_in), loop=bool(c.loop),
                   min_digits=int(c.min_digits), max_digits=int(c.max_digits),
                   terminator=_key(c.terminator), finish_key=_key(c.finish_key),
                   max_ms=int(c.max_ms), target=_s(c.target), function=_s(c.function),
                   args=json.loads(_s(c.args_json) or "{}"), leg=_s(c.leg),
                   mix=json.loads(_s(c.mix_json) or "{}"), action=_s(c.action))

    def to_struct(self) -> CCommand:
        """The hl_command for this command (it points into bytes it holds itself)."""
        c = CCommand()
        c.size = ctypes.sizeof(CCommand)
        name = self.kind.value if isinstance(self.kind, CommandKind) else self.kind
        c.kind = KIND_CODES.get(name, 0)
        c.time = self.time
        c.call_id, c.agent_id = self.call_id.encode(), self.agent_id.encode()
        c.queue_id = self.queue_id.encode()
        c.reservation, c.request_id = self.reservation, self.request_id
        c.prompts_json = json.dumps(self.prompts).encode()
        c.barge_in, c.loop = int(self.barge_in), int(self.loop)
        c.min_digits, c.max_digits = self.min_digits, self.max_digits
        c.terminator, c.finish_key = _c_key(self.terminator), _c_key(self.finish_key)
        c.max_ms = self.max_ms
        c.target, c.function = self.target.encode(), self.function.encode()
        c.args_json = json.dumps(self.args).encode()
        c.leg, c.action = self.leg.encode(), self.action.encode()
        c.mix_json = json.dumps(self.mix).encode()
        return c

    def to_json(self) -> str:
        """The command as the JSON text hl_engine_poll_command hands out
        (hl_command_to_json)."""
        c = self.to_struct()
        out = ctypes.c_void_p()
        try:
            call(lib.hl_command_to_json, ctypes.byref(c), ctypes.byref(out))
            return ctypes.string_at(out.value).decode() if out.value else ""
        finally:
            lib.hl_free(out)

    def as_dict(self) -> Command:
        """The JSON form decoded, as Engine.commands() yields it."""
        return cast(Command, json.loads(self.to_json()))
