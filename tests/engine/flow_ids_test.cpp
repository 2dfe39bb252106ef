// A configuration names each flow once: a second flow with the same id is
// refused with both places, and none of the configuration's flows is kept.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

TEST_CASE("two flows with one id in a configuration are refused before either is loaded") {
  Engine e;
  const auto st = e.load_config(json::parse(R"({"flows": [
    {"id": "main", "start": "a", "nodes": {"a": {"type": "hangup"}}},
    {"id": "other", "start": "a", "nodes": {"a": {"type": "hangup"}}},
    {"id": "main", "start": "b", "nodes": {"b": {"type": "hangup"}}}]})"),
                                0);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == Errc::kExists);
  CHECK(st.error().message == "$.flows[2].id: duplicate flow id 'main' (also $.flows[0])");
  CallInfo call;
  call.call_id = "c1";
  call.flow_id = "other";
  CHECK(e.call_arrived(call, 0).error().code == Errc::kNotFound);  // nothing half-loaded
}
