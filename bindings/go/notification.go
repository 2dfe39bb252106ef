package hotline

import "encoding/json"

// NotificationKind says what changed (the "kind" of a notification);
// docs/events.md lists each kind's fields.
type NotificationKind string

// The notification kinds.
const (
	NotificationRouting        NotificationKind = "routing"
	NotificationCallStarted    NotificationKind = "call_started"
	NotificationCallEnded      NotificationKind = "call_ended"
	NotificationIvrNode        NotificationKind = "ivr_node"
	NotificationIvrError       NotificationKind = "ivr_error"
	NotificationContactQueued  NotificationKind = "contact_queued"
	NotificationContactRefused NotificationKind = "contact_refused"
	NotificationTransferred    NotificationKind = "transferred"
	NotificationHostError      NotificationKind = "host_error"
	// Live call control (docs/call-control.md).
	NotificationConversation NotificationKind = "conversation" // Text: the state entered
	NotificationLeg          NotificationKind = "leg"          // Text: the leg; Value 1 joined, 0 left
	NotificationWrapUpCode   NotificationKind = "wrap_up_code" // Text: the code
	NotificationSupervision  NotificationKind = "supervision"  // Actor did Text
	NotificationRecording    NotificationKind = "recording"    // Text: start, stop, pause, resume
	NotificationSurvey       NotificationKind = "survey"       // Value: the score, 1-5 (0 not rated)
	// QueueID: the queue consulted; Text: no_agents, timeout or overflow.
	NotificationConsultFailed NotificationKind = "consult_failed"
)

// The Event of an ivr_node notification: the call left Node, or entered it.
const (
	IvrNodeEntered = "entered"
	IvrNodeLeft    = "left"
)

// Notification is a notification decoded from its JSON form: Kind says
// which fields it has, the others hold their zero values. Raw is the whole
// decoded object, for fields this version does not know.
type Notification struct {
	Kind NotificationKind `json:"kind"`
	Time int64            `json:"time"`
	// Event is what the router did (routing: "offer", "agent_state_changed",
	// ...), or IvrNodeEntered / IvrNodeLeft (ivr_node).
	Event       string         `json:"event"`
	From        string         `json:"from"` // agent_state_changed: the agent's state before
	To          string         `json:"to"`   // agent_state_changed: the agent's state now
	Value       int64          `json:"value"`
	CallID      string         `json:"call_id"`
	AgentID     string         `json:"agent_id"`
	QueueID     string         `json:"queue_id"`
	Contact     uint64         `json:"contact"`
	Reservation uint64         `json:"reservation"`
	Node        string         `json:"node"`   // ivr_node: the node left or entered
	Reason      string         `json:"reason"` // contact_refused: why the queue turned it away
	Text        string         `json:"text"`
	What        string         `json:"what"`    // host_error: the command, or "post"
	Status      int            `json:"status"`  // host_error: the status of the failure
	Message     string         `json:"message"` // host_error: what failed and where
	Actor       string         `json:"actor"`   // supervision: the supervisor
	Raw         map[string]any `json:"-"`
}

// ParseNotification decodes a notification's JSON form.
func ParseNotification(text string) (Notification, error) {
	var n Notification
	if err := json.Unmarshal([]byte(text), &n); err != nil {
		return n, err
	}
	err := json.Unmarshal([]byte(text), &n.Raw)
	return n, err
}

// TypedNotifications takes the pending notifications, decoded, oldest
// first; Notifications is the same queue as maps.
func (e *Engine) TypedNotifications() ([]Notification, error) {
	raw, err := e.drainText(pollNotification)
	out := make([]Notification, 0, len(raw))
	for _, text := range raw {
		n, perr := ParseNotification(text)
		if perr != nil {
			return out, perr
		}
		out = append(out, n)
	}
	return out, err
}
