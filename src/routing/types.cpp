#include "hotline/routing/types.hpp"

#include <iterator>

#include "hotline/routing/agent_config.hpp"
#include "hotline/routing/output.hpp"

namespace hotline::routing {

namespace {
constexpr std::string_view kChannelNames[] = {"voice", "chat", "email", "task"};
static_assert(std::size(kChannelNames) == static_cast<std::size_t>(kChannelCount));
constexpr std::string_view kChannelChoices = "voice, chat, email or task";
constexpr std::string_view kStateNames[] = {"logged_out", "available", "not_ready",
                                            "reserved",   "busy",      "wrap_up"};
constexpr std::string_view kStrategyNames[] = {
    "longest_idle", "round_robin", "fewest_contacts", "least_talk_time", "most_skilled",
    "linear",       "random",      "weighted_random", "ring_all"};
}  // namespace

std::string_view channel_name(Channel c) noexcept { return kChannelNames[static_cast<int>(c)]; }

std::string_view channel_choices() noexcept { return kChannelChoices; }

std::optional<Channel> parse_channel(std::string_view s) noexcept {
  for (int i = 0; i < kChannelCount; ++i) {
    if (kChannelNames[i] == s) return static_cast<Channel>(i);
  }
  return std::nullopt;
}

std::string_view agent_state_name(AgentState s) noexcept {
  return kStateNames[static_cast<int>(s)];
}

std::string_view strategy_name(Strategy s) noexcept {
  return kStrategyNames[static_cast<int>(s)];
}

std::optional<Strategy> parse_strategy(std::string_view s) noexcept {
  for (std::size_t i = 0; i < std::size(kStrategyNames); ++i) {
    if (kStrategyNames[i] == s) return static_cast<Strategy>(i);
  }
  // The names Asterisk and FreeSWITCH users already type.
  if (s == "leastrecent" || s == "longest-idle-agent") return Strategy::kLongestIdle;
  if (s == "rrmemory" || s == "roundrobin" || s == "round-robin") return Strategy::kRoundRobin;
  if (s == "fewestcalls" || s == "agent-with-fewest-calls") return Strategy::kFewestContacts;
  if (s == "agent-with-least-talk-time") return Strategy::kLeastTalkTime;
  if (s == "top-down" || s == "sequentially-by-agent-order") return Strategy::kLinear;
  if (s == "wrandom") return Strategy::kWeightedRandom;
  if (s == "ringall" || s == "ring-all") return Strategy::kRingAll;
  return std::nullopt;
}

int AgentConfig::skill_level(std::string_view skill) const noexcept {
  for (const auto& [name, level] : skills) {
    if (name == skill) return level;
  }
  return 0;
}

const char* output_kind_name(Output::Kind kind) noexcept {
  switch (kind) {
    case Output::Kind::kOffer: return "offer";
    case Output::Kind::kRescind: return "rescind";
    case Output::Kind::kAgentStateChanged: return "agent_state_changed";
    case Output::Kind::kContactQueued: return "contact_queued";
    case Output::Kind::kContactResumed: return "contact_resumed";
    case Output::Kind::kOfferAccepted: return "offer_accepted";
    case Output::Kind::kOfferRejected: return "offer_rejected";
    case Output::Kind::kOfferTimedOut: return "offer_timed_out";
    case Output::Kind::kContactRequeued: return "contact_requeued";
    case Output::Kind::kContactAbandoned: return "contact_abandoned";
    case Output::Kind::kContactRemoved: return "contact_removed";
    case Output::Kind::kContactCompleted: return "contact_completed";
    case Output::Kind::kWrapUpEnded: return "wrap_up_ended";
    case Output::Kind::kQueueOverflow: return "queue_overflow";
    case Output::Kind::kRingWidened: return "ring_widened";
    case Output::Kind::kPreferredFallback: return "preferred_fallback";
    case Output::Kind::kContactRefused: return "contact_refused";
    case Output::Kind::kAgentAutoNotReady: return "agent_auto_not_ready";
  }
  return "unknown";
}

}  // namespace hotline::routing
