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
