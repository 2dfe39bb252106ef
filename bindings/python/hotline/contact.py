"""A contact as the host describes it when it arrives (hl_contact, contact.h)."""
from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Sequence, Tuple, Union

from ._native import CContact, SkillRequirement, text
from .vocabulary import Channel

# hl_channel's values.
CHANNEL_CODES = {Channel.VOICE: 0, Channel.CHAT: 1, Channel.EMAIL: 2}


@dataclass(frozen=True)
class Contact:
    """A call, chat or e-mail arriving (Engine.contact_arrived).

    It runs the IVR flow `flow_id`, or without one joins `queue_id`. `skills`
    maps each skill the agent needs to its least level (0 to 1000), or lists
    skill names (level 1 each);
    `attributes` are the contact's attributes for routing expressions (they
    win over the customer's on a shared key); `preferred_agent` is offered the
    contact alone for `preferred_wait_ms`, then the queue's other agents may
    take it. `priority` (-1000000 to 1000000) is served highest first.
    """
    id: str
    channel: Channel = Channel.VOICE
    priority: int = 0
    skills: Union[Mapping[str, int], Sequence[str]] = field(default_factory=dict)
    attributes: Optional[Mapping[str, Any]] = None
    preferred_agent: Optional[str] = None
    preferred_wait_ms: int = 0
    customer: Optional[Mapping[str, Any]] = None
    caller: Optional[str] = None
    dialled: Optional[str] = None
    flow_id: Optional[str] = None
    queue_id: Optional[str] = None


def contact_struct(contact: Contact) -> Tuple[CContact, List[Any]]:
    """The hl_contact for `contact`, and the buffers it points into (keep them alive
    for as long as the struct is used)."""
    needs = skill_levels(contact.skills)
    skills = (SkillRequirement * max(len(needs), 1))()
    for i, (skill, level) in enumerate(needs):
        skills[i] = SkillRequirement(skill.encode(), level)
    c = CContact()
    c.size = ctypes.sizeof(CContact)
    c.id = contact.id.encode()
    c.channel = CHANNEL_CODES[Channel(contact.channel)]
    c.priority = contact.priority
    c.skills = ctypes.cast(skills, ctypes.POINTER(SkillRequirement))
    c.skill_count = len(needs)
    c.attributes_json = _json(contact.attributes)
    c.preferred_agent = text(contact.preferred_agent)
    c.preferred_wait_ms = contact.preferred_wait_ms
    c.customer_json = _json(contact.customer)
    c.caller = text(contact.caller)
    c.dialled = text(contact.dialled)
    c.flow_id = text(contact.flow_id)
    c.queue_id = text(contact.queue_id)
    return c, [skills]


def skill_levels(skills: Union[Mapping[str, int], Sequence[str]]) -> List[Tuple[str, int]]:
    """(skill, least level) pairs: a mapping as given, a list of names at level 1."""
    if isinstance(skills, str):
        return [(skills, 1)]
    if isinstance(skills, Mapping):
        return [(name, int(level)) for name, level in skills.items()]
    return [(name, 1) for name in skills]


def _json(value: Optional[Mapping[str, Any]]) -> Optional[bytes]:
    return None if value is None else json.dumps(value).encode()
