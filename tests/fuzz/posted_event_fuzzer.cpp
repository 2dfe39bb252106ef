// Posted events: hl_engine_post of JSON text (one event per line) on an
// engine with a small center, attached to a libuv loop that then runs the
// events on its thread. Whatever the text, the loop must survive it: a call
// placed after the fuzzed events is still offered to an agent.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <uv.h>

#include "fuzz_support.hpp"

using namespace hotline::fuzz;

namespace {

void post(hl_engine* engine, const std::string& json) {
  hl_error* err = nullptr;
  if (hl_engine_post(engine, json.c_str(), &err) != HL_OK) forget(err);
}

constexpr const char* kProbe = "probe-after-fuzz";

// Notes whether the probe call was routed (queued or offered at once).
void on_notification(void* user, const char* json) {
  const std::string text(json);
  if (text.find(std::string("\"call_id\":\"") + kProbe + "\"") != std::string::npos &&
      text.find("\"kind\":\"host_error\"") == std::string::npos) {
    *static_cast<bool*>(user) = true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input = text(data, size);
  hl_engine* engine = nullptr;
  if (hl_engine_create(&engine, kSmallCenter, hl_engine_now(), nullptr) != HL_OK) std::abort();
  bool probe_routed = false;
  hl_engine_set_listener(engine, on_notification, &probe_routed);
  uv_loop_t loop;
  uv_loop_init(&loop);
  if (hl_engine_attach(engine, &loop, nullptr) != HL_OK) std::abort();
  post(engine, R"({"event": "agent_login", "agent_id": "ann"})");
  post(engine, R"({"event": "agent_ready", "agent_id": "ann"})");
  post(engine, R"({"event": "call_arrived", "call_id": "c1", "caller": "+4930123456",)"
               R"( "flow_id": "front"})");
  uv_run(&loop, UV_RUN_NOWAIT);
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string::npos) end = input.size();
    post(engine, input.substr(start, end - start));
    start = end + 1;
  }
  uv_run(&loop, UV_RUN_NOWAIT);
  // The loop goes on after whatever the fuzzed events did.
  post(engine, std::string(R"({"event": "call_arrived", "call_id": ")") + kProbe +
                   R"(", "caller": "+4930999", "queue_id": "support"})");
  for (int i = 0; i < 4 && !probe_routed; ++i) uv_run(&loop, UV_RUN_NOWAIT);
  if (!probe_routed) {
    std::fprintf(stderr, "the engine's loop no longer runs posted events\n");
    std::abort();
  }
  hl_engine_detach(engine);
  uv_run(&loop, UV_RUN_NOWAIT);  // lets libuv close the engine's handles
  drain(engine);
  hl_engine_destroy(engine);
  uv_loop_close(&loop);
  return 0;
}
