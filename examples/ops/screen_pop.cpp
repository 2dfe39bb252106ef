#include "screen_pop.hpp"

#include "masking.hpp"

namespace hotline::ops {

using nlohmann::json;

std::optional<json> screen_pop_for(const Principal& who, const engine::Command& ring) {
  if (ring.kind != engine::Command::Kind::kRingAgent) return std::nullopt;
  if (!sees_everything(who) && ring.agent_id != who.agent_id) return std::nullopt;
  json context = json::parse(ring.args_json, nullptr, false);
  if (context.is_discarded() || !context.is_object()) context = json::object();
  if (!sees_everything(who)) mask_screen_pop(context);
  return json{{"kind", "screen_pop"},     {"call_id", ring.call_id},
              {"agent_id", ring.agent_id}, {"reservation", ring.reservation},
              {"time", ring.time},         {"context", std::move(context)}};
}

}  // namespace hotline::ops
