// Flows: hl_engine_load_flow on a small center. A flow that loads is then run
// by a call that presses a few keys and lets every prompt finish.
#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"

using namespace hotline::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string flow = text(data, size);
  hl_engine* engine = nullptr;
  if (hl_engine_create(&engine, kSmallCenter, kEpochMs, nullptr) != HL_OK) return 0;
  hl_error* err = nullptr;
  if (hl_engine_load_flow(engine, flow.c_str(), &err) != HL_OK) {
    forget(err);
    hl_engine_destroy(engine);
    return 0;
  }
  // The flow's id, read leniently (the engine has accepted the document).
  const auto doc = nlohmann::json::parse(flow, nullptr, false);
  std::string id = "front";
  if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) id = doc["id"];
  hl_call_info call = HL_CALL_INFO_INIT;
  call.call_id = "c1";
  call.caller = "+4930123456";
  call.flow_id = id.c_str();
  std::int64_t now = kEpochMs;
  hl_engine_call_arrived(engine, &call, now, nullptr);
  for (char key : std::string("12#3*")) {
    now += 1'000;
    hl_engine_prompt_done(engine, "c1", now, nullptr);
    hl_engine_digit(engine, "c1", key, now, nullptr);
    hl_engine_advance(engine, now, nullptr);
    drain(engine);
  }
  hl_engine_advance(engine, now + 3'600'000, nullptr);
  hl_engine_call_hung_up(engine, "c1", now + 3'600'000, nullptr);
  drain(engine);
  hl_engine_destroy(engine);
  return 0;
}
