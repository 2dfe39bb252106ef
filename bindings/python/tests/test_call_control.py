"""Live call control from Python: hold and resume reach the switch with the queue's
music, a whispering supervisor is dialled and then mixed to the agent alone, a dial
the switch cannot place comes back as the leg ended, a switch without a slot finds
the command in the typed poll queue, and typed events carry the new fields."""
import json

import pytest

import hotline
from hotline import (CommandKind, Mute, NotificationKind, RecordingAction, Supervise,
                     SupervisionMode, TypedCommand, WrapUpCode)

CONFIG = {
    "queues": [{"id": "sales", "recording": "on_demand",
                "music_on_hold": ["audio/hold.wav", "tts:Please hold"]}],
    "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "ann"},
               {"id": "sue", "role": "supervisor"}],
}
MUSIC = [{"audio": "audio/hold.wav"}, {"tts": "Please hold"}]


class Switch(hotline.Telephony):
    """Writes down each request; answers the ring itself."""

    def __init__(self, refuse_dial=False):
        self.log = []
        self.reservation = 0
        self.refuse_dial = refuse_dial

    def ring_agent(self, call_id, agent_id, reservation):
        self.reservation = reservation

    def bridge(self, call_id, agent_id):
        pass

    def hold(self, call_id, prompts):
        self.log.append(("hold", call_id, prompts))

    def resume(self, call_id):
        self.log.append(("resume", call_id))

    def dial(self, call_id, leg, agent_id, target):
        self.log.append(("dial", call_id, leg, agent_id, target))
        if self.refuse_dial:
            raise RuntimeError("no line free")

    def hangup_leg(self, call_id, leg):
        self.log.append(("hangup_leg", call_id, leg))

    def mix(self, call_id, mix):
        self.log.append(("mix", call_id, mix))

    def record_control(self, call_id, action):
        self.log.append(("record_control", call_id, action))

    def take(self):
        out, self.log = self.log, []
        return out


def answered(engine, switch):
    """sam answers call c1, with `switch` installed."""
    engine.set_telephony(switch)
    engine.agent_login("sam", 0)
    engine.call_arrived("c1", 1000, queue="sales")
    engine.agent_answered(switch.reservation, 2000)
    list(engine.notifications())


def test_hold_and_resume_reach_the_switch_with_the_queues_music():
    switch = Switch()
    with hotline.Engine(CONFIG) as engine:
        answered(engine, switch)
        engine.hold("c1", 5000)
        assert switch.take() == [("hold", "c1", MUSIC)]
        with pytest.raises(hotline.IllegalStateError, match="call 'c1' is held"):
            engine.hold("c1", 6000)
        engine.resume("c1", 9000)
        assert switch.take() == [("resume", "c1")]
        states = [(n["text"], n["value"]) for n in engine.notifications()
                  if n["kind"] == NotificationKind.CONVERSATION]
        assert states == [("held", 3000), ("connected", 4000)]


def test_a_whisper_dials_the_supervisor_then_only_the_agent_hears_them():
    switch = Switch()
    with hotline.Engine(CONFIG) as engine:
        answered(engine, switch)
        engine.supervise("c1", "sue", SupervisionMode.WHISPER, 5000)
        assert switch.take() == [("dial", "c1", "sue", "sue", None)]
        engine.leg_answered("c1", "sue", 6000)
        [(kind, call_id, mix)] = switch.take()
        assert (kind, call_id) == ("mix", "c1")
        assert mix["legs"]["c1"] == ["sam"]
        assert sorted(mix["legs"]["sam"]) == ["c1", "sue"]
        assert sorted(mix["legs"]["sue"]) == ["c1", "sam"]
        audit = [n for n in engine.notifications() if n["kind"] == NotificationKind.SUPERVISION]
        assert [(n["actor"], n["text"], n["call_id"]) for n in audit] == [("sue", "whisper", "c1")]
        with pytest.raises(hotline.PermissionDeniedError, match="not a supervisor"):
            engine.supervise("c1", "ann", SupervisionMode.BARGE, 7000)


def test_a_dial_the_switch_cannot_place_is_reported_back_as_the_leg_ended(capsys):
    switch = Switch(refuse_dial=True)
    with hotline.Engine(CONFIG) as engine:
        answered(engine, switch)
        engine.supervise("c1", "sue", SupervisionMode.MONITOR, 5000)
        assert "no line free" in capsys.readouterr().err
        errors = [n for n in engine.notifications() if n["kind"] == NotificationKind.HOST_ERROR]
        assert [n["what"] for n in errors] == ["dial"]
        with pytest.raises(hotline.NotFoundError, match="no leg 'sue'"):
            engine.leg_answered("c1", "sue", 6000)
        switch.refuse_dial = False
        switch.take()
        engine.supervise("c1", "sue", SupervisionMode.MONITOR, 7000)
        assert switch.take() == [("dial", "c1", "sue", "sue", None)]


def test_consulting_a_number_dials_it_and_recording_reaches_the_switch():
    switch = Switch()
    with hotline.Engine(CONFIG) as engine:
        answered(engine, switch)
        engine.consult("c1", 5000, target="+15550100")
        assert switch.take() == [("hold", "c1", MUSIC),
                                 ("dial", "c1", "c1:1", None, "+15550100")]
        engine.consult_cancel("c1", 6000)
        assert switch.take()[0] == ("hangup_leg", "c1", "c1:1")
        engine.recording_control("c1", RecordingAction.START, 7000)
        engine.recording_control("c1", RecordingAction.PAUSE, 8000)
        assert switch.take() == [("record_control", "c1", "start"),
                                 ("record_control", "c1", "pause")]


def test_without_its_slot_a_call_control_command_waits_typed_in_the_poll_queue():
    class Partial(Switch):
        hold = hotline.Telephony.hold
        dial = hotline.Telephony.dial
        mix = hotline.Telephony.mix

    switch = Partial()
    with hotline.Engine(CONFIG) as engine:
        answered(engine, switch)
        list(engine.commands())
        engine.hold("c1", 3000)
        engine.resume("c1", 3500)
        engine.supervise("c1", "sue", SupervisionMode.BARGE, 4000)
        engine.leg_answered("c1", "sue", 4500)
        assert switch.take() == [("resume", "c1")]
        hold, dial, mix = list(engine.typed_commands())
        assert (hold.kind, hold.prompts) == (CommandKind.HOLD, MUSIC)
        assert (dial.kind, dial.leg, dial.agent_id, dial.target) == (CommandKind.DIAL, "sue",
                                                                     "sue", "")
        assert mix.kind == CommandKind.MIX
        assert sorted(mix.mix["legs"]["c1"]) == ["sam", "sue"]
        assert json.loads(mix.to_json())["mix"] == mix.mix
        record = TypedCommand(kind=CommandKind.RECORD_CONTROL, time=1, call_id="c1",
                              action="stop")
        assert record.as_dict()["action"] == "stop"


def test_typed_call_control_events_carry_their_fields():
    switch = Switch()
    with hotline.Engine(CONFIG) as engine:
        answered(engine, switch)
        engine.apply_event(Supervise("c1", "sue", SupervisionMode.WHISPER, leg="sue-phone"), 5000)
        [(kind, _, mix)] = switch.take()  # on the leg sue called in on: no dial
        assert kind == "mix" and "sue-phone" in mix["legs"]
        engine.apply_event(Mute("c1", "c1", True), 6000)
        [(_, _, muted)] = switch.take()
        assert muted["legs"]["sam"] == ["sue-phone"]
        with pytest.raises(hotline.InvalidArgumentError, match="code"):
            engine.apply_event(WrapUpCode("c1", ""), 7000)


def test_on_a_running_loop_posted_call_control_events_reach_the_switch():
    """The switch answers each request by posting the next typed event, as a real
    one would from its own thread: hold, resume, a whisper dialled and mixed."""
    log = []

    class LoopSwitch(hotline.Telephony):
        def __init__(self, engine):
            self.engine = engine

        def ring_agent(self, call_id, agent_id, reservation):
            self.engine.post_event(hotline.AgentAnswered(reservation))

        def bridge(self, call_id, agent_id):
            self.engine.post_event(hotline.Hold(call_id))

        def hold(self, call_id, prompts):
            log.append(("hold", prompts))
            self.engine.post_event(hotline.Resume(call_id))

        def resume(self, call_id):
            log.append(("resume",))
            self.engine.post_event(Supervise(call_id, "sue", SupervisionMode.WHISPER))

        def dial(self, call_id, leg, agent_id, target):
            log.append(("dial", leg, agent_id, target))
            self.engine.post_event(hotline.LegAnswered(call_id, leg))

        def mix(self, call_id, mix):
            log.append(("mix", sorted(mix["legs"]["sam"])))
            self.engine.stop()

    with hotline.Engine(CONFIG, hotline.Engine.now()) as engine:
        engine.set_telephony(LoopSwitch(engine))
        engine.post("agent_login", agent_id="sam")
        engine.post("call_arrived", call_id="c1", queue_id="sales")
        engine.run()
    assert log == [("hold", MUSIC), ("resume",), ("dial", "sue", "sue", None),
                   ("mix", ["c1", "sue"])]


QUEUE_CONSULT_CONFIG = {
    "queues": [{"id": "sales"}, {"id": "support"}],
    "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "tom", "queues": ["support"]}],
}


def test_consulting_a_queue_rings_its_agent_and_an_empty_queue_holds_the_call_again():
    switch = Switch()
    with hotline.Engine(QUEUE_CONSULT_CONFIG) as engine:
        answered(engine, switch)
        # Nobody in support: the consultation fails back to held.
        engine.consult("c1", 3000, queue_id="support")
        assert [entry[0] for entry in switch.take()] == ["hold"]
        notes = list(engine.notifications())
        failed = [n for n in notes if n["kind"] == NotificationKind.CONSULT_FAILED]
        assert [(n["queue_id"], n["text"]) for n in failed] == [("support", "no_agents")]
        assert [n["text"] for n in notes if n["kind"] == NotificationKind.CONVERSATION] == [
            "consulting", "held"]
        # Tom logs in: the consultation rings him, and he takes the caller.
        engine.agent_login("tom", 3500)
        engine.consult("c1", 4000, queue_id="support")
        assert switch.take() == [("dial", "c1", "tom", "tom", None)]
        engine.leg_answered("c1", "tom", 5000)
        engine.transfer_complete("c1", 6000)
        moved = [n for n in engine.notifications() if n["kind"] == NotificationKind.TRANSFERRED]
        assert [(n["agent_id"], n["text"]) for n in moved] == [("sam", "tom")]
        with pytest.raises(hotline.NotFoundError, match="unknown queue 'nowhere'"):
            engine.consult("c1", 7000, queue_id="nowhere")
        with pytest.raises(ValueError, match="exactly one"):
            engine.consult("c1", 7000, agent_id="sam", queue_id="support")


def test_a_typed_consult_event_names_the_queue():
    switch = Switch()
    with hotline.Engine(QUEUE_CONSULT_CONFIG) as engine:
        answered(engine, switch)
        engine.agent_login("tom", 2500)
        engine.apply_event(hotline.Consult("c1", queue_id="support"), 3000)
        assert switch.take()[-1] == ("dial", "c1", "tom", "tom", None)
