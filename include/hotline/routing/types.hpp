// Vocabulary of the routing engine: channels, agent states, strategies and
// the small integer handles the router hands out.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hotline::routing {

// A task is back-office work routed like a contact (a form, a case, a
// follow-up): it takes task capacity and none of the others.
enum class Channel : std::uint8_t { kVoice, kChat, kEmail, kTask };
inline constexpr int kChannelCount = 4;

// The agent's state as supervisors see it. The presence part (logged out,
// available, not ready) is set by the agent; reserved, busy and wrap-up follow
// from the contacts the agent is handling. Precedence when an agent handles
// several contacts at once (chats): busy, then reserved, then wrap-up.
enum class AgentState : std::uint8_t {
  kLoggedOut,
  kAvailable,
  kNotReady,
  kReserved,  // a contact is being offered (ringing)
  kBusy,      // connected to a contact
  kWrapUp,    // after-contact work
};

enum class Strategy : std::uint8_t {
  kLongestIdle,     // the agent free for the longest time on the channel
  kRoundRobin,      // the next member after the last one chosen, by position
  kFewestContacts,  // fewest contacts answered today
  kLeastTalkTime,   // least talk time today
  kMostSkilled,     // highest level in the skills asked for; ties by longest idle
  kLinear,          // configured member order, always from the top
  kRandom,          // uniform among eligible agents (seeded)
  kWeightedRandom,  // proportional to the member's weight (seeded)
  kRingAll,         // offer to every eligible agent; the first to accept wins
};

using AgentIndex = std::uint32_t;  // stable for the router's lifetime
using QueueIndex = std::uint32_t;
using ContactId = std::uint64_t;      // assigned by the router, never reused
using ReservationId = std::uint64_t;  // assigned by the router, never reused
inline constexpr std::uint32_t kNoIndex = UINT32_MAX;

std::string_view channel_name(Channel c) noexcept;
std::optional<Channel> parse_channel(std::string_view s) noexcept;
// "voice, chat, email or task": what a refused channel name is told.
std::string_view channel_choices() noexcept;
std::string_view agent_state_name(AgentState s) noexcept;
std::string_view strategy_name(Strategy s) noexcept;
std::optional<Strategy> parse_strategy(std::string_view s) noexcept;

}  // namespace hotline::routing
