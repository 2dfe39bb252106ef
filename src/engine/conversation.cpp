#include "conversation.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace hotline::engine {

const char* conversation_state_name(ConversationState state) noexcept {
  switch (state) {
    case ConversationState::kConnected: return "connected";
    case ConversationState::kHeld: return "held";
    case ConversationState::kConsulting: return "consulting";
    case ConversationState::kConference: return "conference";
  }
  return "connected";
}

const char* supervise_mode_name(SuperviseMode mode) noexcept {
  switch (mode) {
    case SuperviseMode::kMonitor: return "monitor";
    case SuperviseMode::kWhisper: return "whisper";
    case SuperviseMode::kBarge: return "barge";
  }
  return "monitor";
}

Leg* Conversation::leg(std::string_view name) noexcept {
  for (Leg& l : legs) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

void Conversation::drop_leg(std::string_view name) {
  legs.erase(std::remove_if(legs.begin(), legs.end(), [&](const Leg& l) { return l.name == name; }),
             legs.end());
}

int Conversation::answered_parties() const noexcept {
  return static_cast<int>(std::count_if(legs.begin(), legs.end(), [](const Leg& l) {
    return l.answered && !l.supervisor;
  }));
}

namespace {

// One leg with media, as the mix sees it.
struct MixLeg {
  std::string_view name;
  bool muted = false;
  int group = -1;  // legs of one group hear each other; -1: a listener on its own
  bool listens_to_owner_group = false;  // monitor and whisper
  bool heard_by_owner = false;          // whisper
};

}  // namespace

std::string mix_json(const Conversation& c, std::string_view caller_leg) {
  // Groups: in connected and conference everyone talks together (group 0);
  // held, nobody does; consulting, the owner and the consulted party do while
  // the caller hears only the music.
  const bool together =
      c.state == ConversationState::kConnected || c.state == ConversationState::kConference;
  std::vector<MixLeg> legs;
  legs.push_back({caller_leg, c.caller_muted, together ? 0 : -1});
  const bool has_owner = !c.agent_id.empty();
  const bool consulting = c.state == ConversationState::kConsulting;
  const bool owner_talks = together || consulting;
  if (has_owner) legs.push_back({c.agent_leg, c.agent_muted, owner_talks ? 0 : -1});
  for (const Leg& l : c.legs) {
    if (!l.answered) continue;
    MixLeg m{l.name, l.muted};
    if (l.supervisor) {
      if (l.mode == SuperviseMode::kBarge) {
        m.group = 0;
      } else {
        m.listens_to_owner_group = true;
        m.heard_by_owner = l.mode == SuperviseMode::kWhisper;
      }
    } else if (together || (consulting && l.name == c.consulted)) {
      m.group = 0;
    }
    legs.push_back(m);
  }
  // Held: a barging supervisor still talks with the agent, not the caller.
  if (!owner_talks && has_owner) {
    for (MixLeg& m : legs) {
      if (m.name == c.agent_leg) m.group = 0;
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (const MixLeg& listener : legs) {
    nlohmann::json hears = nlohmann::json::array();
    for (const MixLeg& speaker : legs) {
      if (&speaker == &listener || speaker.muted) continue;
      bool heard = false;
      if (listener.group >= 0 && speaker.group == listener.group) heard = true;
      if (listener.listens_to_owner_group && speaker.group == 0) heard = true;
      if (speaker.heard_by_owner && has_owner && listener.name == c.agent_leg) heard = true;
      if (heard) hears.push_back(speaker.name);
    }
    out[std::string(listener.name)] = std::move(hears);
  }
  return nlohmann::json{{"legs", std::move(out)}}.dump();
}

}  // namespace hotline::engine
