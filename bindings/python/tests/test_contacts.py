"""Contacts described with hotline.Contact: the channel takes the agent's capacity
for it, priority orders the queue, a preferred agent is offered the contact alone
until the wait ends, skills and bad fields are checked by the library."""
import pytest

import hotline
from hotline import Channel, CommandKind, Contact

CONFIG = {
    "queues": [{"id": "web", "channel": "chat"}, {"id": "sales"}],
    "agents": [{"id": "ann", "queues": ["web", "sales"], "capacity": {"voice": 1, "chat": 2}},
               {"id": "bob", "queues": ["sales"]}],
}


def rings_to(engine, agent):
    """The calls rung to `agent` among the pending commands, oldest first."""
    return [c.call_id for c in engine.typed_commands()
            if c.kind == CommandKind.RING_AGENT and c.agent_id == agent]


def test_a_chat_contact_takes_the_agents_chat_capacity():
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("ann", 0)
        for n in (1, 2, 3):
            engine.contact_arrived(Contact(f"chat-{n}", Channel.CHAT, queue_id="web"), 1000)
        # Two chats at once (chat capacity 2); the third waits.
        assert rings_to(engine, "ann") == ["chat-1", "chat-2"]
        assert engine.stats()["queues"]["web"]["waiting"] == 1


def test_a_voice_call_does_not_fit_in_chat_capacity():
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("ann", 0)
        engine.contact_arrived(Contact("v1", queue_id="sales"), 1000)
        engine.contact_arrived(Contact("v2", queue_id="sales"), 1000)
        assert rings_to(engine, "ann") == ["v1"]  # one voice call at once


def test_a_higher_priority_is_served_first():
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("bob", 0)
        engine.agent_not_ready("bob", "break", 0)
        engine.contact_arrived(Contact("early", queue_id="sales"), 1000)
        engine.contact_arrived(Contact("urgent", priority=5, queue_id="sales"), 2000)
        engine.contact_arrived(Contact("late", queue_id="sales"), 3000)
        assert rings_to(engine, "bob") == []
        engine.agent_ready("bob", 4000)
        assert rings_to(engine, "bob") == ["urgent"]


def test_a_preferred_agent_is_offered_first_then_the_queue_after_the_wait():
    vip = Contact("vip", queue_id="sales", preferred_agent="bob", preferred_wait_ms=20_000)
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("ann", 0)
        engine.agent_login("bob", 0)
        engine.agent_not_ready("bob", "meeting", 0)
        engine.contact_arrived(vip, 1000)
        assert rings_to(engine, "ann") == []  # Ann is free, but the contact waits for Bob
        assert engine.next_deadline() == 21_000
        engine.advance(20_999)
        assert rings_to(engine, "ann") == []
        engine.advance(21_000)
        assert rings_to(engine, "ann") == ["vip"]
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("ann", 0)
        engine.agent_login("bob", 0)
        engine.contact_arrived(vip, 1000)
        assert rings_to(engine, "bob") == ["vip"]


def test_skills_with_levels_and_attributes_reach_the_router():
    config = {"queues": [{"id": "sales", "rings": [{"target": "contact.region == agent.region"}]}],
              "agents": [{"id": "ann", "queues": ["sales"], "skills": {"french": 1},
                          "attributes": {"region": "north"}},
                         {"id": "bob", "queues": ["sales"], "skills": {"french": 3},
                          "attributes": {"region": "south"}}]}
    with hotline.Engine(config) as engine:
        engine.agent_login("ann", 0)
        engine.agent_login("bob", 0)
        engine.contact_arrived(Contact("fr", skills={"french": 2}, queue_id="sales",
                                       attributes={"region": "south"}), 1000)
        assert rings_to(engine, "bob") == ["fr"]
        engine.contact_arrived(Contact("north", skills={"french": 2}, queue_id="sales",
                                       attributes={"region": "north"}), 1000)
        assert rings_to(engine, "ann") == []  # Ann is in the north, but French 1 < 2
        # A list of names asks for level 1 each: Ann's French 1 is enough.
        engine.contact_arrived(Contact("north-1", skills=["french"], queue_id="sales",
                                       attributes={"region": "north"}), 1000)
        assert rings_to(engine, "ann") == ["north-1"]


def test_a_bad_contact_is_refused_with_the_field_and_nothing_changes():
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("bob", 0)
        with pytest.raises(hotline.InvalidArgumentError, match=r"^contact->priority"):
            engine.contact_arrived(Contact("x", priority=2_000_000, queue_id="sales"), 1000)
        with pytest.raises(hotline.InvalidArgumentError, match=r"contact->skills\[0\]\.level"):
            engine.contact_arrived(Contact("x", skills={"french": 5000}, queue_id="sales"), 1000)
        with pytest.raises(hotline.InvalidArgumentError, match="contact->preferred_wait_ms"):
            engine.contact_arrived(Contact("x", preferred_wait_ms=-1, queue_id="sales"), 1000)
        assert list(engine.commands()) == []
        assert engine.stats()["queues"]["sales"]["waiting"] == 0
