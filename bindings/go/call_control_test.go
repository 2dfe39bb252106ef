package hotline

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// callControlConfig: sam answers sales calls with music on hold and
// recording on demand; sue is a supervisor, ann an agent without that role.
const callControlConfig = `{
  "queues": [{"id": "sales", "recording": "on_demand",
              "music_on_hold": ["audio/hold.wav", "tts:Please hold"]}],
  "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "ann"},
             {"id": "sue", "role": "supervisor"}]}`

// switchLog is a Telephony that writes down each call control request.
type switchLog struct {
	lines       []string
	reservation uint64
	refuseDial  bool
}

func (s *switchLog) telephony() *Telephony {
	return &Telephony{
		RingAgent: func(_, _ string, r uint64) error { s.reservation = r; return nil },
		Bridge:    func(_, _ string) error { return nil },
		Hold: func(call string, prompts []Prompt) error {
			var names []string
			for _, p := range prompts {
				names = append(names, p.Audio+p.TTS)
			}
			s.lines = append(s.lines, "hold "+call+" "+strings.Join(names, ","))
			return nil
		},
		Resume: func(call string) error { s.lines = append(s.lines, "resume "+call); return nil },
		Dial: func(call, leg, agent, target string) error {
			s.lines = append(s.lines, "dial "+call+" leg="+leg+" agent="+agent+" target="+target)
			if s.refuseDial {
				return errors.New("no line free")
			}
			return nil
		},
		HangupLeg: func(call, leg string) error {
			s.lines = append(s.lines, "hangup_leg "+call+" "+leg)
			return nil
		},
		Mix: func(call string, mix Mix) error {
			s.lines = append(s.lines, "mix "+call+" sam hears "+strings.Join(mix.Legs["sam"], ",")+
				"; c1 hears "+strings.Join(mix.Legs["c1"], ",")+
				"; sue hears "+strings.Join(mix.Legs["sue"], ","))
			return nil
		},
		RecordControl: func(call, action string) error {
			s.lines = append(s.lines, "record_control "+call+" "+action)
			return nil
		},
	}
}

// answered is an engine on which sam has answered call c1, with sw as its switch.
func answered(t *testing.T, sw *switchLog) *Engine {
	t.Helper()
	e := mustEngine(t, callControlConfig)
	ok(t, e.SetTelephony(sw.telephony()))
	ok(t, e.AgentLogin("sam", 0))
	ok(t, e.CallArrived(Call{ID: "c1", Queue: "sales"}, 1000))
	ok(t, e.AgentAnswered(sw.reservation, 2000))
	return e
}

func (s *switchLog) take() []string {
	out := s.lines
	s.lines = nil
	return out
}

func TestHoldAndResumeReachTheSwitchWithTheQueuesMusic(t *testing.T) {
	sw := &switchLog{}
	e := answered(t, sw)
	ok(t, e.Hold("c1", 5000))
	if got := sw.take(); !reflect.DeepEqual(got, []string{"hold c1 audio/hold.wav,Please hold"}) {
		t.Fatalf("hold: %q", got)
	}
	if err := e.Hold("c1", 6000); !errors.Is(err, ErrState) {
		t.Fatalf("a held call held again: %v", err)
	}
	ok(t, e.Resume("c1", 9000))
	if got := sw.take(); !reflect.DeepEqual(got, []string{"resume c1"}) {
		t.Fatalf("resume: %q", got)
	}
	notes, err := e.TypedNotifications()
	ok(t, err)
	var held int64 = -1
	for _, n := range notes {
		if n.Kind == NotificationConversation && n.Text == "connected" {
			held = n.Value
		}
	}
	if held != 4000 {
		t.Fatalf("the conversation notification gives the hold time: %d in %+v", held, notes)
	}
}

func TestAWhisperDialsTheSupervisorThenOnlyTheAgentHearsThem(t *testing.T) {
	sw := &switchLog{}
	e := answered(t, sw)
	ok(t, e.Supervise("c1", "sue", SuperviseWhisper, "", 5000))
	if got := sw.take(); !reflect.DeepEqual(got, []string{"dial c1 leg=sue agent=sue target="}) {
		t.Fatalf("supervise: %q", got)
	}
	ok(t, e.LegAnswered("c1", "sue", 6000))
	want := []string{"mix c1 sam hears c1,sue; c1 hears sam; sue hears c1,sam"}
	if got := sw.take(); !reflect.DeepEqual(got, want) {
		t.Fatalf("whisper mix: %q", got)
	}
	notes, err := e.TypedNotifications()
	ok(t, err)
	audited := false
	for _, n := range notes {
		if n.Kind == NotificationSupervision && n.Actor == "sue" && n.Text == "whisper" &&
			n.CallID == "c1" {
			audited = true
		}
	}
	if !audited {
		t.Fatalf("no supervision notification by sue in %+v", notes)
	}
	if err := e.Supervise("c1", "ann", SuperviseBarge, "", 7000); !errors.Is(err, ErrPerm) {
		t.Fatalf("an agent who is not a supervisor: %v", err)
	}
}

func TestAFailedDialIsReportedBackAsTheLegEnded(t *testing.T) {
	sw := &switchLog{refuseDial: true}
	e := answered(t, sw)
	ok(t, e.Supervise("c1", "sue", SuperviseMonitor, "", 5000))
	sw.take()
	if err := e.LegAnswered("c1", "sue", 6000); err == nil {
		t.Fatal("the leg that could not be dialled is still on the call")
	}
	sw.refuseDial = false
	ok(t, e.Supervise("c1", "sue", SuperviseMonitor, "", 7000))
	if got := sw.take(); !reflect.DeepEqual(got, []string{"dial c1 leg=sue agent=sue target="}) {
		t.Fatalf("supervising again dials again: %q", got)
	}
}

func TestConsultingANumberDialsItAndRecordingReachesTheSwitch(t *testing.T) {
	sw := &switchLog{}
	e := answered(t, sw)
	ok(t, e.Consult("c1", "", "+15550100", 5000))
	if got := sw.take(); !reflect.DeepEqual(got, []string{
		"hold c1 audio/hold.wav,Please hold", "dial c1 leg=c1:1 agent= target=+15550100"}) {
		t.Fatalf("consult: %q", got)
	}
	ok(t, e.ConsultCancel("c1", 6000))
	if got := sw.take(); len(got) == 0 || got[0] != "hangup_leg c1 c1:1" {
		t.Fatalf("consult_cancel: %q", got)
	}
	ok(t, e.RecordingControl("c1", RecordingStart, 7000))
	if got := sw.take(); !reflect.DeepEqual(got, []string{"record_control c1 start"}) {
		t.Fatalf("recording: %q", got)
	}
}

func TestWithoutItsSlotACallControlCommandIsPolledTyped(t *testing.T) {
	sw := &switchLog{}
	e := mustEngine(t, callControlConfig)
	tel := sw.telephony()
	tel.Hold, tel.Dial, tel.Mix = nil, nil, nil
	ok(t, e.SetTelephony(tel))
	ok(t, e.AgentLogin("sam", 0))
	ok(t, e.CallArrived(Call{ID: "c1", Queue: "sales"}, 1000))
	ok(t, e.AgentAnswered(sw.reservation, 2000))
	_, err := e.TypedCommands()
	ok(t, err)
	ok(t, e.Hold("c1", 3000))
	ok(t, e.Resume("c1", 3500))
	ok(t, e.Supervise("c1", "sue", SuperviseBarge, "", 4000))
	ok(t, e.LegAnswered("c1", "sue", 4500))
	commands, err := e.TypedCommands()
	ok(t, err)
	var got []CommandKind
	for _, c := range commands {
		got = append(got, c.Kind)
	}
	if !reflect.DeepEqual(got, []CommandKind{CommandHold, CommandDial, CommandMix}) {
		t.Fatalf("polled %v", got)
	}
	hold, dial, mix := commands[0], commands[1], commands[2]
	if len(hold.Prompts) != 2 || hold.Prompts[0].Audio != "audio/hold.wav" {
		t.Fatalf("hold prompts %+v", hold.Prompts)
	}
	if dial.Leg != "sue" || dial.AgentID != "sue" || dial.Target != "" {
		t.Fatalf("dial %+v", dial)
	}
	if !reflect.DeepEqual(mix.Mix.Legs["c1"], []string{"sam", "sue"}) {
		t.Fatalf("barge: the caller hears both, got %+v", mix.Mix)
	}
	text, err := mix.JSON()
	ok(t, err)
	if !strings.Contains(text, `"mix":{"legs":{`) || !strings.Contains(text, `"kind":"mix"`) {
		t.Fatalf("mix as JSON: %s", text)
	}
}

func TestTypedCallControlEventsCarryTheirFields(t *testing.T) {
	sw := &switchLog{}
	e := answered(t, sw)
	ok(t, e.ApplyEvent(Event{Kind: EventSupervise, CallID: "c1", Supervisor: "sue",
		Mode: SuperviseWhisper, Leg: "sue-phone"}, 5000))
	// The leg the supervisor called in on is already there: no dial, the mix at once.
	if got := sw.take(); len(got) != 1 || !strings.HasPrefix(got[0], "mix c1") {
		t.Fatalf("supervise on the supervisor's own leg: %q", got)
	}
	ok(t, e.ApplyEvent(Event{Kind: EventMute, CallID: "c1", Leg: "c1", Muted: true}, 6000))
	if got := sw.take(); len(got) != 1 || !strings.Contains(got[0], "sam hears sue-phone") {
		t.Fatalf("muted caller: %q", got)
	}
	err := e.ApplyEvent(Event{Kind: EventWrapUpCode, CallID: "c1"}, 7000)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "code") {
		t.Fatalf("a wrap-up code without its code: %v", err)
	}
	if EventRecordingControl.String() != "recording_control" || CommandMix.String() != "mix" {
		t.Fatalf("names %v %v", EventRecordingControl, CommandMix)
	}
}

// On a running loop the switch answers each request by posting the next
// typed event from its own goroutine: hold, resume, a whisper dialled and mixed.
func TestPostedCallControlEventsOnARunningLoopReachTheSwitch(t *testing.T) {
	e, err := New(callControlConfig, Now())
	ok(t, err)
	defer e.Close()
	var log []string
	post := func(ev Event) {
		go func() { _ = e.PostEvent(ev) }()
	}
	ok(t, e.SetTelephony(&Telephony{
		RingAgent: func(_, _ string, r uint64) error {
			post(Event{Kind: EventAgentAnswered, Reservation: r})
			return nil
		},
		Bridge: func(call, _ string) error { post(Event{Kind: EventHold, CallID: call}); return nil },
		Hold: func(call string, prompts []Prompt) error {
			log = append(log, "hold "+prompts[0].Audio)
			post(Event{Kind: EventResume, CallID: call})
			return nil
		},
		Resume: func(call string) error {
			log = append(log, "resume")
			post(Event{Kind: EventSupervise, CallID: call, Supervisor: "sue",
				Mode: SuperviseWhisper})
			return nil
		},
		Dial: func(call, leg, agent, target string) error {
			log = append(log, "dial "+leg+" "+agent+" "+target)
			post(Event{Kind: EventLegAnswered, CallID: call, Leg: leg})
			return nil
		},
		Mix: func(_ string, mix Mix) error {
			log = append(log, "mix sam hears "+strings.Join(mix.Legs["sam"], ","))
			return e.Stop()
		},
	}))
	ok(t, e.Post("agent_login", map[string]any{"agent_id": "sam"}))
	ok(t, e.Post("call_arrived", map[string]any{"call_id": "c1", "queue_id": "sales"}))
	ok(t, e.Run())
	want := []string{"hold audio/hold.wav", "resume", "dial sue sue ", "mix sam hears c1,sue"}
	if !reflect.DeepEqual(log, want) {
		t.Fatalf("the switch saw %q", log)
	}
}

const queueConsultConfig = `{
  "queues": [{"id": "sales"}, {"id": "support"}],
  "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "tom", "queues": ["support"]}]}`

func TestConsultingAQueueRingsItsAgentAndAnEmptyQueueHoldsTheCallAgain(t *testing.T) {
	sw := &switchLog{}
	e := mustEngine(t, queueConsultConfig)
	ok(t, e.SetTelephony(sw.telephony()))
	ok(t, e.AgentLogin("sam", 0))
	ok(t, e.CallArrived(Call{ID: "c1", Queue: "sales"}, 1000))
	ok(t, e.AgentAnswered(sw.reservation, 2000))
	sw.take()
	_, err := e.TypedNotifications()
	ok(t, err)

	// Nobody in support: the consultation fails back to held.
	ok(t, e.ConsultQueue("c1", "support", 3000))
	if got := sw.take(); len(got) != 1 || !strings.HasPrefix(got[0], "hold c1") {
		t.Fatalf("an empty queue's consultation: %q", got)
	}
	notes, err := e.TypedNotifications()
	ok(t, err)
	failed := ""
	for _, n := range notes {
		if n.Kind == NotificationConsultFailed {
			failed = n.QueueID + " " + n.Text
		}
	}
	if failed != "support no_agents" {
		t.Fatalf("no consult_failed for support in %+v", notes)
	}

	// Tom logs in: the consultation rings him, and he takes the caller.
	ok(t, e.AgentLogin("tom", 3500))
	ok(t, e.ConsultQueue("c1", "support", 4000))
	if got := sw.take(); !reflect.DeepEqual(got, []string{"dial c1 leg=tom agent=tom target="}) {
		t.Fatalf("consulting support: %q", got)
	}
	ok(t, e.LegAnswered("c1", "tom", 5000))
	ok(t, e.TransferComplete("c1", 6000))
	if err := e.ConsultQueue("c1", "nowhere", 7000); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown queue: %v", err)
	}
}
