#include "hotline/routing/config_json.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/routing/config_text.hpp"
#include "hotline/routing/router.hpp"
#include "hotline/util/view_map.hpp"
#include "json_fields.hpp"

namespace hotline::routing {

using nlohmann::json;

using namespace json_fields;

namespace {

constexpr std::size_t kMaxRings = 32;  // a ring is a bit in the router's masks

}  // namespace

Result<QueueConfig> queue_from_json(const json& j, std::string_view path) {
  if (!j.is_object()) return bad(path, "expected a queue object");
  HL_TRY(check_keys(j, path,
                    {"id", "name", "priority", "channel", "strategy", "rings", "skills", "members",
                     "max_length", "max_wait_seconds", "wrap_up_seconds", "offer_timeout_seconds",
                     "max_no_answer", "service_level_seconds", "resume_window_seconds",
                     "last_agent_wait_seconds", "music_on_hold", "recording", "announce_agent",
                     "survey_flow"}));
  QueueConfig q;
  HL_TRY(read_string(j, "id", path, q.id));
  if (q.id.empty()) return bad(child(path, "id"), "a queue needs a non-empty id");
  q.name = q.id;
  HL_TRY(read_string(j, "name", path, q.name));
  HL_TRY(read_int(j, "priority", path, q.priority, -1000000, 1000000));
  HL_TRY(read_channel(j, path, q.channel));
  std::string strategy;
  HL_TRY(read_string(j, "strategy", path, strategy));
  if (!strategy.empty()) {
    auto s = parse_strategy(strategy);
    if (!s) return bad(child(path, "strategy"), "unknown strategy '" + strategy + "'");
    q.strategy = *s;
  }
  HL_TRY(read_skills(j, "skills", path, q.skills));
  if (auto it = j.find("rings"); it != j.end()) {
    const std::string rp = child(path, "rings");
    if (!it->is_array()) return bad(rp, "expected an array of rings");
    if (it->size() > kMaxRings) return bad(rp, fmt::format("at most {} rings", kMaxRings));
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      const std::string p = item(rp, i);
      if (!r.is_object()) return bad(p, "expected a ring object");
      HL_TRY(check_keys(r, p, {"target", "min_level", "timeout_seconds"}));
      Ring ring;
      std::string target;
      HL_TRY(read_string(r, "target", p, target));
      if (!target.empty()) {
        auto e = expr::Expression::compile(target);
        if (!e) return bad(child(p, "target"), e.error().message);
        ring.target = std::move(e).value();
      }
      HL_TRY(read_int(r, "min_level", p, ring.min_level, 0, 1000));
      HL_TRY(read_seconds(r, "timeout_seconds", p, ring.timeout_ms));
      if (ring.timeout_ms == 0) return bad(child(p, "timeout_seconds"), "must be positive");
      q.rings.push_back(std::move(ring));
    }
  }
  if (auto it = j.find("members"); it != j.end()) {
    const std::string mp = child(path, "members");
    if (!it->is_array()) return bad(mp, "expected an array of members");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& m = (*it)[i];
      QueueMember member;
      if (m.is_string()) {
        member.agent_id = m.get<std::string>();
      } else if (m.is_object()) {
        const std::string p = item(mp, i);
        HL_TRY(check_keys(m, p, {"agent", "position", "weight"}));
        HL_TRY(read_string(m, "agent", p, member.agent_id));
        HL_TRY(read_int(m, "position", p, member.position, 0, 1000000));
        HL_TRY(read_int(m, "weight", p, member.weight, 0, 1000000));
      } else {
        return bad(item(mp, i), "expected an agent id or a member object");
      }
      if (member.agent_id.empty()) return bad(item(mp, i), "a member needs an agent id");
      q.members.push_back(std::move(member));
    }
  }
  HL_TRY(read_int(j, "max_length", path, q.max_length, 0, INT32_MAX));
  HL_TRY(read_seconds(j, "max_wait_seconds", path, q.max_wait_ms));
  if (q.max_wait_ms == 0) return bad(child(path, "max_wait_seconds"), "must be positive");
  HL_TRY(read_seconds(j, "wrap_up_seconds", path, q.wrap_up_ms));
  HL_TRY(read_seconds(j, "offer_timeout_seconds", path, q.offer_timeout_ms));
  HL_TRY(read_int(j, "max_no_answer", path, q.max_no_answer, 0, 1000));
  HL_TRY(read_seconds(j, "service_level_seconds", path, q.service_level_ms));
  HL_TRY(read_seconds(j, "resume_window_seconds", path, q.resume_window_ms));
  HL_TRY(read_seconds(j, "last_agent_wait_seconds", path, q.last_agent_wait_ms));
  if (q.last_agent_wait_ms == kNever) {
    return bad(child(path, "last_agent_wait_seconds"), "expected a number of seconds");
  }
  HL_TRY(read_prompts(j, "music_on_hold", path, q.music_on_hold));
  std::string recording;
  HL_TRY(read_string(j, "recording", path, recording));
  if (recording == "all") {
    q.recording = RecordingPolicy::kAll;
  } else if (recording == "on_demand") {
    q.recording = RecordingPolicy::kOnDemand;
  } else if (!recording.empty() && recording != "none") {
    return bad(child(path, "recording"),
               fmt::format("unknown recording policy '{}' (expected all, none or on_demand)",
                           recording));
  }
  HL_TRY(read_prompts(j, "announce_agent", path, q.announce_agent));
  HL_TRY(read_string(j, "survey_flow", path, q.survey_flow));
  return q;
}

Result<AgentConfig> agent_from_json(const json& j, std::string_view path) {
  if (!j.is_object()) return bad(path, "expected an agent object");
  HL_TRY(check_keys(
      j, path, {"id", "name", "skills", "attributes", "capacity", "queues", "role", "number"}));
  AgentConfig a;
  HL_TRY(read_string(j, "id", path, a.id));
  if (a.id.empty()) return bad(child(path, "id"), "an agent needs a non-empty id");
  a.name = a.id;
  HL_TRY(read_string(j, "name", path, a.name));
  HL_TRY(read_skills(j, "skills", path, a.skills));
  if (auto it = j.find("attributes"); it != j.end()) {
    auto attrs = expr::Attributes::from_json(*it, child(path, "attributes"));
    if (!attrs) return std::move(attrs).error();
    a.attributes = std::move(attrs).value();
  }
  if (auto it = j.find("capacity"); it != j.end()) {
    const std::string cp = child(path, "capacity");
    if (!it->is_object()) return bad(cp, "expected an object such as {\"voice\": 1, \"chat\": 3}");
    HL_TRY(check_keys(*it, cp, {"voice", "chat", "email", "task"}));
    for (const auto& [name, n] : it->items()) {
      const Channel ch = *parse_channel(name);
      if (!n.is_number_integer() || n.get<std::int64_t>() < 0 || n.get<std::int64_t>() > 1000) {
        return bad(child(cp, name), "expected a capacity between 0 and 1000");
      }
      a.capacity[static_cast<int>(ch)] = static_cast<int>(n.get<std::int64_t>());
    }
  }
  if (auto it = j.find("queues"); it != j.end()) {
    // Spelled out only for a refusal (see read_skills).
    auto qp = [&] { return child(path, "queues"); };
    if (!it->is_array()) return bad(qp(), "expected an array of queue ids");
    a.queues.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) return bad(item(qp(), i), "expected a queue id");
      a.queues.push_back((*it)[i].get_ref<const std::string&>());
    }
  }
  std::string role;
  HL_TRY(read_string(j, "role", path, role));
  if (role == "supervisor") {
    a.role = AgentRole::kSupervisor;
  } else if (!role.empty() && role != "agent") {
    return bad(child(path, "role"), fmt::format("unknown role '{}' (expected agent or supervisor)",
                                                role));
  }
  HL_TRY(read_string(j, "number", path, a.number));
  return a;
}

Result<ContactSpec> contact_from_json(const json& j, std::string_view path) {
  if (!j.is_object()) return bad(path, "expected a contact object");
  HL_TRY(check_keys(j, path,
                    {"id", "queue", "channel", "priority", "caller", "attributes", "skills",
                     "preferred_agent", "preferred_wait_seconds"}));
  ContactSpec c;
  HL_TRY(read_string(j, "id", path, c.external_id));
  HL_TRY(read_string(j, "queue", path, c.queue_id));
  if (c.queue_id.empty()) return bad(child(path, "queue"), "a contact needs a queue");
  HL_TRY(read_channel(j, path, c.channel));
  HL_TRY(read_int(j, "priority", path, c.priority, -1000000, 1000000));
  HL_TRY(read_string(j, "caller", path, c.caller));
  if (auto it = j.find("attributes"); it != j.end()) {
    auto attrs = expr::Attributes::from_json(*it, child(path, "attributes"));
    if (!attrs) return std::move(attrs).error();
    c.attributes = std::move(attrs).value();
  }
  HL_TRY(read_skills(j, "skills", path, c.skills));
  HL_TRY(read_string(j, "preferred_agent", path, c.preferred_agent));
  HL_TRY(read_seconds(j, "preferred_wait_seconds", path, c.preferred_wait_ms));
  return c;
}

Result<RouterOptions> router_options_from_json(const json& j, std::string_view path,
                                               RouterOptions base) {
  if (!j.is_object()) return bad(path, "expected an object of engine options");
  HL_TRY(check_keys(j, path,
                    {"seed", "strict_fairness", "reoffer_delay_seconds", "service_level_seconds"}));
  RouterOptions o = base;
  if (auto it = j.find("seed"); it != j.end()) {
    if (!it->is_number_unsigned()) {
      return bad(child(path, "seed"), "expected a non-negative integer");
    }
    o.seed = it->get<std::uint64_t>();
  }
  HL_TRY(read_bool(j, "strict_fairness", path, o.strict_fairness));
  HL_TRY(read_seconds(j, "reoffer_delay_seconds", path, o.reoffer_delay_ms));
  if (o.reoffer_delay_ms == kNever) {
    return bad(child(path, "reoffer_delay_seconds"), "expected a number of seconds");
  }
  HL_TRY(read_seconds(j, "service_level_seconds", path, o.default_service_level_ms));
  if (o.default_service_level_ms == kNever) {
    return bad(child(path, "service_level_seconds"), "expected a number of seconds");
  }
  return o;
}

namespace {
// How many agents ahead a bulk load starts loading an id table's slot: with
// a million agents each slot is a miss to memory, and this many overlap.
constexpr std::size_t kIdsAhead = 8;
}  // namespace

Result<RoutingConfig> routing_config_from_json(const json& config, const Router& router,
                                               std::string_view path,
                                               PreparsedAgents* preparsed) {
  if (!config.is_object()) return bad(path, "expected an object with queues and agents");
  for (const char* key : {"queues", "agents"}) {
    if (config.contains(key) && !config[key].is_array()) {
      return bad(child(path, key), "expected an array");
    }
  }
  RoutingConfig parsed;
  // Ids met so far, as views of the parsed configs' ids (the vectors are
  // reserved up front, so the configs do not move): a configuration of a
  // million agents checks each id in one probe, not against every earlier one.
  ViewMap<std::size_t> queue_ids;
  ViewMap<std::size_t> agent_ids;
  if (auto it = config.find("queues"); it != config.end()) {
    parsed.queues.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string p = item(child(path, "queues"), i);
      auto q = queue_from_json((*it)[i], p);
      if (!q) return std::move(q).error();
      const std::string& id = q->id;
      if (queue_ids.contains(id) || router.find_queue(id)) {
        return bad(child(p, "id"), fmt::format("queue '{}' already exists", id));
      }
      parsed.queues.push_back(std::move(q).value());
      queue_ids.insert(parsed.queues.back().id, i);
    }
  }
  const std::string agents_path = child(path, "agents");
  // Checks agent i, in place in parsed.agents, against the ids met so far
  // and the queues it names.
  auto accept = [&](std::size_t i) -> Status {
    const AgentConfig& a = parsed.agents[i];
    if (agent_ids.contains(a.id) || router.find_agent(a.id)) {
      return bad(child(item(agents_path, i), "id"),
                 fmt::format("agent '{}' already exists", a.id));
    }
    for (std::size_t k = 0; k < a.queues.size(); ++k) {
      const std::string& q = a.queues[k];
      const bool known = queue_ids.contains(q) || router.find_queue(q);
      if (!known) {
        return bad(item(child(item(agents_path, i), "queues"), k),
                   fmt::format("unknown queue '{}'", q));
      }
    }
    agent_ids.insert(a.id, i);
    return {};
  };
  if (preparsed && preparsed->read) {
    // Taken whole and checked where they lie: a million configs moved one
    // by one into a second vector is that vector's memory touched afresh.
    parsed.agents = std::move(preparsed->agents);
    preparsed->agents.clear();
    agent_ids.reserve(parsed.agents.size());
    const std::size_t n = parsed.agents.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kIdsAhead < n) agent_ids.prefetch(parsed.agents[i + kIdsAhead].id);
      HL_TRY(accept(i));
    }
    if (preparsed->error) return *preparsed->error;
  } else if (auto it = config.find("agents"); it != config.end()) {
    parsed.agents.reserve(it->size());
    agent_ids.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      auto a = agent_from_json((*it)[i], item(agents_path, i));
      if (!a) return std::move(a).error();
      parsed.agents.push_back(std::move(a).value());
      HL_TRY(accept(i));
    }
  }
  return parsed;
}

Status apply_routing_config(Router& router, RoutingConfig config) {
  for (QueueConfig& q : config.queues) {
    if (auto added = router.add_queue(std::move(q)); !added) return std::move(added).error();
  }
  router.reserve_agents(config.agents.size());
  const std::size_t n = config.agents.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kIdsAhead < n) router.prefetch_agent_slot(config.agents[i + kIdsAhead].id);
    if (auto added = router.add_agent(std::move(config.agents[i])); !added) {
      return std::move(added).error();
    }
  }
  return {};
}

Status load_routing_config(Router& router, const json& config) {
  if (config.is_object()) HL_TRY(check_keys(config, "$", {"queues", "agents"}));
  auto parsed = routing_config_from_json(config, router, "$");
  if (!parsed) return std::move(parsed).error();
  return apply_routing_config(router, std::move(parsed).value());
}

}  // namespace hotline::routing
