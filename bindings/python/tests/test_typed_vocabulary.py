"""Typed events in (hotline.events, through hl_engine_apply_event and
hl_engine_post_event), typed commands out (hl_engine_poll_command_typed) with
their JSON form, the notifications and statistics the engine added: ivr_node,
contact_refused and the refused count, and statistics on the engine's own clock."""
import json
import threading

import pytest

import hotline
from hotline import (AgentAnswered, AgentLogin, AgentNotReady, AgentState, CallArrived,
                     CommandKind, Contact, ContactArrived, Digit, EventKind, IvrNodeEvent,
                     NotificationKind, PromptDone, RoutingEvent)

FLOW = {"id": "front", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["tts:Press 1 for sales"], "options": {"1": "q"},
             "fail": "bye"},
    "q": {"type": "queue", "queue": "sales"},
    "bye": {"type": "hangup"},
}}
CONFIG = {"queues": [{"id": "sales", "max_length": 1}],
          "agents": [{"id": "ann", "queues": ["sales"]}], "flows": [FLOW]}


def test_every_event_kind_has_a_typed_event_and_the_library_knows_its_name():
    typed = {cls.KIND for cls in (hotline.CallArrived, hotline.ContactArrived, hotline.Digit,
                                  hotline.PromptDone, hotline.RecordingDone, hotline.HostResult,
                                  hotline.CallHungUp, hotline.AgentAnswered,
                                  hotline.AgentRejected, hotline.AgentNoAnswer,
                                  hotline.AgentHungUp, hotline.Transfer, hotline.WrapUpDone,
                                  hotline.AgentLogin, hotline.AgentLogout, hotline.AgentReady,
                                  hotline.AgentNotReady, hotline.Hold, hotline.Resume,
                                  hotline.Consult, hotline.LegAnswered, hotline.LegEnded,
                                  hotline.TransferComplete, hotline.ConsultCancel,
                                  hotline.Conference, hotline.ConferenceAdd,
                                  hotline.ConferenceDrop, hotline.Mute, hotline.BlindTransfer,
                                  hotline.WrapUpCode, hotline.Supervise, hotline.ForceRelease,
                                  hotline.ForceNotReady, hotline.ForceLogout,
                                  hotline.RecordingControl)}
    assert typed == set(EventKind)
    from hotline.events import KIND_CODES
    assert list(KIND_CODES) == [k.value for k in EventKind]  # the C enum's order


def test_typed_events_applied_on_the_calling_thread_drive_a_whole_call():
    with hotline.Engine(CONFIG) as engine:
        engine.apply_event(AgentLogin("ann"), 0)
        engine.apply_event(CallArrived("c1", caller="+4930123", flow_id="front"), 1000)
        engine.apply_event(PromptDone("c1"), 2000)
        engine.apply_event(Digit("c1", "1"), 2500)
        ring = next(c for c in engine.typed_commands() if c.kind == CommandKind.RING_AGENT)
        assert (ring.call_id, ring.agent_id, ring.queue_id) == ("c1", "ann", "sales")
        engine.apply_event(AgentAnswered(ring.reservation), 3000)
        assert engine.stats()["agents"]["ann"]["state"] == AgentState.BUSY
        with pytest.raises(hotline.InvalidArgumentError, match="digit"):
            engine.apply_event(Digit("c1", "x"), 3500)
        with pytest.raises(hotline.NotFoundError):
            engine.apply_event(AgentNotReady("nobody", "lunch"), 3500)


def test_typed_commands_carry_their_fields_and_the_json_form_of_the_library():
    with hotline.Engine(CONFIG) as engine:
        engine.call_arrived("c1", 1000, flow="front")
        engine.prompt_done("c1", 2000)
        typed = list(engine.typed_commands())
        assert [c.kind for c in typed] == [CommandKind.ANSWER, CommandKind.PLAY,
                                           CommandKind.COLLECT_DIGITS]
        play, collect = typed[1], typed[2]
        assert play.prompts == [{"tts": "Press 1 for sales"}] and play.barge_in
        assert (collect.min_digits, collect.max_digits, collect.time) == (1, 1, 2000)
        assert all(c.call_id == "c1" for c in typed)
        assert engine.poll_command() is None
        # The JSON form is the library's (hl_command_to_json), the same as polling JSON.
        engine.call_arrived("c2", 1000, flow="front")
        engine.prompt_done("c2", 2000)
        as_json = list(engine.commands())
        # Every play has a request id of its own (a host echoes it in prompt_done): c2's
        # play is the next one. Apart from the call and that id, the commands are alike.
        plays = [j for j in as_json if j["kind"] == "play"]
        assert play.request_id > 0
        assert [j["request_id"] for j in plays] == [play.request_id + 1]
        assert [json.loads(c.to_json()) for c in typed] == [
            dict(j, call_id="c1", **({"request_id": play.request_id} if j["kind"] == "play"
                                     else {})) for j in as_json]
        assert play.as_dict()["kind"] == "play"


def test_a_typed_event_posted_from_another_thread_runs_on_the_loop():
    seen = []
    with hotline.Engine(CONFIG, hotline.Engine.now()) as engine:
        def on_note(note):
            seen.append(note)
            if note.get("event") == RoutingEvent.OFFER:
                engine.post_event(AgentAnswered(note["reservation"]))
            if note.get("event") == RoutingEvent.OFFER_ACCEPTED:
                engine.stop()

        engine.on_notification(on_note)
        contact = Contact("chat-1", hotline.Channel.VOICE, priority=3, queue_id="sales")
        thread = threading.Thread(target=lambda: (engine.post_event(AgentLogin("ann")),
                                                  engine.post_event(ContactArrived(contact))))
        thread.start()
        thread.join()
        engine.run()
    accepted = [n for n in seen if n.get("event") == RoutingEvent.OFFER_ACCEPTED]
    assert accepted and accepted[0]["call_id"] == "chat-1"


def test_a_posted_typed_event_with_a_bad_field_is_refused_before_it_is_queued():
    with hotline.Engine(CONFIG) as engine:
        with pytest.raises(hotline.InvalidArgumentError, match="digit"):
            engine.post_event(Digit("c1", "x"))
        with pytest.raises(hotline.InvalidArgumentError, match="contact->priority"):
            engine.post_event(ContactArrived(Contact("c1", priority=-2_000_000, queue_id="q")))
        # The JSON form is strict too: unknown fields are refused, host_result needs ok.
        with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.agnet: unknown field"):
            engine.post_event({"event": "agent_login", "agnet": "ann"})
        with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.ok"):
            engine.post_event({"event": "host_result", "request_id": 1})


def test_ivr_node_notifications_say_which_node_was_left_and_entered():
    with hotline.Engine(CONFIG) as engine:
        engine.call_arrived("c1", 0, flow="front")
        engine.prompt_done("c1", 100)
        engine.digit("c1", "1", 200)
        moves = [(n["event"], n["node"]) for n in engine.notifications()
                 if n["kind"] == NotificationKind.IVR_NODE]
        assert moves == [(IvrNodeEvent.ENTERED, "menu"), (IvrNodeEvent.LEFT, "menu"),
                         (IvrNodeEvent.ENTERED, "q")]


def test_a_full_queue_refuses_the_contact_and_counts_it():
    with hotline.Engine(CONFIG) as engine:
        engine.contact_arrived(Contact("c1", queue_id="sales"), 0)
        engine.contact_arrived(Contact("c2", queue_id="sales"), 10)
        refused = [n for n in engine.notifications()
                   if n["kind"] == NotificationKind.CONTACT_REFUSED]
        assert [(n["call_id"], n["queue_id"]) for n in refused] == [("c2", "sales")]
        assert refused[0]["reason"]
        assert engine.stats()["queues"]["sales"]["refused"] == 1


def test_stats_without_a_time_use_the_engines_own_clock():
    with hotline.Engine(CONFIG, 0) as engine:
        engine.contact_arrived(Contact("c1", queue_id="sales"), 0)
        engine.advance(5000)
        stats = engine.stats()
        # The virtual clock says 5 s; the wall clock (about 1.7e12 ms) never enters.
        assert stats["time"] == 5000
        assert stats["queues"]["sales"]["longest_wait_ms"] == 5000
        assert engine.stats(7000)["queues"]["sales"]["longest_wait_ms"] == 7000


def test_the_stats_types_list_exactly_the_fields_the_library_reports():
    with hotline.Engine(CONFIG, 0) as engine:
        stats = engine.stats()
        assert set(stats) == set(hotline.Stats.__annotations__)
        assert set(stats["queues"]["sales"]) == set(hotline.QueueStats.__annotations__)
        assert set(stats["agents"]["ann"]) == set(hotline.AgentStats.__annotations__)
