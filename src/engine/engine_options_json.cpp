// The configuration's "options" object: the routing options, read by the
// router's reader, and the engine's own (the host timeout, the first-contact
// window, the store drain). One list of the accepted keys, so that an
// unknown key is refused with all of them.
#include <utility>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/routing/config_json.hpp"
#include "routing/json_fields.hpp"

namespace hotline::engine {

using namespace routing::json_fields;

namespace {

// Ten million calls at once: 3 to 5 GB of tables, beyond any one engine.
constexpr int kMostExpectedCalls = 10'000'000;

}  // namespace

Result<EngineOptions> engine_options_from_json(const nlohmann::json& j, std::string_view path,
                                               EngineOptions base) {
  if (!j.is_object()) return bad(path, "expected an object of engine options");
  HL_TRY(check_keys(j, path,
                    {"seed", "strict_fairness", "reoffer_delay_seconds", "service_level_seconds",
                     "host_timeout_seconds", "first_contact_window_hours",
                     "store_drain_seconds", "expected_calls"}));
  nlohmann::json routing_part = j;
  routing_part.erase("host_timeout_seconds");
  routing_part.erase("first_contact_window_hours");
  routing_part.erase("store_drain_seconds");
  routing_part.erase("expected_calls");
  auto routing = routing::router_options_from_json(routing_part, path, base.routing);
  if (!routing) return std::move(routing).error();
  base.routing = *routing;
  DurationMs timeout = base.host_timeout_ms;
  HL_TRY(read_seconds(j, "host_timeout_seconds", path, timeout));
  // A host always gets some time to answer, and an answer is always waited
  // for no longer than a finite time: 0 and null are refused.
  if (timeout == kNever || timeout <= 0) {
    return bad(child(path, "host_timeout_seconds"), "expected a positive number of seconds");
  }
  base.host_timeout_ms = timeout;
  if (j.contains("first_contact_window_hours")) {
    int hours = 0;
    HL_TRY(read_int(j, "first_contact_window_hours", path, hours, 0, 24 * 366));
    base.first_contact_window_ms = static_cast<DurationMs>(hours) * 3'600'000;
  }
  DurationMs drain = base.store_drain_timeout_ms;
  HL_TRY(read_seconds(j, "store_drain_seconds", path, drain));
  // Bounded: a stopping host never waits forever on its disk.
  if (drain == kNever || drain < 0 || drain > 3'600'000) {
    return bad(child(path, "store_drain_seconds"), "expected seconds between 0 and 3600");
  }
  base.store_drain_timeout_ms = drain;
  if (j.contains("expected_calls")) {
    int calls = 0;
    HL_TRY(read_int(j, "expected_calls", path, calls, 0, kMostExpectedCalls));
    base.expected_calls = static_cast<std::size_t>(calls);
  }
  return base;
}

}  // namespace hotline::engine
