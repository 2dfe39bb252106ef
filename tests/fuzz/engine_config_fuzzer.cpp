// Engine configuration: the JSON given to hl_engine_create. A refusal must
// leave *out NULL and an error; an engine that was created must run a call.
#include <cstdlib>

#include "fuzz_support.hpp"

using namespace hotline::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string config = text(data, size);
  hl_engine* engine = nullptr;
  hl_error* err = nullptr;
  const hl_status st = hl_engine_create(&engine, config.c_str(), kEpochMs, &err);
  if (st != HL_OK) {
    if (engine != nullptr) std::abort();  // a failed create hands out nothing
    forget(err);
    return 0;
  }
  hl_call_info call = HL_CALL_INFO_INIT;
  call.call_id = "c1";
  call.caller = "+4930123456";
  call.queue_id = "sales";
  hl_engine_call_arrived(engine, &call, kEpochMs, nullptr);
  hl_engine_advance(engine, kEpochMs + 60'000, nullptr);
  drain(engine);
  hl_engine_destroy(engine);
  return 0;
}
