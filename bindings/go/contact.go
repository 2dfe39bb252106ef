package hotline

/*
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"unsafe"
)

// Channel is the media of a contact (hl_channel): agents have a capacity
// per channel (one voice call, several chats).
type Channel int

// The channels, as in the C ABI.
const (
	ChannelVoice Channel = C.HL_CHANNEL_VOICE
	ChannelChat  Channel = C.HL_CHANNEL_CHAT
	ChannelEmail Channel = C.HL_CHANNEL_EMAIL
)

// SkillRequirement is a skill a contact needs and the least level (0 to
// 1000) an agent must have in it.
type SkillRequirement struct {
	Skill string
	Level int
}

// Contact is a call, chat or e-mail as the host describes it when it
// arrives (hl_contact). It runs the IVR flow Flow, or without one joins
// Queue. Priority (-1000000 to 1000000) is served highest first; Attributes
// are the contact's attributes for routing expressions (they win over the
// customer's on a shared key); PreferredAgent is offered the contact alone
// for PreferredWaitMs, then the queue's other agents may take it.
type Contact struct {
	ID              string
	Channel         Channel
	Priority        int
	Skills          []SkillRequirement
	Attributes      map[string]any
	PreferredAgent  string
	PreferredWaitMs int64
	Customer        map[string]any
	Caller          string
	Dialled         string
	Flow            string
	Queue           string
}

// carena holds C memory for one call: structs C reads that point to other C
// memory (cgo forbids C memory that holds Go pointers); freed together.
type carena []unsafe.Pointer

func (a *carena) alloc(size C.size_t) unsafe.Pointer {
	p := C.calloc(1, size)
	if p == nil {
		panic("hotline: out of memory")
	}
	*a = append(*a, p)
	return p
}

// str is a C copy of s, or NULL for "" (the C ABI's "unset").
func (a *carena) str(s string) *C.char {
	if s == "" {
		return nil
	}
	cs := C.CString(s)
	*a = append(*a, unsafe.Pointer(cs))
	return cs
}

func (a *carena) json(what string, v map[string]any) (*C.char, error) {
	if v == nil {
		return nil, nil
	}
	text, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Status: StatusInvalid, Message: fmt.Sprintf("%s: %v", what, err)}
	}
	return a.str(string(text)), nil
}

func (a *carena) free() {
	for _, p := range *a {
		C.free(p)
	}
	*a = nil
}

// cContact is the hl_contact for c, in the arena's memory.
func (a *carena) cContact(c *Contact) (*C.hl_contact, error) {
	out := (*C.hl_contact)(a.alloc(C.sizeof_hl_contact))
	out.size = C.uint32_t(C.sizeof_hl_contact)
	out.id = a.str(c.ID) // NULL when empty: the library names the missing field
	out.channel = C.hl_channel(c.Channel)
	out.priority = C.int(c.Priority)
	if n := len(c.Skills); n > 0 {
		skills := (*C.hl_skill_requirement)(a.alloc(C.size_t(n) * C.sizeof_hl_skill_requirement))
		items := unsafe.Slice(skills, n)
		for i, need := range c.Skills {
			items[i].skill = a.str(need.Skill)
			items[i].level = C.int(need.Level)
		}
		out.skills = skills
		out.skill_count = C.size_t(n)
	}
	var err error
	if out.attributes_json, err = a.json("attributes", c.Attributes); err != nil {
		return nil, err
	}
	if out.customer_json, err = a.json("customer", c.Customer); err != nil {
		return nil, err
	}
	out.preferred_agent = a.str(c.PreferredAgent)
	out.preferred_wait_ms = C.int64_t(c.PreferredWaitMs)
	out.caller = a.str(c.Caller)
	out.dialled = a.str(c.Dialled)
	out.flow_id = a.str(c.Flow)
	out.queue_id = a.str(c.Queue)
	return out, nil
}

// ContactArrived hands the engine a contact of any channel, with its
// priority, skills, attributes, preferred agent and customer. A field out
// of range is refused with its name ("contact->priority: ...") and nothing
// changes.
func (e *Engine) ContactArrived(contact Contact, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var a carena
	defer a.free()
	c, err := a.cContact(&contact)
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return check(C.hl_engine_contact_arrived(h, c, C.int64_t(nowMs), &cerr), cerr)
}
