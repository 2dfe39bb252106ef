package hotline_test

import (
	"fmt"

	hotline "github.com/hotline-engine/hotline/bindings/go"
)

// A call through an IVR menu to an agent, stepped by hand on a virtual clock:
// events go in, commands come out for the switch to carry out.
func Example() {
	engine, err := hotline.New(`{
	  "queues": [{"id": "sales", "wrap_up_seconds": 10}],
	  "agents": [{"id": "ann", "queues": ["sales"]}],
	  "flows": [{"id": "front", "start": "menu", "nodes": {
	    "menu": {"type": "menu", "prompts": ["tts:Press 1 for sales"],
	             "options": {"1": "q"}, "fail": "bye"},
	    "q": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]},
	    "bye": {"type": "hangup"}}}]}`, 0)
	if err != nil {
		panic(err)
	}
	defer engine.Close()
	show := func() {
		commands, _ := engine.Commands()
		for _, c := range commands {
			if c["kind"] == "play" {
				fmt.Println(c["kind"], c["call_id"], c["prompts"], "loop:", c["loop"])
			} else {
				fmt.Println(c["kind"], c["call_id"])
			}
		}
	}
	_ = engine.AgentLogin("ann", 0)
	_ = engine.CallArrived(hotline.Call{ID: "c1", Caller: "+4930123456", Flow: "front"}, 1000)
	show()
	_ = engine.PromptDone("c1", 3000)
	_ = engine.Digit("c1", '1', 3500)
	show()
	// Output:
	// answer c1
	// play c1 [map[tts:Press 1 for sales]] loop: false
	// collect_digits c1
	// play c1 [map[audio:moh.wav]] loop: true
	// ring_agent c1
}

// Sizing a team with Erlang C: 200 calls an hour of 3 minutes each, 80 %
// answered within 20 seconds.
func ExampleErlangAgents() {
	work := hotline.Workload{ArrivalsPerHour: 200, AHTSeconds: 180, TargetAnswerSeconds: 20}
	agents, scheduled, _ := hotline.ErlangAgents(work,
		hotline.StaffingGoal{ServiceLevel: 0.8, MaxOccupancy: 1, Shrinkage: 0.3}, 0)
	r, _ := hotline.ErlangC(work, agents)
	fmt.Printf("%d agents on the phones, %d scheduled: %.0f%% within 20 s\n",
		agents, scheduled, 100*r.ServiceLevel)
	// Output: 14 agents on the phones, 20 scheduled: 89% within 20 s
}

// A ticket for a known caller, in an in-memory store.
func ExampleStore() {
	store, err := hotline.OpenStore(`{"backend": "memory", "default_region": "DE"}`)
	if err != nil {
		panic(err)
	}
	defer store.Close()
	alice := hotline.Actor{ID: "alice", Role: hotline.RoleAgent}
	customer, _ := store.CreateCustomer(alice, map[string]any{
		"name": "Jana", "phones": []string{"030 1234567"}})
	found, _ := store.LookupANI(alice, "+49 30 1234567")
	fmt.Println(found["name"], found["phones"])
	ticket, _ := store.CreateTicket(alice, map[string]any{
		"subject": "Card blocked", "customer": customer["id"]})
	fmt.Println(ticket["status"])
	// Output:
	// Jana [+49301234567]
	// new
}

// A switch behind the telephony interface: the engine calls it as commands
// arise, and requests it leaves unset stay for Commands.
func ExampleEngine_SetTelephony() {
	engine, _ := hotline.New(`{"queues": [{"id": "sales"}],
	  "agents": [{"id": "ann", "queues": ["sales"]}]}`, 0)
	defer engine.Close()
	_ = engine.SetTelephony(&hotline.Telephony{
		RingAgent: func(call, agent string, reservation uint64) error {
			fmt.Println("ring", agent, "for", call)
			return engine.AgentAnswered(reservation, 2000)
		},
		Bridge: func(call, agent string) error {
			fmt.Println("bridge", call, "to", agent)
			return nil
		},
	})
	_ = engine.AgentLogin("ann", 0)
	_ = engine.CallArrived(hotline.Call{ID: "c1", Queue: "sales"}, 1000)
	// Output:
	// ring ann for c1
	// bridge c1 to ann
}

// A chat and a call described as contacts: the chat takes one of the
// agent's two chat places, the urgent call jumps the queue, and a VIP waits
// for the agent who knows them.
func ExampleEngine_ContactArrived() {
	engine, err := hotline.New(`{
	  "queues": [{"id": "web", "channel": "chat"}, {"id": "sales"}],
	  "agents": [{"id": "ann", "queues": ["web", "sales"], "capacity": {"voice": 1, "chat": 2}},
	             {"id": "bob", "queues": ["sales"], "skills": {"french": 3}}]}`, 0)
	if err != nil {
		panic(err)
	}
	defer engine.Close()
	_ = engine.AgentLogin("ann", 0)
	_ = engine.AgentLogin("bob", 0)
	_ = engine.ContactArrived(hotline.Contact{ID: "chat-1", Channel: hotline.ChannelChat,
		Queue: "web", Attributes: map[string]any{"language": "en"}}, 1000)
	_ = engine.ContactArrived(hotline.Contact{ID: "call-1", Queue: "sales", Priority: 10,
		Skills: []hotline.SkillRequirement{{Skill: "french", Level: 2}}}, 1000)
	commands, _ := engine.TypedCommands()
	for _, c := range commands {
		fmt.Println(c.Kind, c.CallID, c.AgentID)
	}
	// Output:
	// ring_agent chat-1 ann
	// ring_agent call-1 bob
}

// Typed events stepped by hand: an agent logs in, a call arrives into a
// queue and is answered; the typed commands say whom to ring and connect.
func ExampleEngine_ApplyEvent() {
	engine, err := hotline.New(`{"queues": [{"id": "sales"}],
	  "agents": [{"id": "ann", "queues": ["sales"]}]}`, 0)
	if err != nil {
		panic(err)
	}
	defer engine.Close()
	_ = engine.ApplyEvent(hotline.Event{Kind: hotline.EventAgentLogin, AgentID: "ann"}, 0)
	_ = engine.ApplyEvent(hotline.Event{Kind: hotline.EventCallArrived,
		Contact: &hotline.Contact{ID: "c1", Caller: "+4930123456", Queue: "sales"}}, 1000)
	ring, _, _ := engine.NextCommand()
	fmt.Println(ring.Kind, ring.CallID, ring.AgentID)
	_ = engine.ApplyEvent(hotline.Event{Kind: hotline.EventAgentAnswered,
		Reservation: ring.Reservation}, 3000)
	bridge, _, _ := engine.NextCommand()
	fmt.Println(bridge.Kind, bridge.CallID, bridge.AgentID)
	text, _ := bridge.JSON()
	fmt.Println(text)
	// Output:
	// ring_agent c1 ann
	// bridge c1 ann
	// {"agent_id":"ann","call_id":"c1","kind":"bridge","time":3000}
}
